"""The transparency report in a real browser: a site moderator chooses a period, reads the
figures, the chart and its table, is told about an inverted period next to the field, and
downloads the CSV and the statements for the DSA Transparency Database. axe-core finds no
WCAG 2.1 A/AA violation on the report or on its error state."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from forum.enums import DecisionAction, GroundKind
from forum.extensions import db
from forum.models import Decision, User
from forum.services import dsa_export

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def decisions_of_2025(live):
    """Three decisions in the first quarter of 2025 (no other test writes anything then)."""
    with live.app.app_context():
        member = db.session.query(User).filter_by(email=live.users["newcomer"]).one()
        rows = [
            (datetime(2025, 1, 14, 9, tzinfo=UTC), DecisionAction.HIDE, GroundKind.LAW, True),
            (datetime(2025, 3, 3, 9, tzinfo=UTC), DecisionAction.SUSPEND, GroundKind.RULE,
             False),
            (datetime(2025, 3, 4, 9, tzinfo=UTC), DecisionAction.APPROVE, None, False),
        ]
        for when, action, ground_kind, on_notice in rows:
            db.session.add(Decision(
                action=action, author_id=member.id, ground_kind=ground_kind,
                ground="§ 185 StGB" if ground_kind == GroundKind.LAW else "Dialogregel 2",
                facts="Tatsachen aus dem Browser-Test.", from_report=on_notice,
                subject_created_at=when - timedelta(hours=5), created_at=when))
        db.session.commit()
        db.session.remove()


def test_transparency_report_for_a_period(page, live, check_axe, log_in, traffic,
                                           decisions_of_2025):
    log_in(page, live.users["moderator"])
    page.goto("/moderation")
    page.get_by_role("navigation", name="Moderation").get_by_role(
        "link", name="Transparenzbericht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transparenzbericht")

    # An inverted period is refused next to the field, and what was typed stays.
    page.get_by_label("Erster Tag").fill("2025-04-01")
    page.get_by_label("Letzter Tag").fill("2025-03-31")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#bis-fehler")).to_contain_text("Der letzte Tag liegt vor dem ersten")
    expect(page.get_by_label("Erster Tag")).to_have_value("2025-04-01")
    expect(page.get_by_label("Letzter Tag")).to_have_value("2025-03-31")
    check_axe(page, "transparency report, inverted period")
    traffic.console_errors[:] = [e for e in traffic.console_errors if "status of 400" not in e]

    page.get_by_label("Erster Tag").fill("2025-01-01")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="Zeitraum 1. Januar 2025 bis 31. März 2025")
           ).to_be_visible()
    chart = page.get_by_role("img", name="Entscheidungen je Monat")
    expect(chart).to_be_visible()
    months = page.get_by_role("table", name="Entscheidungen je Monat")
    expect(months.get_by_role("row")).to_have_count(4)  # the header and three months
    expect(months.get_by_role("row", name="März 2025")).to_contain_text("2")
    expect(page.get_by_role("table", name="Zeit von der Meldung bis zur Entscheidung")
           .get_by_role("row", name="Median")).to_contain_text("5 Std.")
    expect(page.locator("main")).to_contain_text("Maßnahmen gegen Konten: 1")
    expect(page.locator("main")).to_contain_text("Automatisierte Entscheidungen: 0.")
    check_axe(page, "transparency report")

    with page.expect_download() as download:
        page.get_by_role("link", name="Zahlen als CSV").click()
    assert download.value.suggested_filename == "transparenz-2025-01-01-bis-2025-03-31.csv"
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle Begründungen für die DSA-Transparenzdatenbank "
                                      "(JSON Lines)").click()
    assert download.value.suggested_filename == "begruendungen-2025-01-01-bis-2025-03-31.jsonl"
    with open(download.value.path(), encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    assert [r["decision_ground"] for r in records] == [
        "DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"]
    assert all(dsa_export.problems(r) == [] for r in records)
