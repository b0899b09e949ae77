"""Read-only queries for the public pages, each in a fixed number of SQL statements."""

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from ..extensions import db
from ..models import (
    Board,
    MeToo,
    Offer,
    Post,
    PostKind,
    PostState,
    Project,
    ProjectMember,
    Thread,
    ThreadState,
    TopicField,
    User,
    Watch,
    project_topic_fields,
)
from ..permissions import expert_users, listed_threads, visible_posts
from . import paging

THREAD_LIST_OPTIONS = (
    joinedload(Thread.board).joinedload(Board.project),
    joinedload(Thread.board).joinedload(Board.topic_field),
)


def threads_query(user):
    return sa.select(Thread).where(listed_threads(user)).options(*THREAD_LIST_OPTIONS)


def newest_threads(user, limit: int = 8) -> list[Thread]:
    query = threads_query(user).order_by(Thread.created_at.desc(), Thread.id.desc())
    return list(db.session.scalars(query.limit(limit)).unique())


def unanswered_threads(user, limit: int = 8) -> list[Thread]:
    query = (
        threads_query(user)
        .where(Thread.unanswered(), Thread.state == ThreadState.OPEN,
               Thread.locked.is_(False))
        .order_by(Thread.created_at.asc(), Thread.id.asc())
    )
    return list(db.session.scalars(query.limit(limit)).unique())


SORTS = ("aktivitaet", "gleiche-frage", "neu")
FILTERS = ("unbeantwortet", "fachleute")


def answered_by_expert() -> sa.ColumnElement[bool]:
    """Threads with a published answer by an expert."""
    return (sa.select(Post.id).join(User, User.id == Post.author_id).where(
        Post.thread_id == Thread.id, Post.kind == PostKind.ANSWER,
        Post.state == PostState.PUBLISHED, expert_users()).exists())


def board_threads(user, board_ids, page: int, per_page: int, *, sort: str = "aktivitaet",
                  only: str | None = None):
    """A page of threads from the given boards (a subquery or list), pinned first, then by
    last activity, newest, or the number of people with the same question: the page's ids
    from the list's index, then those threads (a deep page skips index entries only)."""
    order = {"gleiche-frage": (Thread.me_too_count.desc(), Thread.last_activity_at.desc()),
             "neu": (Thread.created_at.desc(),)}.get(sort, (Thread.last_activity_at.desc(),))
    query = (sa.select(Thread.id).where(listed_threads(user), Thread.board_id.in_(board_ids))
             .order_by(Thread.pinned.desc(), *order, Thread.id.desc()))
    if only == "unbeantwortet":
        query = query.where(Thread.unanswered(), Thread.state == ThreadState.OPEN,
                            Thread.locked.is_(False))
    elif only == "fachleute":
        query = query.where(answered_by_expert())
    total = None
    if only is None:
        # the boards' own counters (services/counters.py) count exactly the listed threads:
        # summing them spares counting tens of thousands of rows for the page numbers
        total = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Board.thread_count), 0))
                                  .where(Board.id.in_(board_ids)))
    return paging.page_of_ids(query, Thread, THREAD_LIST_OPTIONS, page, per_page,
                              error_out=True, total=total)


def watched_open_questions(user, limit: int = 100) -> list[Thread]:
    """Unanswered open questions in the user's fields, oldest first: an expert's work list.

    The fields are the topic fields and projects the user watches or is verified for as an
    expert, and the projects tagged with those topic fields."""
    verification = user.expert_scope
    verified_topics = [t.id for t in verification.topic_fields] if verification else []
    verified_projects = [p.id for p in verification.projects] if verification else []
    topics: sa.CompoundSelect = sa.union(
        sa.select(Watch.topic_field_id).where(Watch.user_id == user.id,
                                              Watch.topic_field_id.is_not(None)),
        sa.select(TopicField.id).where(TopicField.id.in_(verified_topics)))
    projects: sa.CompoundSelect = sa.union(
        sa.select(Watch.project_id).where(Watch.user_id == user.id,
                                          Watch.project_id.is_not(None)),
        sa.select(Project.id).where(Project.id.in_(verified_projects)))
    tagged = sa.select(project_topic_fields.c.project_id).where(
        project_topic_fields.c.topic_field_id.in_(topics))
    boards = sa.select(Board.id).where(sa.or_(Board.topic_field_id.in_(topics),
                                              Board.project_id.in_(projects),
                                              Board.project_id.in_(tagged)))
    query = (threads_query(user)
             .where(Thread.board_id.in_(boards), Thread.unanswered(),
                    Thread.state == ThreadState.OPEN, Thread.locked.is_(False),
                    Thread.author_id != user.id)
             .order_by(Thread.created_at.asc(), Thread.id.asc()))
    return list(db.session.scalars(query.limit(limit)).unique())


