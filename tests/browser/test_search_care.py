"""Issue 15's done-when: searching "Pflege" from the start page finds the care projects and
the "Pflegekräfte" question once each; the project list filters by sector. axe-core finds
no WCAG 2.1 A/AA violation on these pages."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_pflege_from_the_start_page_finds_care_projects_and_the_question_once(page, check_axe):
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Suche").click()
    page.get_by_label("Suchbegriffe").fill("Pflege")
    page.get_by_role("button", name="Suchen").click()
    projects = page.get_by_role("region", name="Projekte")
    for name in ("PFL-EX", "EXPERTISE 4.0", "DigiKIK"):
        expect(projects.get_by_role("link", name=name, exact=True)).to_have_count(1)
    question = page.get_by_role("link", name=re.compile("Wie reagieren Pflegekräfte"))
    expect(question).to_have_count(1)
    check_axe(page, "search with result groups")
    page.get_by_label("Suchbegriffe").fill("Dienstpan")
    page.get_by_role("button", name="Suchen").click()
    check_axe(page, "search with a suggestion")


def test_project_list_filters_by_sector(page, check_axe):
    page.goto("/projekte")
    page.get_by_label("Bereich").select_option(label="Pflege")
    page.get_by_role("button", name="Filtern").click()
    cards = page.locator(".card-list")
    expect(cards.get_by_role("link", name="PFL-EX", exact=True)).to_be_visible()
    expect(cards.get_by_role("link", name="GeZu 4.0", exact=True)).to_have_count(0)
    check_axe(page, "projects filtered by sector")
