"""'Meine Beiträge' lists everything the person wrote, published posts included (mails point
there), paged, in a fixed number of queries."""

from tests.conftest import login
from tests.factories import make_answer, make_expert, make_thread, make_topic, make_user
from tests.views.test_query_counts import count_queries


def test_published_posts_are_listed_too(client):
    author = make_expert()
    thread = make_thread(make_topic().board, make_user(), title="Wie planen wir Schichten?")
    answer = make_answer(thread, author)
    login(client, author)
    page = client.get("/konto/beitraege").text
    assert "Alle Ihre Beiträge" in page and f"#beitrag-{answer.id}" in page
    assert "Wie planen wir Schichten?" in page


def test_the_list_is_paged_and_its_queries_do_not_grow(client):
    author = make_expert()
    topic = make_topic()
    thread = make_thread(topic.board, make_user())
    for _ in range(3):
        make_answer(thread, author)
    login(client, author)
    with count_queries() as few:
        client.get("/konto/beitraege")
    for _ in range(60):
        make_answer(thread, author)
    with count_queries() as many:
        page = client.get("/konto/beitraege").text
    # a full page counts the list for its page numbers, a short one knows its total (one
    # statement fewer): the count is bounded, however many posts there are
    assert len(many) <= len(few) + 1
    for _ in range(60):
        make_answer(thread, author)
    with count_queries() as more:
        client.get("/konto/beitraege")
    assert len(more) == len(many)
    assert "Seite 2" in page and "?seite=2" in page
    assert client.get("/konto/beitraege?seite=99999999999999999999").status_code == 200
