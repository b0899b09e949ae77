"""The search test set (tests/search_testset.py) on this database: recall and precision at
10 stay at least at the figures reached when compound splitting came (docs/search.md)."""

from forum.services import search
from tests.factories import make_topic, make_user
from tests.search_testset import QUERIES, evaluate, load

# reached on both databases: 0.986 and 0.975 (docs/search.md); the issue aims at 0.9, 0.8
MIN_RECALL = 0.98
MIN_PRECISION_AT_10 = 0.97


def test_the_test_set_is_big_enough():
    assert len(QUERIES) >= 60


def test_recall_and_precision_at_10(app):
    keys = load(make_topic().board.id, make_user().id)

    def find(query):
        return [keys[hit.thread.id] for hit in search.search(query, per_page=100).hits]

    quality = evaluate(find)
    report = "\n".join(f"{q!r}: wanted {sorted(r)}, found {f}" for q, r, f in quality.misses)
    assert quality.recall >= MIN_RECALL, report
    assert quality.precision_at_10 >= MIN_PRECISION_AT_10, report
