""""Meinten Sie …?" offers the closest indexed word; the ask form's suggestions use the same
analysis as the search."""

from forum.services import search, search_suggest
from tests.factories import make_expert, make_thread, make_topic


def test_a_near_miss_gets_the_closest_indexed_word(app):
    make_thread(make_topic().board, make_expert(), title="Dienstplan am Wochenende",
                body="Wer plant die Wochenenden?")
    assert search.search("Dienstpan").total == 0
    assert search_suggest.did_you_mean("Dienstpan") == "Dienstplan"
    assert search_suggest.did_you_mean("Dienstpan Wochenende") == "Dienstplan Wochenende"


def test_only_words_in_the_index_are_offered(app):
    make_thread(make_topic().board, make_expert(), title="Etwas ganz anderes", body="Holz")
    assert search_suggest.did_you_mean("Dienstpan") is None  # "Dienstplan" is not indexed
    assert search_suggest.did_you_mean("Holz") is None  # nothing to correct


def test_a_compound_part_in_the_index_counts(app):
    make_thread(make_topic().board, make_expert(), title="Schichtplanung für Pflegekräfte",
                body="Wie plant ihr?")
    assert search_suggest.did_you_mean("Pflegr") == "Pflege"


def test_ask_form_suggestions_split_compounds(app):
    thread = make_thread(make_topic().board, make_expert(),
                         title="Schichtplanung für Pflegekräfte", body="Wie plant ihr?")
    assert [t.id for t in search.similar("Pflege im Schichtdienst")] == [thread.id]
