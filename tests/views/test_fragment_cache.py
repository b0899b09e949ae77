"""Posts come from the per-process fragment cache for logged-in people too (forum/
fragment_cache.py; post_html and thread_posts in forum/jinja.py), and are never stale and
never anybody else's: each change shows on the next request, and one person's posts,
controls and form tokens never reach another. A question page keeps each person's view of
its posts per site generation, so a reload loads no post; each post's own fragment is keyed
by the values it shows, so it is right even where the generation stands still."""

import re
from datetime import timedelta
from functools import cache

import pytest
import sqlalchemy as sa
from sqlalchemy import event

import forum.models as forum_models
from forum import fragment_cache
from forum.enums import DeletionMode, PostState, WatchKind
from forum.extensions import db
from forum.fragment_cache import store
from forum.jinja import post_html
from forum.models import GroundKind, ProjectRole, SiteRole
from forum.permissions import scope
from forum.services import (
    accounts,
    answers,
    generation,
    moderation,
    notifications,
    privacy,
    sessions,
    threads,
)
from tests.conftest import _client_as, configured
from tests.factories import (
    make_expert,
    make_project,
    make_report,
    make_thread,
    make_topic,
    make_user,
)

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


pytestmark = pytest.mark.usefixtures("empty_fragment_cache")


@pytest.fixture
def world(app):
    project = make_project(name="Pflege digital")
    asker = make_user(display_name="Anna Fragende")
    expert = make_expert(display_name="Dr. Berta Fachfrau")
    moderator = make_user(role=SiteRole.MODERATOR, display_name="Mo Moderation")
    thread = make_thread(project.board, asker, title="Wie gelingt Gleitzeit?")
    answer = threads.add_answer(expert, thread, "Erste Fassung der Antwort.")
    return {"asker": asker, "expert": expert, "moderator": moderator, "thread": thread,
            "answer": answer, "url": f"/fragen/{thread.id}-{thread.slug}", "app": app}


def _stand_still(monkeypatch, value: int) -> None:
    """The site generation stands still, as read on its own and in the log-in's statement."""
    monkeypatch.setattr(generation, "current", lambda: value)
    monkeypatch.setattr(generation, "current_value",
                        lambda: sa.literal(value).label("site_generation"))
    # the log-in's statement is built once per process: built anew for this test alone
    built_once = sessions._load_statement  # noqa: SLF001
    monkeypatch.setattr(sessions, "_load_statement", cache(built_once.__wrapped__))


def _cached(client, world) -> str:
    """The question page twice; the second time its posts come from the cache."""
    fragments = store(world["app"])
    assert client.get(world["url"]).status_code == 200
    hits = fragments.hits
    response = client.get(world["url"])
    assert response.status_code == 200
    assert fragments.hits >= hits + 2, "the person's view and the posts from the cache"
    return response.text


def _article(page: str, post_id: int) -> str:
    match = re.search(rf'<article[^>]*id="beitrag-{post_id}".*?</article>', page, re.S)
    assert match, post_id
    return match.group(0)


def test_an_edit_shows_on_the_next_request(world):
    reader = _client_as(world["app"], make_user())
    assert "Erste Fassung der Antwort." in _cached(reader, world)
    threads.edit_post(world["expert"], world["answer"], "Zweite Fassung der Antwort.")
    page = reader.get(world["url"]).text
    assert "Zweite Fassung der Antwort." in page and "Erste Fassung" not in page
    assert "bearbeitet am" in _article(page, world["answer"].id)


def test_hiding_and_restoring_show_on_the_next_request(world):
    moderator = _client_as(world["app"], world["moderator"])
    reader = _client_as(world["app"], make_user())
    answer = world["answer"]
    assert "Nicht öffentlich" not in _article(_cached(moderator, world), answer.id)
    assert "Erste Fassung der Antwort." in _cached(reader, world)

    moderation.hide_post(world["moderator"], answer, ground_kind=GroundKind.RULE,
                         ground="Dialogregeln, Regel 1", facts="Persönlicher Angriff.")
    assert "Nicht öffentlich" in _article(moderator.get(world["url"]).text, answer.id)
    assert "Erste Fassung der Antwort." not in reader.get(world["url"]).text

    moderation.restore_post(world["moderator"], answer, note="Doch in Ordnung.")
    assert "Nicht öffentlich" not in _article(moderator.get(world["url"]).text, answer.id)
    assert "Erste Fassung der Antwort." in reader.get(world["url"]).text


