"""The page cache for anonymous visitors is never stale: after each kind of change the next
anonymous request shows it (forum/page_cache.py, services/generation.py)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.models import GroundKind, SiteRole, Thread, utcnow
from forum.models.expert import today
from forum.page_cache import store
from forum.services import experts, generation, moderation, sessions, threads, updates
from tests.conftest import configured, login
from tests.factories import (
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)


@pytest.fixture
def app_config():
    # CSRF on, as in production: a form made for a visitor puts a token in the session
    return {"PAGE_CACHE": True, "WTF_CSRF_ENABLED": True}


@pytest.fixture(autouse=True)
def _empty_cache(app):
    store(app).clear()  # rows are rolled back between tests, so generations repeat
    yield
    store(app).clear()


def _twice(client, url: str):
    """The page fetched twice: the second time from the cache."""
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200, url
    assert second.headers.get("X-Page-Cache") == "hit", url
    assert second.data == first.data
    return second.text


@pytest.fixture
def world():
    topic = make_topic(name="Arbeitszeit")
    project = make_project(topics=[topic], name="Pflege digital")
    expert = make_expert()
    moderator = make_user(role=SiteRole.MODERATOR)
    thread = make_thread(project.board, make_user(), title="Wie gelingt Gleitzeit?")
    return {"topic": topic, "project": project, "expert": expert, "moderator": moderator,
            "thread": thread, "url": f"/fragen/{thread.id}-{thread.slug}"}


def test_public_pages_are_served_from_the_cache_without_cookies_or_tokens(client, world):
    pages = ["/", "/projekte", f"/projekte/{world['project'].slug}", "/themen",
             f"/themen/{world['topic'].slug}", world["url"], "/suche?q=Gleitzeit",
             "/feeds/fragen.atom", "/fachleute", "/praxisbeispiele", "/impressum"]
    for url in pages:
        response = client.get(url)
        assert response.headers.get("X-Page-Cache") == "miss", url
        assert "Set-Cookie" not in response.headers, url
        assert "csrf_token" not in response.text, url
        _twice(client, url)


def test_a_new_answer_shows_on_the_next_request(client, world):
    _twice(client, world["url"])
    _twice(client, "/")
    threads.add_answer(world["expert"], world["thread"], "Mit einer Kernzeit von 10 bis 14 Uhr.")
    assert "Kernzeit von 10 bis 14 Uhr" in client.get(world["url"]).text
    assert "1 Antwort" in client.get("/").text


def test_an_edit_shows_on_the_next_request(client, world):
    answer = threads.add_answer(world["expert"], world["thread"], "Erste Fassung.")
    assert "Erste Fassung." in _twice(client, world["url"])
    threads.edit_post(world["expert"], answer, "Zweite Fassung.")
    text = client.get(world["url"]).text
    assert "Zweite Fassung." in text and "Erste Fassung." not in text


def test_a_moved_thread_shows_on_the_next_request(client, world):
    other = make_topic(name="Gesundheit bei der Arbeit")
    assert "Pflege digital" in _twice(client, world["url"])
    assert "Wie gelingt Gleitzeit?" not in _twice(client, f"/themen/{other.slug}")
    moderation.move_thread(world["moderator"], world["thread"], other.board)
    assert "Gesundheit bei der Arbeit" in client.get(world["url"]).text
    assert "Wie gelingt Gleitzeit?" in client.get(f"/themen/{other.slug}").text


def test_a_moderation_decision_shows_on_the_next_request(client, world):
    answer = threads.add_answer(world["expert"], world["thread"], "Ein fragwürdiger Satz.")
    assert "Ein fragwürdiger Satz." in _twice(client, world["url"])
    moderation.hide_post(world["moderator"], answer, ground_kind=GroundKind.RULE,
                         ground="Dialogregeln, Regel 1", facts="Persönlicher Angriff.")
    assert "Ein fragwürdiger Satz." not in client.get(world["url"]).text


def test_a_project_update_and_an_expert_show_on_the_next_request(client, world):
    lead = make_user(project=world["project"])
    url = f"/projekte/{world['project'].slug}"
    assert "Zwischenbericht erschienen" not in _twice(client, url)
    updates.publish(lead, world["project"], "Zwischenbericht erschienen", "Lesen Sie mehr.")
    assert "Zwischenbericht erschienen" in client.get(url).text

    newcomer = make_user(display_name="Dr. Neu Verifiziert")
    newcomer.profile_public = True
    db.session.commit()
    assert "Dr. Neu Verifiziert" not in _twice(client, "/fachleute")
    experts.verify(None, newcomer, evidence="Geprüft", topic_fields=[world["topic"]],
                   projects=[], valid_from=today(), valid_until=experts.default_until())
    assert "Dr. Neu Verifiziert" in client.get("/fachleute").text


def test_a_language_switch_shows_on_the_next_request(client, world):
    assert '<html lang="de">' in _twice(client, world["url"])
    response = client.get(f"/sprache?locale=en&next={world['url']}")
    assert response.status_code == 302 and response.headers["Location"] == world["url"]
    assert '<html lang="en">' in client.get(world["url"]).text
    assert '<html lang="en">' in _twice(client, world["url"])  # English pages are kept too
    client.get(f"/sprache?locale=de&next={world['url']}")
    assert '<html lang="de">' in client.get(world["url"]).text


def test_a_change_written_by_a_statement_bumps_the_generation(app, world):
    before = generation.current()
    db.session.execute(sa.update(Thread).where(Thread.id == world["thread"].id)
                       .values(title="Neuer Titel"))
    db.session.commit()
    assert generation.current() == before + 1


def test_a_rolled_back_change_and_private_rows_leave_the_generation(app, world):
    before = generation.current()
    world["thread"].title = "Nie gespeichert"
    db.session.flush()
    db.session.rollback()
    assert generation.current() == before
    sessions.start(world["expert"])  # a log-in writes only its own session row
    assert generation.current() == before


def test_logged_in_people_and_flashed_messages_never_get_cached_pages(client, world):
    _twice(client, world["url"])
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Eine Nachricht nur für Sie.")]
    response = client.get(world["url"])
    assert "X-Page-Cache" not in response.headers
    assert "Eine Nachricht nur für Sie." in response.text

    member = make_user()
    with configured(client.application, WTF_CSRF_ENABLED=False):
        assert login(client, member).status_code == 302
    for _ in range(2):
        response = client.get(world["url"])
        assert "X-Page-Cache" not in response.headers
        assert "Angemeldet als" in response.text


def test_a_day_count_ends_its_page_when_it_changes(client, world):
    """'seit 0 Tagen ohne Antwort' is kept only until the question is a day old."""
    _twice(client, "/")
    (expires,) = store(client.application).expiry_times()
    created = world["thread"].created_at
    assert expires <= (created + timedelta(days=1)).timestamp()
    assert expires <= (utcnow() + timedelta(seconds=61)).timestamp()


def test_the_visitors_language_switch_never_changes_an_accounts_setting(client, world):
    member = make_user(locale="de")
    with configured(client.application, WTF_CSRF_ENABLED=False):
        assert login(client, member).status_code == 302
    response = client.get("/sprache?locale=en&next=/projekte")
    assert response.status_code == 302 and response.headers["Location"] == "/projekte"
    db.session.refresh(member)
    assert member.locale == "de"
    assert '<html lang="de">' in client.get("/projekte").text
    page = client.get("/projekte").text  # an account's switch is a POST with a token
    assert 'method="post" action="/sprache"' in page and 'name="csrf_token"' in page


def test_an_unknown_language_or_a_foreign_target_changes_nothing(client, world):
    response = client.get("/sprache?locale=xx&next=https://example.org/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert '<html lang="de">' in client.get("/").text
