"""Search quality, indexing speed and query time over 100,000 posts.

    .venv/bin/python bench/search_bench.py [--posts 100000] [--requests 40]

Builds a throw-away SQLite database (or uses FORUM_BENCH_DATABASE_URL, e.g. PostgreSQL;
its tables are dropped and made anew). First it loads the search test set
(tests/search_testset.py) and prints recall and precision at 10. Then it fills the database
with German posts made from the demo projects' descriptions, times `search.reindex()` (the
code `flask forum reindex` runs) in posts per second, serves the forum and a minimal Flask
page with werkzeug on 127.0.0.1 and prints median times and their ratio. Machines here are
shared and noisy: the ratio is the figure to compare, not the milliseconds."""

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.models import Board, Post, Thread, User, utcnow  # noqa: E402
from forum.services import demo, search  # noqa: E402
from tests import search_testset  # noqa: E402

QUERIES = ["Pflegekräfte", "Arbeitszeitmodelle", "Uebersicht Weiterbildung", "Exoskelette",
           "Beteiligung der Beschäftigten", "digitale Verwaltung", "Handwerk Lernen"]


def fill(app, posts: int) -> None:
    data = demo.load_data()
    sentences = [s.strip() for p in data["projekte"] for s in p["beschreibung"].split(".")
                 if s.strip()]
    rng = random.Random(7)
    with app.app_context():
        db.drop_all()
        db.create_all()
        demo.seed(echo=lambda *_: None)
        boards = [b.id for b in db.session.scalars(db.select(Board))]
        author = db.session.scalar(db.select(User.id))
        thread_rows, post_rows, doc_rows = [], [], []
        now = utcnow()
        next_thread = (db.session.scalar(db.select(db.func.max(Thread.id))) or 0) + 1
        next_post = (db.session.scalar(db.select(db.func.max(Post.id))) or 0) + 1
        per_thread = 5
        for n in range(posts // per_thread):
            title = " ".join(rng.sample(sentences, 1)[0].split()[:8])
            thread_id = next_thread + n
            thread_rows.append({"id": thread_id, "board_id": rng.choice(boards),
                                "author_id": author, "title": title, "slug": f"t{thread_id}",
                                "state": "open", "pinned": False, "locked": False,
                                "is_demo": True, "answer_count": per_thread - 1,
                                "reply_count": per_thread - 1, "created_at": now,
                                "last_activity_at": now})
            for k in range(per_thread):
                body = ". ".join(rng.sample(sentences, 3))
                post_id = next_post + n * per_thread + k
                kind = "question" if k == 0 else "answer"
                post_rows.append({"id": post_id, "thread_id": thread_id, "author_id": author,
                                  "kind": kind, "state": "published", "body_source": body,
                                  "body_html": f"<p>{body}</p>", "created_at": now})
                doc_rows.append(search.document(post_id, thread_id, k == 0, title, body))
        for table, rows in ((Thread.__table__, thread_rows), (Post.__table__, post_rows),
                            (search.SearchDocument.__table__, doc_rows)):
            for start in range(0, len(rows), 5000):
                db.session.execute(table.insert(), rows[start:start + 5000])
        db.session.commit()
        # planner statistics, as autovacuum (PostgreSQL) would gather them for a real forum
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def quality(app) -> None:
    """Recall and precision at 10 of the test set, in an otherwise empty forum."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        demo.seed(echo=lambda *_: None)
        board = db.session.scalar(db.select(Board.id).order_by(Board.id))
        author = db.session.scalar(db.select(User.id).order_by(User.id))
        keys = search_testset.load(board, author)

        def find(query):
            return [keys[hit.thread.id] for hit in search.search(query, per_page=100).hits
                    if hit.thread.id in keys]
        result = search_testset.evaluate(find)
        db.session.remove()
    print(f"test set: {len(search_testset.QUERIES)} queries, recall {result.recall:.3f}, "
          f"precision@10 {result.precision_at_10:.3f}")
    for query, relevant, found in result.misses:
        print(f"  {query!r}: missed {sorted(relevant - set(found))}, "
              f"not wanted {[k for k in found if k not in relevant]}")


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def timed(url: str, requests: int) -> list[float]:
    times = []
    deadline = time.monotonic() + 120
    for _ in range(requests):
        if time.monotonic() > deadline:
            break
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    url = os.environ.get("FORUM_BENCH_DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    url = url or f"sqlite:///{tmp.name}/bench.db"
    # the page cache would answer the repeated searches: the query is what is measured here
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False, "PAGE_CACHE": False})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(f"database: {url.split(':')[0]}")
    quality(app)
    started = time.perf_counter()
    fill(app, args.posts)
    took = time.perf_counter() - started
    print(f"filled {args.posts} posts in {took:.1f} s")
    with app.app_context():
        # a rebuild from nothing: reindex() leaves a document alone that is already as it
        # would write it, and fill() wrote them all
        db.session.execute(search.SearchDocument.__table__.delete())
        db.session.commit()
        started = time.perf_counter()
        done = search.reindex()
        took = time.perf_counter() - started
    print(f"reindex: {done} posts in {took:.1f} s = {done / took:.0f} posts/s")

    minimal = Flask("minimal")
    minimal.add_url_rule("/", "index", lambda: "<!doctype html><title>x</title><p>ok</p>")
    servers = [serve(app), serve(minimal)]
    forum_url, minimal_url = servers[0][1], servers[1][1]
    timed(minimal_url + "/", 5)
    baseline = statistics.median(timed(minimal_url + "/", args.requests))
    print(f"minimal Flask page: median {baseline * 1000:.2f} ms")
    medians = []
    for query in QUERIES:
        path = "/suche?q=" + urllib.request.quote(query)
        timed(forum_url + path, 2)
        median = statistics.median(timed(forum_url + path, args.requests))
        medians.append(median)
        print(f"/suche?q={query!r:32} median {median * 1000:7.2f} ms  "
              f"ratio {median / baseline:6.1f}x")
    middle = statistics.median(medians)
    print(f"median query {middle * 1000:.2f} ms, ratio {middle / baseline:.1f}x")
    for server, _url in servers:
        server.shutdown()
    tmp.cleanup()


if __name__ == "__main__":
    main()
