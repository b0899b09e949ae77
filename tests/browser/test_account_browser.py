"""The account as a person uses it: forgets the password, resets it from the mail (real SMTP),
logs in, changes the address (confirmed from the mail), changes the password and logs out
everywhere, which also ends the session of a second browser. axe-core checks every new page
and state (forms with errors included)."""

import re

import pytest
from playwright.sync_api import expect

from forum.enums import SiteRole
from forum.extensions import db
from forum.services import accounts

pytestmark = pytest.mark.browser

EMAIL = "konto.person@browser.example"
NEW_EMAIL = "neue.adresse@browser.example"
FIRST = "Anfangs-Passwort-Gletscher"
RESET = "Kaffeetasse-Nordwind-Lampe"
CHANGED = "Brombeere-Segelboot-Kompass"


def _link(mail, path: str) -> str:
    body = mail.get_body(("plain",)).get_content()
    match = re.search(rf"(http://127\.0\.0\.1:\d+{path}\S+)", body)
    assert match, body
    return match.group(1)


def _status(page, text: str):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _logged_in_as(page, name: str):
    expect(page.get_by_text(f"Angemeldet als {name}")).to_be_visible()


def test_forget_reset_login_change_address_and_password_log_out_everywhere(
        page, browser, live, check_axe, log_in):
    with live.app.app_context():
        accounts.create_user(EMAIL, "Konto Person", FIRST, SiteRole.USER)
        db.session.commit()
        db.session.remove()

    # Forgot the password: from the log-in page, first sending the form empty.
    page.goto("/konto/anmelden")
    page.get_by_role("link", name="Passwort vergessen?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passwort vergessen")
    check_axe(page, "forgot")
    page.get_by_role("button", name="Link zum Zurücksetzen senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "forgot with errors")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_role("button", name="Link zum Zurücksetzen senden").click()
    _status(page, "Link zum Zurücksetzen")
    check_axe(page, "reset link sent")

    # The link from the mail (real SMTP) shows the form; a common password is refused.
    page.goto(_link(live.wait_for_mail(EMAIL, "zurücksetzen"), "/konto/passwort-neu/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Neues Passwort festlegen")
    check_axe(page, "reset form")
    page.get_by_label("Neues Passwort", exact=True).fill("passwort123")
    page.get_by_label("Neues Passwort wiederholen").fill("passwort123")
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("zu leicht zu erraten")
    expect(page.get_by_label("Neues Passwort", exact=True)).to_have_attribute(
        "aria-invalid", "true")
    check_axe(page, "reset form with errors")
    page.get_by_label("Neues Passwort", exact=True).fill(RESET)
    page.get_by_label("Neues Passwort wiederholen").fill(RESET)
    page.get_by_role("button", name="Passwort speichern").click()
    _status(page, "Ihr neues Passwort ist gespeichert")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    check_axe(page, "login after reset")

    log_in(page, EMAIL, RESET)
    _logged_in_as(page, "Konto Person")

    # The settings page.
    page.goto("/konto/einstellungen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Einstellungen")
    check_axe(page, "settings")

    # A new address: a wrong password first, then confirmed from the mail by a button.
    address = page.get_by_role("region", name="E-Mail-Adresse")
    address.get_by_label("Neue E-Mail-Adresse").fill(NEW_EMAIL)
    address.get_by_label("Ihr bisheriges Passwort").fill("nicht-das-richtige")
    address.get_by_role("button", name="Bestätigungslink an die neue Adresse senden").click()
    expect(page.get_by_role("alert")).to_contain_text("bisherige Passwort ist nicht richtig")
    check_axe(page, "settings, address with errors")
    address = page.get_by_role("region", name="E-Mail-Adresse")
    expect(address.get_by_label("Neue E-Mail-Adresse")).to_have_value(NEW_EMAIL)
    address.get_by_label("Ihr bisheriges Passwort").fill(RESET)
    address.get_by_role("button", name="Bestätigungslink an die neue Adresse senden").click()
    _status(page, "Bestätigungslink an die neue Adresse")
    check_axe(page, "settings, address requested")
    live.wait_for_mail(EMAIL, "soll geändert werden")  # the old address is told
    page.goto(_link(live.wait_for_mail(NEW_EMAIL, "neue E-Mail-Adresse"),
                    "/konto/adresse-bestaetigen/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Neue E-Mail-Adresse bestätigen")
    check_axe(page, "confirm new address")
    page.get_by_role("button", name="Neue Adresse bestätigen").click()
    _status(page, "Ihre neue E-Mail-Adresse ist bestätigt")
    expect(page.get_by_text(NEW_EMAIL)).to_be_visible()
    check_axe(page, "settings, address changed")

    # A second browser, logged in with the new address.
    other = browser.new_context(base_url=live.url, locale="de-DE")
    second = other.new_page()
    log_in(second, NEW_EMAIL, RESET)
    _logged_in_as(second, "Konto Person")

    # The password: a wrong current one first; the change ends the other browser's session.
    secret = page.get_by_role("region", name="Passwort", exact=True)
    secret.get_by_label("Ihr bisheriges Passwort").fill("nicht-das-richtige")
    secret.get_by_label("Neues Passwort", exact=True).fill(CHANGED)
    secret.get_by_label("Neues Passwort wiederholen").fill(CHANGED)
    secret.get_by_role("button", name="Passwort ändern").click()
    expect(page.get_by_role("alert")).to_contain_text("bisherige Passwort ist nicht richtig")
    check_axe(page, "settings, password with errors")
    secret = page.get_by_role("region", name="Passwort", exact=True)
    secret.get_by_label("Ihr bisheriges Passwort").fill(RESET)
    secret.get_by_label("Neues Passwort", exact=True).fill(CHANGED)
    secret.get_by_label("Neues Passwort wiederholen").fill(CHANGED)
    secret.get_by_role("button", name="Passwort ändern").click()
    _status(page, "Ihr Passwort ist geändert")
    _logged_in_as(page, "Konto Person")
    check_axe(page, "settings, password changed")
    second.reload()
    expect(second.get_by_text("Angemeldet als")).to_have_count(0)

    # Log out everywhere: this browser and one logged in again elsewhere.
    log_in(second, NEW_EMAIL, CHANGED)
    page.get_by_role("region", name="Überall abmelden").get_by_role(
        "button", name="Überall abmelden").click()
    _status(page, "überall abgemeldet")
    expect(page.get_by_text("Angemeldet als")).to_have_count(0)
    check_axe(page, "logged out everywhere")
    second.reload()
    expect(second.get_by_text("Angemeldet als")).to_have_count(0)
    other.close()

    log_in(page, NEW_EMAIL, CHANGED)
    _logged_in_as(page, "Konto Person")
