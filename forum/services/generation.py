"""The site generation: one number that grows with every change that can alter a public page.

Any transaction that writes a table a page is made from bumps it once, in that same
transaction (so a rolled-back change bumps nothing, and a committed one is seen by every
process and node at once); the page cache (forum/page_cache.py) keys anonymous pages by it.
Writes come through the ORM (flushes) and through UPDATE/DELETE/INSERT statements run on the
session (counters, conditional moderation updates); both are watched. Tables that hold only
one person's private state (sessions, notifications, mail, drafts, claims, notes) are left
out: no page kept across requests is made from them, and they change on every log-in or
read."""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import SiteGeneration

# No anonymous page reads these: writing them leaves every cached page as it is. Watches
# are not among them although they are one person's: a page's subject is kept with the
# person's watch on it (views.page_subject), and people start or stop watching seldom.
PRIVATE_TABLES = frozenset({
    "site_generation", "login_sessions", "notifications", "outbox", "drafts", "submissions",
    "queue_claims", "moderation_notes", "audit_log", "api_tokens",
})
_CHANGED = "site_generation_changed"  # session.info: this transaction wrote a public table
_COMMITTING = "site_generation_committing"


_CURRENT = "SELECT value FROM site_generation WHERE id = 0"  # the one row


def current() -> int:
    """The generation as committed: one primary-key read on every cacheable request, sent as
    it is (building and compiling a SELECT each time cost more than running it)."""
    value = db.session.connection().exec_driver_sql(_CURRENT).scalar()
    return value or 0


def current_value() -> sa.ColumnElement[int]:
    """The generation as a column of another statement (the log-in's, services/sessions.py):
    read in the same snapshot as that statement's rows, without a statement of its own."""
    return (sa.select(SiteGeneration.value).where(SiteGeneration.id == 0)
            .scalar_subquery().label("site_generation"))


def _bump(connection) -> None:
    changed = connection.execute(sa.update(SiteGeneration).where(SiteGeneration.id == 0)
                                 .values(value=SiteGeneration.value + 1))
    if not changed.rowcount:  # a schema made by create_all (tests) has no row yet
        connection.execute(sa.insert(SiteGeneration).values(id=0, value=1))


def _public(table) -> bool:
    return getattr(table, "name", None) not in PRIVATE_TABLES


def _changed(session: Session) -> None:
    session.info[_CHANGED] = True
    if session.info.get(_COMMITTING):  # a flush late in the commit: bump right away
        session.info.pop(_CHANGED)
        _bump(session.connection())


def register_hooks() -> None:
    """Once per process: session events are process-wide.

    The bump is the transaction's last write, at commit: the generation row is locked only
    from then until the commit ends, after every row the transaction changed, so two
    transactions never wait for each other through it in opposite orders (no deadlock)."""

    @event.listens_for(Session, "after_flush")
    def _after_flush(session, _context):
        changed = [*session.new, *session.deleted,
                   *(obj for obj in session.dirty if session.is_modified(obj))]
        if any(_public(sa.inspect(obj).mapper.local_table) for obj in changed):
            _changed(session)

    @event.listens_for(Session, "do_orm_execute")
    def _statement(state):
        if (state.is_update or state.is_delete or state.is_insert) and _public(
                state.statement.table):
            _changed(state.session)

    @event.listens_for(Session, "before_commit")
    def _before_commit(session):
        if session.in_nested_transaction():  # a savepoint: the outer commit bumps
            return
        session.flush()  # what is still pending is written first
        session.info[_COMMITTING] = True
        if session.info.pop(_CHANGED, False):
            _bump(session.connection())

    @event.listens_for(Session, "after_transaction_end")
    def _ended(session, transaction):
        if transaction.parent is None:  # committed or rolled back: start afresh
            session.info.pop(_CHANGED, None)
            session.info.pop(_COMMITTING, None)
