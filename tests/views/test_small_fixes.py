"""Small defects found in review, each with the test that shows it fixed: guest links for
logged-in people, merge targets that must stay hidden, revoking every link of a question,
the spam guard's stamp, neutral team answers, reserved and look-alike names, feeds with
control characters in stored text."""

import re
import time

import feedparser
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Anonymous,
    GuestLink,
    ProjectMember,
    ProjectRole,
    Thread,
    ThreadState,
    User,
    utcnow,
)
from forum.services import guests, moderation, threads, updates
from tests.conftest import login
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user

# --- 1. a logged-in POST to /gast/link-anfordern --------------------------------------


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}], indirect=False)
def test_request_link_logged_in_post_is_refused_politely_and_sends_nothing(
        user_client, smtp_sink):
    _controller, messages = smtp_sink
    response = user_client.post("/gast/link-anfordern", data={"email": "gast@example.org"})
    assert response.status_code == 302
    assert response.location.endswith("/gast/link-anfordern")
    page = user_client.get(response.location)
    assert page.status_code == 200 and "Bitte melden Sie sich zuerst ab" in page.text
    assert len(messages) == 0
    assert db.session.scalar(select(func.count()).select_from(GuestLink)) == 0


# --- 2. a merge target the person may not see ---------------------------------------------

SECRET_TITLE = "Geheimes Zielthema der Moderation"


def _merged_into_unseen(state, source_author=None):
    """A public source thread merged into a target in `state` (pending or hidden)."""
    board = make_topic().board
    source = make_thread(board, source_author or make_user(), title="Öffentliche Ausgangsfrage")
    target = make_thread(board, make_user(), title=SECRET_TITLE)
    target.state = state
    db.session.commit()
    moderation.merge_threads(make_user(role="moderator"), source, target)
    return source, target


def _reveals(response, target) -> bool:
    text = response.get_data(as_text=True) + (response.location or "")
    return (SECRET_TITLE in text or target.slug in text
            or f"/fragen/{target.id}-" in text)


@pytest.mark.parametrize("state", [ThreadState.PENDING, ThreadState.HIDDEN])
def test_merged_thread_url_hides_a_target_the_visitor_may_not_see(client, state):
    source, target = _merged_into_unseen(state)
    response = client.get(f"/fragen/{source.id}-{source.slug}")
    assert response.status_code == 404
    assert "zusammengeführt" in response.text
    assert not _reveals(response, target)


def test_merged_thread_url_leads_those_who_may_see_the_target_there(client, app):
    source, target = _merged_into_unseen(ThreadState.PENDING)
    login(client, make_user(role="moderator"))
    response = client.get(f"/fragen/{source.id}-{source.slug}")
    assert response.status_code == 301
    assert response.location.endswith(f"/fragen/{target.id}-{target.slug}")


def test_merged_thread_url_follows_a_chain_of_merges_to_a_public_end(client, app):
    board = make_topic().board
    first, middle, last = (make_thread(board, make_user(), title=f"Thema Nummer {n} hier")
                           for n in range(3))
    moderator = make_user(role="moderator")
    moderation.merge_threads(moderator, first, middle)
    moderation.merge_threads(moderator, middle, last)
    response = client.get(f"/fragen/{first.id}-{first.slug}")
    assert response.status_code == 301
    assert response.location.endswith(f"/fragen/{last.id}-{last.slug}")


@pytest.mark.parametrize("state", [ThreadState.PENDING, ThreadState.HIDDEN])
def test_guest_link_of_a_merged_question_does_not_name_an_unseen_target(
        client, smtp_sink, state):
    topic = make_topic()
    link = guests.ask(Anonymous(), topic.board, "Gast Person", "gast2@example.org",
                      "Die Frage des Gastes hier", "Text")
    guests.confirm(link)
    moderator = make_user(role="moderator")
    moderation.approve_post(moderator, link.thread.posts[0])
    target = make_thread(topic.board, make_user(), title=SECRET_TITLE)
    target.state = state
    db.session.commit()
    moderation.merge_threads(moderator, link.thread, target)
    response = client.get(f"/gast/{guests.token(link)}")
    assert response.status_code == 200
    assert "zusammengeführt" in response.text
    assert not _reveals(response, target)
    target.state = ThreadState.OPEN  # once it is public, the link leads there by name
    db.session.commit()
    response = client.get(f"/gast/{guests.token(link)}")
    assert response.status_code == 302
    assert response.location.endswith(f"/fragen/{target.id}-{target.slug}")
    assert SECRET_TITLE in client.get(response.location).text


