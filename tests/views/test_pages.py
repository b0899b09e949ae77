from forum.extensions import db
from forum.site_pages import FOOTER_LINKS
from tests.conftest import login
from tests.factories import (
    bulk_threads,
    make_answer,
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)


def test_start_page_lists_projects_topics_newest_and_unanswered(client):
    topic = make_topic(name="Arbeitszeit und Arbeitsort")
    project = make_project(name="NAWID", topics=[topic])
    asker = make_user()
    make_thread(topic.board, asker, title="Offene Frage ohne Antwort")
    answered = make_thread(project.board, asker, title="Beantwortete Frage hier")
    make_answer(answered, make_expert())
    text = client.get("/").text
    assert '<html lang="de">' in text
    assert "NAWID" in text and "Arbeitszeit und Arbeitsort" in text
    newest, unanswered = text.split('id="unbeantwortet"')
    assert "Offene Frage ohne Antwort" in newest and "Beantwortete Frage hier" in newest
    assert "Offene Frage ohne Antwort" in unanswered.split('id="themenfelder"')[0]
    assert "Beantwortete Frage hier" not in unanswered.split('id="themenfelder"')[0]


def test_project_page_shows_profile_team_and_board(client):
    topic = make_topic(name="Führung und Zusammenarbeit")
    project = make_project(name="AgilKom", lead_organisation="Stadt Bielefeld",
                           partners=["Partner A", "Partner B"], period="2018–2021",
                           topics=[topic])
    make_user(project=project, display_name="Lea Lead")
    make_thread(project.board, make_user(), title="Frage an AgilKom gestellt")
    text = client.get(f"/projekte/{project.slug}").text
    for expected in ("AgilKom", "Stadt Bielefeld", "Partner B", "2018–2021",
                     "Führung und Zusammenarbeit", "Lea Lead", "Frage an AgilKom gestellt"):
        assert expected in text
    assert client.get("/projekte/gibt-es-nicht").status_code == 404


def test_project_board_paginates(client):
    project = make_project()
    bulk_threads(project.board, make_user(), 25)
    first = client.get(f"/projekte/{project.slug}").text
    second = client.get(f"/projekte/{project.slug}?seite=2").text
    assert first.count('class="thread-item"') == 20
    assert second.count('class="thread-item"') == 5
    assert 'rel="next"' in first and 'aria-current="page"' in second


def test_topic_page_shows_own_board_and_tagged_projects_threads(client):
    topic, other = make_topic(), make_topic()
    tagged = make_project(name="Getaggt", topics=[topic])
    untagged = make_project(name="Fremd", topics=[other])
    asker = make_user()
    make_thread(topic.board, asker, title="Frage im Themenfeld selbst")
    make_thread(tagged.board, asker, title="Frage im getaggten Projekt")
    make_thread(untagged.board, asker, title="Frage in fremdem Projekt")
    text = client.get(f"/themen/{topic.slug}").text
    assert "Frage im Themenfeld selbst" in text and "Frage im getaggten Projekt" in text
    assert "Frage in fremdem Projekt" not in text
    assert "Getaggt" in text


def test_footer_pages_have_content_and_are_linked_everywhere(client):
    start = client.get("/").text
    for slug, _label in FOOTER_LINKS:
        assert f'href="/{slug}"' in start
        page = client.get(f"/{slug}")
        assert page.status_code == 200
        if slug != "datenschutz":  # its contact part comes with the accounts issue
            assert "Hier steh" not in page.text and "bald" not in page.text


def test_language_switch_changes_ui_to_english(client):
    response = client.post("/sprache", data={"locale": "en", "next": "/projekte"})
    assert response.headers["Location"] == "/projekte"
    text = client.get("/projekte").text
    assert '<html lang="en">' in text
    assert "Ask a question" in text


def test_language_from_browser_header(client):
    text = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en">' in text


def test_language_setting_of_account_wins(client):
    user = make_user(locale="en")
    login(client, user)
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "de"}).text


def test_every_page_sends_csp_and_cookie_flags(client):
    response = client.get("/konto/anmelden")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    user = make_user()
    response = login(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_reference_no_third_party_resources(client):
    thread = make_thread(make_topic().board, make_user())
    for url in ("/", "/projekte", "/angebote", f"/fragen/{thread.id}-{thread.slug}"):
        text = client.get(url).text
        for attr in ('src="http', 'href="//', "src='http", "@import"):
            assert attr not in text, (url, attr)
        assert '<link rel="stylesheet" href="/static/' in text


def test_offers_page_lists_offers(client):
    from forum.models import Offer

    db.session.add(Offer(slug="inqa", name="INQA-Coaching", url="https://www.inqa.de",
                         description="Geförderte Prozessberatung."))
    db.session.commit()
    text = client.get("/angebote").text
    assert "INQA-Coaching" in text and "Geförderte Prozessberatung." in text


def test_unknown_page_shows_german_404(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text


def test_closed_thread_shows_no_answer_form(client):
    thread = make_thread(make_topic().board, make_user())
    thread.locked = True
    db.session.commit()
    login(client, make_expert())
    assert "Antwort veröffentlichen" not in client.get(f"/fragen/{thread.id}-{thread.slug}").text
