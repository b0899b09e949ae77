"""The JSON API's lists and lookups (/api/v1), cursor-paged in a stable order.

Every list goes through the same scoped filters as the pages (`listed_threads`,
`visible_posts`, the public updates, the expert directory's `listed`), so the API shows
nothing the pages would not show to the same person. A page is the rows after the cursor in
the list's order (keyset paging: no offset, stable while rows are added); the cursor is the
last row's sort key, signed so it cannot be forged, and opaque to clients."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import joinedload, selectinload

from ..enums import UpdateKind
from ..extensions import db
from ..models import (
    Board,
    ExpertVerification,
    Post,
    PostKind,
    Project,
    ProjectUpdate,
    Thread,
    ThreadState,
    TopicField,
    User,
    verification_topic_fields,
)
from ..permissions import listed_threads, visible_posts
from . import ServiceError, browse
from .experts import listed

BAD_CURSOR = _l("Der Wert von „cursor“ ist ungültig. Verwenden Sie den Wert aus "
                "„next_cursor“ der vorigen Antwort.")

ASC, DESC = False, True


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api-cursor")


def _encode(kind: str, values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return str(_serializer().dumps([kind, plain]))


def _decode(kind: str, cursor: str, columns) -> list:
    try:
        found, values = _serializer().loads(cursor)
    except (BadSignature, ValueError, TypeError) as error:
        raise ServiceError(BAD_CURSOR, field="cursor") from error
    if found != kind or not isinstance(values, list) or len(values) != len(columns):
        raise ServiceError(BAD_CURSOR, field="cursor")
    decoded = []
    for (column, _desc), value in zip(columns, values, strict=True):
        if _is_time(column):
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError) as error:
                raise ServiceError(BAD_CURSOR, field="cursor") from error
        decoded.append(value)
    return decoded


def _is_time(column) -> bool:
    kind = column.type
    return isinstance(kind, sa.DateTime) or isinstance(getattr(kind, "impl", None), sa.DateTime)


def _after(columns, values) -> sa.ColumnElement[bool]:
    """Rows after the given key in the order of `columns` ((column, descending) pairs)."""
    clauses = []
    # bound with each column's type (booleans too: pinned questions come first)
    values = [sa.literal(v, c.type) for (c, _d), v in zip(columns, values, strict=True)]
    for i, (column, desc) in enumerate(columns):
        earlier = [c == v for (c, _d), v in zip(columns[:i], values[:i], strict=True)]
        step = column < values[i] if desc else column > values[i]
        clauses.append(sa.and_(*earlier, step))
    return sa.or_(*clauses)


def _keyed(query, kind: str, columns, key, cursor: str | None, limit: int) -> Page:
    """One page of `query` in the order of `columns`; `key(row)` gives a row's sort key."""
    if cursor:
        query = query.where(_after(columns, _decode(kind, cursor, columns)))
    order = [c.desc() if desc else c.asc() for c, desc in columns]
    rows = list(db.session.scalars(query.order_by(*order).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, _encode(kind, key(rows[-1])) if more and rows else None)


# --- projects, topic fields, boards -----------------------------------------------------

def projects(cursor: str | None, limit: int) -> Page:
    query = sa.select(Project).options(selectinload(Project.topic_fields),
                                       selectinload(Project.sectors), joinedload(Project.board))
    return _keyed(query, "projects", [(Project.name, ASC), (Project.id, ASC)],
                  lambda p: [p.name, p.id], cursor, limit)


def project(slug: str) -> Project | None:
    return browse.project_by_slug(slug)


def topic_fields(cursor: str | None, limit: int) -> Page:
    query = sa.select(TopicField).options(joinedload(TopicField.board))
    return _keyed(query, "topics", [(TopicField.position, ASC), (TopicField.id, ASC)],
                  lambda t: [t.position, t.id], cursor, limit)


def topic_field(slug: str) -> TopicField | None:
    return browse.topic_by_slug(slug)


def boards(cursor: str | None, limit: int) -> Page:
    query = sa.select(Board).options(joinedload(Board.project), joinedload(Board.topic_field))
    return _keyed(query, "boards", [(Board.id, ASC)], lambda b: [b.id], cursor, limit)


def board(board_id: int) -> Board | None:
    return db.session.scalar(sa.select(Board).where(Board.id == board_id).options(
        joinedload(Board.project), joinedload(Board.topic_field)))


# --- threads and posts ------------------------------------------------------------------

THREAD_ORDERS: dict[str, list] = {
    "aktivitaet": [(Thread.pinned, DESC), (Thread.last_activity_at, DESC), (Thread.id, DESC)],
    "neu": [(Thread.pinned, DESC), (Thread.created_at, DESC), (Thread.id, DESC)],
    "gleiche-frage": [(Thread.pinned, DESC), (Thread.me_too_count, DESC),
                      (Thread.last_activity_at, DESC), (Thread.id, DESC)],
}


@dataclass
class ThreadFilter:
    board_id: int | None = None
    project: Project | None = None
    topic: TopicField | None = None
    sort: str = "aktivitaet"
    only: str | None = None


def threads(user, filters: ThreadFilter, cursor: str | None, limit: int) -> Page:
    """Listed threads, as on the board pages: published ones only, whoever asks; a project's
    board, a topic field's board plus its projects' boards, or every board."""
    query = browse.threads_query(user)
    if filters.board_id is not None:
        query = query.where(Thread.board_id == filters.board_id)
    if filters.project is not None:
        query = query.where(Thread.board_id.in_(
            sa.select(Board.id).where(Board.project_id == filters.project.id)))
    if filters.topic is not None:
        query = query.where(Thread.board_id.in_(browse.topic_board_ids(filters.topic)))
    if filters.only == "unbeantwortet":
        query = query.where(Thread.unanswered(), Thread.state == ThreadState.OPEN,
                            Thread.locked.is_(False))
    elif filters.only == "fachleute":
        query = query.where(browse.answered_by_expert())
    columns = THREAD_ORDERS[filters.sort]
    return _keyed(query, f"threads-{filters.sort}", columns,
                  lambda t: [getattr(t, c.key) for c, _d in columns], cursor, limit)


def thread_posts(user, thread: Thread, cursor: str | None, limit: int) -> Page:
    """The posts of a thread the user may see (the thread page's scoped query)."""
    query = (sa.select(Post).where(Post.thread_id == thread.id, visible_posts(user))
             .options(joinedload(Post.author)))
    return _keyed(query, f"posts-{thread.id}", [(Post.id, ASC)], lambda p: [p.id], cursor,
                  limit)


def listed_thread(thread_id: int) -> Thread | None:
    """A thread of the lists (published), else None."""
    return db.session.scalar(sa.select(Thread).where(Thread.id == thread_id,
                                                     listed_threads(None)))


# --- experts and project updates --------------------------------------------------------

def experts(topic: TopicField | None, cursor: str | None, limit: int) -> Page:
    """The public directory: experts in force who agreed to be listed, by name."""
    query = sa.select(User).where(listed())
    if topic is not None:
        query = query.where(User.id.in_(
            sa.select(ExpertVerification.user_id)
            .join(verification_topic_fields,
                  verification_topic_fields.c.verification_id == ExpertVerification.id)
            .where(ExpertVerification.in_force_clause(),
                   verification_topic_fields.c.topic_field_id == topic.id)))
    return _keyed(query, "experts", [(User.display_name, ASC), (User.id, ASC)],
                  lambda u: [u.display_name, u.id], cursor, limit)


def expert(user_id: int) -> User | None:
    return db.session.scalar(sa.select(User).where(User.id == user_id, listed()))


def project_updates(project: Project | None, kind: UpdateKind | None, cursor: str | None,
                    limit: int) -> Page:
    """Public project updates (news and practice examples), newest first."""
    query = (sa.select(ProjectUpdate).where(ProjectUpdate.hidden_at.is_(None))
             .options(joinedload(ProjectUpdate.project), joinedload(ProjectUpdate.author)))
    if project is not None:
        query = query.where(ProjectUpdate.project_id == project.id)
    if kind is not None:
        query = query.where(ProjectUpdate.kind == kind)
    return _keyed(query, "updates", [(ProjectUpdate.created_at, DESC),
                                     (ProjectUpdate.id, DESC)],
                  lambda u: [u.created_at, u.id], cursor, limit)


def project_update(update_id: int) -> ProjectUpdate | None:
    return db.session.scalar(sa.select(ProjectUpdate).where(
        ProjectUpdate.id == update_id, ProjectUpdate.hidden_at.is_(None))
        .options(joinedload(ProjectUpdate.project), joinedload(ProjectUpdate.author)))



def thread(thread_id: int) -> Thread | None:
    """A thread in any state, with its board (the caller checks `thread.view`)."""
    return db.session.scalar(sa.select(Thread).where(Thread.id == thread_id).options(
        joinedload(Thread.board).joinedload(Board.project),
        joinedload(Thread.board).joinedload(Board.topic_field)))


def question_of(user, thread: Thread) -> Post | None:
    """The thread's question, if the user may see it."""
    return db.session.scalar(sa.select(Post).where(
        Post.thread_id == thread.id, Post.kind == PostKind.QUESTION, visible_posts(user))
        .options(joinedload(Post.author)))


def post(post_id: int) -> Post | None:
    return db.session.scalar(sa.select(Post).where(Post.id == post_id).options(
        joinedload(Post.thread).joinedload(Thread.board), joinedload(Post.author)))
