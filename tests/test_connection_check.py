"""forum/connection_check.py against a real PostgreSQL: a pooled connection whose server
process ended while it sat idle is replaced before use once it has been idle long enough;
one that went back to the pool a moment ago is not tried (that saves a round trip on every
request), and if its server process is gone the failing statement makes the pool start
anew. Runs in the PostgreSQL pass (FORUM_TEST_DATABASE_URL)."""

import time

import pytest
import sqlalchemy as sa

from forum import connection_check
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (FORUM_TEST_DATABASE_URL)")

IDLE = 0.2


@pytest.fixture
def engine():
    engine = sa.create_engine(PG_URL, pool_size=1, max_overflow=0)
    connection_check.install(engine, IDLE)
    yield engine
    engine.dispose()


def _backend(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.text("SELECT pg_backend_pid()"))


def _end_server_process(pid: int) -> None:
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        assert connection.scalar(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    admin.dispose()
    time.sleep(0.1)  # the process ends asynchronously


def test_a_pooled_connection_is_reused_without_a_try_when_it_was_just_used(engine):
    tried = []
    real_ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda dbapi_connection: tried.append(1) or real_ping(
        dbapi_connection)
    first = _backend(engine)
    assert [_backend(engine) for _ in range(5)] == [first] * 5
    assert tried == []
    time.sleep(IDLE + 0.1)
    assert _backend(engine) == first
    assert tried == [1]


def test_an_idle_connection_whose_server_process_ended_is_replaced_before_use(engine):
    first = _backend(engine)
    _end_server_process(first)
    time.sleep(IDLE + 0.1)
    with engine.connect() as connection:  # no error: the check made a new connection
        assert connection.scalar(sa.text("SELECT 1")) == 1
        assert connection.scalar(sa.text("SELECT pg_backend_pid()")) != first


def test_a_connection_ended_while_in_use_fails_once_and_the_pool_starts_anew():
    engine = sa.create_engine(PG_URL, pool_size=1, max_overflow=0)
    connection_check.install(engine, 60)  # not idle long enough to be tried, however slow
    first = _backend(engine)
    _end_server_process(first)  # at once: not idle long enough to be tried
    with pytest.raises(sa.exc.OperationalError), engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    assert _backend(engine) != first
    engine.dispose()
