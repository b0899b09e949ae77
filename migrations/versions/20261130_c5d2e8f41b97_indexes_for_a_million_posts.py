"""indexes for a million posts: lists in their order, the pending posts, the log's boards

Threads get their list orders as indexes (a board's list, all boards' list by activity and
newest first, the newest, the oldest unanswered, the escalated),
posts an index of only the pending ones (the queue and its count on every moderator's page)
and moderation decisions one on their board (the log and transparency figures). Indexes
only: no row changes.

Revision ID: c5d2e8f41b97
Revises: d4e5a9c0b1f2
Create Date: 2026-11-30 16:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5d2e8f41b97'
down_revision = 'd4e5a9c0b1f2'
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'pending'")
UNANSWERED = sa.text("answer_count = 0")
ESCALATED = sa.text("escalated_at IS NOT NULL")


def upgrade():
    op.create_index('ix_threads_board_listing', 'threads',
                    ['board_id', 'pinned', 'last_activity_at', 'id', 'state'])
    op.create_index('ix_threads_listing', 'threads',
                    ['pinned', 'last_activity_at', 'id', 'board_id', 'state'])
    op.create_index('ix_threads_created', 'threads', ['created_at', 'id'])
    op.create_index('ix_threads_listing_new', 'threads',
                    ['pinned', 'created_at', 'id', 'board_id', 'state'])
    op.create_index('ix_threads_unanswered', 'threads', ['created_at', 'id'],
                    sqlite_where=UNANSWERED, postgresql_where=UNANSWERED)
    op.create_index('ix_threads_escalated', 'threads', ['created_at'],
                    sqlite_where=ESCALATED, postgresql_where=ESCALATED)
    op.create_index('ix_posts_pending', 'posts', ['created_at', 'id'],
                    sqlite_where=PENDING, postgresql_where=PENDING)
    op.create_index(op.f('ix_moderation_decisions_board_id'), 'moderation_decisions',
                    ['board_id'])


def downgrade():
    op.drop_index(op.f('ix_moderation_decisions_board_id'), table_name='moderation_decisions')
    op.drop_index('ix_posts_pending', table_name='posts')
    op.drop_index('ix_threads_escalated', table_name='threads')
    op.drop_index('ix_threads_unanswered', table_name='threads')
    op.drop_index('ix_threads_listing_new', table_name='threads')
    op.drop_index('ix_threads_created', table_name='threads')
    op.drop_index('ix_threads_listing', table_name='threads')
    op.drop_index('ix_threads_board_listing', table_name='threads')
