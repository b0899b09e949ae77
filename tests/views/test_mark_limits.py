"""Starting or stopping to watch and "Ich habe die gleiche Frage" renew every page kept for
the site's generation (services/generation.py), so they are rate-limited ("mark" in
RATE_LIMITS): past the limit nothing changes, the generation stays, and the person is told
why, in their language."""

import pytest

from config import Config
from forum.enums import WatchKind
from forum.services import answers, generation, notifications
from tests.conftest import _client_as
from tests.factories import make_thread, make_topic, make_user


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATE_LIMITS": {
        **Config.RATE_LIMITS, "mark": {"account": "3 per hour", "client": "100 per hour"}}}


def test_watching_past_the_limit_changes_nothing_and_says_why(app):
    topic = make_topic()
    person = make_user()
    client = _client_as(app, person)
    data = {"kind": WatchKind.TOPIC_FIELD.value, "target": topic.id,
            "next": f"/themen/{topic.slug}"}
    for _ in range(3):  # watch, stop, watch
        assert client.post("/beobachten", data=data).status_code == 302
    assert notifications.find_watch(person, WatchKind.TOPIC_FIELD, topic.id) is not None
    before = generation.current()
    page = client.post("/beobachten", data=data, follow_redirects=True).text
    assert "sehr oft etwas beobachtet" in page
    assert notifications.find_watch(person, WatchKind.TOPIC_FIELD, topic.id) is not None
    assert generation.current() == before


def test_same_question_past_the_limit_changes_nothing(app):
    topic = make_topic()
    thread = make_thread(topic.board, make_user(), title="Wie gelingt Gleitzeit im Team?")
    person = make_user(locale="en")
    client = _client_as(app, person)
    url = f"/fragen/{thread.id}/gleiche-frage"
    for wanted in ("1", "0", "1"):
        assert client.post(url, data={"setzen": wanted}).status_code == 302
    page = client.post(url, data={"setzen": "0"}, follow_redirects=True).text
    assert "Please try again later" in page
    assert answers.has_me_too(person, thread)  # still marked, as before the refused one