def topic_board_ids(topic: TopicField):
    """The topic field's own board plus the boards of the projects tagged with it."""
    tagged = sa.select(project_topic_fields.c.project_id).where(
        project_topic_fields.c.topic_field_id == topic.id
    )
    return sa.select(Board.id).where(
        sa.or_(Board.topic_field_id == topic.id, Board.project_id.in_(tagged))
    )


# a project card shows neither: no JSON to parse for each card (and a template that reaches
# for them anyway fails in the tests instead of querying once per card)
CARD_OPTIONS = (defer(Project.partners, raiseload=True), defer(Project.sources, raiseload=True),
                selectinload(Project.topic_fields), selectinload(Project.sectors))


def all_projects() -> list[Project]:
    query = sa.select(Project).options(*CARD_OPTIONS).order_by(Project.name)
    return list(db.session.scalars(query))


def all_topic_fields() -> list[TopicField]:
    query = sa.select(TopicField).options(joinedload(TopicField.board))
    return list(db.session.scalars(query.order_by(TopicField.position, TopicField.name)))


def projects_in_topic(topic: TopicField) -> list[Project]:
    query = (
        sa.select(Project)
        .join(project_topic_fields, project_topic_fields.c.project_id == Project.id)
        .where(project_topic_fields.c.topic_field_id == topic.id)
        .options(*CARD_OPTIONS)
        .order_by(Project.name)
    )
    return list(db.session.scalars(query))


def project_by_slug(slug: str) -> Project | None:
    return _project_where(Project.slug == slug)


def project_for_page(user, slug: str) -> tuple[Project | None, bool]:
    """A project with its board only, the head of its page (the rest comes with
    project_by_id, when its page's content is made), and whether a logged-in person watches
    the project: one statement."""
    query = sa.select(Project).where(Project.slug == slug).options(joinedload(Project.board))
    return _watched(user, query, Watch.project_id == Project.id)


def topic_for_page(user, slug: str) -> tuple[TopicField | None, bool]:
    """topic_by_slug, and whether a logged-in person watches the topic field, in one
    statement."""
    return _watched(user, _topic_query(slug), Watch.topic_field_id == TopicField.id)


def _watched(user, query: sa.Select, target: sa.ColumnElement[bool]) -> tuple:
    """The one row of `query`, and whether `user` watches it (`target`: the watch's column
    equal to the row's id)."""
    if not user.is_authenticated:
        return db.session.scalar(query), False
    row = db.session.execute(
        query.add_columns(sa.exists().where(Watch.user_id == user.id, target))).first()
    return (row[0], row[1]) if row is not None else (None, False)


def project_by_id(project_id: int) -> Project | None:
    return _project_where(Project.id == project_id)


def _project_where(condition) -> Project | None:
    query = (
        sa.select(Project)
        .where(condition)
        .options(
            joinedload(Project.board),
            selectinload(Project.topic_fields),
            selectinload(Project.sectors),
            selectinload(Project.members).joinedload(ProjectMember.user),
        )
    )
    return db.session.scalar(query)


def topic_by_slug(slug: str) -> TopicField | None:
    return db.session.scalar(_topic_query(slug))


def _topic_query(slug: str) -> sa.Select:
    query = sa.select(TopicField).where(TopicField.slug == slug)
    return query.options(joinedload(TopicField.board))


def all_boards() -> list[Board]:
    query = sa.select(Board).options(joinedload(Board.project), joinedload(Board.topic_field))
    return list(db.session.scalars(query))


