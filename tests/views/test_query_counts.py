"""Each main page runs a fixed number of SQL statements, however much data there is."""

from contextlib import contextmanager

import pytest
from flask import current_app
from sqlalchemy import event

from forum import fragment_cache
from forum.enums import ThreadState
from forum.extensions import db
from forum.models import SiteRole
from tests.conftest import login
from tests.factories import (
    bulk_answers,
    bulk_threads,
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)

# The savepoints through which each test's sessions join its rolled-back transaction
# (tests/conftest.py); the app itself never makes one, so they are not the page's queries.
_TEST_SAVEPOINTS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


@contextmanager
def count_queries():
    """The statements run in the block, with the fragment cache emptied first: the count of a
    first visit, not one that depends on what an earlier request left in the cache."""
    fragment_cache.store(current_app).clear()
    statements = []

    def _count(conn, cursor, statement, *args):
        if not statement.startswith(_TEST_SAVEPOINTS):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _queries(client, url) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def _grow(topic, project, thread, users, scale: int) -> None:
    bulk_threads(topic.board, users[0], 5 * scale)
    bulk_threads(project.board, users[1], 5 * scale)
    bulk_answers(thread, users, 10 * scale)
    for _ in range(scale):
        make_project(topics=[topic])
        make_user(project=project)


@pytest.mark.parametrize("viewer", [None, 1, 2])  # visitor, project member, moderator
def test_main_pages_query_count_does_not_grow_with_data(client, viewer):
    topic = make_topic()
    project = make_project(topics=[topic])
    users = [make_expert(), make_user(project=project),
             make_user(role=SiteRole.MODERATOR), make_user()]
    thread = make_thread(project.board, users[3])
    pages = ["/", "/projekte", f"/projekte/{project.slug}", f"/themen/{topic.slug}",
             f"/fragen/{thread.id}-{thread.slug}"]
    if viewer is not None:
        login(client, users[viewer])
        pages.append("/fragen/neu")

    _grow(topic, project, thread, users, scale=1)
    small = {url: _queries(client, url) for url in pages}
    _grow(topic, project, thread, users, scale=5)  # 50 answers on the thread
    large = {url: _queries(client, url) for url in pages}
    assert large == small
    # an expert's verification brings its topic fields and projects: three selectin queries;
    # a board's list takes two (the page's ids from the index, then those threads)
    assert max(small.values()) <= 16, small


def test_revision_history_query_count_does_not_grow(client):
    from forum.services import moderation, threads

    asker = make_user()
    editors = [asker, make_user(role=SiteRole.MODERATOR)]
    thread = make_thread(make_topic().board, asker)
    question = thread.posts[0]
    login(client, editors[1])
    url = f"/beitraege/{question.id}/versionen"
    threads.edit_post(editors[0], question, "Fassung 1")
    small = _queries(client, url)
    for i in range(10):  # the author's edits and the moderation's (decisions with a reason)
        if i % 2:
            moderation.edit_post(editors[1], question, body=f"Fassung {i + 2}",
                                 reason="Gekürzt.")
        else:
            threads.edit_post(editors[0], question, f"Fassung {i + 2}")
    assert _queries(client, url) == small


def test_moderation_pages_query_count_does_not_grow(client):
    from forum.models import ProjectRole
    from tests.factories import make_report

    project = make_project()
    moderator = make_user(project=project, project_role=ProjectRole.MODERATOR)
    project.board.require_approval = True
    expert = make_expert()
    login(client, moderator)

    from forum.extensions import db
    from forum.models import ModerationNote, QueueClaim

    other = make_user(display_name="Zweite Moderatorin")

    def grow(n):
        for i in range(n):
            thread = make_thread(project.board, expert, title=f"Wartende Frage {i}")
            make_report(thread.posts[0])
            db.session.add(QueueClaim(item_kind="post", item_id=thread.posts[0].id,
                                      moderator_id=other.id))
            for item_id in (thread.posts[0].id, first.posts[0].id):
                db.session.add(ModerationNote(item_kind="post", item_id=item_id,
                                              author_id=other.id, body=f"Notiz {i}"))
            db.session.add(ModerationNote(item_kind="account", item_id=expert.id,
                                          author_id=other.id, body=f"Antrag {i}"))
        db.session.commit()

    first = make_thread(project.board, expert, title="Die erste Frage hier")
    grow(1)
    pages = ["/moderation", f"/moderation/beitraege/{first.posts[0].id}", "/moderation/protokoll",
             f"/moderation/konten/{expert.id}"]
    small = {url: _queries(client, url) for url in pages}
    grow(10)
    assert {url: _queries(client, url) for url in pages} == small


