"""site generation: one counter that grows with every change of a public page

The page cache for anonymous visitors keys pages by it (forum/page_cache.py).

Revision ID: 5e0a9c2d7b14
Revises: a3c58e1f7d26
Create Date: 2026-11-30 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e0a9c2d7b14'
down_revision = 'a3c58e1f7d26'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'site_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_generation')),
    )
    op.bulk_insert(table, [{'id': 0, 'value': 0}])  # the one row


def downgrade():
    op.drop_table('site_generation')