# --- 3. "Diesen Link sperren" blocks every link of the question ---------------------------

def test_revoking_a_link_blocks_every_link_of_that_question_and_mails_a_working_one(
        client, smtp_sink):
    _controller, messages = smtp_sink
    topic = make_topic()
    link = guests.ask(Anonymous(), topic.board, "Gast Person", "gast3@example.org",
                      "Die Frage des Gastes hier", "Text")
    guests.confirm(link)
    other = guests.ask(Anonymous(), topic.board, "Gast Person", "gast3@example.org",
                       "Eine zweite Frage des Gastes", "Ein anderer Text")
    guests.confirm(other)
    client.post("/gast/link-anfordern", data={"email": "gast3@example.org"})
    same_question = [row for row in db.session.scalars(
        select(GuestLink).where(GuestLink.thread_id == link.thread_id)) if row.usable]
    assert len(same_question) == 2  # the first link and the one requested by address
    passed_on = guests.token(same_question[-1])
    response = client.post(f"/gast/{guests.token(link)}/neuer-link")
    assert "Der bisherige Link ist gesperrt" in response.text
    for old in same_question:
        assert client.get(f"/gast/{guests.token(old)}").status_code == 404
    assert client.get(f"/gast/{passed_on}").status_code == 404
    fresh = messages[-1].get_body(("plain",)).get_content()
    fresh_token = re.search(r"http://localhost/gast/([^/\s]+)\s", fresh).group(1)
    assert client.get(f"/gast/{fresh_token}").status_code == 200
    # the guest's other question keeps its links
    assert client.get(f"/gast/{guests.token(other)}").status_code == 200


# --- 4. the spam guard's stamp: bounded age, one kind of form, one form -------------------

def _started(page: str) -> str:
    return re.search(r'name="started" type="hidden" value="([^"]*)"', page).group(1)


def _once(page: str) -> str:
    return re.search(r'name="once" type="hidden" value="([^"]*)"', page).group(1)


class TestSpamStamp:
    @pytest.fixture
    def app_config(self):
        return {"MIN_FILL_SECONDS": 2}

    REGISTER = {"email": "neu@example.org", "display_name": "Neue Person",
                "password": "ein-langes-passwort", "password_confirm": "ein-langes-passwort"}

    def test_a_stamp_older_than_two_days_is_refused_kindly_and_renewed(
            self, client, monkeypatch):
        started = _started(client.get("/konto/registrieren").text)
        now = time.time()
        monkeypatch.setattr(time, "time", lambda: now + 3 * 86400)
        response = client.post(
            "/konto/registrieren", follow_redirects=True,
            data={**self.REGISTER, "started": started})
        assert "sehr lange geöffnet" in response.text
        assert 'value="Neue Person"' in response.text and 'value="neu@example.org"' in response.text
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        fresh = _started(response.text)
        assert fresh != started
        monkeypatch.setattr(time, "time", lambda: now + 3 * 86400 + 5)
        response = client.post(
            "/konto/registrieren", follow_redirects=True, data={**self.REGISTER, "started": fresh})
        assert "Bitte prüfen Sie Ihr Postfach" in response.text

    def test_a_stamp_a_day_old_still_counts(self, client, monkeypatch):
        started = _started(client.get("/konto/registrieren").text)
        later = time.time() + 86400
        monkeypatch.setattr(time, "time", lambda: later)
        response = client.post(
            "/konto/registrieren", follow_redirects=True,
            data={**self.REGISTER, "started": started})
        assert "Bitte prüfen Sie Ihr Postfach" in response.text

    def test_a_stamp_works_only_on_its_own_kind_of_form(
            self, client, monkeypatch):
        board = make_topic().board
        register_stamp = _started(client.get("/konto/registrieren").text)
        login(client, make_user())
        page = client.get("/fragen/neu").text
        data = {"board": board.id, "title": "Eine Frage mit Titel", "body": "Text hier",
                "once": _once(page)}
        later = time.time() + 10
        monkeypatch.setattr(time, "time", lambda: later)
        refused = client.post("/fragen/neu", data={**data, "started": register_stamp})
        assert "Das ging sehr schnell" in refused.text and "Text hier" in refused.text
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
        sent = client.post("/fragen/neu", data={**data, "started": _started(page)})
        assert sent.status_code == 302
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 1


