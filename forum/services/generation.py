"""The site generation: one number that grows with every change that can alter a public page.

Any transaction that writes a table a page is made from bumps it once, in that same
transaction (so a rolled-back change bumps nothing, and a committed one is seen by every
process and node at once); the page cache (forum/page_cache.py) keys anonymous pages by it.
Writes come through the ORM (flushes) and through UPDATE/DELETE/INSERT statements run on the
session (counters, conditional moderation updates); both are watched. Tables that hold only
one person's private state (sessions, notifications, mail, drafts, claims, notes) are left
out: no anonymous page is made from them, and they change on every log-in or read."""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import SiteGeneration

# No anonymous page reads these: writing them leaves every cached page as it is.
PRIVATE_TABLES = frozenset({
    "site_generation", "login_sessions", "notifications", "outbox", "drafts", "submissions",
    "queue_claims", "moderation_notes", "audit_log", "watches",
})
_BUMPED = "site_generation_bumped"


_CURRENT = "SELECT value FROM site_generation WHERE id = 0"  # the one row


def current() -> int:
    """The generation as committed: one primary-key read on every cacheable request, sent as
    it is (building and compiling a SELECT each time cost more than running it)."""
    value = db.session.connection().exec_driver_sql(_CURRENT).scalar()
    return value or 0


def _bump(connection) -> None:
    changed = connection.execute(sa.update(SiteGeneration).where(SiteGeneration.id == 0)
                                 .values(value=SiteGeneration.value + 1))
    if not changed.rowcount:  # a schema made by create_all (tests) has no row yet
        connection.execute(sa.insert(SiteGeneration).values(id=0, value=1))


def _bump_once(session: Session) -> None:
    if not session.info.get(_BUMPED):
        session.info[_BUMPED] = True
        _bump(session.connection())


def _public(table) -> bool:
    return getattr(table, "name", None) not in PRIVATE_TABLES


def register_hooks() -> None:
    """Once per process: session events are process-wide."""

    @event.listens_for(Session, "after_flush")
    def _after_flush(session, _context):
        changed = [*session.new, *session.deleted,
                   *(obj for obj in session.dirty if session.is_modified(obj))]
        if any(_public(sa.inspect(obj).mapper.local_table) for obj in changed):
            _bump_once(session)

    @event.listens_for(Session, "do_orm_execute")
    def _statement(state):
        if not (state.is_update or state.is_delete or state.is_insert):
            return
        if _public(state.statement.table):
            _bump_once(state.session)

    @event.listens_for(Session, "after_soft_rollback")
    def _rolled_back(session, _previous):
        # a rolled-back savepoint may have taken the bump with it: bump again when needed
        session.info.pop(_BUMPED, None)

    @event.listens_for(Session, "after_commit")
    def _committed(session):
        session.info.pop(_BUMPED, None)
