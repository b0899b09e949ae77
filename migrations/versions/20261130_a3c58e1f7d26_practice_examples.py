"""practice examples: an update of its own kind with the example's parts beside it

Project updates get a kind ('news' for every existing row); practice_examples holds where
and for whom, what came of it, what others can take from it and the contact in the team.

Revision ID: a3c58e1f7d26
Revises: 4b7e2c9d1a53
Create Date: 2026-11-30 14:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c58e1f7d26'
down_revision = '4b7e2c9d1a53'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('news', 'practice', name='updatekind',
                                                      native_enum=False, length=20),
                                      server_default='news', nullable=False))

    op.create_table(
        'practice_examples',
        sa.Column('update_id', sa.Integer(), nullable=False),
        sa.Column('setting_source', sa.Text(), nullable=False),
        sa.Column('setting_html', sa.Text(), nullable=False),
        sa.Column('outcome_source', sa.Text(), nullable=False),
        sa.Column('outcome_html', sa.Text(), nullable=False),
        sa.Column('lessons_source', sa.Text(), nullable=False),
        sa.Column('lessons_html', sa.Text(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['contact_id'], ['users.id'],
                                name=op.f('fk_practice_examples_contact_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['update_id'], ['project_updates.id'],
                                name=op.f('fk_practice_examples_update_id_project_updates'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('update_id', name=op.f('pk_practice_examples')),
    )
    with op.batch_alter_table('practice_examples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_examples_contact_id'), ['contact_id'],
                              unique=False)


def downgrade():
    # before this revision there were only news: a practice example stays as a news item
    # (its title and body; questions, reports and decisions keep pointing at it) without
    # the parts beside it
    with op.batch_alter_table('practice_examples', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_examples_contact_id'))
    op.drop_table('practice_examples')
    with op.batch_alter_table('project_updates', schema=None) as batch_op:
        batch_op.drop_column('kind')
