"""Project updates, the helpful answer and "same question" in the browser, with axe-core."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_admin_publishes_update_and_a_visitor_asks_about_it(page, check_axe, live, log_in,
                                                            log_out):
    log_in(page, live.users["admin"])
    page.goto("/projekte/expertise-4-0")
    page.get_by_role("link", name="Neuigkeit veröffentlichen").click()
    check_axe(page, "update form")
    page.get_by_role("button", name="Neuigkeit veröffentlichen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "update form with errors")
    page.get_by_label("Titel der Neuigkeit").fill("Die Exoskelette sind eingetroffen")
    page.get_by_label("Text").fill("Ab Montag testen **zwei Teams** die Geräte.")
    page.get_by_role("button", name="Neuigkeit veröffentlichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Die Exoskelette sind eingetroffen")
    check_axe(page, "update page")
    update_url = page.url
    log_out(page)

    page.goto("/")
    expect(page.get_by_role("link", name="Die Exoskelette sind eingetroffen")).to_be_visible()
    log_in(page, live.users["expert"])
    page.goto(update_url)
    page.get_by_role("link", name="Frage zu dieser Neuigkeit stellen").click()
    expect(page.get_by_text(re.compile("bezieht sich auf die Neuigkeit"))).to_be_visible()
    check_axe(page, "ask about an update")


def test_asker_marks_helpful_answer_and_others_say_same_question(page, check_axe, live,
                                                                 log_in, log_out):
    log_in(page, live.users["author"])
    page.goto(live.thread_path)
    page.get_by_role("button", name="Ich habe die gleiche Frage").click()
    expect(page.get_by_text("1 Person hat die gleiche Frage")).to_be_visible()
    check_axe(page, "thread with same question")
    log_out(page)
    log_in(page, live.users["asker"])
    page.goto(live.thread_path)
    page.get_by_role("button", name=re.compile("Als hilfreichste Antwort markieren")).first.click()
    expect(page.get_by_role("heading", name="Hilfreichste Antwort")).to_be_visible()
    check_axe(page, "thread with helpful answer")
    page.goto("/projekte/expertise-4-0?sortierung=gleiche-frage&nur=fachleute")
    check_axe(page, "board sorted and filtered")


def test_expert_open_questions_page(page, check_axe, live, log_in):
    log_in(page, live.users["expert"])
    page.get_by_role("link", name="Offene Fragen in meinen Themen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Fragen in meinen Themen")
    check_axe(page, "open questions, empty")
    page.goto("/themen/wissen-und-qualifizierung")
    button = page.get_by_role("button", name="Themenfeld beobachten")
    if button.count():
        button.click()
    page.goto("/konto/offene-fragen")
    check_axe(page, "open questions of a watched field")


def test_admin_team_page(page, check_axe, live, log_in):
    log_in(page, live.users["admin"])
    page.goto("/projekte/expertise-4-0")
    page.get_by_role("link", name="Team verwalten").click()
    check_axe(page, "team page")
    page.get_by_role("button", name="Hinzufügen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "team page with errors")
