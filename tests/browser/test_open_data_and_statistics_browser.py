"""Open data and the operator's statistics in a real browser: a visitor follows the footer
link to /offene-daten (before and after the export) and downloads the files; an admin opens
the statistics from the admin navigation, is told about a inverted period next to the field (what
was typed stays), reads the charts and their tables, narrows to a project and downloads the
CSV. axe-core finds no WCAG 2.1 A/AA violation in any of these states."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from forum.services import open_data

pytestmark = pytest.mark.browser


@pytest.fixture
def open_data_dir(live, tmp_path):
    previous = live.app.config["OPEN_DATA_DIR"]
    live.app.config["OPEN_DATA_DIR"] = str(tmp_path / "offene-daten")
    try:
        yield tmp_path / "offene-daten"
    finally:
        live.app.config["OPEN_DATA_DIR"] = previous


def test_open_data_page_and_downloads(page, live, check_axe, open_data_dir):
    page.goto("/")
    page.get_by_role("navigation", name="Rechtliches und Service").get_by_role(
        "link", name="Offene Daten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Daten")
    expect(page.locator("main")).to_contain_text("zum ersten Mal zusammengestellt")
    check_axe(page, "open data, before the first export")

    with live.app.app_context():
        open_data.export()
    page.reload()
    expect(page.locator("main")).to_contain_text(
        "Datenlizenz Deutschland – Namensnennung – Version 2.0")
    expect(page.locator("main time")).to_have_count(1)
    check_axe(page, "open data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Alle Daten als JSON").click()
    assert download.value.suggested_filename == open_data.JSON_NAME
    with open(download.value.path(), encoding="utf-8") as data:
        exported = json.load(data)
    titles = [q["title"] for q in exported["questions"]]
    assert "Wie testen wir barrierefreie Formulare?" in titles
    assert all("@" not in json.dumps(q) for q in exported["questions"])
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle Daten als CSV-Dateien (ZIP-Archiv)").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert "LIZENZ.txt" in archive.namelist()


def test_statistics_for_a_period_and_a_project(page, live, check_axe, log_in, traffic):
    log_in(page, live.users["admin"])
    page.goto("/admin")
    page.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Statistik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistik")

    page.get_by_label("Erster Tag").fill("2025-04-01")
    page.get_by_label("Letzter Tag").fill("2025-03-31")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#bis-fehler")).to_contain_text("Der letzte Tag liegt vor dem ersten")
    expect(page.get_by_label("Letzter Tag")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Erster Tag")).to_have_value("2025-04-01")
    check_axe(page, "statistics, inverted period")
    traffic.console_errors[:] = [e for e in traffic.console_errors if "status of 400" not in e]

    page.get_by_label("Erster Tag").fill("2000-01-01")
    page.get_by_label("Letzter Tag").fill("2099-12-31")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#bis-fehler")).to_contain_text("höchstens zehn Jahren")
    expect(page.get_by_label("Erster Tag")).to_have_value("2000-01-01")
    traffic.console_errors[:] = [e for e in traffic.console_errors if "status of 400" not in e]

    page.get_by_label("Letzter Tag").fill("2009-12-31")
    page.get_by_label("Erster Tag").fill("2000-01-01")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="Zeitraum 1. Januar 2000 bis 31. Dezember 2009")
           ).to_be_visible()
    expect(page.get_by_role("img", name="Fragen im Zeitraum")).to_be_visible()
    questions = page.get_by_role("table", name="Fragen im Zeitraum")
    expect(questions.get_by_role("row", name="Gestellte Fragen")).to_contain_text("0")
    check_axe(page, "statistics, empty period")

    # the current year, narrowed to the project of the browser tests' questions
    page.goto("/admin/statistik")
    page.get_by_label("Projekt oder Themenfeld").select_option(
        value=f"project-{live.project_id}")
    page.get_by_role("button", name="Anzeigen").click()
    expect(questions.get_by_role("row", name="Gestellte Fragen").locator("td")
           ).not_to_have_text("0")
    expect(page.get_by_role("img", name="Zeit bis zur ersten Antwort")).to_be_visible()
    expect(page.get_by_role("table", name="Meldungen nach Art").get_by_role("row")
           ).to_have_count(5)
    check_axe(page, "statistics")

    with page.expect_download() as download:
        page.get_by_role("link", name="Alle Zahlen als CSV herunterladen").click()
    assert download.value.suggested_filename.startswith("statistik-")
    with open(download.value.path(), encoding="utf-8") as rows:
        assert rows.readline().strip() == "section,key,value"
