"""What waits for moderators, always scoped to the moderator's boards."""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import NamedTuple

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import aliased, defer, joinedload, load_only, raiseload

from ..extensions import db
from ..models import (
    Appeal,
    AppealState,
    Board,
    Decision,
    Post,
    PostKind,
    Project,
    ProjectMember,
    ProjectRole,
    ProjectUpdate,
    Report,
    ReportCategory,
    ReportState,
    SiteRole,
    Thread,
    ThreadState,
    TopicField,
    User,
    utcnow,
)
from ..permissions import (
    appeals_free_of_conflict,
    appeals_in_scope,
    decisions_in_scope,
    handled_reports,
    moderatable_posts,
    moderated_board_ids,
    moderated_update_ids,
)
from . import paging
from .scoped_statements import kept

POST_OPTIONS = (
    joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.project),
    joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.topic_field),
    joinedload(Post.author),
)
# a list names a board by its project's or topic field's name and links it by slug: not
# their descriptions and source lists, which would come along once per listed item
BOARD_NAME = (joinedload(Board.project).load_only(Project.id, Project.slug, Project.name),
              joinedload(Board.topic_field).load_only(TopicField.id, TopicField.slug,
                                                      TopicField.name))
# the queue's lists show a post's question by title and its board, an author's name and
# whether a guest wrote it: not the thread's other columns, nor the author's memberships
# and verifications, which a User brings along by default; and an excerpt of the text's
# source, not the rendered text nor whether a report is for site moderators only
LIST_OPTIONS = (joinedload(Post.thread).load_only(Thread.id, Thread.title, Thread.slug,
                                                  Thread.board_id)
                .joinedload(Thread.board).options(*BOARD_NAME),
                joinedload(Post.author).options(
                    load_only(User.id, User.display_name, User.is_guest), raiseload("*")),
                defer(Post.body_html), defer(Post.site_only))


def _appeals_in_scope(user):
    """Open appeals about threads now in the user's boards (a moved thread's appeals go
    with it) that the user may decide: none they are a party to (see the rulebook)."""
    return (sa.select(Appeal).join(Appeal.decision)
            .where(Appeal.state == AppealState.OPEN, appeals_in_scope(user),
                   appeals_free_of_conflict(user)))


@dataclass(frozen=True)
class QueueFilter:
    """What a moderator narrows the queue to: kind of post, board, report category, and a
    minimum age in days."""

    kind: PostKind | None = None
    board_id: int | None = None
    category: ReportCategory | None = None
    min_days: int | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.kind, self.board_id, self.category,
                                            self.min_days))


NO_FILTER = QueueFilter()
PAGE_SIZE = 50
# each list of the queue is paged on its own, by its own address parameter
PAGE_PARAMS = ("seite", "seite-meldungen", "seite-neuigkeiten", "seite-eskaliert",
               "seite-beschwerden")


def _page(query: sa.Select, page: int, entity=None, options=(), total: int | None = None
          ) -> Pagination:
    """A page of one of the queue's lists (with `entity`: `query` selects its ids, see
    paging.page_of_ids; with `total`: the list's length, known from `counts`, is not counted
    again). Deciding items empties pages: a page past the end (the moderator's bookmark, or
    the last page after a bulk decision) shows the last one."""
    def _of(number: int) -> Pagination:
        if entity is None:
            return paging.page_of(query, number, PAGE_SIZE, total=total)
        return paging.page_of_ids(query, entity, options, number, PAGE_SIZE, total=total)

    pager = _of(page)
    if not pager.items and pager.total and pager.page > pager.pages:
        pager = _of(pager.pages)
    return pager


def _empty() -> Pagination:
    return paging.NoRows(1, PAGE_SIZE)


def _list(name: str, user, f: QueueFilter, build, page: int, total: int | None,
          entity=None, options=()) -> Pagination:
    """A page of one of the queue's lists, whose statement `build` makes. `total` is the
    list's length from `counts`, which holds for the whole list only: without a filter, a
    list it shows empty runs no statement, and the statement is kept per moderation scope
    (scoped_statements); a filter makes the statement this request's own, counted anew."""
    if f.active:
        return _page(build(), page, entity, options)
    if total == 0:
        return _empty()
    return _page(kept(("queue", name), user, build), page, entity, options, total)


def _post_filters(f: QueueFilter) -> list:
    conditions = []
    if f.kind is not None:
        conditions.append(Post.kind == f.kind)
    if f.board_id is not None:
        conditions.append(Post.thread_id.in_(sa.select(Thread.id).where(
            Thread.board_id == f.board_id)))
    return conditions


def _since(f: QueueFilter):
    return utcnow() - timedelta(days=f.min_days) if f.min_days else None


def _open_reports(user, f: QueueFilter = NO_FILTER):
    """Open reports the user handles (see the rulebook: some go to site moderators only)."""
    conditions = [Report.state == ReportState.OPEN, handled_reports(user)]
    if f.category is not None:
        conditions.append(Report.category == f.category)
    return conditions


