"""The API's lists run a fixed number of SQL statements per page, however much data there is
(authors' badges, experts' fields and projects' tags are loaded in bulk)."""

import pytest

from forum.services import tokens
from tests.factories import (
    bulk_answers,
    bulk_threads,
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)
from tests.views.test_query_counts import count_queries


def _queries(client, url, headers) -> int:
    with count_queries() as statements:
        assert client.get(url, headers=headers).status_code == 200
    return len(statements)


@pytest.mark.parametrize("with_token", [False, True])
def test_api_lists_query_count_does_not_grow_with_data(client, with_token):
    topic = make_topic()
    project = make_project(topics=[topic])
    experts = [make_expert(topics=[topic], profile_public=True) for _ in range(2)]
    member = make_user(project=project)
    thread = make_thread(project.board, make_user())
    headers = ({"Authorization": f"Bearer {tokens.create(member, 'Zähler', ['read']).secret}"}
               if with_token else {})
    urls = ["/api/v1/threads", "/api/v1/projects", "/api/v1/experts", "/api/v1/boards",
            f"/api/v1/threads/{thread.id}/posts", f"/api/v1/threads/{thread.id}",
            "/api/v1/updates", "/api/v1/topic-fields"]
    bulk_answers(thread, [*experts, member], 3)
    client.get("/api/v1/", headers=headers)  # a token's first use records it (once in 10 min)
    before = {url: _queries(client, url, headers) for url in urls}
    bulk_threads(project.board, member, 15)
    bulk_threads(topic.board, member, 15)
    bulk_answers(thread, [*experts, member, *(make_expert(topics=[topic], profile_public=True)
                                              for _ in range(6))], 15)
    for _ in range(6):
        make_project(topics=[topic])
    after = {url: _queries(client, url, headers) for url in urls}
    assert after == before
