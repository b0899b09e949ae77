"""German analysis for search: compounds split into parts, at index and at query time."""

from forum.services import search, search_analysis
from tests.factories import make_expert, make_thread, make_topic


def test_compounds_split_into_their_parts():
    assert search_analysis.part_stems("pflegekräfte") == ("pfleg", "kraft")
    assert set(search_analysis.part_stems("arbeitszeitmodelle")) >= {
        "arbeitszeit", "arbeit", "zeit", "modell"}
    assert search_analysis.part_stems("verwaltung") == ()  # no compound
    assert search_analysis.part_stems("übersicht") == ()  # "über" is a particle


def test_words_are_split_as_written_not_as_read():
    # "steürrecht" (umlaut spellings read as umlauts) is no compound; as written it is one,
    # and its parts are stemmed as the query "Steuer" is
    assert search_analysis.part_stems("steuerrecht") == (
        search.stems("Steuer")[0], search.stems("Recht")[0])


def test_the_demo_case_pflege_finds_pflegekraefte(app):
    topic = make_topic()
    thread = make_thread(topic.board, make_expert(),
                         title="Wie reagieren Pflegekräfte auf neue Dienstpläne?",
                         body="Erfahrungen aus der Altenhilfe gesucht.")
    assert [h.thread.id for h in search.search("Pflege").hits] == [thread.id]
    assert [h.thread.id for h in search.search("Dienstplan").hits] == [thread.id]


def test_whole_word_and_title_rank_above_a_part(app):
    topic = make_topic()
    part = make_thread(topic.board, make_expert(), title="Frage zur Altenpflege",
                       body="Wer hat Erfahrung?")
    body = make_thread(topic.board, make_expert(), title="Eine andere Frage",
                       body="Wie organisiert ihr die Pflege am Wochenende?")
    title = make_thread(topic.board, make_expert(), title="Pflege im Quartier",
                        body="Wer hat Erfahrung?")
    assert [h.thread.id for h in search.search("Pflege").hits] == [title.id, body.id, part.id]


def test_compound_query_finds_texts_with_its_parts_ranked_lower(app):
    topic = make_topic()
    apart = make_thread(topic.board, make_expert(), title="Pflege und Kräfte",
                        body="Die Kräfte in der Pflege sind knapp.")
    whole = make_thread(topic.board, make_expert(), title="Pflegekräfte gesucht",
                        body="Wo finden wir Pflegekräfte?")
    assert [h.thread.id for h in search.search("Pflegekräfte").hits] == [whole.id, apart.id]


def test_highlighting_marks_compounds_of_a_query_word():
    is_match = search.matcher(["pfleg"])
    assert is_match("Pflegekräfte") and is_match("Altenpflege") and is_match("Pflege")
    assert not is_match("Kräfte")
