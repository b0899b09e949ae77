"""A GET request reads PostgreSQL without opening a transaction, until it writes.

psycopg opens a transaction with a BEGIN of its own before a connection's first statement,
and the pool ends it with a ROLLBACK when the request is done: two round trips to the
server on every page, which on a page that runs two statements is half of them. Under READ
COMMITTED, PostgreSQL's default and the one Fachdialog uses, each statement sees the data
committed when it started whether or not a transaction is open, so the reads of a page see
the same rows without one. Plain SELECTs take no locks that a transaction would keep.

So a connection checked out for a GET or HEAD request starts in autocommit mode. The first
statement that is not a plain SELECT (an INSERT, UPDATE or DELETE, a SAVEPOINT, a SELECT
that locks rows, a server-side cursor) switches it back before it runs: psycopg then opens a
transaction for it, and every write of the request is in that transaction, committed or
rolled back as a whole, exactly as in any other request. Every other checkout (POST
requests, commands, the mail worker) is left transactional. SQLite is not touched: it has
no round trips."""

import re
from functools import lru_cache

from flask import has_request_context, request
from sqlalchemy import Engine, event

READING = frozenset({"GET", "HEAD"})
_SELECT = re.compile(r"\s*SELECT\b", re.IGNORECASE)
# a SELECT that locks rows or changes something: Fachdialog's SELECTs have no side effects
# besides these (keep it so, or name the function here)
_LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE)\b|\bFOR\s+KEY\s+SHARE\b"
                      r"|\bpg_(?:try_)?advisory|\b(?:nextval|setval|pg_notify|set_config)\s*\(",
                      re.IGNORECASE)


def writes(statement: str, execution_options) -> bool:
    """Whether a statement must run in a transaction (not one that asks for none)."""
    if execution_options.get("isolation_level") == "AUTOCOMMIT":
        return False
    return _writing_sql(statement) or bool(execution_options.get("stream_results"))


@lru_cache(maxsize=1024)
def _writing_sql(statement: str) -> bool:
    """Per statement text: SQLAlchemy sends the same few hundred texts again and again, and
    a queue page's are kilobytes long."""
    return not _SELECT.match(statement) or _LOCKING.search(statement) is not None


def install(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "checkout")
    def _reads_without_transaction(dbapi_connection, _record, _proxy) -> None:
        dbapi_connection.autocommit = has_request_context() and request.method in READING

    @event.listens_for(engine, "before_cursor_execute")
    def _transaction_for_writes(connection, _cursor, statement, _parameters, context,
                                _executemany) -> None:
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection.autocommit and writes(
                statement, context.execution_options if context is not None else {}):
            dbapi_connection.autocommit = False  # psycopg opens the transaction with it
