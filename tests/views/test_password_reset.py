"""Password reset by mail, the confirmation that cannot be hijacked, password quality."""

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Anonymous, User
from forum.services import guests, sessions
from tests.conftest import IsolatedClient, login
from tests.factories import PASSWORD, make_topic, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")

NEW = "Kaffeetasse-Nordwind-Lampe"
STRANGER = "fremdes-Passwort-4711x"


def _link(message, path: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"http://localhost({path}\S+)", body).group(1)


def _client(app) -> IsolatedClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


def _forgot(client, email):
    return client.post("/konto/passwort-vergessen", data={"email": email})


def _logged_in(client) -> bool:
    return "Angemeldet als" in client.get("/").text


def test_reset_known_account_mails_link_that_sets_password_once(app, client, smtp_sink):
    _controller, messages = smtp_sink
    user = make_user(email="person@example.org")
    response = _forgot(client, "Person@Example.org")
    assert "Bitte prüfen Sie Ihr Postfach" in response.text
    assert len(messages) == 1 and messages[0]["To"] == "person@example.org"
    link = _link(messages[0], "/konto/passwort-neu/")
    page = client.get(link)
    assert page.status_code == 200 and "Neues Passwort festlegen" in page.text
    assert login(client, user).status_code == 302  # a GET changed nothing
    client.post("/konto/abmelden")
    response = client.post(link, data={"password": NEW, "password_confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/konto/anmelden"
    assert "wurde geändert" in messages[1]["Subject"]
    assert login(client, user).status_code == 200  # the old password no longer works
    assert login(client, user, NEW).status_code == 302
    again = client.post(link, data={"password": NEW + "x", "password_confirm": NEW + "x"})
    assert again.status_code == 400 and "schon benutzt" in again.text


def test_reset_ends_every_session_of_the_account(app, client, smtp_sink):
    _controller, messages = smtp_sink
    user = make_user()
    other = _client(app)
    login(other, user)
    assert _logged_in(other)
    _forgot(client, user.email)
    link = _link(messages[0], "/konto/passwort-neu/")
    client.post(link, data={"password": NEW, "password_confirm": NEW})
    assert not _logged_in(other)
    assert sessions.count(user) == 0


class TestExpired:
    @pytest.fixture
    def app_config(self):
        return {"PASSWORD_RESET_MAX_AGE": -1}

    def test_reset_link_after_an_hour_refused(self, client, smtp_sink):
        _controller, messages = smtp_sink
        user = make_user()
        _forgot(client, user.email)
        link = _link(messages[0], "/konto/passwort-neu/")
        response = client.post(link, data={"password": NEW, "password_confirm": NEW})
        assert response.status_code == 400 and "abgelaufen" in response.text
        assert login(client, user).status_code == 302


def test_reset_tampered_token_refused(client):
    response = client.get("/konto/passwort-neu/abc.def")
    assert response.status_code == 400 and "ungültig" in response.text


def test_reset_answers_alike_for_account_guest_and_nobody(app, client, smtp_sink):
    _controller, messages = smtp_sink
    make_user(email="konto@example.org")
    topic = make_topic()
    link = guests.ask(Anonymous(), topic.board, "Gast Person", "gast@example.org",
                      "Frage eines Gastes", "Text")
    guests.confirm(link)
    assert len(messages) >= 1  # deliver what the guest's question sent
    list.clear(messages)
    pages = []
    for email in ("konto@example.org", "gast@example.org", "niemand@example.org"):
        response = _forgot(client, email)
        pages.append((response.status_code,
                      re.sub(r'name="csrf_token"[^>]*', "", response.text)))
    assert pages[0] == pages[1] == pages[2]
    recipients = sorted(m["To"] for m in messages)
    assert recipients == ["gast@example.org", "konto@example.org"]
    guest_mail = next(m for m in messages if m["To"] == "gast@example.org")
    assert "/gast/" in guest_mail.get_body(("plain",)).get_content()  # personal links


def test_reset_weak_password_refused_with_reason_and_link_still_works(client, smtp_sink):
    _controller, messages = smtp_sink
    user = make_user()
    _forgot(client, user.email)
    link = _link(messages[0], "/konto/passwort-neu/")
    response = client.post(link, data={"password": "passwort123", "password_confirm":
                                       "passwort123"})
    assert "zu leicht zu erraten" in response.text
    assert client.post(link, data={"password": NEW, "password_confirm": NEW}).status_code == 302


# --- registration without hijack ------------------------------------------------------------

def _register(client, email="eigentuemer@example.org", password=STRANGER, name="Fremde Person"):
    return client.post("/konto/registrieren", data={
        "email": email, "display_name": name, "password": password,
        "password_confirm": password})


def test_confirmation_get_confirms_nothing(client, smtp_sink):
    _controller, messages = smtp_sink
    _register(client)
    link = _link(messages[0], "/konto/bestaetigen/")
    for _ in range(2):  # a mail scanner opening the link, twice
        response = client.get(link)
        assert response.status_code == 200
        assert 'method="post"' in response.text
    user = db.session.scalar(select(User).where(User.email == "eigentuemer@example.org"))
    assert user.email_confirmed_at is None


def test_owner_confirmation_never_activates_strangers_password(app, smtp_sink):
    """A stranger registers with the owner's address and a password of their own; the owner
    gets the mail and presses the button (without knowing that password): nothing becomes
    active. The owner sets a password of their own through the reset, which confirms the
    address; the stranger's password never logs anybody in."""
    _controller, messages = smtp_sink
    stranger, owner = _client(app), _client(app)
    _register(stranger)
    link = _link(messages[0], "/konto/bestaetigen/")
    owner.get(link)
    response = owner.post(link, data={"password": "irgendetwas-anderes"})
    assert "stimmt nicht" in response.text
    response = owner.post(link, data={"password": ""})
    assert "Bitte füllen Sie dieses Feld aus" in response.text
    user = db.session.scalar(select(User).where(User.email == "eigentuemer@example.org"))
    assert user.email_confirmed_at is None
    assert stranger.post("/konto/anmelden", data={"email": user.email, "password": STRANGER}
                         ).status_code == 200
    # the owner takes the address over with a password of their own
    _forgot(owner, user.email)
    reset = _link(messages[-1], "/konto/passwort-neu/")
    assert owner.post(reset, data={"password": NEW, "password_confirm": NEW}).status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    assert stranger.post("/konto/anmelden", data={"email": user.email, "password": STRANGER}
                         ).status_code == 200
    assert not _logged_in(stranger)
    # and the stranger's confirmation link is worthless now, even with their password
    stranger.post(link, data={"password": STRANGER})
    assert not _logged_in(stranger)
    assert owner.post("/konto/anmelden", data={"email": user.email, "password": NEW}
                      ).status_code == 302


def test_registrant_confirms_with_own_password(client, smtp_sink):
    _controller, messages = smtp_sink
    _register(client, password=NEW, name="Echte Person")
    link = _link(messages[0], "/konto/bestaetigen/")
    response = client.post(link, data={"password": NEW})
    assert response.status_code == 302
    assert client.post("/konto/anmelden", data={"email": "eigentuemer@example.org",
                                                "password": NEW}).status_code == 302


# --- quality ------------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["passwort123", "1234567890", "aaaaaaaaaa",
                                      "qwertzuiop1", "Fachdialog1"])
def test_register_common_password_refused_with_german_reason(client, password):
    response = _register(client, password=password, name="Neue Person")
    assert "zu leicht zu erraten" in response.text
    assert 'id="password-fehler"' in response.text
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("password", ["ErikaMuster2024", "erika.muster@example", "muster-erika1"])
def test_register_password_from_name_or_address_refused(client, password):
    response = _register(client, email="erika.muster@example.org", password=password,
                         name="Erika Muster")
    assert "Namen oder Ihrer E-Mail-Adresse" in response.text


def test_register_page_says_why_next_to_the_field(client):
    text = client.get("/konto/registrieren").text
    assert 'id="password-hinweis"' in text and "zuerst ausprobiert" in text


def test_login_as_guest_or_unknown_refused_alike(client):
    make_user(email="x@example.org")
    topic = make_topic()
    link = guests.ask(Anonymous(), topic.board, "Gast Person", "gast@example.org", "Frage", "T")
    guests.confirm(link)
    for email in ("gast@example.org", "niemand@example.org"):
        response = client.post("/konto/anmelden", data={"email": email, "password": PASSWORD})
        assert "E-Mail-Adresse oder Passwort ist falsch" in response.text
