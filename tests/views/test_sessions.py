"""Log-in sessions end: logging out, "Überall abmelden" and a new password make a copied
session cookie and the remember-me cookie worthless; each log-in has its own token."""

from datetime import timedelta

import sqlalchemy as sa

from forum.extensions import db
from forum.models import LoginSession, utcnow
from forum.services import sessions
from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, make_user


def _client(app) -> IsolatedClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


def _login(client, user, remember=False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/konto/anmelden", data=data)
    assert response.status_code == 302
    return response


def _logged_in(client) -> bool:
    return "Angemeldet als" in client.get("/").text


def _with_cookie(app, name, value) -> IsolatedClient:
    other = _client(app)
    other.set_cookie(name, value)
    return other


def test_logout_copied_session_cookie_stops_working(app):
    user = make_user()
    client = _client(app)
    _login(client, user)
    copied = client.get_cookie("session").value
    assert _logged_in(_with_cookie(app, "session", copied))  # the copy works while logged in
    client.post("/konto/abmelden")
    assert not _logged_in(client)
    assert not _logged_in(_with_cookie(app, "session", copied))


def test_logout_remember_cookie_stops_working(app):
    user = make_user()
    client = _client(app)
    _login(client, user, remember=True)
    remember = client.get_cookie("remember_token").value
    assert _logged_in(_with_cookie(app, "remember_token", remember))
    client.post("/konto/abmelden")
    assert not _logged_in(_with_cookie(app, "remember_token", remember))


def test_login_twice_remember_cookie_differs_and_both_sessions_are_rows(app):
    user = make_user()
    first, second = _client(app), _client(app)
    _login(first, user, remember=True)
    _login(second, user, remember=True)
    assert first.get_cookie("remember_token").value != second.get_cookie("remember_token").value
    assert sessions.count(user) == 2
    first.post("/konto/abmelden")  # ends only its own session
    assert sessions.count(user) == 1
    assert _logged_in(second)


def test_session_token_stored_only_as_hash(app):
    user = make_user()
    client = _client(app)
    _login(client, user)
    stored = db.session.scalars(sa.select(LoginSession.token_hash)).all()
    assert len(stored) == 1 and len(stored[0]) == 64
    assert stored[0] not in client.get_cookie("session").value


def test_session_unused_for_30_days_ends_and_purge_deletes_it(app):
    user = make_user()
    client = _client(app)
    _login(client, user)
    db.session.execute(sa.update(LoginSession).values(last_used_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    assert not _logged_in(client)
    assert sessions.count(user) == 0
    other = _client(app)
    _login(other, user)
    db.session.execute(sa.update(LoginSession).values(last_used_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    assert sessions.purge() == 1
    assert sessions.count(user) == 0


def test_old_style_numeric_user_id_in_cookie_loads_nobody(app, client):
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
    assert not _logged_in(client)
