"""Every POST is CSRF-protected; an expired token re-shows the form with what was typed."""

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import AuditEntry, Post, SiteRole, Thread
from tests.conftest import login
from tests.factories import make_project, make_thread, make_topic, make_user


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _login_with_token(client, user):
    import re

    page = client.get("/konto/anmelden").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/konto/anmelden", data={"email": user.email, "password": "correct-horse-battery",
                                        "csrf_token": token})


def test_every_post_route_refuses_a_missing_token(app, client):
    admin = make_user(role=SiteRole.ADMIN)
    _login_with_token(client, admin)
    assert "Angemeldet als" in client.get("/").text
    project = make_project()
    topic = make_topic()
    thread = make_thread(topic.board, admin)
    values = {"thread_id": thread.id, "slug": thread.slug, "post_id": thread.posts[0].id,
              "project_id": project.id, "user_id": admin.id, "topic_id": topic.id,
              "offer_id": 1, "token": "x"}
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(posts) >= 15
    for rule in posts:
        args = {name: values.get(name, "impressum") for name in rule.arguments}
        url = rule.build(args, append_unknown=False)[1]
        response = client.post(url, data={"body": "Text", "title": "Ein Titel mit Länge",
                                          "name": "X", "email": admin.email})
        assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
        if response.status_code == 302:
            assert "/konto/anmelden" not in response.headers["Location"], url
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 1
    assert "Angemeldet als" in client.get("/").text  # logout refused too


def test_answer_with_expired_token_keeps_text_and_explains(client):
    expert = make_user(role=SiteRole.EXPERT)
    thread = make_thread(make_topic().board, make_user())
    _login_with_token(client, expert)
    response = client.post(f"/fragen/{thread.id}-{thread.slug}",
                           data={"body": "Meine lange Antwort", "csrf_token": "abgelaufen"})
    assert response.status_code == 200
    assert "Meine lange Antwort" in response.text
    assert "Ihre Eingaben sind erhalten" in response.text
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_login_helper_without_token_is_refused(client):
    user = make_user()
    login(client, user)
    assert "Angemeldet als" not in client.get("/").text
