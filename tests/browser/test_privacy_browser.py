"""Own your data in the browser, each page checked with axe-core: the Datenschutz page,
downloading one's data (the JSON file and the readable page), a wrong password, and deleting
the account with each choice for the posts."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Thread, User
from tests.factories import make_thread, make_topic, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def people(live):
    """Accounts of this module's own, so the shared demo data and other modules keep theirs."""
    with live.app.app_context():
        board = make_topic(name="Browser Datenschutzthema").board
        for mode in ("behalten", "entfernen"):
            user = make_user(display_name=f"Browser Loesch {mode}",
                             email=f"loesch-{mode}@browser.example")
            make_thread(board, user, title=f"Browserfrage zum Loeschen {mode}")
        make_user(display_name="Browser Auskunft", email="auskunft@browser.example")
        db.session.remove()
    return None


def test_datenschutz_page_is_generated_and_accessible(page, check_axe):
    page.goto("/datenschutz")
    expect(page.get_by_role("heading", name="Was wir speichern, wozu und wie lange")
           ).to_be_visible()
    expect(page.get_by_text("§ 3 BDSG", exact=False)).to_be_visible()
    check_axe(page, "Datenschutz page")


def test_person_downloads_their_data(page, check_axe, log_in, people):
    log_in(page, "auskunft@browser.example")
    page.goto("/konto/daten")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Daten herunterladen")
    check_axe(page, "export form")
    page.get_by_label("Ihr Passwort").fill("falsch")
    page.get_by_role("button", name="Daten herunterladen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "export form with error")
    page.get_by_label("Ihr Passwort").fill("correct-horse-battery")
    with page.expect_download() as info:
        page.get_by_role("button", name="Daten herunterladen").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    users = data["tabellen"]["users"]["zeilen"]
    assert [u["email"] for u in users] == ["auskunft@browser.example"]
    assert "password_hash" not in users[0]
    page.get_by_label("Lesbare Übersicht (zum Ansehen und Drucken)").check()
    page.get_by_label("Ihr Passwort").fill("correct-horse-battery")
    page.get_by_role("button", name="Daten herunterladen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Daten im Fachdialog")
    expect(page.get_by_text("Browser Auskunft").first).to_be_visible()
    check_axe(page, "readable export")


@pytest.mark.parametrize("mode,choice", [
    ("behalten", "Beiträge behalten, als „Gelöschtes Konto“ ohne Ihren Namen"),
    ("entfernen", "Beiträge löschen; eine Frage, auf die andere geantwortet haben, bleibt als "
                  "gelöscht markiert stehen"),
])
def test_person_deletes_account(page, check_axe, log_in, live, people, mode, choice):
    log_in(page, f"loesch-{mode}@browser.example")
    page.goto("/konto/loeschen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Konto löschen")
    check_axe(page, "delete form")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "delete form with errors")
    page.get_by_label(choice).check()
    page.get_by_label("Ihr Passwort").fill("correct-horse-battery")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    expect(page.get_by_role("status").or_(page.locator(".flash")).first).to_contain_text(
        "Ihr Konto ist gelöscht.")
    check_axe(page, "start page after deletion")
    with live.app.app_context():
        kept = db.session.scalar(sa.select(sa.func.count()).select_from(Thread).where(
            Thread.title == f"Browserfrage zum Loeschen {mode}"))
        gone = db.session.scalar(sa.select(User.id).where(
            User.email == f"loesch-{mode}@browser.example")) is None
        db.session.remove()
    assert gone and kept == (1 if mode == "behalten" else 0)
