"""A page's subject (question, project, topic field) is kept per generation and person
(views.page_subject) as a copy: the request that loads it keeps its own rows, also those it
shares with the person's own data; a reload gets the kept copy into its session; a subject
not found is not kept; a moved or merged question is followed on the next request."""

import sqlalchemy as sa
from flask import request_finished
from flask_login import current_user

from forum.fragment_cache import store
from forum.models import SiteRole
from forum.services import moderation, threads
from tests.conftest import _client_as, configured
from tests.factories import make_expert, make_thread, make_topic, make_user


def _detached_verified_fields(app, client, url: str) -> list[bool]:
    """For each of the person's verified topic fields: whether it was out of the session
    when the request for `url` ended (its lazy loads would fail)."""
    seen: list[bool] = []

    def finished(_sender, **_extra):
        for verification in current_user.verifications:
            seen.extend(sa.inspect(topic).session is None for topic in verification.topic_fields)

    request_finished.connect(finished, app)
    try:
        assert client.get(url).status_code == 200
    finally:
        request_finished.disconnect(finished, app)
    return seen


def test_keeping_the_subject_leaves_the_persons_own_rows_in_the_session(app):
    topic = make_topic(name="Pflege")
    expert = make_expert(topics=[topic], display_name="Dr. Berta Fachfrau")
    thread = make_thread(topic.board, make_user(), title="Wie gelingt Gleitzeit in der Pflege?")
    client = _client_as(app, expert)
    store(app).clear()
    with configured(app, PAGE_CACHE=False):
        for url in (f"/themen/{topic.slug}", f"/fragen/{thread.id}-{thread.slug}"):
            for _ in range(2):  # the miss that keeps it, and the reload
                assert _detached_verified_fields(app, client, url) == [False], url


def test_a_subject_not_found_is_not_kept(app):
    client = app.test_client()
    store(app).clear()
    with configured(app, PAGE_CACHE=False):
        for number in range(5):
            assert client.get(f"/themen/gibt-es-nicht-{number}").status_code == 404
            assert client.get(f"/fragen/{900000 + number}-frage").status_code == 404
    assert len(store(app)) == 0


def test_a_merged_question_is_followed_on_the_next_request(app):
    topic = make_topic()
    moderator = make_user(role=SiteRole.MODERATOR)
    source = make_thread(topic.board, make_user(), title="Gleitzeit in der Pflege, wie?")
    target = make_thread(topic.board, make_user(), title="Wie gelingt Gleitzeit in der Pflege?")
    reader = _client_as(app, make_user())
    url = f"/fragen/{source.id}-{source.slug}"
    with configured(app, PAGE_CACHE=False):
        for _ in range(2):  # kept
            assert reader.get(url).status_code == 200
        moderation.merge_threads(moderator, source, target)
        response = reader.get(url)
        assert response.status_code == 301
        assert response.headers["Location"].endswith(f"/fragen/{target.id}-{target.slug}")
        threads.add_answer(make_expert(), target, "Eine Antwort auf die zusammengeführte Frage.")
        assert "zusammengeführte Frage" in reader.get(
            f"/fragen/{target.id}-{target.slug}").text