def test_a_renamed_and_a_deleted_author_show_on_the_next_request(world):
    reader = _client_as(world["app"], make_user())
    assert "Dr. Berta Fachfrau" in _cached(reader, world)
    accounts.change_display_name(world["expert"], "Dr. Berta Neuname")
    page = reader.get(world["url"]).text
    assert "Dr. Berta Neuname" in page and "Dr. Berta Fachfrau" not in page

    privacy.delete_user(None, world["expert"], DeletionMode.ANONYMISE)
    article = _article(reader.get(world["url"]).text, world["answer"].id)
    assert "Gelöschtes Konto" in article and "Berta" not in article


def test_a_language_switch_shows_on_the_next_request(world):
    person = make_user(locale="de")
    reader = _client_as(world["app"], person)
    assert "Beitrag melden" in _article(_cached(reader, world), world["answer"].id)
    accounts.set_locale(person, "en")
    article = _article(reader.get(world["url"]).text, world["answer"].id)
    assert "Report post" in article and "Beitrag melden" not in article


def test_an_accepted_answer_shows_on_the_next_request(world):
    reader = _client_as(world["app"], make_user())
    assert "Hilfreichste Antwort" not in _article(_cached(reader, world), world["answer"].id)
    answers.mark_helpful(world["asker"], world["answer"])
    assert "Hilfreichste Antwort" in _article(reader.get(world["url"]).text,
                                               world["answer"].id)


def test_one_persons_controls_and_tokens_never_show_for_another(world):
    app, answer = world["app"], world["answer"]
    own = threads.add_answer(world["moderator"], world["thread"], "Antwort der Moderation.")
    author = _client_as(app, world["expert"])
    asker = _client_as(app, world["asker"])
    moderator = _client_as(app, world["moderator"])
    reader = _client_as(app, make_user())
    anonymous = app.test_client()
    edit = f'href="/beitraege/{answer.id}/bearbeiten"'
    moderate = f'href="/moderation/beitraege/{answer.id}"'
    accept = f'action="/beitraege/{answer.id}/hilfreich"'

    pages, full = {}, {}
    for _ in range(2):  # the second round from the cache, in another order
        for name, client in [("author", author), ("asker", asker), ("moderator", moderator),
                             ("reader", reader), ("anonymous", anonymous)][::1 - 2 * _]:
            full[name] = client.get(world["url"]).text
            pages[name] = _article(full[name], answer.id)
        assert edit in pages["author"] and moderate not in pages["author"]
        assert accept in pages["asker"] and edit not in pages["asker"]
        assert moderate in pages["moderator"] and edit not in pages["moderator"]
        for name in ("reader", "anonymous"):
            assert edit not in pages[name] and moderate not in pages[name]
            assert accept not in pages[name] and "csrf_token" not in pages[name]
        assert "Beitrag melden" in pages["reader"]
    assert store(app).hits > 0
    # the moderator's own answer: no moderation of one's own, the edit link instead
    mine = _article(moderator.get(world["url"]).text, own.id)
    assert f'href="/beitraege/{own.id}/bearbeiten"' in mine
    assert f'href="/moderation/beitraege/{own.id}"' not in mine

    # each person's accept form carries the token of their own request: the one of the
    # page's other forms (log-out), never another person's
    for name in ("asker", "moderator"):
        in_post = set(TOKEN.findall(pages[name]))
        assert in_post == set(TOKEN.findall(full[name])), name
        assert len(in_post) == 1, name
    assert TOKEN.findall(pages["asker"]) != TOKEN.findall(pages["moderator"])


def _statements(app, client, url) -> list[str]:
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):  # the test's own
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)
    return statements


@pytest.mark.parametrize("who", ["reader", "moderator", "anonymous"])
def test_a_reload_of_a_question_page_loads_no_post(world, who):
    app = world["app"]
    client = {"reader": lambda: _client_as(app, make_user()),
              "moderator": lambda: _client_as(app, world["moderator"]),
              "anonymous": app.test_client}[who]()
    with configured(app, PAGE_CACHE=False):
        first = _statements(app, client, world["url"])
        again = _statements(app, client, world["url"])
        # the thread's posts (the unread count's subquery names the table too)
        assert any("posts.thread_id = " in statement for statement in first)
        assert not any("posts.thread_id = " in statement for statement in again)
        assert len(again) < len(first)
        assert "Erste Fassung der Antwort." in client.get(world["url"]).text


