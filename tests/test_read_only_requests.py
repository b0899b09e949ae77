"""forum/read_only_requests.py: a GET request reads PostgreSQL without a transaction (no
BEGIN, no ROLLBACK: two round trips fewer), and the first statement that writes opens one,
so that a GET's writes stay one transaction; every other request is transactional from its
first statement. The database parts run on a PostgreSQL database of their own, outside the
tests' rolled-back connection (FORUM_TEST_DATABASE_URL); the classification runs always."""

import pytest
import sqlalchemy as sa
from psycopg.pq import TransactionStatus
from sqlalchemy import event

from forum.extensions import db
from forum.models import SiteRole, User
from forum.read_only_requests import writes
from forum.services import accounts
from tests.conftest import PG_URL, fresh_database, make_app

ON_PG = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (FORUM_TEST_DATABASE_URL)")


@pytest.mark.parametrize(("statement", "options", "expected"), [
    ("SELECT users.id FROM users WHERE users.id = %(id)s", {}, False),
    ("\n  select 1", {}, False),
    ("SELECT count(*) FROM posts WHERE posts.state = 'pending'", {}, False),
    ("SELECT users.id FROM users FOR UPDATE", {}, True),
    ("SELECT threads.id FROM threads FOR NO KEY UPDATE SKIP LOCKED", {}, True),
    ("SELECT threads.id FROM threads FOR SHARE", {}, True),
    ("SELECT threads.id FROM threads FOR KEY SHARE", {}, True),
    ("SELECT pg_advisory_xact_lock(1)", {}, True),
    ("SELECT pg_try_advisory_xact_lock(1)", {}, True),
    ("SELECT setval('posts_id_seq', 5)", {}, True),
    ("SELECT pg_notify('c', 'x')", {}, True),
    ("VACUUM ANALYZE posts", {"isolation_level": "AUTOCOMMIT"}, False),
    ("SELECT nextval('posts_id_seq')", {}, True),
    ("SELECT users.display_name FROM users", {"stream_results": True}, True),
    ("INSERT INTO users (email) VALUES (%(email)s)", {}, True),
    ("UPDATE login_sessions SET last_used_at = %(t)s", {}, True),
    ("DELETE FROM drafts", {}, True),
    ("SAVEPOINT sa_savepoint_1", {}, True),
    ("WITH gone AS (DELETE FROM drafts RETURNING id) SELECT count(*) FROM gone", {}, True),
])
def test_only_a_plain_select_runs_without_a_transaction(statement, options, expected):
    assert writes(statement, options) is expected


class Boom(Exception):
    pass


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FORUM_TEST_DATABASE_URL)")
    with fresh_database(tmp_path_factory, "read_only") as url:
        app = make_app(url)

        @app.get("/test/two-accounts")
        def two_accounts():  # a GET that writes twice and fails after the first
            accounts.create_user("erste@example.org", "Erste Person", "correct-horse-battery",
                                 SiteRole.USER)
            db.session.flush()
            accounts.create_user("zweite@example.org", "Zweite Person",
                                 "correct-horse-battery", SiteRole.USER)
            db.session.flush()
            raise Boom

        @app.get("/test/read-write-read/<name>")
        def read_write_read(name):
            before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
            accounts.create_user(f"{name}@example.org", name, "correct-horse-battery",
                                 SiteRole.USER)
            db.session.commit()
            after = db.session.scalar(sa.select(sa.func.count()).select_from(User))
            return f"{before} {after}"

        @app.get("/test/savepoint")
        def savepoint():  # a nested transaction in a GET: its savepoint opens the outer one
            with db.session.begin_nested():
                accounts.create_user("fuenfte@example.org", "Fuenfte Person",
                                     "correct-horse-battery", SiteRole.USER)
            db.session.commit()
            return "ok"

        @app.get("/test/streamed")
        def streamed():  # a server-side cursor needs a transaction
            names = db.session.scalars(sa.select(User.display_name).execution_options(
                yield_per=2))
            return str(len(list(names)))

        @app.post("/test/post-read")
        def post_read():
            db.session.scalar(sa.select(sa.func.count()).select_from(User))
            return "", 204

        with app.app_context():
            db.create_all()
        yield app
        with app.app_context():
            db.engine.dispose()


def _statuses(app, method: str, path: str) -> list[tuple[str, TransactionStatus]]:
    """Each statement of one request and the connection's transaction status after it."""
    seen: list[tuple[str, TransactionStatus]] = []
    with app.app_context():
        engine = db.engine

    def after(connection, _cursor, statement, *_args):
        status = connection.connection.dbapi_connection.info.transaction_status
        seen.append((statement.split()[0].upper(), status))

    event.listen(engine, "after_cursor_execute", after)
    try:
        app.test_client().open(path, method=method)
    finally:
        event.remove(engine, "after_cursor_execute", after)
    return seen


def _users(app, condition) -> int:
    """How many accounts match, read in a session of its own (what was committed)."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(condition))


@ON_PG
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_page_reads_without_a_transaction(pg_app, method):
    seen = _statuses(pg_app, method, "/")
    assert seen and all(status == TransactionStatus.IDLE for _kind, status in seen), seen


@ON_PG
def test_a_post_is_in_a_transaction_from_its_first_statement(pg_app):
    seen = _statuses(pg_app, "POST", "/test/post-read")
    assert seen and all(status == TransactionStatus.INTRANS for _kind, status in seen), seen


@ON_PG
def test_a_get_that_fails_after_a_write_leaves_nothing_behind(pg_app):
    with pytest.raises(Boom):
        pg_app.test_client().get("/test/two-accounts")
    assert _users(pg_app, User.email.in_(["erste@example.org", "zweite@example.org"])) == 0


@ON_PG
def test_a_get_that_writes_commits_and_reads_on(pg_app):
    seen = _statuses(pg_app, "GET", "/test/read-write-read/Dritte")
    kinds = [kind for kind, _status in seen]
    assert kinds[0] == "SELECT" and "INSERT" in kinds, kinds
    first_write = kinds.index("INSERT")
    assert all(status == TransactionStatus.IDLE for _kind, status in seen[:first_write])
    assert seen[first_write][1] == TransactionStatus.INTRANS
    before, after = map(int, pg_app.test_client().get("/test/read-write-read/Vierte").text
                        .split())
    assert after == before + 1  # the read after the commit sees the write
    assert _users(pg_app, User.display_name.in_(["Dritte", "Vierte"])) == 2


@ON_PG
def test_a_savepoint_and_a_server_side_cursor_in_a_get_get_their_transaction(pg_app):
    seen = _statuses(pg_app, "GET", "/test/savepoint")
    assert ("SAVEPOINT", TransactionStatus.INTRANS) in seen, seen
    client = pg_app.test_client()
    assert int(client.get("/test/streamed").text) >= 1
    assert _users(pg_app, User.email == "fuenfte@example.org") == 1
