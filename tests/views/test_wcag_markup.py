"""WCAG defects an audit with the Nu HTML Checker, the keyboard and a 320-pixel screen found
and axe did not: each with the markup that shows it fixed (the browser checks are in
tests/browser/test_markup_checks.py)."""

import re
from collections import Counter

import html5lib
import pytest

from tests.conftest import login
from tests.factories import (
    PASSWORD,
    make_answer,
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)


def _ids(text: str) -> Counter:
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    return Counter(element.get("id") for element in tree.iter() if element.get("id"))


def test_fields_without_hint_or_error_have_no_describedby(client):
    text = client.get("/konto/anmelden").text
    email_input = text.split('id="email"')[1].split(">")[0]
    assert 'aria-describedby="None"' not in text and "aria-describedby" not in email_input


def test_failed_submit_puts_error_in_title_and_focuses_the_summary(client):
    response = client.post("/barriere-melden", data={"description": ""})
    title = re.search(r"<title>(.*?)</title>", response.text).group(1)
    assert title.startswith("Fehler: ")
    summary = re.search(r'<div class="error-summary"[^>]*>', response.text).group(0)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    fresh = re.search(r"<title>(.*?)</title>", client.get("/barriere-melden").text).group(1)
    assert not fresh.startswith("Fehler")


def test_time_values_have_whole_seconds(client):
    thread = make_thread(make_topic().board, make_user())
    text = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    values = re.findall(r'<time datetime="([^"]+)"', text)
    assert values and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", v)
                          for v in values), values


class TestWithCsrfTokens:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}  # the tokens are what would repeat an id

    def test_page_with_several_forms_has_no_duplicate_ids(self, client):
        thread = make_thread(make_topic().board, make_user())
        make_answer(thread, make_expert())
        user = make_expert()  # may answer and say "same question": two forms with tokens
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                          client.get("/konto/anmelden").text).group(1)
        client.post("/konto/anmelden", data={"email": user.email, "password": PASSWORD,
                                             "csrf_token": token})
        text = client.get(f"/fragen/{thread.id}-{thread.slug}").text
        assert "/gleiche-frage" in text and 'name="body"' in text
        assert [name for name, count in _ids(text).items() if count > 1] == []


def test_projects_page_does_not_skip_a_heading_level(client):
    make_project(name="AgilKom")
    text = client.get("/projekte").text
    levels = [int(level) for level in re.findall(r"<h([1-6])", text)]
    assert levels[0] == 1
    pairs = zip(levels, levels[1:], strict=False)
    assert all(later - earlier <= 1 for earlier, later in pairs), levels


def test_posts_have_headings_and_distinct_action_names(client):
    thread = make_thread(make_topic().board, make_user(display_name="Fritz Fragend"))
    expert = make_expert(display_name="Erika Expertin")
    first, second = make_answer(thread, expert), make_answer(thread, expert)
    login(client, expert)
    text = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert re.search(r'<h2 class="post-heading">.*Frage: .*Fritz Fragend', text)
    assert len(re.findall(r'<h3 class="post-heading">', text)) == 2
    names = re.findall(r"Beitrag melden<span class=\"visually-hidden\"> \(([^)]+)\)", text)
    assert len(names) == len(set(names)) == 3
    assert f"Antwort Nr. {first.id} von Erika Expertin" in names
    assert f"Antwort Nr. {second.id} von Erika Expertin" in names


def test_user_content_carries_its_language_in_the_english_interface(client):
    project = make_project(name="AgilKom", description="Agile Verwaltung in Kommunen")
    thread = make_thread(project.board, make_user(), title="Wie gelingt mobiles Arbeiten?",
                         body="Wir nennen das [remote first]{lang=en}.")
    client.post("/sprache", data={"locale": "en"})
    text = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert '<html lang="en">' in text
    assert '<h1 lang="de">Wie gelingt mobiles Arbeiten?</h1>' in text
    assert '<div class="post-body" lang="de"><p>Wir nennen das <span lang="en">remote first' \
        '</span>.</p>' in text  # a passage its author marked as English
    listing = client.get(f"/projekte/{project.slug}").text
    assert '<p class="lead" lang="de">Agile Verwaltung in Kommunen</p>' in listing
    assert 'lang="de" href="/fragen/' in listing  # thread titles in lists


def test_admin_and_settings_tables_sit_in_scroll_containers(admin_client):
    make_project()
    checked = 0
    for url in ("/admin/projekte", "/admin/nutzende", "/admin/protokoll", "/admin/gruende",
                "/admin/angebote", "/konto/benachrichtigungen/einstellungen"):
        text = admin_client.get(url).text
        if "<table" not in text:
            continue
        assert re.search(r'<div class="table-scroll" tabindex="0" role="region" '
                         r'aria-labelledby="tabelle-titel">\s*<table>', text), url
        checked += 1
    assert checked >= 3