def test_a_question_page_reads_the_persons_marks_with_the_thread(world):
    """Whether the person watches the question and has the same question comes with the
    thread, and both are kept per person and generation: a reload is the account's
    statement, nothing else; each change shows on the next request."""
    app, thread = world["app"], world["thread"]
    person = make_user()
    client = _client_as(app, person)
    with configured(app, PAGE_CACHE=False):
        first = _statements(app, client, world["url"])
        again = _statements(app, client, world["url"])
    assert any("me_too" in statement for statement in first)
    assert len(again) == 1 and "login_sessions" in again[0], again
    page = client.get(world["url"]).text
    assert "Frage beobachten" in page and "Ich habe die gleiche Frage" in page
    notifications.watch(person, WatchKind.THREAD, thread.id)  # the watch alone first
    page = client.get(world["url"]).text
    assert "Frage nicht mehr beobachten" in page and "Ich habe die gleiche Frage" in page
    answers.set_me_too(person, thread, True)
    page = client.get(world["url"]).text
    assert "Frage nicht mehr beobachten" in page
    assert "Sie haben angegeben, dass Sie die gleiche Frage haben." in page
    notifications.unwatch(person, notifications.find_watch(person, WatchKind.THREAD,
                                                           thread.id))
    assert "Frage beobachten" in client.get(world["url"]).text
    other = _client_as(app, make_user()).get(world["url"]).text
    assert "Frage nicht mehr beobachten" not in other  # another person's marks are theirs


@pytest.mark.parametrize("kind", ["project", "topic"])
def test_a_project_or_topic_page_reads_the_persons_watch_with_its_subject(app, kind):
    subject = make_project(name="Pflege digital") if kind == "project" else make_topic()
    url, watch_kind, label = (
        (f"/projekte/{subject.slug}", WatchKind.PROJECT, "Projekt") if kind == "project"
        else (f"/themen/{subject.slug}", WatchKind.TOPIC_FIELD, "Themenfeld"))
    person = make_user()
    client = _client_as(app, person)
    with configured(app, PAGE_CACHE=False):
        client.get(url)
        again = _statements(app, client, url)
    assert len(again) == 1, again  # the account's: the subject and the watch are kept
    page = client.get(url).text
    assert f"{label} beobachten" in page and "nicht mehr beobachten" not in page
    notifications.watch(person, watch_kind, subject.id)
    assert f"{label} nicht mehr beobachten" in client.get(url).text
    notifications.unwatch(person, notifications.find_watch(person, watch_kind, subject.id))
    assert f"{label} beobachten" in client.get(url).text
    assert "nicht mehr beobachten" not in client.get(url).text
    assert "nicht mehr beobachten" not in _client_as(app, make_user()).get(url).text
    assert client.get(f"{url}-gibt-es-nicht").status_code == 404


def test_a_waiting_post_is_its_authors_alone_also_from_the_cache(world):
    app = world["app"]
    newcomer = make_user(display_name="Nora Neu")
    thread = make_thread(world["thread"].board, newcomer, title="Wie plane ich Gleitzeit?")
    url = f"/fragen/{thread.id}-{thread.slug}"
    newcomer.approved_post_count = 0
    db.session.commit()
    with configured(app, PREMODERATION_THRESHOLD=1):  # a new account's post waits
        waiting = threads.add_followup(newcomer, thread, "Meine Rückfrage wartet noch.")
    assert waiting.state == PostState.PENDING
    author, reader = _client_as(app, newcomer), _client_as(app, make_user())
    for _ in range(2):  # the second round from the cache
        mine = author.get(url).text
        assert "Meine Rückfrage wartet noch." in _article(mine, waiting.id)
        assert "Wartet auf Freigabe" in _article(mine, waiting.id)
        assert "Meine Rückfrage wartet noch." not in reader.get(url).text
        assert "Meine Rückfrage wartet noch." not in app.test_client().get(url).text
    assert store(app).hits > 0


def test_a_suspension_that_runs_out_gives_the_controls_back_without_a_write(world,
                                                                            monkeypatch):
    """A suspended moderator moderates nothing; when the suspension ends, nothing is written,
    and the next request shows the moderation links again."""
    app, answer = world["app"], world["answer"]
    moderator = world["moderator"]
    moderator.suspended_until = scope.utcnow() + timedelta(hours=1)
    db.session.commit()
    client = _client_as(app, moderator)
    moderate = f'href="/moderation/beitraege/{answer.id}"'
    assert moderate not in client.get(world["url"]).text
    assert moderate not in client.get(world["url"]).text  # kept while it runs
    later = moderator.suspended_until + timedelta(seconds=1)
    monkeypatch.setattr(scope, "utcnow", lambda: later)
    assert moderate in client.get(world["url"]).text


