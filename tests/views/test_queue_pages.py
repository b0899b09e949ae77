"""The moderation queue in pages: every list of it (pending posts, reported posts, reported
updates, escalated questions, appeals) is paged on its own, oldest first, and a page link, a
filter and a bulk decision keep the moderator's place (issue 17: a queue of 1,000 pending
posts showed the oldest 50 and no way on)."""

import re
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import Post, PostState, utcnow
from forum.services import queue
from tests.factories import (
    make_answer,
    make_expert,
    make_report,
    make_thread,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.usefixtures("smtp_sink")


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)


def _pending(thread, count: int) -> list[Post]:
    """`count` pending answers, the first the oldest (a minute apart)."""
    posts = []
    for i in range(count):
        post = make_answer(thread, make_expert(), body=f"Wartende Antwort Nummer {i + 1}.")
        post.state = PostState.PENDING
        post.created_at = utcnow() - timedelta(minutes=count - i)
        posts.append(post)
    db.session.commit()
    return posts


def _shown(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="post" value="(\d+)"', html)]


def _nav(html: str, label: str) -> str:
    match = re.search(rf'<nav class="pagination" aria-label="{re.escape(label)}">(.*?)</nav>',
                      html, re.S)
    assert match, label
    return match.group(1)


def test_pending_posts_are_paged_oldest_first(moderator_client, small_pages):
    thread = make_thread(make_topic().board, make_user())
    posts = _pending(thread, 5)
    first = moderator_client.get("/moderation").text
    assert _shown(first) == [posts[0].id, posts[1].id]
    assert "Beiträge, die auf Freigabe warten (5)</h2>" in first
    assert "Seite 1 von 3, die ältesten zuerst." in first
    nav = _nav(first, "Seiten: Beiträge, die auf Freigabe warten")
    assert 'href="/moderation?seite=2#freigaben" rel="next"' in nav
    assert 'aria-current="page" href="/moderation?seite=1#freigaben"' in nav

    second = moderator_client.get("/moderation?seite=2").text
    assert _shown(second) == [posts[2].id, posts[3].id]
    assert 'href="/moderation?seite=1#freigaben" rel="prev"' in second
    assert _shown(moderator_client.get("/moderation?seite=3").text) == [posts[4].id]


def test_a_page_past_the_end_shows_the_last_and_nonsense_shows_the_first(
        moderator_client, small_pages):
    thread = make_thread(make_topic().board, make_user())
    posts = _pending(thread, 3)
    assert _shown(moderator_client.get("/moderation?seite=7").text) == [posts[2].id]
    for nonsense in ("abc", "-1", "0", "99999999999999999999999", "2.5", ""):
        response = moderator_client.get(f"/moderation?seite={nonsense}")
        assert response.status_code == 200, nonsense
        assert _shown(response.text) in ([posts[0].id, posts[1].id], [posts[2].id]), nonsense


def test_page_links_keep_the_filters_and_the_other_lists_pages(moderator_client, small_pages):
    topic = make_topic()
    thread = make_thread(topic.board, make_user())
    posts = _pending(thread, 5)
    reported = [make_thread(topic.board, make_user(), title=f"Gemeldet {i}").posts[0]
                for i in range(3)]
    for post in reported:
        make_report(post)
    html = moderator_client.get(
        f"/moderation?art=antwort&bereich={topic.board.id}&seite-meldungen=2").text
    assert _shown(html) == [posts[0].id, posts[1].id]
    nav = _nav(html, "Seiten: Beiträge, die auf Freigabe warten")
    next_link = re.search(r'href="([^"]+)" rel="next"', nav).group(1).replace("&amp;", "&")
    assert next_link.startswith("/moderation?") and next_link.endswith("#freigaben")
    for part in ("art=antwort", f"bereich={topic.board.id}", "seite-meldungen=2", "seite=2"):
        assert part in next_link, part
    # the reported posts are on their second page: the kind filter (answers) shows none of
    # these questions, so without it
    reports = moderator_client.get("/moderation?seite-meldungen=2").text
    section = reports[reports.index('id="meldungen"'):reports.index('id="neuigkeiten"')]
    assert "Gemeldet 2" in section and "Gemeldet 0" not in section
    assert 'rel="prev"' in _nav(reports, "Seiten: Gemeldete Beiträge")
    # a filter that matches nothing says so, not that nothing waits at all
    empty = moderator_client.get("/moderation?art=frage&alter=30").text
    assert "Kein wartender Beitrag passt zum Filter." in empty


def test_a_bulk_decision_returns_to_the_same_page_and_filter(moderator_client, small_pages):
    topic = make_topic()
    thread = make_thread(topic.board, make_user())
    posts = _pending(thread, 5)
    page = moderator_client.get("/moderation?art=antwort&seite=2").text
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    assert action.replace("&amp;", "&") == "/moderation/sammelentscheidung?art=antwort&seite=2"
    response = moderator_client.post(action.replace("&amp;", "&"), data={
        "action": "approve", "post": [str(posts[2].id), str(posts[3].id)], "reason": "0"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation?art=antwort&seite=2"
    # page 2 is now past the end (3 left: 2 pages): the last page shows, with its items
    after = moderator_client.get(response.headers["Location"]).text
    assert "2 Beiträge entschieden." in after
    assert _shown(after) == [posts[4].id]
    db.session.expire_all()
    assert db.session.get(Post, posts[2].id).state == PostState.PUBLISHED


def test_escalated_questions_and_their_count_are_paged(moderator_client, small_pages):
    board = make_topic().board
    threads = [make_thread(board, make_user(), title=f"Eskaliert {i}") for i in range(3)]
    for i, thread in enumerate(threads):
        thread.escalated_at = utcnow()
        thread.created_at = utcnow() - timedelta(days=30 - i)
    db.session.commit()
    html = moderator_client.get("/moderation").text
    assert "Eskalierte Fragen ohne Antwort (3)</h2>" in html
    section = html[html.index('id="eskaliert"'):html.index('id="beschwerden"')]
    assert "Eskaliert 0" in section and "Eskaliert 1" in section and "Eskaliert 2" not in section
    second = moderator_client.get("/moderation?seite-eskaliert=2").text
    section = second[second.index('id="eskaliert"'):second.index('id="beschwerden"')]
    assert "Eskaliert 2" in section and "Eskaliert 0" not in section


def test_full_pages_take_their_totals_from_the_queue_counts(moderator_client, small_pages):
    """The lists' lengths are the figures the queue shows in its headings: a full page runs
    no count of its own, unless a filter narrows the list."""
    from tests.views.test_query_counts import count_queries

    topic = make_topic()
    _pending(make_thread(topic.board, make_user()), 5)
    for i in range(3):
        make_report(make_thread(topic.board, make_user(), title=f"Gemeldet {i}").posts[0])
    with count_queries() as statements:
        html = moderator_client.get("/moderation").text
    assert "Seite 1 von 3, die ältesten zuerst." in html
    assert 'href="/moderation?seite-meldungen=2#meldungen" rel="next"' in html
    counted = [s for s in statements if re.match(r"SELECT count\(\*\) AS count_1\s+FROM \(",
                                                  s)]
    assert counted == []
    # with a filter the pending list counts what matches it
    with count_queries() as statements:
        html = moderator_client.get(f"/moderation?bereich={topic.board.id}").text
    assert "5 Einträge passen zum Filter." in html
    assert "Seite 1 von 3, die ältesten zuerst." in html
    assert [s for s in statements if re.match(r"SELECT count\(\*\) AS count_1\s+FROM \(", s)]


def test_a_list_the_counts_show_empty_runs_no_statement(moderator_client):
    """Reported posts, reported updates, appeals and escalated questions: when the queue's
    counts say a list is empty, the page asks the database nothing more about it."""
    from tests.views.test_query_counts import count_queries

    _pending(make_thread(make_topic().board, make_user()), 2)
    with count_queries() as statements:
        html = moderator_client.get("/moderation").text
    assert "Keine offenen Meldungen." in html and "Keine gemeldeten Neuigkeiten." in html
    assert "Keine eskalierten Fragen." in html and "Keine offenen Beschwerden." in html
    lists = [s for s in statements if not s.startswith("SELECT (SELECT count(*)")  # counts
             and (s.startswith(("SELECT appeals.", "SELECT project_updates."))
                  or "JOIN (SELECT reports.post_id" in s or "escalated_at IS NOT NULL" in s)]
    assert lists == []
    # nor do the filter counts ask for reported posts by board or by report category
    assert not [s for s in statements if "GROUP BY reports.category" in s
                or "posts.state != 'pending'" in s]
    assert "Frage (0)" in html and "Antwort (2)" in html


def test_escalated_questions_are_counted_apart_from_what_waits_for_a_decision(
        moderator_client):
    board = make_topic().board
    thread = make_thread(board, make_user(), title="Lange ohne Antwort")
    thread.escalated_at = utcnow()
    db.session.commit()
    counts = queue.counts(moderator_client.user)
    assert counts["escalated"] == 1 and counts["total"] == 0
    html = moderator_client.get("/moderation").text
    assert "Eskalierte Fragen ohne Antwort (1)</h2>" in html and "Lange ohne Antwort" in html


def test_the_queue_writes_the_states_outside_moderation_into_its_statements(moderator_client):
    """`Thread.state_in`: PostgreSQL plans a prepared statement with the states in its text
    once, for good; with bound states it planned the queue's counts anew every time."""
    from tests.views.test_query_counts import count_queries

    _pending(make_thread(make_topic().board, make_user()), 1)
    with count_queries() as statements:
        assert moderator_client.get("/moderation").status_code == 200
    scoped = [s for s in statements if "thread_id NOT IN (SELECT threads.id" in s]
    assert len(scoped) >= 3  # the counts, the pending posts, the filter counts
    assert all("threads.state IN ('unconfirmed', 'withdrawn')" in s for s in scoped)
