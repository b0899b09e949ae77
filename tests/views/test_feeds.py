"""Atom feeds, parsed with feedparser: valid, linked from the pages, only published content."""

import feedparser
import pytest

from forum.extensions import db
from forum.services import threads
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user


@pytest.fixture
def world(app):
    topic = make_topic(name="Gesundheit")
    project = make_project(name="EXPERTISE 4.0", topics=[topic])
    expert = make_expert(display_name="Dr. Feed")
    public = make_thread(project.board, expert, title="Öffentliche Frage zum Feed",
                         body="Mit **Markdown**")
    threads.add_answer(make_expert(), public, "Eine Antwort im Feed")
    topic.board.require_approval = True
    db.session.commit()
    pending = make_thread(topic.board, make_user(), title="Wartende Frage im Feed")
    return {"topic": topic, "project": project, "public": public, "pending": pending}


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_feeds_are_valid_atom_with_only_published_questions(client, world):
    for url in ("/feeds/fragen.atom", f"/feeds/projekte/{world['project'].slug}.atom",
                f"/feeds/themen/{world['topic'].slug}.atom"):
        feed = _parse(client, url)
        titles = [entry.title for entry in feed.entries]
        assert titles == ["Öffentliche Frage zum Feed"], url
        assert "<strong>Markdown</strong>" in feed.entries[0].content[0].value
        assert feed.entries[0].link.startswith("http://localhost/fragen/")


def test_thread_feed_lists_question_and_answers(client, world):
    feed = _parse(client, f"/feeds/fragen/{world['public'].id}.atom")
    assert len(feed.entries) == 2  # newest first
    assert "Eine Antwort im Feed" in feed.entries[0].content[0].value


def test_pending_thread_feed_and_unknown_feeds_are_404(client, world):
    assert client.get(f"/feeds/fragen/{world['pending'].id}.atom").status_code == 404
    assert client.get("/feeds/projekte/unbekannt.atom").status_code == 404


def test_pages_link_their_feeds(client, world):
    project, topic, public = world["project"], world["topic"], world["public"]
    for page, feed in (("/", "/feeds/fragen.atom"),
                       (f"/projekte/{project.slug}", f"/feeds/projekte/{project.slug}.atom"),
                       (f"/themen/{topic.slug}", f"/feeds/themen/{topic.slug}.atom"),
                       (f"/fragen/{public.id}-{public.slug}", f"/feeds/fragen/{public.id}.atom")):
        text = client.get(page).text
        assert 'rel="alternate" type="application/atom+xml"' in text
        assert f'href="{feed}"' in text, page


def test_project_and_topic_pages_show_their_question_feeds(client, world):
    """Issue 14: not only in <link rel=alternate>, a link people see."""
    project, topic = world["project"], world["topic"]
    for page, feed, words in (
            (f"/projekte/{project.slug}", f"/feeds/projekte/{project.slug}.atom",
             "Fragen an das Projekt als Feed (Atom)"),
            (f"/themen/{topic.slug}", f"/feeds/themen/{topic.slug}.atom",
             "Fragen zu diesem Themenfeld als Feed (Atom)")):
        text = client.get(page).text
        assert f'<a href="{feed}">{words}</a>' in text, page


def test_thread_feed_names_the_followup_and_is_as_new_as_its_newest_entry(client, world):
    from datetime import timedelta

    from forum.models import Post, utcnow

    public = world["public"]
    followup = threads.add_followup(public.author, public, "Eine Rückfrage im Feed")
    newest = utcnow() - timedelta(days=3)  # all of it is older than the request
    for post in db.session.scalars(db.select(Post).where(Post.thread_id == public.id)):
        post.created_at = newest - timedelta(hours=post.id)
    db.session.commit()
    feed = _parse(client, f"/feeds/fragen/{public.id}.atom")
    titles = {entry.id.rsplit("-", 1)[1]: entry.title for entry in feed.entries}
    assert titles[str(followup.id)] == "Rückfrage von Dr. Feed"
    newest_entry = max(entry.updated_parsed for entry in feed.entries)
    assert feed.feed.updated_parsed == newest_entry
    project_feed = _parse(client, f"/feeds/projekte/{world['project'].slug}.atom")
    assert project_feed.feed.updated_parsed == max(
        entry.updated_parsed for entry in project_feed.entries)
