"""/konto/daten and /konto/loeschen: both ask for the password; the download is the JSON of
services.privacy (or a readable page); deleting logs out and leaves no account behind."""

import json

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.models import Post, User
from tests.conftest import login
from tests.factories import PASSWORD, make_expert, make_thread, make_topic, make_user


def test_export_page_asks_for_password(user_client):
    page = user_client.get("/konto/daten")
    assert page.status_code == 200
    assert "Ihr Passwort" in page.get_data(as_text=True)
    wrong = user_client.post("/konto/daten", data={"password": "falsch", "format": "json"})
    assert wrong.status_code == 200
    assert "Das Passwort stimmt nicht." in wrong.get_data(as_text=True)


def test_export_pages_need_login(client):
    assert client.get("/konto/daten").status_code == 302
    assert client.get("/konto/loeschen").status_code == 302


def test_export_json_download_and_readable_version(user_client):
    reply = user_client.post("/konto/daten", data={"password": PASSWORD, "format": "json"})
    assert reply.status_code == 200
    assert reply.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(reply.get_data(as_text=True))
    assert data["tabellen"]["users"]["zeilen"][0]["display_name"] == "Uta Nutzerin"
    readable = user_client.post("/konto/daten", data={"password": PASSWORD, "format": "html"})
    assert readable.status_code == 200 and "Uta Nutzerin" in readable.get_data(as_text=True)


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_delete_account_logs_out_and_removes_it(client, mode):
    user = make_user(display_name="Lotte Loeschen", email="lotte@example.org")
    thread_id = make_thread(make_topic().board, user).id
    make_expert()
    assert login(client, user).status_code == 302
    wrong = client.post("/konto/loeschen", data={"password": "falsch", "mode": mode})
    assert "Das Passwort stimmt nicht." in wrong.get_data(as_text=True)
    reply = client.post("/konto/loeschen", data={"password": PASSWORD, "mode": mode})
    assert reply.status_code == 302
    assert db.session.scalar(sa.select(User).where(User.email == "lotte@example.org")) is None
    posts = db.session.scalar(sa.select(sa.func.count()).select_from(Post)
                              .where(Post.thread_id == thread_id))
    assert posts == (1 if mode == "anonymise" else 0)
    assert client.get("/konto/daten").status_code == 302  # logged out


def test_delete_needs_a_choice(user_client):
    reply = user_client.post("/konto/loeschen", data={"password": PASSWORD})
    assert reply.status_code == 200
    assert "Bitte wählen Sie" in reply.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_export_without_token_gives_no_data(client, app_config):
    user = make_user()
    client.get("/konto/anmelden")
    token = client.get("/konto/anmelden").get_data(as_text=True).split(
        'name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/konto/anmelden", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": token})
    reply = client.post("/konto/daten", data={"password": PASSWORD, "format": "json"})
    assert reply.status_code == 200 and reply.mimetype == "text/html"
    assert "Sitzung ist abgelaufen" in reply.get_data(as_text=True)



def test_wrong_passwords_on_the_privacy_forms_count_as_failed_log_ins(tmp_path_factory):
    from tests.conftest import login
    from tests.factories import make_user
    from tests.views.test_drafts_and_previews import own_app

    with own_app(tmp_path_factory, RATELIMIT_ENABLED=True,
                 LOGIN_ACCOUNT_RATE_LIMIT="2 per hour") as app:
        client = app.test_client()
        login(client, make_user())
        pages = [client.post("/konto/daten", data={"password": "falsch falsch falsch",
                                                   "format": "json"}).text
                 for _ in range(3)]
    assert "Das Passwort stimmt nicht" in pages[0] and "Das Passwort stimmt nicht" in pages[1]
    assert "Zu viele Versuche" in pages[2]
