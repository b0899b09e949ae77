"""The expert pages run a fixed number of SQL statements, however many experts, verifications
and answers there are."""

from datetime import timedelta

import pytest

from forum.models import SiteRole
from forum.models.expert import today
from forum.services import answers, experts
from tests.conftest import login
from tests.factories import (
    make_answer,
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)
from tests.views.test_query_counts import count_queries


def _queries(client, url) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


def _grow(topic, project, admin, thread, asker, scale: int) -> None:
    """More listed experts (with answers, one marked helpful), more verifications of every
    status, and more answers by the profiled expert."""
    for _ in range(scale):
        expert = make_expert(topics=[topic, make_topic()], projects=[project],
                             profile_public=True, show_organisation=True,
                             organisation="Institut", show_expertise=True, expertise="Viel")
        answer = make_answer(make_thread(topic.board, asker), expert)
        answers.mark_helpful(asker, answer)
        make_expert(topics=[topic])  # verified, not listed
        expired = make_expert(topics=[topic], projects=[project],
                              valid_from=today() - timedelta(days=400),
                              valid_until=today() - timedelta(days=1))
        experts.revoke(admin, make_expert(projects=[project]).verifications[0], "Grund")
        experts.verify(admin, expired, evidence="Erneut", topic_fields=[topic], projects=[],
                       valid_from=today() + timedelta(days=5),
                       valid_until=today() + timedelta(days=50))


@pytest.mark.parametrize("viewer", ["visitor", "expert", "admin"])
def test_expert_pages_query_count_does_not_grow_with_data(client, viewer):
    topic = make_topic(slug="arbeitszeit")
    project = make_project(topics=[topic])
    admin = make_user(role=SiteRole.ADMIN)
    asker = make_user()
    profiled = make_expert(topics=[topic], projects=[project], profile_public=True,
                           show_organisation=True, organisation="Hochschule")
    thread = make_thread(topic.board, asker)
    make_answer(thread, profiled)
    pages = ["/fachleute", "/fachleute?themenfeld=arbeitszeit", f"/fachleute/{profiled.id}"]
    if viewer == "admin":
        login(client, admin)
        pages += ["/admin/fachleute", f"/admin/nutzende/{profiled.id}"]
    elif viewer == "expert":
        login(client, profiled)
        pages.append("/konto/einstellungen")

    _grow(topic, project, admin, thread, asker, scale=1)
    small = {url: _queries(client, url) for url in pages}
    _grow(topic, project, admin, thread, asker, scale=6)
    for _ in range(5):  # the profiled expert answers more questions, some marked helpful
        answer = make_answer(make_thread(topic.board, asker), profiled)
        answers.mark_helpful(asker, answer)
    large = {url: _queries(client, url) for url in pages}
    assert large == small
    # the admin user page also shows the account's moderation history (two queries)
    assert max(small.values()) <= 16, small


def test_thread_page_with_many_expert_answers_query_count_fixed(client):
    topic = make_topic()
    project = make_project(topics=[topic])
    asker = make_user()
    thread = make_thread(project.board, asker)

    def more(n):
        for _ in range(n):
            make_answer(thread, make_expert(topics=[topic], profile_public=True,
                                            show_organisation=True, organisation="Org"))
            make_answer(thread, make_user(project=project))

    more(1)
    small = _queries(client, f"/fragen/{thread.id}-{thread.slug}")
    more(8)
    assert _queries(client, f"/fragen/{thread.id}-{thread.slug}") == small
