"""Two nodes as docs/deploy.md sets them up: two gunicorn instances (deploy/gunicorn.conf.py,
two workers each) on different ports of 127.0.0.1 behind a pretend proxy (FORUM_PROXY_COUNT=1,
X-Forwarded-For), one PostgreSQL database of this test's own, one Redis (a key prefix of this
run's own), two mail workers (`flask forum outbox run`) and a real SMTP server.

A log-in on one node works on the other; the log-in limit holds in total across both; 200
answers sent at once, split over both nodes (20 of them sent twice, once to each node, with
the same form key), are each in the database exactly once with the counters right; every
mail in the outbox reaches the SMTP server exactly once; the access log holds no token and no
client address. Every wait is bounded, every process is stopped in teardown.

Runs in the PostgreSQL pass (`make test-postgres`, FORUM_TEST_DATABASE_URL set)."""

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import OutboxMail, Post, PostKind, Thread
from forum.services import Mail, outbox
from tests.conftest import PG_URL, free_port, fresh_database, make_app, running_sink
from tests.factories import PASSWORD, make_expert, make_topic, make_user

pytestmark = [
    pytest.mark.two_nodes,
    pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (FORUM_TEST_DATABASE_URL): "
                                          "runs in make test-postgres"),
]

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"
EXPERTS = 20
ANSWERS_EACH = 10  # 200 answers; the account limit for posts is 20 an hour
TWICE = 20  # answers also sent to the other node with the same one-time key
BATCH = 60  # mails put straight into the outbox
SECRET = "geheimer-token-" + secrets.token_hex(8)
TIMEOUT = 60  # seconds for one HTTP request


class Cluster:
    def __init__(self, nodes, app, workers, logs):
        self.nodes, self.app, self.workers, self.logs = nodes, app, workers, logs


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group this test started, then SIGKILL after 20 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def _start(args, env, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:  # the child keeps its own descriptor
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _wait_healthy(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if requests.get(base + "/healthz", timeout=30).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or the workers still loading
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base} did not become healthy:\n{log.read_text()}")


@pytest.fixture(scope="module")
def sink():
    with running_sink() as (controller, messages):
        yield controller, messages


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, sink):
    controller, _messages = sink
    prefix = f"twonodes-{uuid.uuid4().hex[:10]}"
    logs = tmp_path_factory.mktemp("two_nodes")
    processes: list[subprocess.Popen] = []
    with fresh_database(tmp_path_factory, "two_nodes") as url:
        app = make_app(url)
        try:
            with app.app_context():
                db.create_all()
            base_env = {key: value for key, value in os.environ.items()
                        if not key.startswith("FORUM_")}
            env = {**base_env, "PYTHONPATH": str(ROOT), "FLASK_APP": "forum",
                   "FORUM_NODES": "2", "FORUM_SECRET_KEY": secrets.token_hex(32),
                   "FORUM_DATABASE_URL": url, "FORUM_PROXY_COUNT": "1",
                   "FORUM_RATELIMIT_STORAGE_URI": REDIS_URL,
                   "FORUM_RATELIMIT_KEY_PREFIX": prefix,
                   "FORUM_LOGIN_RATE_LIMIT": "4 per 15 minutes",
                   "FORUM_LOGIN_ACCOUNT_RATE_LIMIT": "4 per 15 minutes",
                   "FORUM_MAIL_SERVER": "127.0.0.1", "FORUM_MAIL_PORT": str(controller.port),
                   "FORUM_PREMODERATION_THRESHOLD": "0", "FORUM_MIN_FILL_SECONDS": "0",
                   "FORUM_ACCOUNT_ANSWER_SECONDS": "0"}
            nodes = []
            for name in ("a", "b"):
                port = free_port()
                log = logs / f"gunicorn-{name}.log"
                processes.append(_start(
                    [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                     "--bind", f"127.0.0.1:{port}", "--workers", "2", "forum:create_app()"],
                    env, log))
                nodes.append((f"http://127.0.0.1:{port}", processes[-1], log))
            workers = []
            for name in ("1", "2"):
                log = logs / f"outbox-{name}.log"
                processes.append(_start([sys.executable, "-m", "flask", "forum", "outbox",
                                         "run", "--interval", "0.2"], env, log))
                workers.append((processes[-1], log))
            for base, process, log in nodes:
                _wait_healthy(base, process, log)
            yield Cluster([base for base, _p, _l in nodes], app, workers,
                          [log for _b, _p, log in nodes])
        finally:
            for process in processes:
                _stop(process)
            with app.app_context():
                db.engine.dispose()
            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{prefix}*"):  # only this run's counters
                client.delete(key)
            client.close()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def _log_in(base: str, email: str, address: str) -> requests.Session:
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    token = _csrf(session.get(base + "/konto/anmelden", timeout=TIMEOUT).text)
    response = session.post(base + "/konto/anmelden", timeout=TIMEOUT, allow_redirects=False,
                            data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text[:2000]
    return session


def test_a_session_made_on_one_node_works_on_the_other(cluster):
    a, b = cluster.nodes
    with cluster.app.app_context():
        user = make_user(display_name="Wanda Wechselnd")
        email = user.email
    session = _log_in(a, email, "198.51.100.20")
    page = session.get(b + "/konto/einstellungen", timeout=TIMEOUT, allow_redirects=False)
    assert page.status_code == 200 and "Wanda Wechselnd" in page.text
    # and a form token made on B is good on A: log out there
    token = _csrf(page.text)
    out = session.post(a + "/konto/abmelden", data={"csrf_token": token}, timeout=TIMEOUT,
                       allow_redirects=False)
    assert out.status_code == 302
    again = session.get(b + "/konto/einstellungen", timeout=TIMEOUT, allow_redirects=False)
    assert again.status_code == 302 and "/konto/anmelden" in again.headers["Location"]


def test_the_login_limit_holds_in_total_across_both_nodes(cluster):
    """4 failed log-ins in 15 minutes: 2 on each node use them up; the right password on
    either node is then refused too (with per-node counts A would still have 2 left)."""
    a, b = cluster.nodes
    with cluster.app.app_context():
        email = make_user().email
    session = requests.Session()
    session.headers["X-Forwarded-For"] = "198.51.100.30"
    token = _csrf(session.get(a + "/konto/anmelden", timeout=TIMEOUT).text)

    def attempt(base, password):
        return session.post(base + "/konto/anmelden", timeout=TIMEOUT, allow_redirects=False,
                            data={"csrf_token": token, "email": email, "password": password})

    assert [attempt(node, "falsch-falsch").status_code for node in (a, b, a, b)] == [200] * 4
    assert attempt(a, PASSWORD).status_code == 429
    assert attempt(b, PASSWORD).status_code == 429


def test_answers_sent_at_once_to_both_nodes_are_each_stored_once(cluster):
    a, b = cluster.nodes
    with cluster.app.app_context():
        topic = make_topic()
        asker = make_user()
        from forum.services import threads

        thread = threads.create_thread(asker, topic.board, "Wie verteilen wir die Last?",
                                       "Zwei Knoten, eine Datenbank: geht das?")
        path = f"/fragen/{thread.id}-{thread.slug}"
        thread_id = thread.id
        emails = [make_expert().email for _ in range(EXPERTS)]
    sessions = []
    for i, email in enumerate(emails):
        session = _log_in((a, b)[i % 2], email, f"10.1.0.{i + 1}")
        token = _csrf(session.get(b + path, timeout=TIMEOUT).text)
        sessions.append((session, token))

    jobs = []  # (node, session index, body, one-time key)
    for i in range(EXPERTS * ANSWERS_EACH):
        jobs.append(((a, b)[i % 2], i % EXPERTS, f"Antwort {i:03d} unter Last.",
                     secrets.token_urlsafe(32)))
    jobs += [((b, a)[i % 2], expert, body, key) for i, (_node, expert, body, key)
             in enumerate(jobs[:TWICE])]  # the same form once more, to the other node

    def send(numbered):
        n, (node, expert, body, key) = numbered
        session, token = sessions[expert]
        return session.post(node + path, timeout=TIMEOUT, allow_redirects=False,
                            headers={"X-Forwarded-For": f"10.2.{n // 250}.{n % 250 + 1}"},
                            data={"csrf_token": token, "body": body, "once": key})

    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(send, enumerate(jobs)))
    assert [r.status_code for r in responses] == [302] * len(jobs), next(
        (r.text[:3000] for r in responses if r.status_code != 302), "")

    with cluster.app.app_context():
        bodies = db.session.scalars(select(Post.body_source).where(
            Post.thread_id == thread_id, Post.kind == PostKind.ANSWER)).all()
        assert sorted(bodies) == sorted(body for _n, _e, body, _k in jobs[:-TWICE])
        thread = db.session.get(Thread, thread_id)
        assert thread.answer_count == EXPERTS * ANSWERS_EACH
        assert thread.reply_count == EXPERTS * ANSWERS_EACH