def test_a_posts_own_key_holds_what_it_shows_where_the_generation_stands_still(
        world, monkeypatch):
    """post_html alone (as the guest's personal page uses it): an edit, a renamed author
    and a moderation decision are another key even if no generation followed them."""
    _stand_still(monkeypatch, 1)
    app, answer, thread = world["app"], world["answer"], world["thread"]

    def shown() -> str:
        with app.test_request_context():
            return str(post_html(answer, thread, frozenset({"post.report"})))

    assert "Erste Fassung der Antwort." in shown()
    hits = store(app).hits
    assert "Erste Fassung der Antwort." in shown()
    assert store(app).hits == hits + 1
    threads.edit_post(world["expert"], answer, "Zweite Fassung der Antwort.")
    assert "Zweite Fassung der Antwort." in shown()
    accounts.change_display_name(world["expert"], "Dr. Berta Neuname")
    assert "Dr. Berta Neuname" in shown()
    moderation.hide_post(world["moderator"], answer, ground_kind=GroundKind.RULE,
                         ground="Dialogregeln, Regel 1", facts="Persönlicher Angriff.")
    assert "Nicht öffentlich" in shown()


def test_the_moderators_queue_count_follows_each_change_and_each_scope(app):
    project = make_project()
    other = make_project()
    site = _client_as(app, make_user(role=SiteRole.MODERATOR))
    scoped = _client_as(app, make_user(project=project, project_role=ProjectRole.MODERATOR))
    thread = make_thread(other.board, make_user())
    answer = threads.add_answer(make_expert(), thread, "Eine Antwort zum Melden.")

    def waiting(client) -> str:
        match = re.search(r'<span class="count">\((\d+) warte', client.get("/").text)
        return match.group(1) if match else "0"

    assert waiting(site) == waiting(site) == "0"  # the second time counted from the cache
    assert waiting(scoped) == "0"
    make_report(answer)
    assert waiting(site) == "1"
    assert waiting(scoped) == "0"  # the other project's report: not in this one's scope
    assert store(app).hits > 0


def test_the_start_page_content_is_everybodys_and_follows_each_change(app):
    project = make_project(name="Pflege digital")
    person = make_user(display_name="Ute Angemeldet")
    reader = _client_as(app, person)
    first = reader.get("/").text
    assert "Ute Angemeldet" in first  # the header is hers ...
    visitor = app.test_client().get("/").text
    assert "Ute Angemeldet" not in visitor  # ... the content from the cache is everybody's
    assert store(app).hits > 0
    make_thread(project.board, make_user(), title="Wie gelingt Gleitzeit im Schichtdienst?")
    assert "Wie gelingt Gleitzeit im Schichtdienst?" in reader.get("/").text


def test_a_day_count_ends_the_start_page_contents_life(app, monkeypatch):
    project = make_project()
    thread = make_thread(project.board, make_user(), title="Eine Frage ohne Antwort")
    created = thread.created_at - timedelta(days=1, hours=23, minutes=59)
    thread.created_at = created
    db.session.commit()
    reader = _client_as(app, make_user())
    assert "seit 1 Tag ohne Antwort" in reader.get("/").text
    assert "seit 1 Tag ohne Antwort" in reader.get("/").text  # kept until the count changes
    later = created + timedelta(days=2, seconds=1)
    monkeypatch.setattr(forum_models, "utcnow", lambda: later)
    monkeypatch.setattr(fragment_cache.time, "time", lambda: later.timestamp())
    assert "seit 2 Tagen ohne Antwort" in reader.get("/").text


def test_a_topic_pages_lists_follow_each_change_and_choice(app):
    topic = make_topic(name="Arbeitszeit")
    reader = _client_as(app, make_user())
    url = f"/themen/{topic.slug}"
    make_thread(topic.board, make_user(), title="Erste Frage zur Arbeitszeit")
    assert "Erste Frage zur Arbeitszeit" in reader.get(url).text
    assert "Erste Frage zur Arbeitszeit" in reader.get(url).text
    assert store(app).hits > 0
    answered = make_thread(topic.board, make_user(), title="Zweite Frage zur Arbeitszeit")
    assert "Zweite Frage zur Arbeitszeit" in reader.get(url).text
    threads.add_answer(make_expert(), answered, "Eine Antwort.")
    only_open = reader.get(f"{url}?nur=unbeantwortet").text
    assert "Erste Frage zur Arbeitszeit" in only_open
    assert "Zweite Frage zur Arbeitszeit" not in only_open
    assert reader.get(f"{url}?seite=9").status_code == 404  # beyond the last page, as before
    page = reader.get(url).text
    assert "Themenfeld beobachten" in page  # the person's button around the cached lists
    assert "Themenfeld beobachten" not in app.test_client().get(url).text


