"""Drafts kept across a log-in come only from this site's own forms, bounded in size and
rate; Markdown previews are rate limited."""

import re
from contextlib import contextmanager

import sqlalchemy as sa

from config import Config
from forum.extensions import db
from forum.models import Draft
from tests.conftest import fresh_database, make_app
from tests.factories import make_thread, make_topic, make_user


@contextmanager
def own_app(tmp_path_factory, **config):
    """An app on a database of its own: these tests need the real CSRF and rate limits."""
    with fresh_database(tmp_path_factory, "forum_drafts") as url:
        app = make_app(url, **config)
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _drafts() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Draft))


def test_anonymous_posts_without_a_token_keep_no_draft(tmp_path_factory):
    with own_app(tmp_path_factory, WTF_CSRF_ENABLED=True) as app:
        thread = make_thread(make_topic().board, make_user())
        client = app.test_client()
        url = f"/fragen/{thread.id}-{thread.slug}"
        for _ in range(5):
            response = client.post(url, data={"body": "x" * 60000})
            assert response.status_code == 302 and "/konto/anmelden" in response.location
        assert _drafts() == 0

        # the person's own form, whose log-in ended: the text is kept, cut to its bound
        page = client.get("/konto/anmelden").text  # any form of the session has its token
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token, "the log-in page has a CSRF token"
        client.post(url, data={"body": "Meine Antwort " + "y" * 30000,
                               "csrf_token": token.group(1)})
        assert _drafts() == 1
        kept = db.session.scalar(sa.select(Draft))
        assert len(kept.fields["body"]) == 20000


def test_drafts_are_rate_limited_per_client(tmp_path_factory):
    limits = {**Config.RATE_LIMITS, "draft": {"client": "2 per hour"}}
    with own_app(tmp_path_factory, RATELIMIT_ENABLED=True, RATE_LIMITS=limits) as app:
        thread = make_thread(make_topic().board, make_user())
        client = app.test_client()
        for _ in range(4):
            client.post(f"/fragen/{thread.id}-{thread.slug}", data={"body": "Text"},
                        environ_base={"REMOTE_ADDR": "127.0.0.77"})
        assert _drafts() == 2


def test_previews_are_rate_limited_and_keep_the_text(tmp_path_factory):
    limits = {**Config.RATE_LIMITS, "preview": {"account": "2 per hour", "client": "2 per hour"}}
    with own_app(tmp_path_factory, RATELIMIT_ENABLED=True, RATE_LIMITS=limits) as app:
        topic = make_topic()
        client = app.test_client()
        data = {"board": topic.board.id, "title": "Eine Frage zur Vorschau",
                "body": "**fett**", "display_name": "Gast", "email": "gast@example.org",
                "preview": "Vorschau"}
        pages = [client.post("/fragen/neu", data=data,
                             environ_base={"REMOTE_ADDR": "127.0.0.78"}).text
                 for _ in range(3)]
        assert "<strong>fett</strong>" in pages[0] and "<strong>fett</strong>" in pages[1]
        assert "<strong>fett</strong>" not in pages[2]
        assert "sehr viele Vorschauen" in pages[2] and "**fett**" in pages[2]
