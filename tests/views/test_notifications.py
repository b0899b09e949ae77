"""Watching, notifications in the site and by mail, the daily digest, one-click unsubscribe."""

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Notification, SiteRole, Watch, WatchMode
from forum.services import moderation, notifications, threads
from tests.conftest import login
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")  # every test sends through the sink


@pytest.fixture
def app_config():
    return {"PREMODERATION_THRESHOLD": 1}


@pytest.fixture
def mails(smtp_sink):
    return smtp_sink[1]


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_watch_button_and_new_question_in_topic_mails_watcher(client, mails):
    topic = make_topic(name="Gesundheit")
    watcher = make_user(display_name="Wanda Watcher")
    login(client, watcher)
    client.post("/beobachten", data={"kind": "topic_field", "target": topic.id,
                                     "next": f"/themen/{topic.slug}"})
    assert "Themenfeld nicht mehr beobachten" in client.get(f"/themen/{topic.slug}").text
    expert = make_expert()
    make_thread(topic.board, expert, title="Neue Frage im Themenfeld")
    assert [m["To"] for m in mails] == [watcher.email]
    message = mails[0]
    assert "Neue Frage im Themenfeld" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://localhost/abbestellen/\S+>",
                        message["List-Unsubscribe"].strip())
    assert "abbestellen" in _text(message)
    assert "1 neu" in client.get("/").text
    assert "Neue Frage im Themenfeld" in client.get("/konto/benachrichtigungen").text
    client.post("/konto/benachrichtigungen/gelesen")
    assert "1 neu" not in client.get("/").text


def test_project_watchers_and_tagged_topic_watchers_get_project_questions_once(app, mails):
    topic = make_topic()
    project = make_project(topics=[topic])
    both = make_user()
    notifications.watch(both, "project", project.id)
    notifications.watch(both, "topic_field", topic.id)
    make_thread(project.board, make_expert(), title="Frage im Projekt")
    assert [m["To"] for m in mails] == [both.email]


def test_pending_posts_notify_nobody_until_approved(app, mails):
    topic = make_topic()
    watcher = make_user()
    notifications.watch(watcher, "topic_field", topic.id)
    thread = make_thread(topic.board, make_user(), title="Wartet noch")
    assert len(mails) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    moderation.approve_post(make_user(role=SiteRole.MODERATOR), thread.posts[0])
    recipients = [m["To"] for m in mails]
    assert watcher.email in recipients  # and the author got the approval mail
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_author_watches_own_thread_and_hears_of_answers(app, mails):
    author = make_expert()
    thread = make_thread(make_topic().board, author)
    assert db.session.scalar(select(Watch).where(Watch.user_id == author.id)).thread_id == (
        thread.id)
    threads.add_answer(make_expert(), thread, "Eine Antwort für Sie")
    assert [m["To"] for m in mails] == [author.email]
    assert "Neue Antwort" in mails[0]["Subject"]


def test_digest_collects_and_sends_once(app, runner, mails):
    topic = make_topic()
    reader = make_user()
    notifications.watch(reader, "topic_field", topic.id, WatchMode.DIGEST)
    for title in ("Erste Frage hier", "Zweite Frage hier"):
        make_thread(topic.board, make_expert(), title=title)
    assert len(mails) == 0
    assert runner.invoke(args=["forum", "digest"]).exit_code == 0
    assert [m["To"] for m in mails] == [reader.email]
    text = _text(mails[0])
    assert "Erste Frage hier" in text and "Zweite Frage hier" in text
    runner.invoke(args=["forum", "digest"])
    assert len(mails) == 1


def test_one_click_unsubscribe_works_without_login(client, mails):
    topic = make_topic()
    reader = make_user()
    notifications.watch(reader, "topic_field", topic.id)
    make_thread(topic.board, make_expert())
    path = re.search(r"<http://localhost(/abbestellen/\S+)>",
                     mails[0]["List-Unsubscribe"]).group(1)
    assert "Keine E-Mails mehr, nur im Forum" in client.get(path).text
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "keine E-Mails mehr" in response.text
    # only the mails stop (RFC 8058's one click): the watch stays, in the forum only
    assert db.session.scalars(select(Watch.mode).where(
        Watch.user_id == reader.id)).all() == [WatchMode.SITE]
    assert client.get("/abbestellen/falsch").status_code == 404


def test_settings_change_mode_and_remove(client):
    topic, project = make_topic(), make_project()
    user = make_user()
    first = notifications.watch(user, "topic_field", topic.id)
    second = notifications.watch(user, "project", project.id)
    first_id, second_id = first.id, second.id
    login(client, user)
    page = client.get("/konto/benachrichtigungen/einstellungen").text
    assert topic.name in page and project.name in page
    client.post("/konto/benachrichtigungen/einstellungen",
                data={f"mode-{first_id}": "digest", f"mode-{second_id}": "instant",
                      f"remove-{second_id}": "1"})
    assert db.session.get(Watch, first_id).mode == WatchMode.DIGEST
    assert db.session.get(Watch, second_id) is None


def test_english_recipient_gets_english_mail(app, mails):
    topic = make_topic()
    reader = make_user(locale="en")
    notifications.watch(reader, "topic_field", topic.id)
    make_thread(topic.board, make_expert(), title="Frage")
    assert mails[0]["Subject"].startswith("New question")
    assert "Hello" in _text(mails[0])