# --- 5. the team form neither tells who has an account nor adds guests ---------------------

def test_team_form_answers_alike_for_every_address_and_adds_only_confirmed_accounts(client):
    project = make_project()
    lead = make_user(project=project, project_role=ProjectRole.LEAD)
    guest = User(email="gast5@example.org", display_name="Gast Fünf", password_hash="",
                 is_guest=True, email_confirmed_at=utcnow())
    db.session.add(guest)
    db.session.commit()
    unconfirmed = make_user(email="offen@example.org", confirmed=False)
    confirmed = make_user(email="echt@example.org")
    login(client, lead)
    client.get("/")  # shows the log-in's flash message

    def answer(email):
        response = client.post(f"/projekte/{project.slug}/team", data={"email": email})
        assert response.status_code == 200
        return response.text.split("<main", 1)[1].split("</main>", 1)[0].replace(email, "…")

    pages = {email: answer(email) for email in (
        "gast5@example.org", "offen@example.org", "niemand@example.org")}
    assert len(set(pages.values())) == 1, "the answer tells the addresses apart"
    assert "Wenn zu dieser E-Mail-Adresse ein bestätigtes Konto gehört" in pages[
        "niemand@example.org"]
    for person in (guest, unconfirmed):
        assert db.session.get(ProjectMember, (project.id, person.id)) is None
    added = answer("echt@example.org")
    assert db.session.get(ProjectMember, (project.id, confirmed.id)).role == ProjectRole.MEMBER
    assert "Wenn zu dieser E-Mail-Adresse ein bestätigtes Konto gehört" in added


def test_team_form_leaves_a_project_moderator_as_they_are_without_saying_so(client):
    project = make_project()
    lead = make_user(project=project, project_role=ProjectRole.LEAD)
    moderator = make_user(email="mod@example.org", project=project,
                          project_role=ProjectRole.MODERATOR)
    login(client, lead)
    response = client.post(f"/projekte/{project.slug}/team", data={"email": "mod@example.org"})
    assert response.status_code == 200
    assert "Wenn zu dieser E-Mail-Adresse ein bestätigtes Konto gehört" in response.text
    membership = db.session.get(ProjectMember, (project.id, moderator.id))
    assert membership.role == ProjectRole.MODERATOR


# --- 6. reserved and look-alike display names ---------------------------------------------

CYRILLIC_A = "\u0430"
PASSWORD_DATA = {"password": "ein-langes-passwort", "password_confirm": "ein-langes-passwort"}


@pytest.mark.parametrize("name, message", [
    ("Moderationsteam", "vorbehalten"), ("ADMIN", "vorbehalten"),
    ("Fach-Dialog", "vorbehalten"), (f"Ut{CYRILLIC_A} Nutzerin", "zum Verwechseln ähnlich"),
    ("Uta.Nutzerin", "zum Verwechseln ähnlich"),
])
def test_register_refuses_reserved_and_look_alike_names_next_to_the_field(
        client, name, message):
    make_user(display_name="Uta Nutzerin")
    response = client.post(
            "/konto/registrieren", follow_redirects=True, data={
        "email": "neu@example.org", "display_name": name, **PASSWORD_DATA})
    assert response.status_code == 200 and message in response.text
    assert 'id="display_name-fehler"' in response.text
    assert db.session.scalar(select(User).where(User.email == "neu@example.org")) is None


@pytest.mark.parametrize("name, message", [
    ("Fachperson", "vorbehalten"), (f"Ut{CYRILLIC_A} Nutzerin", "zum Verwechseln ähnlich")])
