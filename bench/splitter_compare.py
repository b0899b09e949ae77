"""Compare compound splitters on the search test set (tests/search_testset.py).

    .venv/bin/python bench/splitter_compare.py

For each splitter it loads the test set into a throw-away SQLite database (or
FORUM_BENCH_DATABASE_URL) and prints recall, precision at 10, the words per second the
splitter analyses and its resident memory. Splitters: none (Snowball stems only), the
`compound-split` package (n-gram probabilities of heads and tails), and the split by
`wordfreq`'s German word frequencies that the forum uses (search_analysis.py).
compound-split is not a dependency of the forum: install it to compare
(`pip install compound-split`). Memory is measured in a fresh process per splitter."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.models import Board, User  # noqa: E402
from forum.services import demo, search, search_analysis  # noqa: E402
from tests import search_testset  # noqa: E402

COMPOUND_SPLIT_THRESHOLD = 0.5  # its score of the best split; tuned on the test set


def split_with_compound_split(word: str):
    from compound_split import char_split

    score, head, tail = char_split.split_compound(word)[0]
    return (head.lower(), tail.lower()) if score >= COMPOUND_SPLIT_THRESHOLD else None


SPLITTERS = {
    "none (Snowball only)": lambda word: None,
    "compound-split": split_with_compound_split,
    "wordfreq (in use)": search_analysis.split_with_wordfreq,
}


def memory_of(name: str) -> float:
    """MB of resident memory a fresh Python process (Linux) gains when this splitter loads
    its data."""
    code = ("import os, sys; sys.path.insert(0, 'bench'); "
            "import splitter_compare as c; "
            "rss = lambda: int(open('/proc/self/statm').read().split()[1]) * os.sysconf("
            "'SC_PAGE_SIZE'); before = rss(); c.SPLITTERS[sys.argv[1]]('arbeitszeit'); "
            "print((rss() - before) / 2**20)")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code, name], capture_output=True, text=True,
                         cwd=root, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def vocabulary() -> list[str]:
    text = " ".join(f"{t} {q} {' '.join(a)}" for t, q, a in search_testset.CORPUS.values())
    return sorted(set(search_analysis.words(text)))


def finder(keys: dict[int, str]):
    def find(query):
        return [keys[h.thread.id] for h in search.search(query, per_page=100).hits
                if h.thread.id in keys]
    return find


def main() -> None:
    url = os.environ.get("FORUM_BENCH_DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    url = url or f"sqlite:///{tmp.name}/compare.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    print(f"database: {url.split(':')[0]}, {len(search_testset.QUERIES)} queries, "
          f"{len(search_testset.CORPUS)} questions")
    print("| splitter | recall | precision@10 | words/s (uncached) | memory after loading |")
    print("| --- | --- | --- | --- | --- |")
    for name, splitter in SPLITTERS.items():
        search_analysis.splitter = splitter
        search_analysis.clear_caches()
        words = vocabulary()
        memory = memory_of(name)
        splitter("arbeitszeit")  # loads its data before timing
        started = time.perf_counter()
        for word in words:
            search_analysis.part_stems(word)
        speed = len(words) / (time.perf_counter() - started)
        with app.app_context():
            db.drop_all()
            db.create_all()
            demo.seed(echo=lambda *_: None)
            board = db.session.scalar(db.select(Board.id).order_by(Board.id))
            author = db.session.scalar(db.select(User.id).order_by(User.id))
            keys = search_testset.load(board, author)

            quality = search_testset.evaluate(finder(keys))
            db.session.remove()
        print(f"| {name} | {quality.recall:.3f} | {quality.precision_at_10:.3f} | "
              f"{speed:,.0f} | +{memory:.0f} MB |")
    tmp.cleanup()


if __name__ == "__main__":
    main()