def test_a_project_pages_questions_follow_each_change_and_the_team_buttons_stay_personal(app):
    project = make_project(name="Pflege digital")
    member = _client_as(app, make_user(project=project))
    reader = _client_as(app, make_user())
    url = f"/projekte/{project.slug}"
    make_thread(project.board, make_user(), title="Erste Frage an das Projekt")
    assert "Erste Frage an das Projekt" in reader.get(url).text
    assert "Neuigkeit veröffentlichen" in member.get(url).text  # the team's own button ...
    assert "Neuigkeit veröffentlichen" not in reader.get(url).text  # ... not the reader's
    assert store(app).hits > 0
    make_thread(project.board, make_user(), title="Zweite Frage an das Projekt")
    assert "Zweite Frage an das Projekt" in member.get(url).text


def test_an_expert_whose_verification_ends_leaves_the_expert_answered_list_at_midnight(
        app, monkeypatch):
    """Nothing is written when a verification runs out: the day is in the key."""
    import forum.fragment_cache as fragments
    import forum.models.expert as expert_model

    topic = make_topic(name="Arbeitszeit")
    today = forum_models.utcnow().date()
    expert = make_expert(topics=[topic], valid_from=today - timedelta(days=30),
                         valid_until=today)
    thread = make_thread(topic.board, make_user(), title="Gleitzeit im Schichtdienst?")
    threads.add_answer(expert, thread, "So gelingt es.")
    reader = _client_as(app, make_user())
    url = f"/themen/{topic.slug}?nur=fachleute"
    assert "Gleitzeit im Schichtdienst?" in reader.get(url).text
    assert "Gleitzeit im Schichtdienst?" in reader.get(url).text
    tomorrow = forum_models.utcnow() + timedelta(days=1)
    monkeypatch.setattr(expert_model, "utcnow", lambda: tomorrow)
    monkeypatch.setattr(fragments, "_today", tomorrow.date)
    assert "Gleitzeit im Schichtdienst?" not in reader.get(url).text


def test_no_fragment_outlives_an_anonymous_page(app, monkeypatch):
    """A change that bumps no generation still shows once PAGE_CACHE_SECONDS have passed."""
    project = make_project()
    make_thread(project.board, make_user(), title="Eine Frage zur Gleitzeit")
    reader = _client_as(app, make_user())
    _stand_still(monkeypatch, 7)
    assert "Eine Frage zur Gleitzeit" in reader.get("/").text
    make_thread(project.board, make_user(), title="Noch eine Frage zur Gleitzeit")
    assert "Noch eine Frage zur Gleitzeit" not in reader.get("/").text  # generation stood
    later = fragment_cache.time.time() + app.config["PAGE_CACHE_SECONDS"] + 1
    monkeypatch.setattr(fragment_cache.time, "time", lambda: later)
    assert "Noch eine Frage zur Gleitzeit" in reader.get("/").text


def test_a_request_from_before_a_change_leaves_the_newer_store_alone():
    """A slow request that read the older generation neither empties the store nor turns
    it back: it renders without it."""
    fragments = fragment_cache.FragmentStore(10)
    assert fragments.get("a", 5) is None
    fragments.put("a", 5, "new")
    assert fragments.get("a", 4) is None
    fragments.put("a", 4, "old")
    assert fragments.get("a", 5) == "new" and fragments.generation == 5
    assert fragments.get("a", 6) is None and fragments.generation == 6


