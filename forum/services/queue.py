"""What waits for moderators, always scoped to the moderator's boards."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Appeal,
    AppealState,
    Board,
    Decision,
    Post,
    PostState,
    ProjectMember,
    ProjectRole,
    Report,
    ReportState,
    SiteRole,
    Thread,
    ThreadState,
    User,
    utcnow,
)
from ..permissions import appeals_free_of_conflict, moderatable_posts, moderated_board_ids

POST_OPTIONS = (
    joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.project),
    joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.topic_field),
    joinedload(Post.author),
)


def _appeals_in_scope(user):
    """Open appeals about threads now in the user's boards (a moved thread's appeals go
    with it) that the user may decide: none they are a party to (see the rulebook)."""
    boards = moderated_board_ids(user)
    return (sa.select(Appeal).join(Appeal.decision).join(Thread, Thread.id == Decision.thread_id)
            .where(Appeal.state == AppealState.OPEN, Thread.board_id.in_(boards),
                   appeals_free_of_conflict(user)))


def pending_posts(user) -> list[Post]:
    query = (sa.select(Post).where(Post.state == PostState.PENDING, moderatable_posts(user))
             .options(*POST_OPTIONS).order_by(Post.created_at, Post.id))
    return list(db.session.scalars(query).unique())


def reported_posts(user) -> list[tuple[Post, int, object]]:
    """Posts with open reports, grouped: (post, number of reports, first report time)."""
    grouped = (sa.select(Report.post_id, sa.func.count().label("n"),
                         sa.func.min(Report.created_at).label("first"))
               .where(Report.state == ReportState.OPEN).group_by(Report.post_id).subquery())
    query = (sa.select(Post, grouped.c.n, grouped.c.first)
             .join(grouped, grouped.c.post_id == Post.id).where(moderatable_posts(user))
             .options(*POST_OPTIONS).order_by(grouped.c.first, Post.id))
    return [tuple(row) for row in db.session.execute(query).unique()]


def open_appeals(user) -> list[Appeal]:
    query = _appeals_in_scope(user).options(
        joinedload(Appeal.decision).joinedload(Decision.thread)).order_by(Appeal.created_at)
    return list(db.session.scalars(query).unique())


def escalated_threads(user) -> list[Thread]:
    """Escalated questions in the user's boards that still have no answer."""
    boards = moderated_board_ids(user)
    query = (sa.select(Thread).where(Thread.escalated_at.is_not(None), Thread.answer_count == 0,
                                     Thread.state == ThreadState.OPEN,
                                     Thread.board_id.in_(boards))
             .options(joinedload(Thread.board).joinedload(Board.project),
                      joinedload(Thread.board).joinedload(Board.topic_field))
             .order_by(Thread.created_at))
    return list(db.session.scalars(query).unique())


def counts(user, older_than: timedelta | None = None) -> dict[str, int]:
    """Items waiting in the user's scope, in one statement; optionally only old ones."""
    since = utcnow() - older_than if older_than else None

    def _older(column):
        return [column <= since] if since is not None else []

    pending = sa.select(sa.func.count()).select_from(Post).where(
        Post.state == PostState.PENDING, moderatable_posts(user), *_older(Post.created_at))
    reported = sa.select(sa.func.count(sa.distinct(Report.post_id))).select_from(Report).join(
        Report.post).where(
        Report.state == ReportState.OPEN, moderatable_posts(user), *_older(Report.created_at))
    appeals = sa.select(sa.func.count()).select_from(
        _appeals_in_scope(user).where(*_older(Appeal.created_at)).subquery())
    row = db.session.execute(sa.select(pending.scalar_subquery(), reported.scalar_subquery(),
                                       appeals.scalar_subquery())).one()
    return {"pending": row[0], "reports": row[1], "appeals": row[2], "total": sum(row)}


def moderators() -> list[User]:
    """Everyone who moderates something: site-wide and project moderators."""
    project_mods = sa.select(ProjectMember.user_id).where(
        ProjectMember.role == ProjectRole.MODERATOR)
    query = sa.select(User).where(
        User.email_confirmed_at.is_not(None),
        User.site_role.in_((SiteRole.MODERATOR, SiteRole.ADMIN)) | User.id.in_(project_mods))
    return list(db.session.scalars(query.order_by(User.id)))


def decisions_page(user, page: int, *, action=None, moderator_id=None, start=None, end=None):
    """One page (50) of the decision log in the user's scope, newest first."""
    query = decisions_query(user, action=action, moderator_id=moderator_id, start=start,
                            end=end)
    return db.paginate(query, page=page, per_page=50)


def decisions_query(user, *, action=None, moderator_id=None, start=None, end=None):
    boards = moderated_board_ids(user)
    query = (sa.select(Decision).where(Decision.board_id.in_(boards))
             .options(joinedload(Decision.moderator), joinedload(Decision.thread))
             .order_by(Decision.id.desc()))
    if action:
        query = query.where(Decision.action == action)
    if moderator_id:
        query = query.where(Decision.moderator_id == moderator_id)
    if start:
        query = query.where(Decision.created_at >= start)
    if end:
        query = query.where(Decision.created_at < end)
    return query
