"""Input cannot break a page: bounded rendering cost, a request size limit, NUL bytes in the
address, and the headers that keep personal pages out of caches."""

from forum.extensions import db
from forum.markup import MAX_TABLE_CELLS, largest_table, render_markdown
from tests.conftest import login, make_app
from tests.factories import make_user

PADDED = "|" + "a|" * 100 + "\n|" + "-|" * 100 + "\n" + "|\n" * 9000


def test_a_table_that_pads_into_a_huge_page_is_rendered_as_text():
    assert largest_table(PADDED) > MAX_TABLE_CELLS
    html = render_markdown(PADDED)
    assert "<table>" not in html and len(html) < 2 * len(PADDED)


def test_ordinary_tables_stay_tables():
    source = "| Modell | Stunden |\n|---|---:|\n| Gleitzeit | 38 |\n| Vier-Tage-Woche | 36 |\n"
    assert largest_table(source) == 6
    assert "<table>" in render_markdown(source)


def test_many_delimiter_lines_are_scanned_in_one_pass():
    assert largest_table("-\n" * 10000) == 10000  # linear: no rescan per line


def test_a_request_over_the_limit_gets_a_clear_413(client):
    response = client.post("/fragen/neu", data={"body": "x" * (600 * 1024)})
    assert response.status_code == 413
    assert "zu groß" in response.text and "20.000 Zeichen" in response.text


def test_nul_in_the_address_is_a_400_not_a_server_error(client):
    assert client.get("/projekte/a%00b").status_code == 400
    assert client.get("/suche?q=a%00b").status_code == 400
    assert client.get("/fragen?seite=1%00").status_code == 400


def test_pages_for_logged_in_people_are_not_stored_and_public_ones_may_be(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(client, make_user())
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store" and "Cookie" in response.vary


def test_https_base_url_sends_hsts(database_url):
    app = make_app(database_url, BASE_URL="https://fachdialog.example")
    response = app.test_client().get("/impressum")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    plain_app = make_app(database_url)
    plain = plain_app.test_client().get("/impressum")
    assert "Strict-Transport-Security" not in plain.headers
    for made in (app, plain_app):  # close their connections (else a ResourceWarning on GC)
        with made.app_context():
            db.engine.dispose()
