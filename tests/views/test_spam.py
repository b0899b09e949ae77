"""Spam defences without puzzles: honeypot, minimum fill time, rate limits, links, repeats.
Each refusal re-shows the form with the text and a German message; nothing is saved."""

import re
import time

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, Report, Thread, User
from tests.conftest import login
from tests.factories import make_expert, make_thread, make_topic, make_user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _started(page: str) -> str:
    return re.search(r'name="started" type="hidden" value="([^"]*)"', page).group(1)


class TestFormGuards:
    @pytest.fixture
    def app_config(self):
        return {"MIN_FILL_SECONDS": 2}

    def _register(self, client, **extra):
        data = {"email": "neu@example.org", "display_name": "Neue Person",
                "password": "ein-langes-passwort", "password_confirm": "ein-langes-passwort"}
        return client.post("/konto/registrieren", follow_redirects=True, data={**data, **extra})

    def test_register_sent_too_fast_is_refused_with_text_kept(self, client, monkeypatch):
        started = _started(client.get("/konto/registrieren").text)
        response = self._register(client, started=started)
        assert "Das ging sehr schnell" in response.text
        assert 'value="Neue Person"' in response.text and _count(User) == 0
        later = time.time() + 3
        monkeypatch.setattr(time, "time", lambda: later)
        assert "Bitte prüfen Sie Ihr Postfach" in self._register(client, started=started).text

    def test_register_without_or_with_forged_stamp_is_refused(self, client):
        assert "Das ging sehr schnell" in self._register(client).text
        assert "Das ging sehr schnell" in self._register(client, started="123").text
        assert _count(User) == 0

    def test_honeypot_filled_is_refused(self, client, monkeypatch):
        started = _started(client.get("/konto/registrieren").text)
        later = time.time() + 3
        monkeypatch.setattr(time, "time", lambda: later)
        response = self._register(client, started=started, website="http://spam.example")
        assert "muss leer bleiben" in response.text and _count(User) == 0

    def test_ask_form_has_the_same_guards(self, client, monkeypatch):
        topic = make_topic()
        login(client, make_user())
        page = client.get("/fragen/neu").text
        assert 'name="website"' in page and "Dieses Feld bitte leer lassen" in page
        data = {"board": topic.board.id, "title": "Eine Frage mit Titel", "body": "Text hier",
                "started": _started(page)}
        response = client.post("/fragen/neu", data=data)
        assert "Das ging sehr schnell" in response.text and "Text hier" in response.text
        later = time.time() + 3
        monkeypatch.setattr(time, "time", lambda: later)
        assert client.post("/fragen/neu", data=data).status_code == 302
        assert _count(Thread) == 1


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATE_LIMITS": {
            "post": {"account": "2 per hour", "client": "100 per hour"},
            "report": {"account": "100 per hour", "client": "2 per hour"}}}

    def test_answers_over_account_limit_keep_text(self, client):
        thread = make_thread(make_topic().board, make_user())
        login(client, make_expert())
        url = f"/fragen/{thread.id}-{thread.slug}"
        for i in range(2):
            assert client.post(url, data={"body": f"Antwort {i}"}).status_code == 302
        response = client.post(url, data={"body": "Die dritte Antwort"})
        assert "sehr viele Beiträge" in response.text and "Die dritte Antwort" in response.text
        assert _count(Post) == 3  # question + two answers

    def test_guest_reports_over_client_limit_keep_text(self, client):
        thread = make_thread(make_topic().board, make_expert())
        url = f"/beitraege/{thread.posts[0].id}/melden"
        data = {"category": "spam", "explanation": "Werbung für Pillen", "good_faith": "y"}
        for _ in range(2):
            assert "Danke für Ihre Meldung" in client.post(url, data=data).text
        response = client.post(url, data=data)
        assert "sehr viele Meldungen" in response.text
        assert "Werbung für Pillen" in response.text and _count(Report) == 2


class TestPostRules:
    @pytest.fixture
    def app_config(self):
        return {"PREMODERATION_THRESHOLD": 1}

    def test_new_user_at_most_two_links(self, client):
        topic = make_topic()
        login(client, make_user())
        body = "[a](https://a.example) [b](https://b.example) [c](https://c.example)"
        response = client.post("/fragen/neu", data={"board": topic.board.id,
                                                    "title": "Links über Links", "body": body})
        assert "höchstens 2 Links" in response.text and "https://c.example" in response.text
        assert _count(Thread) == 0
        body = "[a](https://a.example) [b](https://b.example)"
        assert client.post("/fragen/neu", data={"board": topic.board.id,
                                                "title": "Zwei Links gehen",
                                                "body": body}).status_code == 302

    def test_experts_may_post_more_links(self, client):
        thread = make_thread(make_topic().board, make_expert())
        login(client, make_expert())
        body = " ".join(f"[{i}](https://{i}.example)" for i in range(5))
        response = client.post(f"/fragen/{thread.id}-{thread.slug}", data={"body": body})
        assert response.status_code == 302

    def test_duplicate_of_previous_post_within_five_minutes_refused(self, client):
        thread = make_thread(make_topic().board, make_expert())
        login(client, make_expert())
        url = f"/fragen/{thread.id}-{thread.slug}"
        assert client.post(url, data={"body": "Genau  diese Antwort"}).status_code == 302
        response = client.post(url, data={"body": "genau diese antwort"})
        assert "gerade schon gesendet" in response.text
        assert "genau diese antwort" in response.text and _count(Post) == 2
