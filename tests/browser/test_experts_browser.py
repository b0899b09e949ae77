"""Verified experts in the browser, each page checked with axe-core: the public directory with
its topic filter and a profile, the administration verifying and revoking, and the expert's
consent to a public profile in the account settings."""

import re

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from tests.factories import make_expert, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def people(live):
    """Accounts of this module's own, so the shared demo data and other modules' accounts
    keep their state."""
    with live.app.app_context():
        candidate = make_user(display_name="Browser Kandidatin",
                              email="kandidatin@browser.example")
        expert = make_expert(display_name="Browser Profilperson",
                             email="profil@browser.example", organisation="Hochschule Test")
        ids = {"candidate": candidate.id, "expert": expert.id}
        db.session.remove()
    return {"candidate": "kandidatin@browser.example", "expert": "profil@browser.example",
            **{f"{k}_id": v for k, v in ids.items()}}


def test_visitor_browses_directory_filters_by_topic_and_opens_profile(page, check_axe):
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Fachleute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fachleute")
    check_axe(page, "expert directory")
    page.get_by_label("Themenfeld").select_option(index=1)
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fachleute im Themenfeld")
    check_axe(page, "expert directory filtered by topic field")
    first = page.locator(".expert-list h2 a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_text(re.compile(r"bestätigt bis \d\d\.\d\d\.\d{4}"))).to_be_visible()
    check_axe(page, "expert profile")


def test_admin_verifies_and_revokes_an_expert(page, check_axe, live, log_in, people):
    log_in(page, live.users["admin"])
    page.goto("/admin")
    page.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Fachleute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fachleute bestätigen")
    check_axe(page, "admin expert page")

    page.get_by_label("E-Mail-Adresse des Kontos").fill("niemand@browser.example")
    page.get_by_role("button", name="Als Fachperson bestätigen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    expect(page.locator("#email-fehler")).to_contain_text(
        "Es gibt kein bestätigtes Konto mit dieser E-Mail-Adresse.")
    check_axe(page, "admin expert page with errors")

    page.get_by_label("E-Mail-Adresse des Kontos").fill(people["candidate"])
    page.get_by_label("Nachweis").fill("Leitet das Kompetenzzentrum Arbeitsforschung.")
    page.get_by_role("group", name="Themenfelder").get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Als Fachperson bestätigen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Browser Kandidatin ist jetzt als Fachperson bestätigt.")
    check_axe(page, "admin expert page after verifying")

    card = page.get_by_role("article", name=re.compile("Browser Kandidatin"))
    card.get_by_role("button", name=re.compile("Bestätigung widerrufen")).click()
    expect(page.get_by_role("alert")).to_contain_text("Grund für den Widerruf")
    check_axe(page, "admin revoke form with errors")
    card = page.get_by_role("article", name=re.compile("Browser Kandidatin"))
    card.get_by_label("Grund für den Widerruf").fill("Auf eigenen Wunsch")
    card.get_by_role("button", name=re.compile("Bestätigung widerrufen")).click()
    expect(page.get_by_role("status")).to_contain_text("ist widerrufen")
    card = page.get_by_role("article", name=re.compile("Browser Kandidatin"))
    expect(card).to_contain_text("widerrufen")
    expect(card).to_contain_text("Auf eigenen Wunsch")

    page.goto(f"/admin/nutzende/{people['candidate_id']}")
    expect(page.get_by_role("heading", name="Bestätigungen als Fachperson")).to_be_visible()
    check_axe(page, "admin user page with verification history")


def test_expert_agrees_to_public_profile_in_settings(page, check_axe, live, log_in, people):
    log_in(page, people["expert"])
    page.get_by_role("link", name="Einstellungen").click()
    expect(page.get_by_role("heading", name="Öffentliches Profil")).to_be_visible()
    check_axe(page, "account settings with profile section")
    page.get_by_label("Mein Profil im öffentlichen Verzeichnis der Fachleute zeigen").check()
    page.get_by_label("Meine Organisation im Profil und an meinen Antworten zeigen").check()
    page.get_by_label("Expertise", exact=True).fill("Barrierefreie Arbeitsplätze")
    page.get_by_role("button", name="Profil speichern").click()
    expect(page.get_by_role("status")).to_contain_text("sind gespeichert")
    check_axe(page, "account settings after saving")
    page.get_by_role("link", name="Ihr öffentliches Profil ansehen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Browser Profilperson")
    expect(page.get_by_text("Hochschule Test")).to_be_visible()
    expect(page.get_by_text("Barrierefreie Arbeitsplätze")).to_have_count(0)  # not agreed
    check_axe(page, "own public profile")