def test_two_outbox_workers_send_each_mail_exactly_once(cluster, sink):
    _controller, messages = sink
    with cluster.app.app_context():
        recipients = []
        for n in range(BATCH):
            user = make_user(email=f"empfang-{n}@example.org")
            outbox.enqueue(Mail(to=user.email, template="confirm", subject="Bitte bestätigen",
                                context={"user": user, "token": f"t{n}"}))
            recipients.append(user.email)
        db.session.commit()  # all at once: both workers find them due together
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            db.session.rollback()
            unsent = db.session.scalar(select(func.count()).select_from(OutboxMail).where(
                OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None)))
            if unsent == 0:
                break
            time.sleep(0.5)
        assert unsent == 0, [log.read_text() for _p, log in cluster.workers]
        rows = db.session.scalars(select(OutboxMail)).all()
        time.sleep(1)  # a mail sent twice would arrive after its row was marked
    received = [message["To"] for message in list.__iter__(messages)]
    assert all(row.sent_at is not None and row.attempts == 1 for row in rows)
    assert len(received) == len(rows)  # the answers' notifications too: each once
    assert sorted(address for address in received if address in recipients) == sorted(recipients)
    assert all(process.poll() is None for process, _log in cluster.workers)


def test_the_access_log_holds_no_token_and_no_client_address(cluster):
    a, _b = cluster.nodes
    for path in (f"/gast/{SECRET}", f"/abbestellen/{SECRET}", f"/konto/passwort-neu/{SECRET}",
                 f"/suche?q={SECRET}"):
        requests.get(a + path, timeout=TIMEOUT, headers={"X-Forwarded-For": "192.0.2.55",
                                                         "Referer": f"{a}/gast/{SECRET}"})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "/suche?q=" not in cluster.logs[0].read_text():
        time.sleep(0.2)
    log = "\n".join(path.read_text() for path in cluster.logs)
    assert '"GET /gast/<token> HTTP/1.1" ' in log and "/abbestellen/<token>" in log
    assert "/konto/passwort-neu/<token>" in log and "/suche?q=<redacted>" in log
    for leak in (SECRET, "192.0.2.55", "198.51.100.", "10.1.0.", "10.2.0."):
        assert leak not in log
