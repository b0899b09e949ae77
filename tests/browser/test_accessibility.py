"""axe-core finds no WCAG 2.1 A/AA violation on any page type, in any state; narrow screens do
not scroll sideways; the skip link comes first; nothing is loaded from anywhere else."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ANONYMOUS_PAGES = {
    "start": "/",
    "projects": "/projekte",
    "project": "/projekte/expertise-4-0",
    "topics": "/themen",
    "topic": "/themen/arbeitszeit-und-arbeitsort",
    "offers": "/angebote",
    "footer page": "/impressum",
    "register": "/konto/registrieren",
    "login": "/konto/anmelden",
}


@pytest.mark.parametrize("path", ANONYMOUS_PAGES.values(), ids=ANONYMOUS_PAGES.keys())
def test_public_page(page, check_axe, path):
    response = page.goto(path)
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    check_axe(page)


def test_thread_page_anonymous(page, check_axe, live):
    page.goto(live.thread_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wie testen wir barrierefreie Formulare?")
    expect(page.get_by_role("link", name="Anmelden").last).to_be_visible()
    check_axe(page)


def test_not_found_page(page, check_axe, traffic):
    response = page.goto("/gibt-es-nicht")
    assert response.status == 404
    check_axe(page)
    # Chromium logs the 404 of the document itself; that one is expected.
    traffic.console_errors[:] = [e for e in traffic.console_errors if "404" not in e]


def test_ask_form_and_its_errors(page, check_axe, live, log_in):
    log_in(page, live.users["asker"])
    page.goto("/fragen/neu")
    expect(page.get_by_label("Wo möchten Sie fragen?")).to_be_visible()
    check_axe(page, "ask form")
    page.get_by_role("button", name="Frage veröffentlichen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    expect(page.get_by_label("Ihre Frage in einem Satz")).to_have_attribute("aria-invalid", "true")
    check_axe(page, "ask form with errors")


def test_thread_page_as_expert_with_answer_form(page, check_axe, live, log_in):
    log_in(page, live.users["expert"])
    page.goto(live.thread_path)
    expect(page.get_by_role("button", name="Antwort veröffentlichen")).to_be_visible()
    check_axe(page, "thread as expert")
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "answer form with errors")


def test_post_edit_page(page, check_axe, live, log_in):
    log_in(page, live.users["asker"])
    page.goto(f"/beitraege/{live.question_id}/bearbeiten")
    expect(page.get_by_label("Titel")).to_have_value("Wie testen wir barrierefreie Formulare?")
    check_axe(page, "edit question")
    page.get_by_role("button", name="Vorschau").click()
    expect(page.locator(".preview strong")).to_have_text("Erfahrungen")
    check_axe(page, "edit question with preview")


ADMIN_PAGES = {
    "admin index": "/admin",
    "admin projects": "/admin/projekte",
    "admin project edit": "/admin/projekte/{project_id}",
    "admin pages": "/admin/seiten",
    "admin page edit": "/admin/seiten/dialogregeln",
    "admin users": "/admin/nutzende",
    "admin audit log": "/admin/protokoll",
}


@pytest.mark.parametrize("path", ADMIN_PAGES.values(), ids=ADMIN_PAGES.keys())
def test_admin_page(page, check_axe, live, log_in, path):
    log_in(page, live.users["admin"])
    response = page.goto(path.format(project_id=live.project_id))
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    check_axe(page)


@pytest.mark.parametrize("which", ["start", "thread"])
def test_no_sideways_scrolling_at_320px(page, live, which):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/" if which == "start" else live.thread_path)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{which}: page is {width}px wide at a 320px viewport"


def test_skip_link_comes_first(page, live):
    page.goto(live.thread_path)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(),"
                            " document.activeElement.getAttribute('href')]")
    assert focused == ["Zum Inhalt springen", "#inhalt"]
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhalt"
