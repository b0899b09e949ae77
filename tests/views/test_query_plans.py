"""The statements behind the main pages are served by indexes, not by reading all posts or
threads: at a million posts a full scan is what made the lists, the queue and every page a
moderator sees slow (issue 17; bench/scale.py measures the pages themselves).

The statements are the real ones: recorded while the test client requests each page, then
asked for their plan with their own parameters (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's
EXPLAIN). A plan that reads `posts` or `threads` from end to end fails the test.

On PostgreSQL the test's tables hold a handful of rows, and for so few rows a sequential
scan is the planner's honest best choice: it would pick one even where an index exists. So
the plans are asked with `enable_seqscan = off` (SET LOCAL: only inside this test's
transaction, which is rolled back). That setting does not forbid a sequential scan; it makes
one cost 10^10, so the planner still picks it where no index can serve, which is exactly
what this test looks for. SQLite's planner has no such switch, and without statistics it
guesses: it would take `state IN (...)` for selective and sort every public thread. So the
test gives it the statistics of a forum of 100,000 questions and 1,000,000 posts (as ANALYZE
writes them into sqlite_stat1, which `flask forum reindex` and seed-bench run), and asks
for the plans it would choose there."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from forum.extensions import db
from forum.models import PostState, SiteRole
from forum.services import moderation
from tests.conftest import login
from tests.factories import (
    make_answer,
    make_expert,
    make_project,
    make_reason,
    make_thread,
    make_topic,
    make_user,
)

# savepoints of the test's rolled-back transaction (tests/conftest.py), not the page's
_TEST_SAVEPOINTS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")
TABLES = ("posts", "threads")
# SQLite: "SCAN posts" (or "SCAN threads AS threads_1") without an index is a full scan;
# "SCAN posts USING INDEX ix_posts_pending" reads an index (here: only the pending posts)
_SQLITE_FULL_SCAN = re.compile(r"\bSCAN (?:posts|threads)\b(?!.*\bUSING\b)")
_PG_FULL_SCAN = re.compile(r"Seq Scan on (?:posts|threads)\b")
# A list that sorts every matching thread to show a page of them ("newest threads sorted
# without an index"): SQLite says so plainly; PostgreSQL's choice between an ordered index
# scan and a sort depends on table sizes this test does not have, so only SQLite checks it.
LISTS = ("start page", "topic board", "topic board, page 2", "topic board, newest",
         "project board", "newest-questions feed", "topic feed")
_SORTED_THREADS = re.compile(r"\bFROM threads\b.*\bORDER BY\b.*\bLIMIT\b", re.S)


# rows and distinct values per column in a forum of 100,000 questions and 1,000,000 posts
FORUM_ROWS = {"threads": 100_000, "posts": 1_000_000}
PARTIAL_ROWS = {"ix_posts_pending": 1_000, "ix_threads_unanswered": 10_000}
DISTINCT = {"board_id": 14, "pinned": 2, "state": 3, "author_id": 5_000, "update_id": 1,
            "thread_id": 100_000, "kind": 3}


def forum_sized_statistics() -> None:
    """sqlite_stat1 as ANALYZE writes it for the big forum, loaded by the planner."""
    connection = db.session.connection()
    connection.exec_driver_sql("ANALYZE")
    for name, rows in FORUM_ROWS.items():
        connection.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl = ?", (name,))
        for index in db.metadata.tables[name].indexes:
            count = PARTIAL_ROWS.get(index.name, rows)
            stat, distinct = [str(count)], 1
            for column in index.columns:
                distinct = min(count, distinct * DISTINCT.get(column.name, count))
                stat.append(str(max(1, count // distinct)))
            connection.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)",
                                       (name, index.name, " ".join(stat)))
    connection.exec_driver_sql("ANALYZE sqlite_schema")  # reload the statistics


@contextmanager
def recorded():
    """The SELECT statements run meanwhile, with their parameters."""
    statements: list[tuple[str, object]] = []

    def _record(_conn, _cursor, statement, parameters, _context, executemany):
        if (not executemany and not statement.startswith(_TEST_SAVEPOINTS)
                and statement.lstrip().upper().startswith(("SELECT", "WITH"))):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _record)


def plan(statement: str, parameters) -> str:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        return "\n".join(row[0] for row in rows)
    rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    return "\n".join(row[-1] for row in rows)


def full_scans(statement: str, parameters) -> list[str]:
    text = plan(statement, parameters)
    pattern = _PG_FULL_SCAN if db.session.connection().dialect.name == "postgresql" \
        else _SQLITE_FULL_SCAN
    return [line.strip() for line in text.splitlines() if pattern.search(line)]


@pytest.fixture
def forum_pages(app):
    """A small forum with every kind of row the pages read, and the pages to check: (name,
    path, who asks)."""
    topic = make_topic()
    project = make_project(topics=[topic])
    expert, asker, other = make_expert(topics=[topic]), make_user(), make_expert(topics=[topic])
    moderator = make_user(role=SiteRole.MODERATOR)
    threads = [make_thread(board, asker, title=f"Wie planen wir Schichten {i}?")
               for i, board in enumerate([topic.board, project.board] * 3)]
    answer = make_answer(threads[0], expert, body="Mit einem Dienstplan für Pflegekräfte.")
    make_answer(threads[0], other)
    waiting = make_answer(threads[1], other)
    waiting.state = PostState.PENDING
    db.session.commit()
    moderation.hide_post(moderator, answer, reason=make_reason(), facts="Testentscheidung")
    return moderator, [
        ("start page", "/", None),
        ("topic board", f"/themen/{topic.slug}", None),
        ("topic board, page 2", f"/themen/{topic.slug}?seite=2", None),
        ("topic board, newest", f"/themen/{topic.slug}?sortierung=neu", None),
        ("project board", f"/projekte/{project.slug}", None),
        ("question", f"/fragen/{threads[0].id}-{threads[0].slug}", None),
        ("search", "/suche?q=Pflegekräfte", None),
        ("newest-questions feed", "/feeds/fragen.atom", None),
        ("topic feed", f"/feeds/themen/{topic.slug}.atom", None),
        ("moderation queue", "/moderation", moderator),
        ("moderation queue, page 2", "/moderation?seite=2", moderator),
        ("transparency page", "/moderation/transparenz", moderator),
        ("decision log", "/moderation/protokoll", moderator),
    ]


def test_main_pages_read_posts_and_threads_through_indexes(app, client, forum_pages):
    moderator, pages = forum_pages
    app.config["PAGE_SIZE"] = 2  # so that page 2 exists
    captured: dict[str, list[tuple[str, object]]] = {}
    logged_in = False
    for name, path, user in pages:
        if user is not None and not logged_in:
            assert login(client, user).status_code == 302
            logged_in = True
        with recorded() as statements:
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        captured[name] = statements
    assert all(captured.values())
    if db.session.connection().dialect.name == "postgresql":
        db.session.connection().exec_driver_sql("SET LOCAL enable_seqscan = off")
    else:
        forum_sized_statistics()
    found = {}
    for name, statements in captured.items():
        for statement, parameters in statements:
            if not any(re.search(rf"\b{t}\b", statement) for t in TABLES):
                continue
            scans = full_scans(statement, parameters)
            if (name in LISTS and db.session.connection().dialect.name == "sqlite"
                    and _SORTED_THREADS.search(statement)
                    and "TEMP B-TREE FOR ORDER BY" in plan(statement, parameters)):
                scans.append("sorts all listed threads: USE TEMP B-TREE FOR ORDER BY")
            if scans:
                found.setdefault(name, []).append((scans, " ".join(statement.split())))
    assert not found, "\n\n".join(f"{name}: {scans}\n{sql}" for name, items in found.items()
                                  for scans, sql in items)
