"""a post's board from an index: the moderation queue's counts per board

The queue counts its pending posts per board: each of them looks up its thread for the
board. On PostgreSQL an index on the thread's id that carries the board answers that from
the index alone, without reading the thread's row. SQLite finds a thread by its rowid, the
row itself, and gets no index. An index only: no row changes.

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
    if op.get_bind().dialect.name == "postgresql":
        op.create_index('ix_threads_id_board', 'threads', ['id'],
                        postgresql_include=['board_id'])


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_threads_id_board', table_name='threads')
