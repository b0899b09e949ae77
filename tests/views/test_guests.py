"""Guests ask without an account: double opt-in by mail, pre-moderation, and a personal link
that is signed, expires, can be revoked and acts on its own thread only."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Board,
    GuestLink,
    Post,
    PostKind,
    PostState,
    Thread,
    ThreadState,
    User,
    Watch,
    utcnow,
)
from forum.services import guests, moderation, queue, threads
from tests.conftest import login
from tests.factories import PASSWORD, make_expert, make_thread, make_topic, make_user

EMAIL = "gast@example.org"


pytestmark = pytest.mark.usefixtures("smtp_sink")  # every test sends through the sink


@pytest.fixture
def topic(app):
    return make_topic(name="Arbeitszeit")


def _ask(client, topic, **overrides):
    data = {"board": topic.board.id, "title": "Wie plane ich Schichten fair?",
            "body": "Wir suchen ein faires Verfahren für Wochenenddienste.",
            "display_name": "Erika Gast", "email": EMAIL}
    data.update(overrides)
    return client.post("/fragen/neu", data=data)


def _link_in(message, kind) -> str:
    body = message.get_body(("plain",)).get_content()
    pattern = {"confirm": r"http://localhost(/gast/bestaetigen/\S+)",
               "personal": r"http://localhost(/gast/(?!bestaetigen|link-anfordern)[^/\s]+)\s"}
    return re.search(pattern[kind], body).group(1)


def _asked_and_confirmed(client, topic, messages):
    _ask(client, topic)
    confirm = _link_in(messages[-1], "confirm")
    client.post(confirm)
    return _link_in(messages[-1], "personal")


def _thread() -> Thread:
    return db.session.scalar(select(Thread))


def _approve_question():
    moderator = make_user(role="moderator")
    question = db.session.scalar(select(Post).where(Post.kind == PostKind.QUESTION))
    moderation.approve_post(moderator, question)
    return moderator


# --- asking and confirming --------------------------------------------------------------

def test_visitor_sees_name_and_email_fields_on_the_ask_form(client, topic):
    page = client.get("/fragen/neu").text
    assert 'name="display_name"' in page and 'name="email"' in page
    assert "Anmelden" in page


def test_guest_question_is_stored_unconfirmed_and_a_confirmation_mail_goes_out(
        client, topic, smtp_sink):
    _controller, messages = smtp_sink
    response = _ask(client, topic)
    assert response.status_code == 302 and response.location.endswith("/gast/gesendet")
    thread = _thread()
    guest = db.session.get(User, thread.author_id)
    assert guest.is_guest and guest.email == EMAIL and guest.display_name == "Erika Gast"
    assert not guest.is_confirmed and not guest.is_active
    assert thread.state == ThreadState.UNCONFIRMED
    assert thread.posts[0].state == PostState.UNCONFIRMED
    assert queue.pending_posts(make_user(role="moderator")).items == []  # not in moderation yet
    assert client.get(f"/fragen/{thread.id}-{thread.slug}").status_code == 404
    assert db.session.get(Board, topic.board.id).thread_count == 0
    assert len(messages) == 1 and messages[0]["To"] == EMAIL
    assert "/gast/bestaetigen/" in messages[0].get_body(("plain",)).get_content()


def test_confirming_puts_the_question_into_the_queue_and_mails_the_personal_link(
        client, topic, smtp_sink):
    _controller, messages = smtp_sink
    _ask(client, topic)
    confirm = _link_in(messages[0], "confirm")
    page = client.get(confirm)  # a mail scanner opening the link changes nothing
    assert "Frage bestätigen" in page.text and _thread().state == ThreadState.UNCONFIRMED
    response = client.post(confirm)
    assert response.status_code == 302 and "/gast/" in response.location
    thread = _thread()
    assert thread.state == ThreadState.PENDING
    assert [p.id for p in queue.pending_posts(make_user(role="moderator")).items] == [
        thread.posts[0].id]
    assert len(messages) == 2 and "persönlicher Link" in messages[1]["Subject"]
    personal = _link_in(messages[1], "personal")
    assert "wartet auf Freigabe" in client.get(personal).text
    assert db.session.scalar(select(func.count()).select_from(Watch)) == 1  # follows it
    client.post(confirm)  # twice: nothing new
    assert len(messages) == 2


def test_guest_questions_always_wait_for_approval(client, topic, smtp_sink):
    # this configuration lets new accounts publish directly; guests still wait
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    moderator = _approve_question()
    assert _thread().state == ThreadState.OPEN
    threads.add_answer(make_expert(), _thread(), "Eine Antwort aus der Praxis.")
    response = client.post(personal, data={"body": "Danke, und wie ist es nachts?"})
    assert response.status_code == 302
    followup = db.session.scalar(select(Post).where(Post.kind == PostKind.FOLLOWUP))
    assert followup.state == PostState.PENDING
    assert followup in queue.pending_posts(moderator).items
    assert "Danke, und wie ist es nachts?" in client.get(personal).text  # shown to the guest


def test_bad_input_is_named_next_to_the_field_and_nothing_is_stored(client, topic):
    make_user(display_name="Dr. Vergeben")
    response = _ask(client, topic, email="keine-adresse", display_name="Dr. Vergeben")
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in response.text
    assert "Wie plane ich Schichten fair?" in response.text  # typed text kept
    response = _ask(client, topic, display_name="dr. vergeben")
    assert "verwendet bereits ein Konto" in response.text
    assert 'value="dr. vergeben"' in response.text
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}], indirect=False)
def test_guests_are_rate_limited_and_keep_their_text(client, topic, app):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"],
                                 "guest": {"client": "100 per hour", "address": "2 per day"}}
    for number in range(2):
        assert _ask(client, topic, title=f"Frage Nummer {number} zum Thema",
                    body=f"Text Nummer {number}").status_code == 302
    refused = _ask(client, topic, title="Die dritte Frage zum Thema", body="Dritter Text")
    assert refused.status_code == 200 and "sehr viele Beiträge" in refused.text
    assert "Die dritte Frage zum Thema" in refused.text
    assert _ask(client, topic, email="andere@example.org").status_code == 302


def test_question_with_an_accounts_address_becomes_that_accounts_question(
        client, topic, smtp_sink):
    _controller, messages = smtp_sink
    owner = make_user(email=EMAIL, display_name="Konto Inhaberin")
    _ask(client, topic)
    assert "bereits ein Konto" in messages[0].get_body(("plain",)).get_content()
    client.post(_link_in(messages[0], "confirm"))
    thread = _thread()
    assert thread.author_id == owner.id and thread.state == ThreadState.PENDING
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    login(client, owner)
    assert "Wie plane ich Schichten fair?" in client.get("/konto/beitraege").text


def test_the_guests_email_is_never_shown(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    _approve_question()
    thread = _thread()
    for url in (f"/fragen/{thread.id}-{thread.slug}", personal):
        page = client.get(url).text
        assert "Erika Gast" in page and EMAIL not in page, url
    assert EMAIL not in client.get(f"/themen/{topic.slug}").text


# --- the personal link ------------------------------------------------------------------

def test_guest_marks_the_helpful_answer_and_removes_the_mark(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    _approve_question()
    answer = threads.add_answer(make_expert(), _thread(), "So geht es am besten.")
    page = client.get(personal).text
    assert "Als hilfreichste Antwort markieren" in page
    client.post(f"{personal}/hilfreich/{answer.id}")
    thread = _thread()
    assert thread.accepted_post_id == answer.id and thread.state == ThreadState.ANSWERED
    client.post(f"{personal}/hilfreich-entfernen/{answer.id}")
    thread = _thread()
    assert thread.accepted_post_id is None and thread.state == ThreadState.OPEN


def test_a_guest_link_cannot_act_on_any_other_thread(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    _approve_question()
    own = _thread()
    other = make_thread(topic.board, make_user(), title="Eine ganz andere Frage")
    foreign_answer = threads.add_answer(make_expert(), other, "Antwort im anderen Thema")
    assert client.post(f"{personal}/hilfreich/{foreign_answer.id}").status_code == 404
    assert client.post(f"{personal}/hilfreich/{own.posts[0].id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Thread, other.id).accepted_post_id is None
    # the link's rules name only its own thread
    link = db.session.scalar(select(GuestLink).where(GuestLink.confirmed_at.is_not(None)))
    from forum.permissions import can

    assert can("guest.view", link, own)
    for action in ("guest.view", "guest.followup", "guest.withdraw", "guest.convert"):
        assert not can(action, link, other), action
    assert not can("guest.accept", link, foreign_answer)
    # a tampered token, and a confirmation token used as a personal one, open nothing
    token = personal.rsplit("/", 1)[1]
    assert client.get(f"/gast/{token[:-2]}xx").status_code == 404
    confirm_token = guests.token(link, guests.CONFIRM)
    assert client.get(f"/gast/{confirm_token}").status_code == 404


def test_an_expired_link_stops_working(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    assert client.get(personal).status_code == 200
    link = db.session.scalar(select(GuestLink))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(personal)
    assert response.status_code == 404 and "abgelaufen" in response.text
    assert client.post(personal, data={"body": "Noch eine Rückfrage"}).status_code == 404


def test_an_old_confirmation_link_is_refused(client, topic, smtp_sink, monkeypatch):
    _controller, messages = smtp_sink
    import itsdangerous.timed

    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() - 8 * 86400)
    _ask(client, topic)
    monkeypatch.setattr(itsdangerous.timed.time, "time", real_time)
    response = client.post(_link_in(messages[0], "confirm"))
    assert response.status_code == 404
    assert _thread().state == ThreadState.UNCONFIRMED


def test_renewing_revokes_the_old_link_and_mails_a_new_one(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    response = client.post(f"{personal}/neuer-link")
    assert "Der bisherige Link ist gesperrt" in response.text
    assert client.get(personal).status_code == 404
    fresh = _link_in(messages[-1], "personal")
    assert fresh != personal and client.get(fresh).status_code == 200


def test_request_new_links_by_address_without_revealing_who_is_known(
        client, topic, smtp_sink):
    _controller, messages = smtp_sink
    _asked_and_confirmed(client, topic, messages)
    client.get("/")  # shows the confirmation's flash message
    before = len(messages)
    unknown = client.post("/gast/link-anfordern", data={"email": "niemand@example.org"})
    known = client.post("/gast/link-anfordern", data={"email": EMAIL})
    def main(response):
        return response.text.split("<main", 1)[1].split("</main>", 1)[0]

    assert main(unknown) == main(known)
    assert len(messages) == before + 1
    assert client.get(_link_in(messages[-1], "personal")).status_code == 200


def test_withdrawing_takes_the_question_off_the_site_and_stops_every_link(
        client, topic, smtp_sink):
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    _approve_question()
    thread = _thread()
    assert db.session.get(Board, topic.board.id).thread_count == 1
    assert "endgültig" in client.get(f"{personal}/zurueckziehen").text
    response = client.post(f"{personal}/zurueckziehen")
    assert "zurückgezogen" in response.text
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).state == ThreadState.WITHDRAWN
    assert db.session.get(Board, topic.board.id).thread_count == 0
    assert client.get(f"/fragen/{thread.id}-{thread.slug}").status_code == 404
    assert client.get(personal).status_code == 404


def test_guest_turns_into_an_account_that_owns_the_question(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    form = client.get(f"{personal}/konto").text
    assert 'value="Erika Gast"' in form
    short = client.post(f"{personal}/konto", data={
        "display_name": "Erika Gast", "password": "kurz", "password_confirm": "kurz"})
    assert "mindestens 10 Zeichen" in short.text and 'value="Erika Gast"' in short.text
    response = client.post(f"{personal}/konto", data={
        "display_name": "Erika Mustermann", "password": PASSWORD, "password_confirm": PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == EMAIL))
    assert not user.is_guest and user.is_active and user.display_name == "Erika Mustermann"
    assert _thread().author_id == user.id
    assert "Wie plane ich Schichten fair?" in client.get("/konto/beitraege").text
    assert client.get(personal).status_code == 404  # from now on the person logs in
    client.post("/konto/abmelden")
    assert login(client, user).status_code == 302


def test_registering_with_a_guests_address_sends_links_and_sets_no_password(
        client, topic, smtp_sink):
    _controller, messages = smtp_sink
    _asked_and_confirmed(client, topic, messages)
    before = len(messages)
    response = client.post("/konto/registrieren", follow_redirects=True, data={
        "email": EMAIL, "display_name": "Jemand Anderes", "password": "ein-langes-passwort",
        "password_confirm": "ein-langes-passwort"})
    assert response.status_code == 200 and "Postfach" in response.text
    user = db.session.scalar(select(User).where(User.email == EMAIL))
    assert user.is_guest and user.password_hash == ""
    assert len(messages) == before + 1 and "/gast/" in messages[-1].get_body(
        ("plain",)).get_content()
    assert login(client, user, "ein-langes-passwort").status_code == 200  # no log-in


def test_guest_cannot_log_in_even_with_an_empty_password(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    _asked_and_confirmed(client, topic, messages)
    response = client.post("/konto/anmelden", data={"email": EMAIL, "password": ""})
    assert response.status_code == 200
    assert client.get("/konto/beitraege").status_code == 302


# --- housekeeping -----------------------------------------------------------------------

def test_purge_deletes_unconfirmed_questions_after_seven_days(client, topic, smtp_sink,
                                                              runner):
    _controller, messages = smtp_sink
    _ask(client, topic, email="alt@example.org", title="Eine alte unbestätigte Frage")
    _ask(client, topic, email="neu@example.org", title="Eine neue unbestätigte Frage")
    _asked_and_confirmed(client, topic, messages)
    old = db.session.scalar(select(Thread).where(Thread.title.like("Eine alte%")))
    old.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    result = runner.invoke(args=["forum", "purge-guests"])
    assert result.exit_code == 0 and "1 unbestätigte" in result.output
    titles = set(db.session.scalars(select(Thread.title)))
    assert titles == {"Eine neue unbestätigte Frage", "Wie plane ich Schichten fair?"}
    emails = set(db.session.scalars(select(User.email)))
    assert emails == {"neu@example.org", EMAIL}
    assert db.session.scalar(select(func.count()).select_from(GuestLink)) == 2


def test_guest_hears_of_answers_with_a_footer_for_guests(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    _asked_and_confirmed(client, topic, messages)
    _approve_question()
    threads.add_answer(make_expert(), _thread(), "Die Antwort der Fachperson.")
    note = next(m for m in messages if m["Subject"].startswith("Neue Antwort"))
    assert note["To"] == EMAIL and note["List-Unsubscribe"]
    body = note.get_body(("plain",)).get_content()
    assert "/gast/link-anfordern" in body and "/konto/benachrichtigungen" not in body


def test_moderators_see_that_a_question_comes_from_a_guest(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    _asked_and_confirmed(client, topic, messages)
    login(client, make_user(role="moderator"))
    queue_page = client.get("/moderation").text
    assert "Erika Gast (Gast)" in queue_page and EMAIL not in queue_page
    question = _thread().posts[0]
    detail = client.get(f"/moderation/beitraege/{question.id}").text
    assert ">Gast</span>" in detail and EMAIL not in detail


def test_follow_up_to_a_thread_closed_meanwhile_keeps_the_text(client, topic, smtp_sink):
    _controller, messages = smtp_sink
    personal = _asked_and_confirmed(client, topic, messages)
    _approve_question()
    thread = _thread()
    thread.locked = True
    db.session.commit()
    response = client.post(personal, data={"body": "Meine lange Rückfrage"})
    assert response.status_code == 403
    assert "nicht gespeichert" in response.text
    assert "Meine lange Rückfrage</textarea>" in response.text
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
