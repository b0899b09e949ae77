"""Practice examples in the browser, with axe-core on every new page: a project's team
publishes one, a visitor finds it by the list's filters and by the search, and asks a
question about it that links back to it."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Project

pytestmark = pytest.mark.browser

TEAM = "projektteam@demo.fachdialog.example"  # the demo's lead of expertise-4-0
TITLE = "Hebehilfen im Nachtdienst gemeinsam ausgewählt"


def _filters(live) -> tuple[str, str]:
    with live.app.app_context():
        project = db.session.scalar(sa.select(Project).where(Project.slug == "expertise-4-0"))
        names = project.topic_fields[0].name, project.sectors[0].name
        db.session.remove()
    return names


def test_team_publishes_a_practice_example_and_a_visitor_finds_and_asks(
        page, check_axe, live, log_in, log_out, take_time):
    log_in(page, TEAM, live.demo_passwords[TEAM])
    page.goto("/projekte/expertise-4-0")
    page.get_by_role("link", name="Praxisbeispiel veröffentlichen").click()
    check_axe(page, "practice example form")
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "practice example form with errors")
    page.get_by_label("Was wurde erprobt?").fill(TITLE)
    page.get_by_label("Wo und für wen?").fill("Zwei Stationen einer Klinik, 30 Pflegekräfte.")
    page.get_by_label("Wie sind Sie vorgegangen?").fill("Die Teams haben **drei Geräte** "
                                                        "eine Woche lang getestet.")
    page.get_by_label("Was ist daraus geworden?").fill("Ein Gerät ist geblieben.")
    page.get_by_label("Was können andere übernehmen?").fill("Die Beschäftigten wählen mit.")
    page.get_by_label("Ansprechperson im Team").select_option(label="Demo Projektteam")
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Ein Gerät ist geblieben.")).to_be_visible()
    check_axe(page, "practice example page")
    log_out(page)

    topic, sector = _filters(live)
    page.goto("/")
    page.get_by_role("link", name="Praxisbeispiele", exact=True).first.click()
    check_axe(page, "practice examples list")
    page.get_by_label("Themenfeld").select_option(label=topic)
    page.get_by_label("Bereich").select_option(label=sector)
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    check_axe(page, "practice examples filtered")

    page.goto("/suche?q=Hebehilfe")
    group = page.get_by_role("region", name="Praxisbeispiele")
    expect(group.get_by_role("link", name=TITLE)).to_be_visible()
    check_axe(page, "search finds a practice example")

    log_in(page, live.users["asker"])
    page.goto("/praxisbeispiele")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Frage zu diesem Praxisbeispiel stellen").click()
    expect(page.get_by_text(re.compile("bezieht sich auf das Praxisbeispiel"))).to_be_visible()
    check_axe(page, "ask about a practice example")
    page.get_by_label("Ihre Frage in einem Satz").fill("Wie haben Sie die Geräte ausgewählt?")
    page.get_by_label("Text").fill("Wer durfte mitentscheiden?")
    take_time(page)
    page.get_by_role("button", name="Frage veröffentlichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wie haben Sie die Geräte ausgewählt?")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("link", name="Wie haben Sie die Geräte ausgewählt?")).to_be_visible()
