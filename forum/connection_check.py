"""A pooled database connection is tried before use when it has been idle a while.

SQLAlchemy's `pool_pre_ping` tries every connection on every checkout: one more round trip
to PostgreSQL per request, on a page that otherwise needs three or four. A connection that
went back to the pool a moment ago has just worked; the ones that break unnoticed are those
that sat idle while the server restarted, failed over or closed them. So a connection is
tried only when it has been in the pool for more than `DATABASE_PING_AFTER_IDLE` seconds
(0: on every checkout, as pool_pre_ping does).

A connection that fails the try is thrown away and the pool hands out another (SQLAlchemy's
DisconnectionError on checkout: it retries with a new connection). A server that goes away
while connections are busy is noticed by the statement that fails; SQLAlchemy then drops
every connection of the pool that was made before, so the next request gets a new one."""

import time

from sqlalchemy import Engine, event, exc


def install(engine: Engine, idle_seconds: float) -> None:
    """Try `engine`'s connections on checkout after more than `idle_seconds` in the pool."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _try_if_idle(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since <= idle_seconds:
            return  # new, or back in the pool only a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error  # the pool makes a new one
            raise
