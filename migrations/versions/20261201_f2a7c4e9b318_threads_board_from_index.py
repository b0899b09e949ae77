"""a post's board from an index: the moderation queue's counts per board

The queue counts its pending posts per board: each of them looks up its thread for the
board. An index on the thread's id and board answers that from the index alone, without
reading the thread's row (PostgreSQL: an index-only scan). An index only: no row changes.

Revision ID: f2a7c4e9b318
Revises: e8b1f3a6c2d9
Create Date: 2026-12-01 04:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f2a7c4e9b318'
down_revision = 'e8b1f3a6c2d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_threads_id_board', 'threads', ['id', 'board_id'])


def downgrade():
    op.drop_index('ix_threads_id_board', table_name='threads')
