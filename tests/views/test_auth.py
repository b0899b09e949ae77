import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import User
from tests.conftest import login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")  # every test sends through the sink


def _register(client, **overrides):
    data = {"email": "neu@example.org", "display_name": "Neue Person",
            "password": "ein-langes-passwort", "password_confirm": "ein-langes-passwort"}
    data.update(overrides)
    return client.post("/konto/registrieren", follow_redirects=True, data=data)


def _confirm_link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/konto/bestaetigen/\S+)", body).group(1)


def test_register_valid_form_sends_confirmation_mail_through_smtp(client, smtp_sink):
    _controller, messages = smtp_sink
    response = _register(client)
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihr Postfach" in response.text
    assert len(messages) == 1
    assert messages[0]["To"] == "neu@example.org"
    assert "bestätigen" in messages[0]["Subject"]
    user = db.session.scalar(select(User))
    assert user.email_confirmed_at is None
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_register_then_confirm_link_activates_account_and_login_works(client, smtp_sink):
    _controller, messages = smtp_sink
    _register(client)
    response = client.post("/konto/anmelden", data={"email": "neu@example.org",
                                                   "password": "ein-langes-passwort"})
    assert "Bitte bestätigen Sie zuerst" in response.text
    assert 'href="/konto/bestaetigung-erneut"' in response.text
    link = _confirm_link(messages[0])
    assert "E-Mail-Adresse bestätigen" in client.get(link).text  # a GET confirms nothing
    response = client.post(link, data={"password": "ein-langes-passwort"},
                           follow_redirects=True)
    assert "Ihre E-Mail-Adresse ist bestätigt" in response.text
    response = client.post("/konto/anmelden", data={"email": "NEU@example.org",
                                                   "password": "ein-langes-passwort"},
                           follow_redirects=True)
    assert "Angemeldet als Neue Person" in response.text


def test_confirm_tampered_token_shows_german_error(client):
    response = client.get("/konto/bestaetigen/abc.def.ghi")
    assert response.status_code == 400
    assert "ungültig" in response.text


def test_register_invalid_input_keeps_typed_values_and_names_errors(client):
    response = _register(client, email="keine-adresse", password="kurz", password_confirm="x")
    assert response.status_code == 200
    text = response.text
    assert "Bitte prüfen Sie Ihre Eingaben" in text
    assert "gültige E-Mail-Adresse" in text
    assert "mindestens 10 Zeichen" in text
    assert 'value="keine-adresse"' in text and 'value="Neue Person"' in text
    assert 'aria-invalid="true"' in text
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_register_taken_email_answers_like_new_and_mails_the_owner(client, smtp_sink):
    _controller, messages = smtp_sink
    make_user(email="neu@example.org", display_name="Vorhanden")
    response = _register(client, email="Neu@Example.org")
    assert "Bitte prüfen Sie Ihr Postfach" in response.text  # same page as a new account
    assert "bereits" not in response.text
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert len(messages) == 1 and messages[0]["To"] == "neu@example.org"
    assert "bereits ein Konto" in messages[0]["Subject"]


def test_register_taken_display_name_refused_next_to_field(client):
    make_user(display_name="Vorhanden")
    response = _register(client, display_name="vorhanden")
    assert "Anzeigename ist schon vergeben" in response.text
    assert 'id="display_name-fehler"' in response.text


def test_confirmation_link_uses_base_url_not_request_host(client, smtp_sink):
    _controller, messages = smtp_sink
    client.post("/konto/registrieren", headers={"Host": "evil.example"}, data={
        "email": "neu@example.org", "display_name": "Neue Person",
        "password": "ein-langes-passwort", "password_confirm": "ein-langes-passwort"})
    body = messages[0].get_body(("plain",)).get_content()
    assert "evil.example" not in body
    assert "http://localhost/konto/bestaetigen/" in body


def test_english_visitor_gets_english_confirmation_mail(client, smtp_sink):
    _controller, messages = smtp_sink
    client.post("/sprache", data={"locale": "en"})
    _register(client)
    body = messages[0].get_body(("plain",)).get_content()
    assert messages[0]["Subject"] == "Please confirm your email address"
    assert "Please confirm your email address" in body


def test_login_wrong_password_shows_error_and_keeps_email(client):
    user = make_user()
    response = client.post("/konto/anmelden", data={"email": user.email, "password": "falsch"})
    assert "E-Mail-Adresse oder Passwort ist falsch" in response.text
    assert f'value="{user.email}"' in response.text


@pytest.mark.parametrize("target,expected", [
    ("/projekte", "/projekte"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("\t//evil.example", "/"),
])
def test_login_next_parameter_stays_on_site(client, target, expected):
    user = make_user()
    response = client.post("/konto/anmelden", data={"email": user.email, "password": PASSWORD,
                                                   "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_ends_session(client):
    user = make_user()
    login(client, user)
    client.post("/konto/abmelden")
    assert "Anmelden" in client.get("/").text
    assert "Angemeldet als" not in client.get("/").text


def test_resend_unknown_address_answers_the_same_without_mail(client, smtp_sink):
    _controller, messages = smtp_sink
    response = client.post("/konto/bestaetigung-erneut", data={"email": "wer@example.org"})
    assert "Bitte prüfen Sie Ihr Postfach" in response.text
    assert messages == []
    make_user(email="offen@example.org", confirmed=False)
    client.post("/konto/bestaetigung-erneut", data={"email": "offen@example.org"})
    assert len(messages) == 1


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_login_attempts_over_limit_reshow_form_with_message(self, client):
        user = make_user()
        for _ in range(3):
            assert client.post("/konto/anmelden", data={"email": user.email,
                                                        "password": "x"}).status_code == 200
        response = client.post("/konto/anmelden", data={"email": user.email,
                                                        "password": PASSWORD})
        assert response.status_code == 429
        assert "Zu viele Versuche" in response.text
        assert f'value="{user.email}"' in response.text
        assert "Angemeldet als" not in client.get("/").text
