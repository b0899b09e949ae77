"""Every POST is CSRF-protected; an expired token re-shows the form with what was typed.

Each POST route gets a payload that does change something when CSRF checks are off (proving
the payload is valid), and changes nothing when the token is missing."""

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    AuditEntry,
    Offer,
    Post,
    PostRevision,
    ProjectMember,
    SitePage,
    SiteRole,
    Thread,
    User,
)
from tests.factories import PASSWORD, make_project, make_thread, make_topic, make_user

COUNTED = (User, Thread, Post, PostRevision, AuditEntry, Offer, ProjectMember, SitePage)


def _token(client, url="/konto/anmelden") -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                     client.get(url).text).group(1)


def _log_in(client, user, csrf: bool):
    data = {"email": user.email, "password": PASSWORD}
    if csrf:
        data["csrf_token"] = _token(client)
    client.post("/konto/anmelden", data=data)


def _world():
    admin = make_user(role=SiteRole.ADMIN, display_name="Ada")
    project, topic = make_project(), make_topic()
    thread = make_thread(topic.board, admin)
    member = make_user(email="team@example.org", project=project)
    offer = Offer(slug="angebot", name="Angebot", description="Text")
    db.session.add(offer)
    db.session.commit()
    return {"admin": admin, "project": project, "topic": topic, "thread": thread,
            "member": member, "offer": offer, "question": thread.posts[0]}


# route name, needs admin log-in, function(world) -> (url, data)
ROUTES = [
    ("language", False, lambda w: ("/sprache", {"locale": "en"})),
    ("register", False, lambda w: ("/konto/registrieren", {
        "email": "neu@example.org", "display_name": "Neu", "password": "ein-langes-passwort",
        "password_confirm": "ein-langes-passwort"})),
    ("resend", False, lambda w: ("/konto/bestaetigung-erneut", {"email": "offen@example.org"})),
    ("login", False, lambda w: ("/konto/anmelden", {"email": w["admin"].email,
                                                    "password": PASSWORD})),
    ("logout", True, lambda w: ("/konto/abmelden", {})),
    ("ask", True, lambda w: ("/fragen/neu", {"board": w["topic"].board.id,
                                             "title": "Eine neue Frage hier", "body": "Text"})),
    ("answer", True, lambda w: (f"/fragen/{w['thread'].id}-{w['thread'].slug}",
                                {"body": "Antwort"})),
    ("edit", True, lambda w: (f"/beitraege/{w['question'].id}/bearbeiten",
                              {"title": "Geänderter Titel hier", "body": "Neu"})),
    ("project_new", True, lambda w: ("/admin/projekte", {"name": "P", "slug": "p-neu"})),
    ("project_edit", True, lambda w: (f"/admin/projekte/{w['project'].id}", {
        "name": "Anders", "description": "D", "status": "running"})),
    ("member_add", True, lambda w: (f"/admin/projekte/{w['project'].id}/mitglieder",
                                    {"member-email": w["admin"].email, "member-role": "lead"})),
    ("member_remove", True, lambda w: (
        f"/admin/projekte/{w['project'].id}/mitglieder/{w['member'].id}/entfernen", {})),
    ("topic_edit", True, lambda w: (f"/admin/themen/{w['topic'].id}",
                                    {"name": "Anders", "description": "D"})),
    ("offer_new", True, lambda w: ("/admin/angebote/neu", {
        "name": "N", "slug": "neu", "description": "D"})),
    ("offer_edit", True, lambda w: (f"/admin/angebote/{w['offer'].id}", {
        "name": "Anders", "slug": "angebot", "description": "D"})),
    ("offer_delete", True, lambda w: (f"/admin/angebote/{w['offer'].id}/loeschen", {})),
    ("page_edit", True, lambda w: ("/admin/seiten/impressum", {"title": "I", "body": "B"})),
    ("role_edit", True, lambda w: (f"/admin/nutzende/{w['member'].id}",
                                   {"site_role": "expert"})),
]


def _snapshot(client, mails):
    page = client.get("/").text
    counts = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED)
    values = tuple(db.session.scalars(select(User.site_role).order_by(User.id)))
    titles = tuple(db.session.scalars(select(Thread.title)))
    return counts, values, titles, len(mails), "Angemeldet als" in page, '<html lang="en">' in page


class _Routes:
    def run(self, client, smtp_sink, name, as_admin, payload, csrf):
        world = _world()
        make_user(email="offen@example.org", confirmed=False)
        if as_admin:
            _log_in(client, world["admin"], csrf)
            assert "Angemeldet als" in client.get("/").text
        url, data = payload(world)
        before = _snapshot(client, smtp_sink[1])
        response = client.post(url, data=data)
        assert response.status_code in (200, 302), (name, response.status_code)
        return before, _snapshot(client, smtp_sink[1])


@pytest.fixture
def mail_config(smtp_sink):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_sink[0].port,
            "MAIL_SUPPRESS_SEND": False}


class TestWithoutChecks(_Routes):
    @pytest.fixture
    def app_config(self, mail_config):
        return mail_config

    @pytest.mark.parametrize("name,as_admin,payload", ROUTES, ids=[r[0] for r in ROUTES])
    def test_payload_is_valid_and_changes_something(self, client, smtp_sink, name, as_admin,
                                                    payload):
        before, after = self.run(client, smtp_sink, name, as_admin, payload, csrf=False)
        assert before != after, name


class TestWithChecks(_Routes):
    @pytest.fixture
    def app_config(self, mail_config):
        return {**mail_config, "WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize("name,as_admin,payload", ROUTES, ids=[r[0] for r in ROUTES])
    def test_missing_token_changes_nothing(self, client, smtp_sink, name, as_admin, payload):
        before, after = self.run(client, smtp_sink, name, as_admin, payload, csrf=True)
        assert before == after, name

    def test_every_post_route_is_in_the_table(self, app):
        posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
        assert len(posts) == len({"pages.set_language", "auth.register", "auth.resend",
                                  "auth.login", "auth.logout", "threads.ask", "threads.detail",
                                  "threads.edit", "admin.project_list", "admin.project_edit",
                                  "admin.member_add", "admin.member_remove", "admin.topic_edit",
                                  "admin.offer_edit", "admin.offer_delete", "admin.page_edit",
                                  "admin.user_edit"}), sorted(posts)

    def test_answer_with_expired_token_keeps_text_and_explains(self, client):
        expert = make_user(role=SiteRole.EXPERT)
        thread = make_thread(make_topic().board, make_user())
        _log_in(client, expert, csrf=True)
        response = client.post(f"/fragen/{thread.id}-{thread.slug}",
                               data={"body": "Meine lange Antwort", "csrf_token": "abgelaufen"})
        assert response.status_code == 200
        assert "Meine lange Antwort" in response.text
        assert "Ihre Eingaben sind erhalten" in response.text
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1

    def test_expired_token_on_a_button_says_so(self, client):
        user = make_user()
        _log_in(client, user, csrf=True)
        response = client.post("/konto/abmelden", data={"csrf_token": "alt"},
                               follow_redirects=True)
        assert "Formular abgelaufen" in response.text and "Angemeldet als" in response.text
