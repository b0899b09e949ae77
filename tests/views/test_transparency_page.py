"""The transparency page (/moderation/transparenz): the period form, figures formatted in
German, the chart and its table, the CSV, JSON and DSA downloads, and who may see them."""

import csv
import io
import json
import re

import pytest

from forum.enums import ProjectRole
from forum.services import dsa_export
from tests import transparency_seed as seed_data
from tests.conftest import login
from tests.factories import make_project, make_user

PERIOD = "von=2026-03-01&bis=2026-04-30"


@pytest.fixture
def seeded(app):
    return seed_data.seed()


def test_page_shows_the_figures_in_german(moderator_client, seeded):
    response = moderator_client.get(f"/moderation/transparenz?{PERIOD}")
    assert response.status_code == 200
    page = response.text
    assert "Zeitraum 1. März 2026 bis 30. April 2026" in page
    assert "7,5 Std." in page and "17,3 Std." in page  # median and 90th percentile
    assert "9 Std." in page  # appeals: median of 6 and 12 hours
    assert "50\xa0%" in page  # share of decided appeals upheld
    assert "Maßnahmen gegen Konten: 3" in page
    assert "Automatisierte Erkennung: 0. Automatisierte Entscheidungen: 0." in page
    assert 'value="2026-03-01"' in page and 'value="2026-04-30"' in page


def test_page_draws_a_chart_with_the_numbers_in_a_table(moderator_client, seeded):
    page = moderator_client.get(f"/moderation/transparenz?{PERIOD}").text
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 2 and heights[1] > heights[0] > 0  # 5 in March, 7 in April
    assert "<script" not in page.split("<main", 1)[1]
    table = re.search(r"<caption>Entscheidungen je Monat</caption>.*?</table>", page,
                      re.S).group(0)
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="number">([^<]+)</td>', table)
    assert rows == [("März 2026", "5"), ("April 2026", "7")]
    assert ">Mär 26</text>" in svg and ">Apr 26</text>" in svg


def test_page_in_english_formats_numbers_in_english(moderator_client, seeded):
    page = moderator_client.get(f"/moderation/transparenz?{PERIOD}",
                                headers={"Accept-Language": "en"}).text
    if 'lang="en"' not in page:
        pytest.skip("the locale follows the account, not the browser")
    assert "7.5" in page


@pytest.mark.parametrize(("query", "field", "message"), [
    ("von=2026-05-01&bis=2026-04-30", "bis", "Der letzte Tag liegt vor dem ersten"),
    ("von=2026-02-30&bis=2026-04-30", "von", "Bitte geben Sie ein Datum im Format JJJJ-MM-TT"),
    ("von=1999-12-31&bis=2026-04-30", "von", "zwischen dem 1. Januar 2000"),
    ("von=2026-03-01&bis=", "bis", "Bitte geben Sie den letzten Tag"),
])
def test_refused_period_is_explained_next_to_its_field(moderator_client, query, field,
                                                        message):
    for path in ("/moderation/transparenz", "/moderation/transparenz/begruendungen"):
        for extra in ("", "&format=csv"):
            response = moderator_client.get(f"{path}?{query}{extra}")
            assert response.status_code == 400
            assert response.mimetype == "text/html"
            error = re.search(rf'<p class="error-message" id="{field}-fehler">(.*?)</p>',
                              response.text, re.S)
            assert error and message in error.group(1)
            assert 'aria-invalid="true"' in response.text
            von = query.split("&")[0].split("=")[1]
            assert f'value="{von}"' in response.text  # what was typed stays


def test_csv_download(moderator_client, seeded):
    response = moderator_client.get(f"/moderation/transparenz?{PERIOD}&format=csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=transparenz-2026-03-01-bis-2026-04-30.csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["section", "key", "value"]
    assert ["decisions", "total", "12"] in rows
    assert ["decisions.by_source", "notice", "4"] in rows
    assert ["time_to_decision_hours", "median", "7.5"] in rows
    assert ["account_measures", "suspend", "1"] in rows
    assert ["appeals.by_basis", "reporter", "1"] in rows


def test_json_download(moderator_client, seeded):
    response = moderator_client.get(f"/moderation/transparenz?{PERIOD}&format=json")
    assert response.headers["Content-Disposition"].endswith(
        "transparenz-2026-03-01-bis-2026-04-30.json")
    data = response.get_json()
    assert data["decisions"]["by_ground"] == {"law": 2, "rule": 6, "none": 4}
    assert data["appeals"]["reversed_share"] == 0.5


def test_dsa_statements_download(moderator_client, seeded):
    page = moderator_client.get(f"/moderation/transparenz?{PERIOD}").text
    link = re.search(r'href="(/moderation/transparenz/begruendungen\?[^"]+)"', page).group(1)
    response = moderator_client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(
        "begruendungen-2026-03-01-bis-2026-04-30.jsonl")
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == len(seed_data.EXPORTED)
    assert all(dsa_export.problems(record) == [] for record in records)


def test_default_period_is_the_year_so_far(moderator_client):
    page = moderator_client.get("/moderation/transparenz").text
    assert re.search(r'id="von" name="von" type="date" value="\d{4}-01-01"', page)


@pytest.mark.parametrize("path", ["/moderation/transparenz",
                                  "/moderation/transparenz?format=json",
                                  "/moderation/transparenz/begruendungen"])
def test_only_site_moderators_and_admins_see_it(client, path):
    assert client.get(path).status_code == 302  # visitors are sent to the log-in page
    login(client, make_user(project=make_project(), project_role=ProjectRole.MODERATOR))
    assert client.get(path).status_code == 403
    login(client, make_user(role="admin"))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/moderation/transparenz",
                                  "/moderation/transparenz/begruendungen"])
def test_query_count_does_not_grow_with_the_data(moderator_client, seeded, path):
    from tests.views.test_query_counts import _queries

    empty = _queries(moderator_client, f"{path}?von=2025-01-01&bis=2025-02-28")
    full = _queries(moderator_client, f"{path}?{PERIOD}")
    assert full == empty
