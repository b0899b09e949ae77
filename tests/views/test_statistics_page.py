"""The operator's statistics page (/admin/statistik): the period and area form with German
messages next to the fields, each figure as an SVG chart with a table of the same numbers,
the CSV, who may see it, and a query count that does not grow with the data."""

import csv
import io
import re

import pytest

from forum.enums import ProjectRole
from tests import statistics_seed as seed_data
from tests.conftest import login
from tests.factories import make_project, make_user
from tests.views.test_query_counts import count_queries

PERIOD = "von=2026-03-01&bis=2026-03-31"


@pytest.fixture
def seeded(app):
    return seed_data.seed()


def _table(page: str, caption: str) -> list[tuple[str, str]]:
    table = re.search(rf"<caption>{re.escape(caption)}</caption>.*?</table>", page, re.S)
    assert table, caption
    return re.findall(r'<th scope="row">([^<]+)</th><td class="number">([^<]+)</td>',
                      table.group(0))


def test_page_shows_each_figure_as_chart_and_table(admin_client, seeded):
    response = admin_client.get(f"/admin/statistik?{PERIOD}")
    assert response.status_code == 200
    page = response.text
    assert "Zeitraum 1. März 2026 bis 31. März 2026" in page
    assert _table(page, "Fragen im Zeitraum") == [
        ("Gestellte Fragen", "8"), ("Beantwortet", "7"), ("Von Fachleuten beantwortet", "3"),
        ("Von Projektteams beantwortet", "2")]
    assert _table(page, "Zeit bis zur ersten Antwort") == [
        ("Erste Antwort: Median", "6 Std."), ("Erste Antwort: 90. Perzentil", "58 Std."),
        ("Erste Antwort von Fachleuten: Median", "10 Std."),
        ("Erste Antwort von Fachleuten: 90. Perzentil", "18 Std.")]
    assert _table(page, "Anteil unbeantwortet nach 5 Tagen") == [
        ("Nach 5 Tagen unbeantwortet", "25\xa0%"),
        ("Innerhalb von 5 Tagen beantwortet", "75\xa0%")]
    assert _table(page, "Markierungen „Ich habe die gleiche Frage“ im Zeitraum") == [
        ("Markierungen „Ich habe die gleiche Frage“", "3"),
        ("Fragen mit solchen Markierungen", "2")]
    assert _table(page, "Moderation: Zeiten")[:2] == [
        ("Bis zur Entscheidung: Median", "7 Std."),
        ("Bis zur Entscheidung: 90. Perzentil", "19,8 Std.")]
    assert _table(page, "Meldungen nach Art") == [
        ("Rechtswidriger Inhalt", "1"), ("Verstoß gegen die Dialogregeln", "2"),
        ("Spam oder Werbung", "0"), ("Sonstiges", "1")]
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 7
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    # the bars carry their values as text, as the table says them
    assert ">58 Std.</text>" in svgs[1] and ">19,8 Std.</text>" in svgs[5]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svgs[0])]
    assert widths == [480.0, 420.0, 180.0, 120.0]  # 8, 7, 3, 2 of 8
    assert "<script" not in page.split("<main", 1)[1]


def test_page_for_a_project(admin_client, seeded):
    project = seeded["project"]
    page = admin_client.get(f"/admin/statistik?{PERIOD}&bereich=project-{project.id}").text
    assert "Zeitraum 1. März 2026 bis 31. März 2026: Agile Pflege" in page
    assert f'<option selected value="project-{project.id}">' in page
    assert ("Erste Antwort: 90. Perzentil", "5,2 Std.") in _table(
        page, "Zeit bis zur ersten Antwort")


def test_csv_download(admin_client, seeded):
    project = seeded["project"]
    response = admin_client.get(
        f"/admin/statistik?{PERIOD}&bereich=project-{project.id}&format=csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=statistik-2026-03-01-bis-2026-03-31.csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["section", "key", "value"]
    assert ["area", "project", "Agile Pflege"] in rows
    assert ["questions", "asked", "3"] in rows
    assert ["questions.time_to_first_answer", "percentile_90_hours", "5.2"] in rows
    assert ["reports_by_category", "illegal", "1"] in rows


@pytest.mark.parametrize(("query", "field", "message"), [
    ("von=2026-05-01&bis=2026-04-30", "bis", "Der letzte Tag liegt vor dem ersten"),
    ("von=2026-02-30&bis=2026-04-30", "von", "Bitte geben Sie ein Datum im Format JJJJ-MM-TT"),
    ("von=2026-03-01&bis=", "bis", "Bitte geben Sie den letzten Tag"),
    ("von=2026-03-01&bis=2026-04-30&bereich=project-999999", "bereich",
     "Bitte wählen Sie ein Projekt oder Themenfeld aus der Liste."),
    ("von=2026-03-01&bis=2026-04-30&bereich=topic-1%C3%A4", "bereich",
     "Bitte wählen Sie ein Projekt oder Themenfeld aus der Liste."),
])
def test_refused_input_is_explained_next_to_its_field(admin_client, query, field, message):
    for extra in ("", "&format=csv"):
        response = admin_client.get(f"/admin/statistik?{query}{extra}")
        assert response.status_code == 400
        assert response.mimetype == "text/html"
        error = re.search(rf'<p class="error-message" id="{field}-fehler">(.*?)</p>',
                          response.text, re.S)
        assert error and message in error.group(1)
        assert 'aria-invalid="true"' in response.text
        von = query.split("&")[0].split("=")[1]
        assert f'value="{von}"' in response.text  # what was typed stays


def test_without_dates_the_year_so_far(admin_client):
    response = admin_client.get("/admin/statistik")
    assert response.status_code == 200
    assert "Gesamte Plattform" in response.text


def test_only_admins_see_the_statistics(app, client, moderator_client, user_client):
    assert client.get("/admin/statistik").status_code == 302  # to the log-in page
    assert moderator_client.get("/admin/statistik").status_code == 403
    assert user_client.get("/admin/statistik").status_code == 403
    project_moderator = make_user(project=make_project(), project_role=ProjectRole.MODERATOR)
    login(client, project_moderator)
    assert client.get("/admin/statistik").status_code == 403


def test_admin_navigation_links_the_statistics(admin_client):
    assert 'href="/admin/statistik"' in admin_client.get("/admin").text


def test_page_query_count_does_not_grow_with_the_data(admin_client, seeded):
    url = f"/admin/statistik?{PERIOD}"
    with count_queries() as few:
        assert admin_client.get(url).status_code == 200
    seed_data.seed()
    with count_queries() as more:
        assert admin_client.get(url).status_code == 200
    assert len(more) == len(few)
