"""Server time of the main pages at 10,000 and at 1,000,000 posts (issue 17).

    PYTHONPATH=. .venv/bin/python bench/scale.py [--sizes 10000,1000000] [--requests 50]
    FORUM_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        PYTHONPATH=. .venv/bin/python bench/scale.py

Each size gets a database of its own: SQLite files `scale-<posts>.db` in --dir (default
instance/bench), or on PostgreSQL the database named in FORUM_BENCH_DATABASE_URL with
`_<posts>` appended (created when missing). A database without the bench content is brought
to the newest migration and filled the way `flask forum seed-bench` fills it (posts / 10
questions); seed and reindex times are printed. One that has it is reused as it is.

Then every page is requested --requests times (after 3 warm-up requests) in-process through
the Flask test client, and the p50 and p95 of the server time are printed with the SQL
statements per request; with two sizes or more, also the growth from the smallest. The
machine is shared: compare sizes and databases measured in the same sitting."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.models import Post, SiteRole, Thread  # noqa: E402
from forum.permissions import listed_threads  # noqa: E402
from forum.services import accounts, bench_data, search  # noqa: E402

MODERATOR = "bench-moderator@bench.invalid"
PASSWORD = "bench-moderator-password-17"
GOALS_MS = {"search": 150}  # p95 at 1M posts; every other page 50 ms
NO_CACHES = {"PAGE_CACHE": False, "FRAGMENT_CACHE": False}


def database_url(base: str | None, directory: Path, posts: int) -> str:
    if not base:
        directory.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{directory.resolve()}/scale-{posts}.db"
    url = sa.engine.make_url(base)
    name = f"{url.database}_{posts}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name}):
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def prepare(app, posts: int) -> None:
    """Bring the database to the newest migration and fill it, unless it is filled."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        have = db.session.scalar(sa.select(sa.func.count()).select_from(Post))
        if have >= posts:
            print(f"  reusing {have} posts")
        else:
            started = time.perf_counter()
            seeded = bench_data.seed(posts // 10, posts)
            print(f"  seeded {seeded.posts} posts ({seeded.questions} questions, "
                  f"{seeded.pending} pending) in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            done = search.reindex()
            took = time.perf_counter() - started
            print(f"  reindex: {done} posts in {took:.0f} s = {done / took:.0f} posts/s")
        if db.engine.dialect.name == "postgresql":  # as autovacuum would have by now
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        if accounts.find_user_by_email(MODERATOR) is None:
            accounts.create_user(MODERATOR, "Moderation (Messung)", PASSWORD,
                                 SiteRole.MODERATOR)
            db.session.commit()


def pages(app) -> dict[str, str]:
    """Page name -> path, for the pages of the issue's table."""
    with app.app_context():
        topic = bench_data.busy_topic_slug()
        fifty = db.session.execute(sa.select(Thread.id, Thread.slug).where(
            Thread.title == bench_data.FIFTY_TITLE).limit(1)).first()
        if fifty is None:  # a small forum: the question with the most posts
            fifty = db.session.execute(sa.select(Thread.id, Thread.slug).order_by(
                Thread.reply_count.desc()).limit(1)).first()
        listed = db.session.scalar(sa.select(sa.func.count()).select_from(Thread).where(
            Thread.board_id.in_(_topic_boards(topic)), listed_threads(None)))
    deep = max(1, min(500, -(-(listed or 0) // app.config["PAGE_SIZE"])))
    return {
        "start page": "/",
        "busy topic board, page 1": f"/themen/{topic}",
        f"busy topic board, page {deep}": f"/themen/{topic}?seite={deep}",
        "question with 51 posts": f"/fragen/{fifty.id}-{fifty.slug}",
        f"search {bench_data.COMMON_WORD} (66 %)": f"/suche?q={bench_data.COMMON_WORD}",
        f"search {bench_data.RARE_WORD} (27 %)": f"/suche?q={bench_data.RARE_WORD}",
        "newest-questions feed": "/feeds/fragen.atom",
        "moderation queue (moderator)": "/moderation",
        "moderation queue, page 20 (moderator)": "/moderation?seite=20",
        "transparency page (moderator)": "/moderation/transparenz",
    }


def _topic_boards(slug):
    from forum.models import TopicField
    from forum.services import browse

    topic = db.session.scalar(sa.select(TopicField).where(TopicField.slug == slug))
    return browse.topic_board_ids(topic)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def show(name: str, result: tuple[float, float, int, int, float]) -> None:
    p50, p95, count, size, cpu = result
    goal = GOALS_MS["search"] if name.startswith("search") else 50
    flag = "" if p95 <= goal else f"  > {goal} ms"
    print(f"  {name:38} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {count:3} SQL  "
          f"{size / 1000:5.0f} kB  (CPU p95 {cpu:6.1f} ms){flag}", flush=True)


def measure(app, requests: int, skip: tuple[str, ...] = ()
            ) -> dict[str, tuple[float, float, int, int, float]]:
    """Page name -> (p50 ms, p95 ms, statements per request, bytes, p95 of this process's
    CPU ms). On a busy machine the CPU time is the steadier figure; on SQLite it includes
    the database's work, on PostgreSQL only the app's."""
    statements = [0]
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        statements[0] += 1

    anonymous = app.test_client()
    moderator = app.test_client()
    response = moderator.post("/konto/anmelden", data={"email": MODERATOR, "password": PASSWORD})
    assert response.status_code == 302, "the bench moderator could not log in"
    results = {}
    for name, path in pages(app).items():
        if any(word in name for word in skip):
            continue
        client = moderator if "moderator" in name else anonymous
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        times, cpu = [], []
        statements[0] = 0
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        results[name] = (statistics.median(times), _p95(times), statements[0] // requests,
                         len(response.data), _p95(cpu))
        show(name, results[name])
    event.remove(engine, "before_cursor_execute", _count)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,1000000",
                        help="Numbers of posts, comma-separated.")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=Path("instance/bench"),
                        help="Where the SQLite databases go.")
    parser.add_argument("--caches", action="store_true",
                        help="Leave the page cache (anonymous pages) and the fragment cache "
                             "on: all but the first request of a page then come from them. "
                             "Without it every request runs its queries and renders.")
    parser.add_argument("--skip", action="append", default=[],
                        help="Leave out the pages whose name contains this (repeatable).")
    args = parser.parse_args()
    base = os.environ.get("FORUM_BENCH_DATABASE_URL")
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"database: {'postgresql' if base else 'sqlite'}, {args.requests} requests a page, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    measured = {}
    for posts in sizes:
        url = database_url(base, args.dir, posts)
        print(f"{posts} posts: {url.split('@')[-1]}")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                          **({} if args.caches else NO_CACHES)})
        prepare(app, posts)
        measured[posts] = measure(app, args.requests, tuple(args.skip))
        with app.app_context():
            db.engine.dispose()
    if len(sizes) > 1:
        small = min(sizes)
        for posts in sizes:
            if posts == small:
                continue
            print(f"growth {small} -> {posts} posts (p95):")
            for name, (_p50, p95, _c, _s, _cpu) in measured[posts].items():
                before = _match(measured[small], name)
                print(f"  {name:38} {before:7.1f} -> {p95:7.1f} ms  x{p95 / before:5.1f}")


def _match(results, name: str) -> float:
    """The same page at another size (the deep board page's number may differ)."""
    if name in results:
        return results[name][1]
    prefix = name.rsplit(" ", 1)[0]
    return next(p95 for other, (_a, p95, _c, _s, _cpu) in results.items()
                if other.rsplit(" ", 1)[0] == prefix)


if __name__ == "__main__":
    main()
