""""Meinten Sie …?": for a query that finds nothing, the closest words that are indexed.

A word of the query that is not in the index is replaced by the most common German word
(wordfreq's list, as for compound splitting) one typing slip away from it (a letter left
out, added, changed, or two swapped: "Dienstpan" -> "Dienstplan") whose stem or compound
parts are in the index. One query asks the index which of the candidates it holds."""

import sqlalchemy as sa

from ..extensions import db
from .search_analysis import normalise, stems, typed_words, zipf

_LETTERS = "abcdefghijklmnopqrstuvwxyzäöüß"
MAX_CANDIDATES = 8  # per word, the most common ones


def _one_slip(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS}) - {word}


def _candidates(word: str) -> list[str]:
    """Real German words one slip away, most common first."""
    found = [(zipf(w), w) for w in _one_slip(word) if len(w) > 2]
    return [w for score, w in sorted(found, reverse=True) if score > 0][:MAX_CANDIDATES]


def _indexed(stems_wanted: list[str]) -> set[str]:
    """Which of these stems the index holds (as a word or a compound's part): one query."""
    if not stems_wanted:
        return set()
    params = {}
    if db.engine.dialect.name == "postgresql":
        # each lookup a materialised CTE: planned on its own, it uses the GIN index (inside
        # EXISTS the planner expects an early hit and scans every row for an absent stem)
        ctes, checks = [], []
        for n, stem in enumerate(stems_wanted):
            ctes.append(f"m{n} AS MATERIALIZED (SELECT 1 FROM search_documents "
                        f"WHERE tsv @@ to_tsquery('simple', :s{n}))")
            checks.append(f"EXISTS (SELECT 1 FROM m{n}) AS e{n}")
            params[f"s{n}"] = f"'{stem}'"
        sql = "WITH " + ", ".join(ctes) + " SELECT " + ", ".join(checks)
    else:
        checks = []
        for n, stem in enumerate(stems_wanted):
            checks.append(f"EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH :s{n}) "
                          f"AS e{n}")
            params[f"s{n}"] = f'"{stem}"'
        sql = "SELECT " + ", ".join(checks)
    row = db.session.execute(sa.text(sql), params).one()
    return {stem for stem, present in zip(stems_wanted, row, strict=True) if present}


def did_you_mean(query: str) -> str | None:
    """The query with its unknown words replaced by indexed near words, or None."""
    typed = typed_words(query)
    if not typed:
        return None
    lower = [w.lower() for w in typed]
    own = [stems(w)[0] for w in lower]
    options = {w: _candidates(normalise(w)) for w in lower}
    asked = list(dict.fromkeys(own + [stems(c)[0] for cs in options.values() for c in cs]))
    present = _indexed(asked)
    replaced, changed = [], False
    for word, low, stem in zip(typed, lower, own, strict=True):
        choice = None if stem in present else next(
            (c for c in options[low] if stems(c)[0] in present), None)
        if choice is None:
            replaced.append(word)
        else:
            changed = True
            replaced.append(choice.capitalize() if word[0].isupper() else choice)
    return " ".join(replaced) if changed else None
