"""The open-data page (/offene-daten): public, linked from every page's footer, shows the
date and licence of the last export and serves its files, nothing else; and the command that
writes them."""

from datetime import UTC, datetime

import pytest

from forum.services import open_data
from tests.conftest import configured
from tests.factories import make_thread, make_topic, make_user

LICENCE = {"OPEN_DATA_LICENCE": "CC BY 4.0",
           "OPEN_DATA_LICENCE_URL": "https://creativecommons.org/licenses/by/4.0/"}


@pytest.fixture
def folder(app, tmp_path):
    with configured(app, OPEN_DATA_DIR=str(tmp_path / "offen"), **LICENCE):
        yield tmp_path / "offen"


def test_page_before_the_first_export(client, folder):
    response = client.get("/offene-daten")
    assert response.status_code == 200
    assert "zum ersten Mal zusammengestellt" in response.text
    assert client.get(f"/offene-daten/{open_data.JSON_NAME}").status_code == 404


def test_page_shows_date_licence_and_files(client, folder):
    make_thread(make_topic().board, make_user(), title="Offene Frage")
    open_data.export(now=datetime(2026, 4, 2, 3, 15, tzinfo=UTC))
    page = client.get("/offene-daten").text
    assert '<time datetime="2026-04-02T03:15:00+00:00">02.04.2026, 05:15 Uhr</time>' in page
    assert ('<a href="https://creativecommons.org/licenses/by/4.0/" rel="noopener noreferrer">'
            'CC BY 4.0</a>') in page
    assert "1 Fragen mit 1 Beiträgen" in page
    response = client.get(f"/offene-daten/{open_data.JSON_NAME}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.get_json()["questions"][0]["title"] == "Offene Frage"
    response.close()
    archive = client.get(f"/offene-daten/{open_data.ZIP_NAME}")
    assert archive.status_code == 200 and archive.data[:2] == b"PK"
    archive.close()


@pytest.mark.parametrize("name", ["manifest.json", "..%2Fmanifest.json", "x.zip",
                                  ".fachdialog-offene-daten.json.tmp"])
def test_only_the_export_files_are_served(client, folder, name):
    open_data.export()
    assert client.get(f"/offene-daten/{name}").status_code == 404


def test_footer_links_the_open_data(client):
    assert 'href="/offene-daten"' in client.get("/").text


def test_command_writes_the_files(app, folder):
    result = app.test_cli_runner().invoke(args=["forum", "open-data-export"])
    assert result.exit_code == 0, result.output
    assert "Offene Daten geschrieben" in result.output
    assert (folder / open_data.JSON_NAME).is_file() and (folder / open_data.ZIP_NAME).is_file()
    assert open_data.latest()["licence"]["name"] == "CC BY 4.0"
