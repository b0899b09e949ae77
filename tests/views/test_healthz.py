"""/healthz: what a load balancer asks a node (database, outbox backlog and age), figures
only, never rate-limited, no session cookie."""

from datetime import timedelta

import pytest

from forum.extensions import db, limiter
from forum.models import OutboxMail, utcnow
from tests.conftest import free_port, make_app


def _mail(age_seconds: int, **state) -> OutboxMail:
    row = OutboxMail(recipient="geheim.person@example.org", subject="Ihr Passwort-Link",
                     template="confirm", locale="de", context={},
                     created_at=utcnow() - timedelta(seconds=age_seconds), **state)
    db.session.add(row)
    db.session.commit()
    return row


def test_healthz_with_empty_outbox_is_ok_without_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok", "database": "ok",
        "outbox": {"backlog": 0, "backlog_capped": False, "oldest_unsent_seconds": None,
                   "max_age_seconds": 900, "ok": True}}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_counts_unsent_mail_and_its_age_without_personal_data(client):
    _mail(120)
    _mail(30)
    _mail(5000, sent_at=utcnow())  # sent and failed mails are no backlog
    _mail(5000, failed_at=utcnow())
    response = client.get("/healthz")
    assert response.status_code == 200
    outbox = response.get_json()["outbox"]
    assert outbox["backlog"] == 2 and outbox["ok"] is True
    assert 120 <= outbox["oldest_unsent_seconds"] < 180
    assert "geheim" not in response.get_data(as_text=True)
    assert "Passwort" not in response.get_data(as_text=True)


def test_healthz_with_old_backlog_is_degraded_but_serving(client, app):
    app.config["HEALTH_OUTBOX_MAX_AGE"] = 60
    _mail(300)
    response = client.get("/healthz")
    assert response.status_code == 200  # the node still serves pages
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["outbox"]["ok"] is False
    strict = client.get("/healthz?strict")  # for a monitor that reads status codes only
    assert strict.status_code == 503 and strict.get_json()["status"] == "degraded"


def test_healthz_for_logged_in_session_sets_no_cookie(user_client):
    response = user_client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


@pytest.fixture
def default_limit():
    """Flask-Limiter keeps default limits on its one (global) object once set: clear them
    after the test, or every later app with rate limits on would inherit them."""
    yield
    limiter.limit_manager.set_default_limits([])


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True,
                                         "RATELIMIT_DEFAULT": "2 per minute"}])
def test_healthz_is_never_rate_limited(default_limit, client):
    assert [client.get("/healthz").status_code for _ in range(6)] == [200] * 6
    # the same default limit does hold for pages, so the exemption is what lets it through
    assert [client.get("/angebote").status_code for _ in range(3)][-1] == 429


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nichts?connect_timeout=3",
    "sqlite:////nonexistent-directory/forum.db",
])
def test_healthz_without_database_is_503(url):
    app = make_app(url)
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_json() == {
            "status": "unavailable", "database": "unreachable",
            "outbox": {"backlog": None, "backlog_capped": False, "oldest_unsent_seconds": None,
                       "max_age_seconds": 900, "ok": False}}
        assert "Set-Cookie" not in response.headers
    finally:
        with app.app_context():
            db.engine.dispose()