def pending_posts(user, f: QueueFilter = NO_FILTER, page: int = 1,
                  total: int | None = None) -> Pagination:
    """A page of pending posts, oldest first (`total`: how many there are, as `counts` has
    it; only without a filter). The page's ids come from the pending posts' index alone;
    only those posts are then loaded with their threads, boards and authors (an OFFSET over
    the joined rows would join every post it skips)."""
    if f.category is not None:
        return _empty()

    def build() -> sa.Select:
        since = _since(f)
        return (sa.select(Post.id).where(Post.pending(), moderatable_posts(user),
                                         *_post_filters(f),
                                         *([Post.created_at <= since] if since else []))
                .order_by(Post.created_at, Post.id))

    return _list("pending", user, f, build, page, total, Post, LIST_OPTIONS)


def reported_posts(user, f: QueueFilter = NO_FILTER, page: int = 1,
                   total: int | None = None) -> Pagination:
    """A page of posts with open reports, grouped: rows of (post, number of reports, first
    report time), the longest-reported first."""
    def build() -> sa.Select:
        since = _since(f)
        grouped = (sa.select(Report.post_id, sa.func.count().label("n"),
                             sa.func.min(Report.created_at).label("first"))
                   .where(*_open_reports(user, f)).group_by(Report.post_id))
        if since is not None:
            grouped = grouped.having(sa.func.min(Report.created_at) <= since)
        sub = grouped.subquery()
        return (sa.select(Post, sub.c.n, sub.c.first)
                .join(sub, sub.c.post_id == Post.id)
                .where(moderatable_posts(user), *_post_filters(f))
                .options(*LIST_OPTIONS).order_by(sub.c.first, Post.id))

    return _list("reported", user, f, build, page, total)


def reported_updates(user, f: QueueFilter = NO_FILTER, page: int = 1,
                     total: int | None = None) -> Pagination:
    """A page of project updates with open reports, grouped like posts (kind and board
    filters are about posts: an update shows only without them)."""
    if f.kind is not None or f.board_id is not None:
        return _empty()

    def build() -> sa.Select:
        since = _since(f)
        grouped = (sa.select(Report.update_id, sa.func.count().label("n"),
                             sa.func.min(Report.created_at).label("first"))
                   .where(*_open_reports(user, f), Report.update_id.is_not(None))
                   .group_by(Report.update_id))
        if since is not None:
            grouped = grouped.having(sa.func.min(Report.created_at) <= since)
        sub = grouped.subquery()
        return (sa.select(ProjectUpdate, sub.c.n, sub.c.first)
                .join(sub, sub.c.update_id == ProjectUpdate.id)
                .where(ProjectUpdate.id.in_(moderated_update_ids(user)))
                .options(joinedload(ProjectUpdate.project))
                .order_by(sub.c.first, ProjectUpdate.id))

    return _list("updates", user, f, build, page, total)


class BoardChoice(NamedTuple):
    id: int
    name: str


def filter_counts(user, counts: dict[str, int] | None = None) -> dict:
    """How many waiting posts (pending or reported) each filter value would show: plain
    values (no database rows), so that a page may keep them. With the queue's `counts`, a
    group they show empty is not asked for."""
    per_board: dict = {}
    kinds: dict = {}
    categories: dict = {}
    pending = counts is None or counts["pending"] > 0
    reported = counts is None or counts["reports"] > 0
    for name, asked, build in (("pending by board", pending, _pending_groups),
                               ("reported by board", reported, _reported_groups)):
        if asked:
            for kind, board_id, count in db.session.execute(
                    kept(("queue", name), user, partial(build, user))):
                kinds[kind] = kinds.get(kind, 0) + count
                per_board[board_id] = per_board.get(board_id, 0) + count
    if reported:
        categories = dict(db.session.execute(
            kept(("queue", "reported by category"), user, lambda: _category_groups(user))).all())
    boards = [(BoardChoice(board.id, board.name), per_board[board.id])
              for board in db.session.scalars(
        sa.select(Board).where(Board.id.in_(per_board)).options(*BOARD_NAME)).unique()] \
        if per_board else []
    return {"kinds": kinds, "categories": categories,
            "boards": sorted(boards, key=lambda row: row[0].name.lower())}


# The filter counts' groups: pending posts, read from their index, and reported posts that
# are not pending (a post can be both: it counts once), each by kind and board; and the
# reported posts by report category. Three statements, not one UNION ALL: PostgreSQL runs
# a union of them in parallel workers once reports exist, and starting those took longer
# than the work.

def _pending_groups(user) -> sa.Select:
    return (sa.select(Post.kind, Thread.board_id, sa.func.count()).join(Post.thread)
            .where(moderatable_posts(user), Post.pending()).group_by(Post.kind, Thread.board_id))


