from tests.factories import make_expert, make_project, make_thread, make_topic


def test_search_page_shows_ranked_highlighted_hits_with_filters(client):
    topic = make_topic(name="Gesundheit")
    project = make_project(name="PflEx", topics=[topic])
    make_thread(project.board, make_expert(), title="Entlastung im Dienst",
                body="Wie helfen Exoskelette den <b>Pflegekräften</b> im Alltag?")
    page = client.get("/suche?q=Pflegekraft").text
    assert "1 Treffer" in page and "Entlastung im Dienst" in page
    assert "<mark>Pflegekräften</mark>" in page
    assert "&lt;b&gt;" in page  # the user's text stays text
    assert 'role="search"' in page
    assert "0 Treffer" in client.get(f"/suche?q=Pflegekraft&projekt={project.id + 99}").text
    filtered = client.get(f"/suche?q=Pflegekraft&themenfeld={topic.id}&status=unbeantwortet")
    assert "1 Treffer" in filtered.text
    assert 'value="Pflegekraft"' in filtered.text


def test_empty_search_shows_form_only(client):
    page = client.get("/suche").text
    assert "Suchbegriffe" in page and "Treffer" not in page


def test_search_page_past_the_end_is_404(client):
    make_thread(make_topic().board, make_expert(), body="Zeitkonto")
    assert client.get("/suche?q=Zeitkonto&seite=3").status_code == 404


def test_search_page_shows_each_question_once_with_matching_answers(client):
    from forum.services import threads

    thread = make_thread(make_topic().board, make_expert(), title="Schichtplanung gesucht",
                         body="Wie plant ihr Schichten?")
    threads.add_answer(make_expert(), thread, "Unsere Schichtplanung läuft über eine App.")
    page = client.get("/suche?q=Schichtplanung").text
    assert "1 Treffer" in page and page.count("Schichtplanung gesucht</a>") == 1
    assert "1 passende Antwort" in page


def test_search_page_offers_the_closest_indexed_word(client):
    make_thread(make_topic().board, make_expert(), title="Dienstplan im Team",
                body="Wer plant?")
    page = client.get("/suche?q=Dienstpan").text
    assert "Meinten Sie:" in page and "q=Dienstplan" in page
