"""Writes that happen once: every form that creates something carries a one-time key, so a
double click, a reload or a retry creates it once and shows the result (SQLite and
PostgreSQL, also with two requests at the same moment)."""

import re
import threading

import sqlalchemy as sa

from forum.extensions import db
from forum.models import Appeal, Post, ProjectUpdate, Report, Submission, Thread
from forum.services import counters, moderation, once, statements
from tests.conftest import IsolatedClient, fresh_database, login, make_app
from tests.factories import (
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)

KEY = re.compile(r'name="once" type="hidden" value="([^"]+)"|'
                 r'type="hidden" name="once" value="([^"]+)"|'
                 r'name="once" value="([^"]+)"')


def _key(page: str) -> str:
    match = KEY.search(page)
    assert match, "the form carries no one-time key"
    return next(group for group in match.groups() if group)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_each_showing_of_a_form_gets_a_new_key(client):
    topic = make_topic()
    login(client, make_user())
    first = _key(client.get(f"/fragen/neu?bereich={topic.board.id}").text)
    second = _key(client.get(f"/fragen/neu?bereich={topic.board.id}").text)
    assert first != second and len(first) == 43


def test_question_sent_twice_is_created_once_and_the_repeat_shows_it(client):
    topic = make_topic()
    login(client, make_user())
    key = _key(client.get("/fragen/neu").text)
    data = {"board": topic.board.id, "title": "Wie führen wir Gleitzeit ein?",
            "body": "Wir sind ein kleiner Betrieb.", "once": key}
    first = client.post("/fragen/neu", data=data)
    second = client.post("/fragen/neu", data=data)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert _count(Thread) == 1
    assert "schon gesendet" in client.get(second.location).text


def test_a_refused_form_keeps_its_key_and_the_corrected_one_creates_once(client):
    topic = make_topic()
    login(client, make_user())
    key = _key(client.get("/fragen/neu").text)
    refused = client.post("/fragen/neu", data={"board": topic.board.id, "title": "Kurz",
                                               "body": "Text", "once": key})
    assert refused.status_code == 200 and _key(refused.text) == key
    assert _count(Submission) == 0  # a refused form writes nothing, not even its key
    data = {"board": topic.board.id, "title": "Eine lange genug formulierte Frage",
            "body": "Text", "once": key}
    client.post("/fragen/neu", data=data)
    client.post("/fragen/neu", data=data)
    assert _count(Thread) == 1


def test_answer_sent_twice_is_one_answer(client):
    thread = make_thread(make_topic().board, make_user())
    login(client, make_expert())
    url = f"/fragen/{thread.id}-{thread.slug}"
    key = _key(client.get(url).text)
    responses = [client.post(url, data={"body": "Meine Antwort", "once": key})
                 for _ in range(3)]
    assert {r.status_code for r in responses} == {302}
    assert len({r.location for r in responses}) == 1
    assert _count(Post) == 2  # the question and one answer


def test_another_person_cannot_take_over_a_key(client):
    """A key belongs to whoever sent it first; someone else's form with it creates anew."""
    thread = make_thread(make_topic().board, make_user())
    first, second = make_expert(), make_expert()
    url = f"/fragen/{thread.id}-{thread.slug}"
    login(client, first)
    key = _key(client.get(url).text)
    client.post(url, data={"body": "Antwort eins", "once": key})
    client.post("/konto/abmelden", data={})
    login(client, second)
    response = client.post(url, data={"body": "Antwort zwei", "once": key})
    assert response.status_code in (200, 302)
    assert _count(Post) <= 3


def test_report_sent_twice_is_one_report(client):
    thread = make_thread(make_topic().board, make_expert())
    url = f"/beitraege/{thread.posts[0].id}/melden"
    key = _key(client.get(url).text)
    data = {"category": "spam", "explanation": "Werbung", "good_faith": "y", "once": key}
    assert "Danke für Ihre Meldung" in client.post(url, data=data).text
    assert "Danke für Ihre Meldung" in client.post(url, data=data).text
    assert _count(Report) == 1


def test_appeal_sent_twice_is_one_appeal(client):
    author = make_user()
    thread = make_thread(make_topic().board, author)
    outcome = moderation.hide_post(make_user(role="moderator"), thread.posts[0],
                                   ground_kind="rule", ground="Regel 1", facts="Beleidigend")
    url = f"/entscheidungen/{statements.token_for_author(outcome.decision)}"
    key = _key(client.get(url).text)
    data = {"text": "Das war keine Beleidigung.", "once": key}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert _count(Appeal) == 1


def test_project_update_sent_twice_is_one_update(client):
    project = make_project()
    login(client, make_user(project=project))
    url = f"/projekte/{project.slug}/neuigkeiten/neu"
    key = _key(client.get(url).text)
    data = {"title": "Zwischenbericht", "body": "Was wir gelernt haben.", "once": key}
    assert client.post(url, data=data).location == client.post(url, data=data).location
    assert _count(ProjectUpdate) == 1


def test_guest_question_sent_twice_is_one_question_and_one_mail(client, smtp_sink):
    topic = make_topic()
    key = _key(client.get("/fragen/neu").text)
    data = {"board": topic.board.id, "title": "Wie plane ich Schichten fair?",
            "body": "Wir suchen ein faires Verfahren.", "display_name": "Erika Gast",
            "email": "gast@example.org", "once": key}
    assert client.post("/fragen/neu", data=data).status_code == 302
    assert client.post("/fragen/neu", data=data).status_code == 302
    assert _count(Thread) == 1 and len(smtp_sink[1]) == 1


def test_old_keys_are_forgotten_after_a_day(app):
    from datetime import timedelta

    from forum.models import utcnow

    thread = make_thread(make_topic().board, make_user())
    db.session.add(Submission(key="k" * 43, kind="thread", object_id=thread.id,
                              created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    assert once.purge() == 1 and _count(Submission) == 0


def test_two_requests_at_the_same_moment_create_one_answer(tmp_path_factory):
    """A double click: two requests with one key side by side, each on its own connection."""
    with fresh_database(tmp_path_factory, "forum_once") as url:
        app = make_app(url)
        app.test_client_class = IsolatedClient
        with app.app_context():
            db.create_all()
            thread = make_thread(make_topic().board, make_user())
            expert = make_expert()
            path = f"/fragen/{thread.id}-{thread.slug}"
            clients = [app.test_client() for _ in range(2)]
            for client in clients:
                login(client, expert)
            key = _key(clients[0].get(path).text)
            start = threading.Barrier(2)
            statuses = []

            def send(client):
                with app.app_context():
                    start.wait()
                    statuses.append(client.post(path, data={"body": "Zugleich", "once": key})
                                    .status_code)
                    db.session.remove()

            workers = [threading.Thread(target=send, args=(c,)) for c in clients]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=60)
            db.session.expire_all()
            assert statuses == [302, 302]
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(
                Post.thread_id == thread.id, Post.body_source == "Zugleich")) == 1
            assert counters.check() == []  # the answer counted once, too
            db.session.remove()
            db.drop_all()
            db.engine.dispose()

