"""Search, notifications, their settings and unsubscribing, as a person uses them; axe-core
finds no WCAG 2.1 A/AA violation on any of these pages."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_search_page_empty_with_hits_and_without(page, check_axe):
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Suche").click()
    check_axe(page, "empty search")
    page.get_by_label("Suchbegriffe").fill("echte Nutzende")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", name=re.compile(r"\d+ Treffer"))).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    check_axe(page, "search with hits")
    page.get_by_label("Stand").select_option("fachleute")
    page.get_by_role("button", name="Suchen").click()
    check_axe(page, "search with filter")
    page.get_by_label("Suchbegriffe").fill("Quantenchromodynamik")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", name="0 Treffer")).to_be_visible()
    check_axe(page, "search without hits")


def test_watch_topic_get_notified_change_settings_and_unsubscribe(
        page, check_axe, live, log_in, log_out):
    reader = live.users["asker"]
    log_in(page, reader)
    page.goto("/themen/wissen-und-qualifizierung")
    page.get_by_role("button", name="Themenfeld beobachten").click()
    expect(page.get_by_role("button", name="Themenfeld nicht mehr beobachten")).to_be_visible()
    check_axe(page, "topic page watched")
    page.goto("/konto/benachrichtigungen")
    check_axe(page, "notifications, none yet")
    log_out(page)

    log_in(page, live.users["expert"])
    page.goto("/fragen/neu")
    page.get_by_label("Wo möchten Sie fragen?").select_option(label="Wissen und Qualifizierung")
    page.get_by_label("Ihre Frage in einem Satz").fill("Wie lernen Teams am Arbeitsplatz?")
    page.get_by_label("Text").fill("Wir suchen gute Beispiele für Lernen im Prozess.")
    page.wait_for_timeout(1100)  # the minimum fill time
    page.get_by_role("button", name="Frage veröffentlichen").click()
    log_out(page)

    message = live.wait_for_mail(reader, subject="Wie lernen Teams")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    log_in(page, reader)
    page.get_by_role("link", name=re.compile("Benachrichtigungen")).first.click()
    expect(page.get_by_role("link", name=re.compile("Wie lernen Teams"))).to_be_visible()
    check_axe(page, "notifications list")
    page.get_by_role("link", name=re.compile("Was Sie beobachten")).click()
    check_axe(page, "notification settings")
    page.get_by_role("combobox").first.select_option("digest")
    page.get_by_role("button", name="Einstellungen speichern").click()
    expect(page.get_by_text("Ihre Einstellungen sind gespeichert")).to_be_visible()
    log_out(page)

    link = re.search(r"<(http://\S+/abbestellen/\S+)>",
                     message["List-Unsubscribe"].strip()).group(1)
    page.goto(link)
    check_axe(page, "unsubscribe page")
    page.get_by_role("button", name="Keine E-Mails mehr, nur im Forum").click()
    expect(page.get_by_text("keine E-Mails mehr")).to_be_visible()
    check_axe(page, "unsubscribed page")


def test_ask_form_suggests_similar_questions_while_typing(page, check_axe, live, log_in):
    log_in(page, live.users["asker"])
    page.goto("/fragen/neu")
    page.get_by_label("Ihre Frage in einem Satz").press_sequentially(
        "Barrierefreie Formulare prüfen", delay=20)
    suggestions = page.locator("#aehnliche")
    expect(suggestions.get_by_role("link", name="Wie testen wir barrierefreie Formulare?")
           ).to_be_visible()
    check_axe(page, "ask form with suggestions")
