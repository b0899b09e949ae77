"""The denormalised counters and pointers, their definitions, and `recount` / `check`.

Services change counters with atomic SQL in the transaction of the change itself; this module
says what each counter must equal, so `flask forum check` can verify it and `flask forum
recount` can repair it (after a restore, a crash or a bug). Each definition is one SQL
expression, evaluated for all rows at once, so both commands take a few statements whatever
the size of the forum.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from ..enums import PUBLIC_THREAD_STATES, PostKind, PostState, ThreadState
from ..extensions import db
from ..models import Board, MeToo, Post, Thread, User
from . import rows_changed


def _count(condition) -> sa.ScalarSelect:
    return (sa.select(sa.func.count()).select_from(Post).where(condition)
            .correlate(Thread).scalar_subquery())


def _later(column, candidate):
    """The later of a stored time and a candidate (NULL candidate: the stored time); activity
    times only ever move forward."""
    return sa.case((candidate.is_(None), column), (column.is_(None), candidate),
                   (candidate > column, candidate), else_=column)


def advance_activity(model, row_id: int, when) -> None:
    """Set `last_activity_at` of a thread or board to `when` unless it is already later: under
    concurrent writers an earlier transaction may commit last."""
    column = model.last_activity_at
    db.session.execute(sa.update(model).where(model.id == row_id)
                       .values(last_activity_at=_later(column, sa.literal(when, column.type))))


_published_reply = (Post.thread_id == Thread.id) & (Post.kind != PostKind.QUESTION) & (
    Post.state == PostState.PUBLISHED)
_latest_published = (sa.select(sa.func.max(Post.created_at))
                     .where(Post.thread_id == Thread.id, Post.state == PostState.PUBLISHED)
                     .correlate(Thread).scalar_subquery())
_valid_accepted = sa.select(Post.id).where(
    Post.id == Thread.accepted_post_id, Post.thread_id == Thread.id,
    Post.kind == PostKind.ANSWER, Post.state == PostState.PUBLISHED).correlate(Thread).exists()

THREAD_COUNTERS = {
    "reply_count": _count(_published_reply),
    "answer_count": _count(_published_reply & (Post.kind == PostKind.ANSWER)),
    "me_too_count": (sa.select(sa.func.count()).select_from(MeToo)
                     .where(MeToo.thread_id == Thread.id).correlate(Thread).scalar_subquery()),
    # a helpful mark points at a published answer of the thread itself, or at nothing
    "accepted_post_id": sa.case((_valid_accepted, Thread.accepted_post_id), else_=None),
    "last_activity_at": _later(Thread.last_activity_at, _latest_published),
    # answered exactly when a public thread has a helpful mark (after the pointer above)
    "state": sa.case(
        ((Thread.state == ThreadState.ANSWERED) & Thread.accepted_post_id.is_(None),
         sa.literal(ThreadState.OPEN.value)),
        ((Thread.state == ThreadState.OPEN) & Thread.accepted_post_id.is_not(None),
         sa.literal(ThreadState.ANSWERED.value)),
        else_=Thread.state),
}
_public_threads = ((Thread.board_id == Board.id) & Thread.state.in_(PUBLIC_THREAD_STATES))
_board_latest = (sa.select(sa.func.max(Thread.last_activity_at)).where(_public_threads)
                 .correlate(Board).scalar_subquery())
BOARD_COUNTERS = {
    "thread_count": (sa.select(sa.func.count()).select_from(Thread).where(_public_threads)
                     .correlate(Board).scalar_subquery()),
    "last_activity_at": _later(Board.last_activity_at, _board_latest),
}
# Posts that were approved at some point: published, or hidden after publication.
USER_COUNTERS = {
    "approved_post_count": (
        sa.select(sa.func.count()).select_from(Post)
        .where(Post.author_id == User.id,
               Post.state.in_((PostState.PUBLISHED, PostState.HIDDEN)))
        .correlate(User).scalar_subquery()),
}
TABLES = ((Thread, THREAD_COUNTERS), (Board, BOARD_COUNTERS), (User, USER_COUNTERS))


@dataclass(frozen=True)
class Mismatch:
    table: str
    row_id: int
    column: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return (f"{self.table} {self.row_id}: {self.column} is {self.stored!r}, "
                f"should be {self.expected!r}")


def check(limit: int = 1000) -> list[Mismatch]:
    """Every counter and pointer that differs from its definition (at most `limit`)."""
    found: list[Mismatch] = []
    for model, counters in TABLES:
        for column, expected in counters.items():
            stored = getattr(model, column)
            differs = sa.or_(stored != expected, stored.is_(None) != expected.is_(None))
            rows = db.session.execute(
                sa.select(model.id, stored, expected).where(differs).order_by(model.id)
                .limit(limit - len(found)))
            found.extend(Mismatch(model.__tablename__, row_id, column, value, should)
                         for row_id, value, should in rows)
            if len(found) >= limit:
                return found
    return found


def recount() -> int:
    """Set every counter and pointer to its definition; returns the number of values
    changed. A thread whose helpful mark went away is open again."""
    changed = 0
    for model, counters in TABLES:
        for column, expected in counters.items():
            stored = getattr(model, column)
            differs = sa.or_(stored != expected, stored.is_(None) != expected.is_(None))
            result = db.session.execute(sa.update(model).where(differs)
                                        .values({column: expected}),
                                        execution_options={"synchronize_session": False})
            changed += rows_changed(result)
    db.session.commit()
    return changed
