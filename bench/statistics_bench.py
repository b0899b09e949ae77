"""The operator's statistics and the open-data export at scale (PostgreSQL).

    FORUM_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/statistics_bench.py [--threads 250000] [--answers 3]

Drops and makes the tables of the given database anew, fills it with the demo projects,
1,000 accounts (50 of them experts, 100 in project teams) and THREADS questions over two
years with ANSWERS answers each (250,000 x 4 = 1 million posts by default), "same question"
marks and decisions, all with INSERT ... SELECT generate_series. Then it times
`statistics.figures` for one year (whole site and one project) and `open_data.export`, and
prints the peak memory of the process. Machines here are shared and noisy: read the times as
orders of magnitude.

Measured here on 30 November 2026 (2 shared cores, other jobs running), 1,000,018 posts:
a year's figures (119,000 questions) 7.2 s for the whole site, 2.0 s for one project; the
export 736 s (JSON 357 MB, CSV zip 16 MB); peak memory 208 MB, the same as with 8,000
posts (the export reads in batches)."""

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.models import Board, ExpertVerification, ProjectMember, User  # noqa: E402
from forum.services import demo, open_data, statistics  # noqa: E402
from forum.services.transparency import Period  # noqa: E402

FILL = """
INSERT INTO threads (board_id, author_id, title, slug, state, pinned, locked, me_too_count,
                     is_demo, answer_count, reply_count, created_at, last_activity_at)
SELECT (SELECT array_agg(id) FROM boards)[1 + i % (SELECT count(*) FROM boards)],
       (SELECT array_agg(id) FROM users)[1 + i % 1000], 'Frage ' || i, 'frage-' || i,
       CASE WHEN i % 20 = 0 THEN 'pending' WHEN i % 3 = 0 THEN 'answered' ELSE 'open' END,
       false, false, i % 4, false, :answers, :answers,
       now() - make_interval(secs => (i * 63072000.0 / :threads)::int),
       now() - make_interval(secs => (i * 63072000.0 / :threads)::int)
FROM generate_series(1, :threads) AS i;
INSERT INTO posts (thread_id, author_id, kind, state, body_source, body_html, created_at,
                   decision_version)
SELECT t.id, t.author_id, 'question', 'published', 'Text', '<p>Text</p>', t.created_at, 0
FROM threads t;
INSERT INTO posts (thread_id, author_id, kind, state, body_source, body_html, created_at,
                   decision_version)
SELECT t.id, (SELECT array_agg(id) FROM users)[1 + (t.id * 7 + a) % 1000], 'answer',
       CASE WHEN a = 1 AND t.id % 11 = 0 THEN 'hidden' ELSE 'published' END,
       'Antwort', '<p>Antwort</p>',
       t.created_at + make_interval(secs => ((t.id * 37 + a * 3600) % 864000)), 0
FROM threads t, generate_series(1, :answers) AS a;
INSERT INTO me_toos (user_id, thread_id, created_at)
SELECT u.id, t.id, t.created_at + interval '1 hour'
FROM threads t JOIN users u ON u.id = (SELECT min(id) FROM users) + t.id % 50
WHERE t.id % 3 = 0;
INSERT INTO moderation_decisions (action, board_id, from_report, automated, ground, facts,
                                  detail, changed_from, changed_to, subject_created_at,
                                  created_at)
SELECT 'approve', t.board_id, false, false, '', '', '', '', '', t.created_at,
       t.created_at + make_interval(secs => (t.id * 13) % 172800)
FROM threads t WHERE t.id % 5 = 0;
"""


def fill(app, threads: int, answers: int) -> None:
    with app.app_context():
        db.drop_all()
        db.create_all()
        demo.seed(echo=lambda line: None)
        users = [User(email=f"u{i}@bench.example", display_name=f"Person {i}",
                      password_hash="x", email_confirmed_at=sa.func.now())
                 for i in range(1000)]
        db.session.add_all(users)
        db.session.flush()
        for user in users[:50]:
            db.session.add(ExpertVerification(user_id=user.id, evidence="Bench",
                                              valid_from=date(2020, 1, 1),
                                              valid_until=date(2099, 1, 1)))
        project_ids = [b.project_id for b in db.session.scalars(sa.select(Board))
                       if b.project_id]
        for i, user in enumerate(users[50:150]):
            db.session.add(ProjectMember(project_id=project_ids[i % len(project_ids)],
                                         user_id=user.id))
        db.session.commit()
        started = time.perf_counter()
        for statement in FILL.split(";"):
            if statement.strip():
                db.session.execute(sa.text(statement),
                                   {"threads": threads, "answers": answers})
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        posts = db.session.scalar(sa.text("SELECT count(*) FROM posts"))
        print(f"filled {threads} threads, {posts} posts in "
              f"{time.perf_counter() - started:.1f} s")


def timed(label: str, run) -> None:
    started = time.perf_counter()
    run()
    print(f"{label}: {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=250_000)
    parser.add_argument("--answers", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("FORUM_BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit("Set FORUM_BENCH_DATABASE_URL to a PostgreSQL database.")
    folder = tempfile.mkdtemp(prefix="open-data-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "OPEN_DATA_DIR": folder})
    fill(app, args.threads, args.answers)
    with app.test_request_context():
        today = date.today()
        year = Period(today.replace(year=today.year - 1), today)
        project = db.session.scalar(sa.select(Board.project_id).where(
            Board.project_id.is_not(None)).limit(1))
        for label, area in (("whole site", None),
                            ("one project", statistics.area(f"project-{project}"))):
            timed(f"statistics.figures, one year, {label}",
                  lambda area=area: statistics.figures(year, area))
        result = statistics.figures(year, None)["questions"]
        print(f"  asked {result['asked']}, answered {result['answered']}, "
              f"median {result['time_to_first_answer']['median_hours']} h")
        timed("open_data.export", open_data.export)
        sizes = {p.name: p.stat().st_size for p in Path(folder).iterdir()}
        print(f"  files: {sizes}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