def test_search_and_notification_pages_query_count_does_not_grow(client):
    from forum.services import notifications

    topic = make_topic()
    reader = make_user()
    notifications.watch(reader, "topic_field", topic.id)
    login(client, reader)

    def grow(n):
        for i in range(n):
            make_thread(topic.board, make_expert(),
                        title=f"Gleitzeit Frage {i}", body=f"Gleitzeit und Homeoffice {i}")

    grow(2)
    pages = ["/suche?q=Gleitzeit", "/konto/benachrichtigungen",
             "/konto/benachrichtigungen/einstellungen"]
    small = {url: _queries(client, url) for url in pages}
    grow(15)
    assert {url: _queries(client, url) for url in pages} == small


def test_practice_example_pages_query_count_does_not_grow(client):
    from forum.models import ProjectRole
    from forum.services import practice, threads

    topic = make_topic()
    project = make_project(topics=[topic])
    lead = make_user(project=project, project_role=ProjectRole.LEAD)
    first = practice.publish(lead, project, practice.Parts(
        "Gleitzeit erprobt", "So.", "Hier.", "Gut.", "Alles.", lead.id))
    login(client, lead)

    def grow(n):
        for i in range(n):
            member = make_user(project=project)  # new authors, contacts and team members
            practice.publish(member, project, practice.Parts(
                f"Gleitzeit Beispiel {i}", "So.", "Hier.", "Gut.", "Alles.", member.id))
            threads.create_thread(make_expert(), project.board, f"Frage zur Gleitzeit Nummer {i}",
                                  "Wie genau?", about=first)

    grow(1)
    pages = ["/praxisbeispiele", f"/praxisbeispiele?themenfeld={topic.slug}",
             f"/praxisbeispiele?projekt={project.slug}",
             f"/praxisbeispiele/{first.id}-{first.slug}", f"/projekte/{project.slug}",
             "/feeds/praxisbeispiele.atom", "/suche?q=Gleitzeit",
             f"/projekte/{project.slug}/praxisbeispiele/neu",
             f"/praxisbeispiele/{first.id}/bearbeiten"]
    small = {url: _queries(client, url) for url in pages}
    grow(8)
    assert {url: _queries(client, url) for url in pages} == small


def test_thread_page_for_a_project_moderator_query_count_fixed(client):
    """The rulebook asks for every post whether only site moderators handle it: the answer
    comes with the posts (Post.site_only), not as a query per post."""
    from forum.models import ProjectRole
    from tests.factories import bulk_answers

    project = make_project()
    login(client, make_user(project=project, project_role=ProjectRole.MODERATOR))
    thread = make_thread(project.board, make_user())
    experts = [make_expert() for _ in range(3)]
    url = f"/fragen/{thread.id}-{thread.slug}"
    bulk_answers(thread, experts, 2)
    small = _queries(client, url)
    bulk_answers(thread, experts, 20)
    assert _queries(client, url) == small


def test_a_logged_in_page_reads_generation_and_unread_count_with_the_account(client):
    """The log-in's statement brings the site generation and the header's unread count: no
    statement of their own, and the count shown is the right one (a notification hidden
    with its post drops out of it)."""
    topic = make_topic()
    watcher = make_user()
    login(client, watcher)
    client.post("/beobachten", data={"kind": "topic_field", "target": topic.id,
                                     "next": "/"})
    make_thread(topic.board, make_expert(), title="Eine neue Frage")
    hidden = make_thread(topic.board, make_expert(), title="Eine Frage, die verschwindet")
    hidden.state = ThreadState.HIDDEN
    db.session.commit()
    for url in ("/", f"/themen/{topic.slug}", "/suche?q=Frage"):
        with count_queries() as statements:
            page = client.get(url).text
        assert "(1 neu)" in page, url
        assert not any(s.startswith("SELECT value FROM site_generation") for s in statements)
        assert not any("FROM notifications" in s and "login_sessions" not in s
                       for s in statements), url
        assert "FROM login_sessions" in statements[0], "the account is the first read"
