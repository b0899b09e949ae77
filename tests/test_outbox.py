"""The outbox: written in the change's transaction, sent once by the worker, nothing lost."""

import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from forum import mails
from forum.extensions import db
from forum.models import OutboxMail, utcnow
from forum.services import Mail, outbox
from tests.conftest import PG_URL, SinkHandler, free_port, sending_mail_to
from tests.factories import make_user


class FlakyHandler(SinkHandler):
    """Refuses the first `refusals` mails with a temporary error, then accepts."""

    def __init__(self, refusals: int):
        super().__init__()
        self.refusals = refusals

    async def handle_DATA(self, server, session, envelope):
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Bitte später noch einmal"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def flaky(app):
    """A server of its own that the app sends to instead of the shared sink."""
    handler = FlakyHandler(refusals=1)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with sending_mail_to(app, controller.port):
            yield controller, handler
    finally:
        controller.stop()


def _enqueue(to="empfang@example.org"):
    user = make_user(email=to)
    return outbox.enqueue(Mail(to=user.email, template="confirm", subject="Betreff",
                               context={"user": user, "token": "abc"}))


def test_rolled_back_change_sends_nothing(app, smtp_sink):
    user = make_user()
    outbox.enqueue(Mail(to=user.email, template="confirm", subject="x",
                        context={"user": user, "token": "t"}))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0
    assert mails.run_once() == 0
    assert list.__len__(smtp_sink[1]) == 0


def test_refusing_then_accepting_server_gets_the_mail_exactly_once(app, flaky):
    _controller, handler = flaky
    _enqueue()
    db.session.commit()
    assert mails.run_once() == 0  # refused: kept, retried later
    row = db.session.scalar(select(OutboxMail))
    assert (row.attempts, row.sent_at, row.failed_at) == (1, None, None)
    assert "451" in row.last_error and row.next_attempt_at > utcnow()
    assert mails.run_once() == 0  # not due yet
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert mails.run_once() == 1
    assert mails.run_once() == 0
    assert list.__len__(handler.messages) == 1


def test_mail_has_text_html_site_name_and_settings_link(app, smtp_sink):
    _enqueue()
    db.session.commit()
    mails.run_once()
    message = list.__getitem__(smtp_sink[1], 0)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Fachdialog" in text and "/konto/benachrichtigungen/einstellungen" in text
    assert '<a href="http://localhost/konto/bestaetigen/abc">' in html


def test_mail_that_keeps_failing_is_marked_failed(app, smtp_sink, monkeypatch):
    _enqueue()
    db.session.commit()

    def broken(message):
        raise ConnectionRefusedError("kein Mailserver")

    monkeypatch.setattr(mails, "_send", broken)
    for _ in range(mails.MAX_ATTEMPTS):
        db.session.execute(OutboxMail.__table__.update().values(
            next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        mails.run_once()
    row = db.session.scalar(select(OutboxMail))
    assert row.failed_at is not None and row.attempts == mails.MAX_ATTEMPTS


@pytest.mark.skipif(not PG_URL, reason="row locking with SKIP LOCKED is PostgreSQL's")
@pytest.mark.committing  # two threads, two connections: the rows must really be committed
def test_two_workers_on_postgresql_send_each_mail_once(app, smtp_sink):
    for i in range(30):
        _enqueue(to=f"person{i}@example.org")
    db.session.commit()
    counts = []
    start = threading.Barrier(2)

    def worker():
        with app.app_context():
            start.wait()
            counts.append(mails.run_once(limit=100))
            db.session.remove()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    received = [m["To"] for m in list.__iter__(smtp_sink[1])]
    assert sum(counts) == 30 and len(received) == 30 and len(set(received)) == 30
    assert all(counts), counts  # both workers did part of the work