def thread_by_id(thread_id: int) -> Thread | None:
    """A thread with its board, the board's project or topic field; visible or not (the
    caller asks the rulebook)."""
    return db.session.scalar(_thread_query(thread_id))


def _thread_query(thread_id: int) -> sa.Select:
    return (sa.select(Thread)
            .where(Thread.id == thread_id)
            .options(joinedload(Thread.board).joinedload(Board.project),
                     joinedload(Thread.board).joinedload(Board.topic_field)))


class ThreadForPage(NamedTuple):
    """A thread as its page shows it, with the person's own marks on it."""

    thread: Thread | None
    watched: bool = False  # the person watches it
    me_too: bool = False  # the person said they have the same question


def thread_for_page(user, thread_id: int) -> ThreadForPage:
    """thread_by_id, and for a logged-in person whether they watch the thread and said they
    have the same question, in the same statement (two fewer on every question page)."""
    if not user.is_authenticated:
        return ThreadForPage(thread_by_id(thread_id))
    watched = sa.exists().where(Watch.user_id == user.id, Watch.thread_id == Thread.id)
    me_too = sa.exists().where(MeToo.user_id == user.id, MeToo.thread_id == Thread.id)
    row = db.session.execute(_thread_query(thread_id).add_columns(watched, me_too)).first()
    return ThreadForPage(*row) if row is not None else ThreadForPage(None)


def kept_apart(row):
    """A copy of `row` and of every row loaded with it (a thread's board, the board's
    project or topic field ...) in no session, to be kept past the request; `attached` puts
    it into another request's session. A copy: the request's own rows stay in its session,
    and so do rows it shares with others (an expert's verified topic fields)."""
    if row is None:
        return None
    scratch = Session()  # no bind: merge without loading runs no statement
    copy = scratch.merge(row, load=False)
    scratch.expunge_all()
    return copy


def attached(row):
    """A kept row (see kept_apart) in this request's session, as kept: no statement.
    Whatever was not loaded with it loads as usual when asked for."""
    return db.session.merge(row, load=False) if row is not None else None


def thread_posts(user, thread: Thread) -> list[Post]:
    """The posts of a thread that `user` may see, oldest first, with their authors."""
    return list(db.session.scalars(
        sa.select(Post)
        .where(Post.thread_id == thread.id, visible_posts(user))
        # the page shows the rendered text; the Markdown source only the edit page reads
        .options(joinedload(Post.author), defer(Post.body_source))
        .order_by(Post.id)
    ))


def offers() -> list[Offer]:
    return list(db.session.scalars(sa.select(Offer).order_by(Offer.position, Offer.name)))



# --- feeds: public threads and posts only, whoever asks ----------------------------------

# a feed names the author, nothing more: not their memberships and verifications, which a
# User otherwise brings along in two to four queries of their own
FEED_AUTHOR = (joinedload(Post.author).raiseload("*"),)

def feed_threads(limit: int, board_ids=None) -> list[Thread]:
    """The newest public threads, optionally of some boards (a subquery or list)."""
    query = sa.select(Thread).where(listed_threads(None))
    if board_ids is not None:
        query = query.where(Thread.board_id.in_(board_ids))
    query = query.order_by(Thread.created_at.desc(), Thread.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def feed_questions(threads: list[Thread]) -> dict[int, Post]:
    """{thread id: its published question, with the author} for a list of threads."""
    query = (sa.select(Post).where(Post.thread_id.in_([t.id for t in threads]),
                                   Post.kind == PostKind.QUESTION, visible_posts(None))
             .options(*FEED_AUTHOR))
    return {p.thread_id: p for p in db.session.scalars(query)}


def feed_thread(thread_id: int) -> Thread | None:
    """A public thread, or None."""
    return db.session.scalar(sa.select(Thread).where(Thread.id == thread_id,
                                                     listed_threads(None)))


def feed_posts(thread: Thread, limit: int) -> list[Post]:
    """The newest published posts of a public thread, newest first, with their authors."""
    query = (sa.select(Post).where(Post.thread_id == thread.id, visible_posts(None))
             .options(*FEED_AUTHOR).order_by(Post.id.desc()).limit(limit))
    return list(db.session.scalars(query))
