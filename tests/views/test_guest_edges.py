"""Edges of the guest flow found in review: pre-hijacked addresses, withdrawal against
moderation, merges, stale marks, lock-outs and shared rate limits."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import NotFound

from forum.extensions import db
from forum.models import (
    Anonymous,
    Board,
    Post,
    PostKind,
    PostState,
    Thread,
    ThreadState,
    User,
    utcnow,
)
from forum.services import ServiceError, answers, guests, moderation, queue, threads
from tests.conftest import login
from tests.factories import PASSWORD, make_expert, make_thread, make_topic, make_user

EMAIL = "opfer@example.org"


pytestmark = pytest.mark.usefixtures("smtp_sink")  # every test sends through the sink


@pytest.fixture
def topic(app):
    return make_topic()


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def _guest_question(topic, email=EMAIL, name="Echte Person", approve=True):
    link = guests.ask(Anonymous(), topic.board, name, email, "Eine echte Frage hier", "Text")
    guests.confirm(link)
    if approve:
        moderation.approve_post(make_user(role="moderator"), link.thread.posts[0])
    return link


def test_confirming_a_guest_question_never_activates_a_password_set_by_someone_else(
        client, topic, smtp_sink):
    _controller, messages = smtp_sink
    client.post("/konto/registrieren", data={
        "email": EMAIL, "display_name": "Angreifer", "password": "angreifer-passwort",
        "password_confirm": "angreifer-passwort"})
    attacker_row = db.session.scalar(select(User).where(User.email == EMAIL))
    assert not attacker_row.is_confirmed
    link = _guest_question(topic, approve=False)
    user = db.session.get(User, link.user_id)
    assert user.id == attacker_row.id and user.is_guest and user.password_hash == ""
    assert user.display_name == "Echte Person"
    response = client.post("/konto/anmelden", data={"email": EMAIL,
                                                      "password": "angreifer-passwort"})
    assert response.status_code == 200 and "falsch" in response.text
    assert client.get("/konto/beitraege").status_code == 302


def test_a_withdrawn_question_leaves_the_queue_and_no_moderation_brings_it_back(
        client, topic, smtp_sink):
    pending = _guest_question(topic, approve=False)
    published = _guest_question(make_topic(), email="zwei@example.org")
    moderator = make_user(role="moderator")
    for link in (pending, published):
        guests.withdraw(link)
    assert queue.pending_posts(moderator).items == []
    login(client, moderator)
    question = pending.thread.posts[0]
    assert client.post(f"/moderation/beitraege/{question.id}/freigeben",
                       data={"approve-body": question.body_source}).status_code == 404
    with pytest.raises(NotFound):
        moderation.approve_post(moderator, question)
    db.session.rollback()
    answer_hide = published.thread.posts[0]
    assert client.post(f"/moderation/beitraege/{answer_hide.id}/ausblenden", data={
        "hide-ground_kind": "rule", "hide-ground": "R", "hide-facts": "F"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Thread, pending.thread_id).state == ThreadState.WITHDRAWN
    assert db.session.get(Board, published.thread.board_id).thread_count == 0


def test_after_withdrawing_the_guest_can_still_get_an_account(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    link = _guest_question(topic)
    guests.withdraw(link)
    before = len(messages)
    client.post("/konto/registrieren", data={
        "email": EMAIL, "display_name": "Echte Person", "password": "ein-langes-passwort",
        "password_confirm": "ein-langes-passwort"})
    assert len(messages) == before + 1
    setup = re.search(r"http://localhost(/gast/konto-anlegen/\S+)", _body(messages[-1]))
    page = client.get(setup.group(1))
    assert 'value="Echte Person"' in page.text
    response = client.post(setup.group(1), data={
        "display_name": "Echte Person", "password": PASSWORD, "password_confirm": PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == EMAIL))
    assert not user.is_guest and user.check_password(PASSWORD)
    assert client.get(setup.group(1)).status_code == 404  # used up: no guest any more


def test_an_address_typed_by_a_stranger_does_not_block_registration(client, topic,
                                                                    smtp_sink):
    _controller, messages = smtp_sink
    guests.ask(Anonymous(), topic.board, "Fremde Person", EMAIL, "Fremde Frage hier", "Text")
    client.post("/gast/link-anfordern", data={"email": EMAIL})
    assert "/gast/konto-anlegen/" in _body(messages[-1])


def test_moderators_cannot_merge_into_unconfirmed_or_withdrawn_threads(client, topic,
                                                                       smtp_sink):
    unconfirmed = guests.ask(Anonymous(), topic.board, "Gast", "g@example.org",
                             "Noch nicht bestätigt", "Text")
    withdrawn = _guest_question(topic, email="w@example.org")
    guests.withdraw(withdrawn)
    source = make_thread(topic.board, make_user(), title="Ein echtes Thema hier")
    threads.add_answer(make_expert(), source, "Eine wertvolle Antwort")
    login(client, make_user(role="moderator"))
    for target in (unconfirmed.thread_id, withdrawn.thread_id):
        response = client.post(f"/moderation/themen/{source.id}/zusammenfuehren",
                               data={"merge-target": target})
        assert "gibt es in Ihren Bereichen nicht" in response.text
    db.session.expire_all()
    assert db.session.get(Thread, source.id).state == ThreadState.OPEN


def test_purge_keeps_a_thread_that_holds_more_than_the_unconfirmed_question(app, topic,
                                                                          smtp_sink):
    link = guests.ask(Anonymous(), topic.board, "Gast", "g@example.org", "Alte Frage hier",
                      "Text")
    thread = db.session.get(Thread, link.thread_id)
    thread.created_at = utcnow() - timedelta(days=8)
    db.session.add(Post(thread_id=thread.id, author_id=make_user().id, kind=PostKind.ANSWER,
                        state=PostState.PUBLISHED, body_source="x", body_html="<p>x</p>"))
    db.session.commit()
    assert guests.purge_unconfirmed() == 0
    assert db.session.get(Thread, thread.id) is not None


def test_purge_removes_guests_whose_questions_are_all_withdrawn(app, topic, smtp_sink):
    link = _guest_question(topic)
    guests.withdraw(link)
    thread_id = link.thread_id
    _guest_question(make_topic(), email="bleibt@example.org")
    guests.purge_unconfirmed()
    emails = set(db.session.scalars(select(User.email).where(User.is_guest.is_(True))))
    assert emails == {"bleibt@example.org"}
    assert db.session.get(Thread, thread_id).author_id is None


def test_a_stale_helpful_mark_does_not_republish_a_withdrawn_thread(app, topic, smtp_sink):
    link = _guest_question(topic)
    answer = threads.add_answer(make_expert(), link.thread, "Antwort")
    # another request withdrew the thread; this one still holds the state it checked
    db.session.execute(Thread.__table__.update().where(Thread.id == link.thread_id)
                       .values(state=ThreadState.WITHDRAWN))
    db.session.commit()
    assert link.usable
    set_committed_value(answer.thread, "state", ThreadState.OPEN)
    with pytest.raises(ServiceError):
        answers.mark_helpful(None, answer, link=link)
    assert db.session.get(Thread, link.thread_id).state == ThreadState.WITHDRAWN


def test_a_merged_guest_question_leads_to_the_thread_it_joined(client, topic, smtp_sink):
    link = _guest_question(topic)
    target = make_thread(topic.board, make_user(), title="Das größere Thema hier")
    moderation.merge_threads(make_user(role="moderator"), link.thread, target)
    response = client.get(f"/gast/{guests.token(link)}")
    assert response.status_code == 302
    assert response.location.endswith(f"/fragen/{target.id}-{target.slug}")
    assert "zusammengeführt" in client.get(response.location).text


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}], indirect=False)
def test_strangers_requesting_links_do_not_use_up_the_guests_follow_ups(client, topic, app):
    link = _guest_question(topic)
    for _ in range(6):
        client.post("/gast/link-anfordern", data={"email": EMAIL})
    response = client.post(f"/gast/{guests.token(link)}", data={"body": "Meine Rückfrage"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Post).where(
        Post.kind == PostKind.FOLLOWUP)) == 1


def test_unconfirmed_questions_do_not_show_in_the_accounts_own_list(client, topic,
                                                                   smtp_sink):
    owner = make_user(email=EMAIL)
    guests.ask(Anonymous(), topic.board, "Jemand", EMAIL, "Untergeschobene Frage", "Text")
    login(client, owner)
    assert "Untergeschobene Frage" not in client.get("/konto/beitraege").text