def _reported_groups(user) -> sa.Select:
    reported = sa.select(Report.post_id).where(*_open_reports(user), Report.post_id.is_not(None))
    return (sa.select(Post.kind, Thread.board_id, sa.func.count()).join(Post.thread)
            .where(moderatable_posts(user), Post.id.in_(reported), ~Post.pending())
            .group_by(Post.kind, Thread.board_id))


def _category_groups(user) -> sa.Select:
    return (sa.select(Report.category, sa.func.count(sa.distinct(Report.post_id)))
            .join(Report.post).where(*_open_reports(user), moderatable_posts(user))
            .group_by(Report.category))


def open_appeals(user, page: int = 1, total: int | None = None) -> Pagination:
    """A page of the open appeals the user may decide, oldest first (`total`: how many
    there are, as `counts` has it)."""
    return _list("appeals", user, NO_FILTER, lambda: _appeals_in_scope(user).options(
        joinedload(Appeal.decision).joinedload(Decision.thread)).order_by(Appeal.created_at,
                                                                         Appeal.id),
        page, total)


def _escalated(user) -> sa.Select:
    """Escalated questions in the user's boards that still have no answer."""
    # the escalated ones first, from their own index: without statistics for it (none are
    # escalated yet) SQLite would rather go through every unanswered question
    escalated = aliased(Thread)
    return sa.select(Thread).where(
        Thread.id.in_(sa.select(escalated.id).where(escalated.escalated_at.is_not(None))),
        Thread.unanswered(), Thread.state == ThreadState.OPEN,
        Thread.board_id.in_(moderated_board_ids(user)))


def escalated_threads(user, page: int = 1, total: int | None = None) -> Pagination:
    """A page of escalated questions in the user's boards that still have no answer, the
    oldest first (`total`: how many there are, as `counts` has it)."""
    return _list("escalated", user, NO_FILTER, lambda: _escalated(user).options(
        joinedload(Thread.board).options(*BOARD_NAME)).order_by(Thread.created_at, Thread.id),
        page, total)


def counts(user, older_than: timedelta | None = None) -> dict[str, int]:
    """Items waiting in the user's scope, in one statement; optionally only old ones. The
    total is what waits for a decision: escalated questions wait for an answer, and are
    counted apart."""
    if older_than is None:
        row = db.session.execute(kept(("queue", "counts"), user,
                                      lambda: _counts_statement(user, None))).one()
    else:
        row = db.session.execute(_counts_statement(user, utcnow() - older_than)).one()
    return {"pending": row[0], "reports": row[1], "appeals": row[2], "updates": row[3],
            "escalated": row[4], "total": sum(row[:4])}


def _counts_statement(user, since) -> sa.Select:
    def _older(column):
        return [column <= since] if since is not None else []

    pending = sa.select(sa.func.count()).select_from(Post).where(
        Post.pending(), moderatable_posts(user), *_older(Post.created_at))
    reported = sa.select(sa.func.count(sa.distinct(Report.post_id))).select_from(Report).join(
        Report.post).where(
        *_open_reports(user), moderatable_posts(user), *_older(Report.created_at))
    appeals = sa.select(sa.func.count()).select_from(
        _appeals_in_scope(user).where(*_older(Appeal.created_at)).subquery())
    updates = sa.select(sa.func.count(sa.distinct(Report.update_id))).where(
        *_open_reports(user), Report.update_id.in_(moderated_update_ids(user)),
        *_older(Report.created_at))
    escalated = sa.select(sa.func.count()).select_from(
        _escalated(user).where(*_older(Thread.escalated_at)).subquery())
    return sa.select(pending.scalar_subquery(), reported.scalar_subquery(),
                     appeals.scalar_subquery(), updates.scalar_subquery(),
                     escalated.scalar_subquery())


def moderators(user=None) -> list[User]:
    """The log's person filter: everyone who moderates something now (site-wide and project
    moderators), and everyone who decided in the user's log scope before, also when they
    moderate no more."""
    project_mods = sa.select(ProjectMember.user_id).where(
        ProjectMember.role == ProjectRole.MODERATOR)
    now = (User.email_confirmed_at.is_not(None)
           & (User.site_role.in_((SiteRole.MODERATOR, SiteRole.ADMIN))
              | User.id.in_(project_mods)))
    former = User.id.in_(sa.select(Decision.moderator_id).where(_in_log_scope(user))
                         ) if user is not None else sa.false()
    query = sa.select(User).where(now | former)
    return sorted(db.session.scalars(query), key=lambda u: u.display_name.lower())


def _in_log_scope(user) -> sa.ColumnElement[bool]:
    return decisions_in_scope(user)


def decisions_page(user, page: int, *, action=None, moderator_id=None, start=None, end=None):
    """One page (50) of the decision log in the user's scope, newest first."""
    query = decisions_query(user, action=action, moderator_id=moderator_id, start=start,
                            end=end)
    return db.paginate(query, page=page, per_page=50)


def decisions_query(user, *, action=None, moderator_id=None, start=None, end=None):
    query = (sa.select(Decision).where(_in_log_scope(user))
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