def test_search_results_are_everybodys_and_follow_each_change(app):
    """The results part of the search page is kept for everybody, logged in or not: a new
    post is found on the next request, a hidden one is gone, and the person's own header
    stays theirs."""
    project = make_project()
    reader = _client_as(app, make_user(display_name="Rita Lesend"))
    moderator = make_user(role=SiteRole.MODERATOR)
    url = "/suche?q=Gleitzeitkonto"
    make_thread(project.board, make_user(), title="Wie führen wir ein Gleitzeitkonto?")
    assert "Wie führen wir ein Gleitzeitkonto?" in reader.get(url).text
    assert "Wie führen wir ein Gleitzeitkonto?" in reader.get(url).text
    assert store(app).hits > 0
    second = make_thread(project.board, make_user(), title="Gleitzeitkonto im Schichtdienst?")
    assert "Gleitzeitkonto im Schichtdienst?" in reader.get(url).text
    moderation.hide_post(moderator, second.posts[0], ground_kind=GroundKind.RULE,
                         ground="Dialogregeln, Regel 1", facts="Test: ausgeblendet.")
    page = reader.get(url).text
    assert "Gleitzeitkonto im Schichtdienst?" not in page
    assert "Wie führen wir ein Gleitzeitkonto?" in page
    visitor = app.test_client().get(url).text
    assert "Wie führen wir ein Gleitzeitkonto?" in visitor and "Rita Lesend" not in visitor
    assert "Rita Lesend" in reader.get(url).text  # the header around the kept results


def test_a_feed_is_kept_for_everybody_and_follows_each_change(app):
    topic = make_topic(name="Arbeitszeit")
    reader = _client_as(app, make_user())
    make_thread(topic.board, make_user(), title="Erste Frage im Feed")
    url = f"/feeds/themen/{topic.slug}.atom"
    first = reader.get(url)
    assert first.mimetype == "application/atom+xml"
    assert "Erste Frage im Feed" in first.text
    hits = store(app).hits
    again = reader.get(url)
    assert store(app).hits > hits and again.data == first.data
    assert again.mimetype == "application/atom+xml"
    assert app.test_client().get(url).data == first.data  # a visitor's is the same
    make_thread(topic.board, make_user(), title="Zweite Frage im Feed")
    assert "Zweite Frage im Feed" in reader.get(url).text
    for _ in range(2):  # a feed that does not exist is not kept
        assert reader.get("/feeds/themen/gibt-es-nicht.atom").status_code == 404


def test_the_header_is_kept_per_what_it_shows_with_each_persons_token(app, monkeypatch):
    """The logged-in header (jinja.account_navigation) comes from the cache, keyed by what it
    shows: a new name, an unread notification, an expert's verification, a moderator's
    role and a language show on the next request even where the generation stands still.
    Two people of one name share the fragment, never a log-out token."""
    _stand_still(monkeypatch, 1)
    first = make_user(display_name="Gleiche Person")
    second = make_user(display_name="Gleiche Person")
    clients = [_client_as(app, first), _client_as(app, second)]

    def header(client) -> str:
        page = client.get("/").text
        return page[page.index('<nav aria-label="Konto"'):page.index("</header>")] \
            if '<nav aria-label="Konto"' in page else page

    pages = [client.get("/").text for client in clients for _ in range(2)]
    assert any(key[0][0] == "account navigation" for key in store(app)._values)  # noqa: SLF001
    tokens = []
    for page in pages[1::2]:
        assert "Angemeldet als Gleiche Person" in page
        # the log-out form's token is the one of the page's other form (language), the
        # person's own
        found = set(TOKEN.findall(page))
        assert len(found) == 1 and len(TOKEN.findall(page)) == 2
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]
    logout = clients[1].post("/konto/abmelden", data={"csrf_token": tokens[1]})
    assert logout.status_code == 302
    assert "Angemeldet als" not in clients[1].get("/").text
    assert "Angemeldet als Gleiche Person" in clients[0].get("/").text

    person = clients[0]
    accounts.change_display_name(first, "Neuer Name")
    assert "Angemeldet als Neuer Name" in header(person)

    thread = make_thread(make_project().board, make_user())
    db.session.add(forum_models.Notification(user_id=first.id, thread_id=thread.id,
                                             post_id=thread.posts[0].id))
    db.session.commit()
    assert "(1 neu)" in header(person)

    assert "Offene Fragen in meinen Themen" not in header(person)
    expert = make_expert(display_name="Neue Fachfrau")
    assert "Offene Fragen in meinen Themen" in header(_client_as(app, expert))

    assert "/moderation" not in header(person)
    first.site_role = SiteRole.MODERATOR
    db.session.commit()
    assert 'href="/moderation"' in header(person)

    accounts.set_locale(first, "en")
    page = person.get("/").text
    assert "Logged in as Neuer Name" in page and "Angemeldet als" not in page
