"""Notifications never carry what is not public; unsubscribe links name their watch."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum import mails
from forum.extensions import db
from forum.models import GroundKind, Notification, OutboxMail, SiteRole, Watch, WatchMode, utcnow
from forum.services import ServiceError, moderation, notifications, threads
from tests.conftest import login
from tests.factories import make_expert, make_thread, make_topic, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")  # every test sends through the sink


@pytest.fixture
def app_config():
    return {"PREMODERATION_THRESHOLD": 1}


def test_watching_a_thread_one_cannot_see_is_refused(client):
    hidden = make_thread(make_topic().board, make_user(), title="Geheime wartende Frage")
    snoop = make_user()
    with pytest.raises(ServiceError):
        notifications.watch(snoop, "thread", hidden.id)
    login(client, snoop)
    client.post("/beobachten", data={"kind": "thread", "target": hidden.id, "next": "/"})
    assert "Geheime wartende Frage" not in client.get(
        "/konto/benachrichtigungen/einstellungen").text


def test_unsubscribe_link_of_a_removed_watch_cannot_remove_a_newer_one(client):
    topic, other = make_topic(), make_topic()
    first_user, second_user = make_user(), make_user()
    old = notifications.watch(first_user, "topic_field", topic.id)
    token = notifications.unsubscribe_token(old)
    notifications.unwatch(first_user, old)
    newer = notifications.watch(second_user, "topic_field", other.id)
    newer_id = newer.id
    client.post(f"/abbestellen/{token}")
    assert db.session.get(Watch, newer_id) is not None
    assert client.get(f"/abbestellen/{token}").status_code == 404


def test_answer_approved_in_a_hidden_thread_notifies_nobody(app, smtp_sink):
    watcher = make_user()
    thread = make_thread(make_topic().board, make_expert(), title="Bald weg")
    notifications.watch(watcher, "thread", thread.id)
    topic_board = thread.board
    topic_board.require_approval = True
    db.session.commit()
    pending = threads.add_answer(make_expert(), thread, "Wartende Antwort")
    moderation.hide_post(make_user(role=SiteRole.MODERATOR), thread.posts[0],
                         ground_kind=GroundKind.RULE, ground="R", facts="F")
    moderation.approve_post(make_user(role=SiteRole.MODERATOR), pending)
    assert watcher.email not in [m["To"] for m in smtp_sink[1]]
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == watcher.id)) == 0


def test_notification_for_content_hidden_before_sending_is_withdrawn(client, smtp_sink):
    topic = make_topic()
    watcher = make_user()
    notifications.watch(watcher, "topic_field", topic.id)
    thread = make_thread(topic.board, make_expert(), title="Später verborgen")
    moderation.hide_post(make_user(role=SiteRole.MODERATOR), thread.posts[0],
                         ground_kind=GroundKind.RULE, ground="R", facts="F")
    assert watcher.email not in [m["To"] for m in smtp_sink[1]]
    row = db.session.scalar(select(OutboxMail).where(OutboxMail.recipient == watcher.email))
    assert row.failed_at is not None and row.last_error.startswith("withdrawn")
    login(client, watcher)
    assert "Später verborgen" not in client.get("/konto/benachrichtigungen").text
    assert "neu)" not in client.get("/").text


def test_digest_has_one_click_unsubscribe_and_is_claimed_once(app, runner, smtp_sink):
    topic = make_topic()
    reader = make_user()
    notifications.watch(reader, "topic_field", topic.id, WatchMode.DIGEST)
    make_thread(topic.board, make_expert(), title="Für die Übersicht")
    assert notifications.send_digests() == 1
    assert notifications.send_digests() == 0
    message = [m for m in smtp_sink[1] if m["To"] == reader.email][0]
    link = re.search(r"<http://localhost(/abbestellen/\S+)>",
                     message["List-Unsubscribe"].strip()).group(1)
    client = app.test_client()
    client.post(link)
    # no more digest; the topic stays watched in the forum, without mail (issue 14)
    assert db.session.scalars(select(Watch.mode).where(
        Watch.user_id == reader.id)).all() == [WatchMode.SITE]


def test_outbox_keeps_retrying_through_a_long_outage(app, monkeypatch):
    reader = make_user()
    notifications.watch(reader, "topic_field", make_topic().id)
    monkeypatch.setattr(mails, "_send", lambda message: (_ for _ in ()).throw(OSError("down")))
    from forum.services import Mail, outbox

    outbox.enqueue(Mail(to=reader.email, template="confirm", subject="x",
                        context={"user": reader, "token": "t"}))
    db.session.commit()
    for _ in range(10):  # ten failures: well past the old limit, still queued
        db.session.execute(OutboxMail.__table__.update().values(
            next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        mails.run_once()
    row = db.session.scalar(select(OutboxMail))
    assert row.attempts == 10 and row.failed_at is None
    assert row.next_attempt_at - utcnow() <= timedelta(minutes=61)
