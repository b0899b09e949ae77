"""the unanswered and the pending index read more from the index itself

The oldest unanswered questions' partial index leads with the thread's state, so that
`state = 'open'` and the order come from it and no planner weighs it against sorting every
open thread. The pending posts' partial index also holds the thread and the kind, so that the
queue's scope check, its filter counts and a deep page of it read no post rows. Indexes only:
no row changes.

Revision ID: e8b1f3a6c2d9
Revises: c5d2e8f41b97
Create Date: 2026-11-30 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e8b1f3a6c2d9'
down_revision = 'c5d2e8f41b97'
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'pending'")
UNANSWERED = sa.text("answer_count = 0")


def _indexes(unanswered: list[str], pending: list[str]) -> None:
    op.drop_index('ix_threads_unanswered', table_name='threads')
    op.create_index('ix_threads_unanswered', 'threads', unanswered,
                    sqlite_where=UNANSWERED, postgresql_where=UNANSWERED)
    op.drop_index('ix_posts_pending', table_name='posts')
    op.create_index('ix_posts_pending', 'posts', pending,
                    sqlite_where=PENDING, postgresql_where=PENDING)


def upgrade():
    _indexes(['state', 'created_at', 'id'], ['created_at', 'id', 'thread_id', 'kind'])


def downgrade():
    _indexes(['created_at', 'id'], ['created_at', 'id'])
