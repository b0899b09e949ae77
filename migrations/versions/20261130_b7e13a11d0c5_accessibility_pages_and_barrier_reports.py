"""operator facts and barrier reports (BITV 2.0 pages)

Revision ID: b7e13a11d0c5
Revises: 716a32a5c71b
Create Date: 2026-11-30 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e13a11d0c5'
down_revision = '716a32a5c71b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_site_settings'))
    )
    op.create_table('barrier_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('state', sa.Enum('open', 'answered', 'closed', name='barrierstate',
                               native_enum=False, length=20), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'],
                            name=op.f('fk_barrier_reports_handled_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_barrier_reports'))
    )
    with op.batch_alter_table('barrier_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_barrier_reports_created_at'), ['created_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_barrier_reports_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('barrier_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_barrier_reports_state'))
        batch_op.drop_index(batch_op.f('ix_barrier_reports_created_at'))
    op.drop_table('barrier_reports')
    op.drop_table('site_settings')
