"""Account settings: name, language, address (confirmed by a link, the old one told),
password (needs the current one, ends other sessions), log out everywhere."""

import re

import pytest

from forum.extensions import db
from forum.services import sessions
from tests.conftest import IsolatedClient, login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")

NEW = "Kaffeetasse-Nordwind-Lampe"


def _client_as(app, user) -> IsolatedClient:
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    assert login(client, user).status_code == 302
    return client


def _logged_in(client) -> bool:
    return "Angemeldet als" in client.get("/").text


def test_settings_page_shows_every_form(app):
    client = _client_as(app, make_user())
    text = client.get("/konto/einstellungen").text
    for heading in ("Anzeigename", "Sprache", "E-Mail-Adresse", "Passwort", "Überall abmelden"):
        assert f">{heading}</h2>" in text
    assert text.count('role="alert"') == 0


def test_change_password_needs_current_and_ends_other_sessions(app, smtp_sink):
    _controller, messages = smtp_sink
    user = make_user()
    here, elsewhere = _client_as(app, user), _client_as(app, user)
    response = here.post("/konto/einstellungen/passwort", data={
        "password-current_password": "falsch", "password-new_password": NEW,
        "password-new_password_confirm": NEW})
    assert "bisherige Passwort ist nicht richtig" in response.text
    assert 'id="password-current_password-fehler"' in response.text
    response = here.post("/konto/einstellungen/passwort", data={
        "password-current_password": PASSWORD, "password-new_password": "passwort123",
        "password-new_password_confirm": "passwort123"})
    assert "zu leicht zu erraten" in response.text
    response = here.post("/konto/einstellungen/passwort", data={
        "password-current_password": PASSWORD, "password-new_password": NEW,
        "password-new_password_confirm": NEW})
    assert response.status_code == 302
    assert _logged_in(here) and not _logged_in(elsewhere)
    assert sessions.count(user) == 1
    assert any("Passwort" in m["Subject"] and "geändert" in m["Subject"] for m in messages)
    other = IsolatedClient(app, app.response_class, use_cookies=True)
    assert login(other, user, NEW).status_code == 302


def test_change_email_confirmed_by_link_old_address_told(app, smtp_sink):
    _controller, messages = smtp_sink
    user = make_user(email="alt@example.org")
    client = _client_as(app, user)
    response = client.post("/konto/einstellungen/adresse", data={
        "email-email": "neu@example.org", "email-current_password": PASSWORD})
    assert response.status_code == 302
    assert sorted(m["To"] for m in messages) == ["alt@example.org", "neu@example.org"]
    mail = next(m for m in messages if m["To"] == "neu@example.org")
    link = re.search(r"http://localhost(/konto/adresse-bestaetigen/\S+)",
                     mail.get_body(("plain",)).get_content()).group(1)
    assert "Neue Adresse bestätigen" in client.get(link).text
    db.session.refresh(user)
    assert user.email == "alt@example.org"  # a GET changes nothing
    assert client.post(link).status_code == 302
    db.session.refresh(user)
    assert user.email == "neu@example.org"
    assert client.post(link).status_code == 400  # once
    client.post("/konto/abmelden")
    assert login(client, user).status_code == 302


def test_change_email_to_taken_address_answers_alike_and_mails_only_old(app, smtp_sink):
    _controller, messages = smtp_sink
    make_user(email="belegt@example.org")
    user = make_user(email="alt@example.org")
    client = _client_as(app, user)
    response = client.post("/konto/einstellungen/adresse", data={
        "email-email": "belegt@example.org", "email-current_password": PASSWORD},
        follow_redirects=True)
    assert "sofern sie nicht schon zu einem anderen Konto gehört" in response.text
    assert [m["To"] for m in messages] == ["alt@example.org"]


def test_change_email_needs_password(app, smtp_sink):
    _controller, messages = smtp_sink
    client = _client_as(app, make_user())
    response = client.post("/konto/einstellungen/adresse", data={
        "email-email": "neu@example.org", "email-current_password": "falsch"})
    assert "bisherige Passwort ist nicht richtig" in response.text
    assert messages == []


def test_change_display_name_same_rules_as_registration(app):
    make_user(display_name="Vorhanden")
    user = make_user(display_name="Uta Nutzerin")
    client = _client_as(app, user)
    for taken, reason in (("vorhanden", "schon vergeben"), ("Moderation", "vorbehalten"),
                          ("Vоrhanden", "zum Verwechseln")):  # Cyrillic о
        response = client.post("/konto/einstellungen/name", data={"name-display_name": taken})
        assert reason in response.text, taken
        assert 'id="name-display_name-fehler"' in response.text
    assert client.post("/konto/einstellungen/name",
                       data={"name-display_name": "uta  nutzerin"}).status_code == 302
    assert client.post("/konto/einstellungen/name",
                       data={"name-display_name": "Uta N."}).status_code == 302
    db.session.refresh(user)
    assert user.display_name == "Uta N."


def test_change_language(app):
    user = make_user()
    client = _client_as(app, user)
    client.post("/konto/einstellungen/sprache", data={"language-locale": "en"})
    db.session.refresh(user)
    assert user.locale == "en"
    assert '<html lang="en">' in client.get("/").text


def test_logout_everywhere_ends_every_session_and_remember_cookie(app):
    user = make_user()
    here = _client_as(app, user)
    remembered = IsolatedClient(app, app.response_class, use_cookies=True)
    remembered.post("/konto/anmelden", data={"email": user.email, "password": PASSWORD,
                                             "remember": "y"})
    token = remembered.get_cookie("remember_token").value
    here.post("/konto/einstellungen/ueberall-abmelden")
    assert not _logged_in(here) and not _logged_in(remembered)
    fresh = IsolatedClient(app, app.response_class, use_cookies=True)
    fresh.set_cookie("remember_token", token)
    assert not _logged_in(fresh)
    assert sessions.count(user) == 0


def test_settings_need_login(client):
    response = client.post("/konto/einstellungen/passwort", data={})
    assert response.status_code == 302 and "/konto/anmelden" in response.headers["Location"]
