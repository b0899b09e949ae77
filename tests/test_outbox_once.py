"""Mail goes out once: workers claim each mail atomically (SQLite too), a killed worker can
repeat only the mail it had in flight, a permanent refusal stops at once, and text typed by
anybody can neither break a subject nor become a link."""

import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from forum import mails
from forum.extensions import db
from forum.models import OutboxMail, User, utcnow
from forum.services import Mail, outbox
from tests.conftest import PG_URL, SinkHandler, free_port, fresh_database, make_app

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def _server(handler):
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def world(tmp_path_factory):
    """An app of its own on a database of its own, sending to a real SMTP sink: these tests
    need commits that other processes see."""
    handler = SinkHandler()
    with fresh_database(tmp_path_factory, "outbox") as url, _server(handler) as controller:
        app = make_app(url, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                       MAIL_SUPPRESS_SEND=False)
        with app.app_context():
            db.create_all()
            mails.mail.init_app(app)
            yield app, url, controller, list.__iter__, handler
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _received(handler) -> list:
    return list(list.__iter__(handler.messages))


def _enqueue(count: int, subject="Betreff") -> None:
    for i in range(count):
        outbox.enqueue(Mail(to=f"person{i}@example.org", template="confirm", subject=subject,
                            context={"user": None, "token": f"t{i}"}))
    db.session.commit()


def test_two_worker_processes_on_one_database_send_each_mail_once(world):
    app, url, controller, _it, handler = world
    _enqueue(120)
    env = {**os.environ, "FLASK_APP": "forum", "FORUM_DATABASE_URL": url,
           "FORUM_MAIL_SERVER": "127.0.0.1", "FORUM_MAIL_PORT": str(controller.port),
           "FORUM_SECRET_KEY": "test-secret", "FORUM_BASE_URL": "http://localhost"}
    flask = [sys.executable, "-m", "flask", "forum", "outbox", "run", "--once"]
    for _round in range(4):  # each --once run sends at most 100; overlapping cron runs
        workers = [subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT) for _ in range(2)]
        outputs = [w.communicate(timeout=120)[0].decode() for w in workers]
        assert all(w.returncode == 0 for w in workers), outputs
        db.session.expire_all()
        if not db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)
                                 .where(OutboxMail.sent_at.is_(None))):
            break
    received = [message["To"] for message in _received(handler)]
    assert len(received) == 120 and len(set(received)) == 120


def test_a_worker_killed_after_sending_repeats_only_that_mail_after_the_lease(world):
    _app, _url, _controller, _it, handler = world
    _enqueue(3)
    row = mails.claim_next()  # the worker claims a mail, the server accepts it ...
    mails._send(mails.build_message(row))  # noqa: SLF001 (the worker's own step, alone)
    db.session.rollback()  # ... and the worker dies before it records the sending
    db.session.remove()
    assert mails.run_once() == 2  # the other mails go out; the one in flight waits
    assert len(_received(handler)) == 3
    assert mails.run_once() == 0  # within the lease nothing is repeated
    db.session.execute(sa.update(OutboxMail).where(OutboxMail.sent_at.is_(None))
                       .values(next_attempt_at=utcnow() + mails.LEASE - timedelta(hours=1)))
    db.session.commit()
    assert mails.run_once() == 1  # after the lease: the one mail in flight, once more
    recipients = [message["To"] for message in _received(handler)]
    assert len(recipients) == 4 and recipients.count(recipients[0]) == 2
    assert len(set(recipients)) == 3


class Refusing(SinkHandler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 Unbekannter Empfänger"


def test_a_permanent_refusal_marks_the_mail_failed_at_once(world):
    app, *_ = world
    with _server(Refusing()) as refusing:
        app.config["MAIL_PORT"] = refusing.port
        mails.mail.init_app(app)
        _enqueue(1)
        assert mails.run_once() == 0
    row = db.session.scalar(sa.select(OutboxMail))
    assert row.failed_at is not None and row.attempts == 1 and "550" in row.last_error


def test_a_title_with_line_breaks_gives_a_one_line_subject(world):
    _app, _url, _controller, _it, handler = world
    _enqueue(1, subject="Neue Antwort: Titel\r\nBcc: alle@example.org\x0b!")
    db.session.execute(sa.update(OutboxMail).values(
        subject="Neue Antwort: Titel\r\nBcc: alle@example.org\x1b!"))  # stored before the fix
    db.session.commit()
    assert mails.run_once() == 1
    message = _received(handler)[0]
    assert message["Subject"] == "Neue Antwort: Titel Bcc: alle@example.org !"
    assert message["Bcc"] is None


def test_text_typed_by_anybody_is_never_a_link_in_the_html_part(world):
    _app, _url, _controller, _it, handler = world
    user = User(email="gast@example.org", display_name="http://boese.example/login",
                password_hash="x")
    db.session.add(user)
    db.session.flush()
    outbox.enqueue(Mail(to=user.email, template="confirm", subject="Bitte bestätigen",
                        context={"user": user, "token": "abc"}))
    db.session.commit()
    assert mails.run_once() == 1
    html = _received(handler)[0].get_body(("html",)).get_content()
    assert 'href="http://boese.example' not in html
    assert '<a href="http://localhost/konto/bestaetigen/abc">' in html


@pytest.mark.skipif(not PG_URL, reason="the same claim, on PostgreSQL's row locking")
def test_claims_do_not_collide_on_postgresql(world):
    _enqueue(5)
    first, second = mails.claim_next(), mails.claim_next()
    assert first.id != second.id