def test_guest_question_refuses_reserved_and_look_alike_names(client, name, message):
    make_user(display_name="Uta Nutzerin")
    topic = make_topic()
    response = client.post("/fragen/neu", data={
        "board": topic.board.id, "title": "Wie plane ich Schichten fair?", "body": "Text",
        "display_name": name, "email": "gast6@example.org"})
    assert response.status_code == 200 and message in response.text
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0


def test_guest_becoming_an_account_refuses_a_reserved_name(client, smtp_sink):
    topic = make_topic()
    link = guests.ask(Anonymous(), topic.board, "Gast Person", "gast7@example.org",
                      "Die Frage des Gastes hier", "Text")
    guests.confirm(link)
    response = client.post(f"/gast/{guests.token(link)}/konto", data={
        "display_name": "Projektteam", **PASSWORD_DATA})
    assert response.status_code == 200 and "vorbehalten" in response.text
    assert db.session.get(User, link.user_id).is_guest


def test_existing_accounts_keep_reserved_names(client):
    admin = make_user(display_name="Administration")
    assert login(client, admin).status_code == 302
    assert db.session.get(User, admin.id).display_name == "Administration"


# --- 7. feeds with control characters in stored text ---------------------------------------

def _parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_feeds_survive_control_characters_in_stored_titles_names_and_posts(client):
    topic = make_topic(name="Gesund\x0bheit")
    project = make_project(name="Pro\x1bjekt", topics=[topic])
    author = make_expert(display_name="Dr.\x1b Feed")
    thread = make_thread(project.board, author, title="Frage mit Steuerzeichen hier")
    answer = threads.add_answer(make_expert(display_name="Ant\x0bwort"), thread, "Antwort")
    update = updates.publish(make_user(role="admin"), project, "Neuigkeit im Feed",
                             "Text der Neuigkeit")
    # older rows may hold what the forms now clean away
    thread.title = "Frage\x0bmit\x1bSteuer\x01zeichen"  # PostgreSQL stores no NUL
    thread.posts[0].body_html = "<p>Text\x1b mit \x0bSteuerzeichen</p>"
    answer.body_html = "<p>Antwort\x08</p>"
    update.title, update.body_html = "Neuigkeit\x0b im Feed", "<p>Neu\x1bigkeit</p>"
    db.session.commit()
    for url in ("/feeds/fragen.atom", f"/feeds/projekte/{project.slug}.atom",
                f"/feeds/themen/{topic.slug}.atom", f"/feeds/fragen/{thread.id}.atom",
                "/feeds/neuigkeiten.atom", f"/feeds/projekte/{project.slug}/neuigkeiten.atom"):
        feed = _parse_feed(client, url)
        assert feed.entries, url
    entry = _parse_feed(client, "/feeds/fragen.atom").entries[0]
    assert entry.title == "Frage mit Steuer zeichen"
    assert entry.author == "Dr. Feed"
    assert "Steuerzeichen" in entry.content[0].value


# --- admins add confirmed accounts only; rate limits without a per-account rule ---------

def test_admin_team_form_refuses_guests_and_unconfirmed_accounts(admin_client):
    from forum.models import ProjectMember, User

    project = make_project()
    guest = User(email="gast@example.org", display_name="Gast", password_hash="",
                 is_guest=True)
    db.session.add(guest)
    unconfirmed = make_user(confirmed=False)
    db.session.commit()
    for person in (guest, unconfirmed):
        response = admin_client.post(f"/admin/projekte/{project.id}/mitglieder",
                                     data={"member-email": person.email,
                                           "member-role": "member"})
        assert response.status_code == 200 and "nur ein Gastzugang" in response.text
    assert db.session.scalar(select(func.count()).select_from(ProjectMember)) == 0


def test_a_rate_limit_without_a_per_account_rule_counts_logged_in_people_by_client(app):
    from forum import ratelimits

    app.config["RATELIMIT_ENABLED"] = True
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"],
                                 "only_client": {"client": "1 per hour"}}
    user = make_user()
    try:
        with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.91"}):
            from flask_login import login_user

            login_user(user)
            assert ratelimits.allow("only_client") is True
            assert ratelimits.allow("only_client") is False
    finally:
        app.config["RATELIMIT_ENABLED"] = False
