"""How German text becomes search terms, the same way for indexing and for queries.

A word is lower-cased, "ae"/"oe"/"ue" read as umlauts (so "Uebersicht" finds "Übersicht")
and reduced to its Snowball stem ("Pflegekräfte" and "Pflegekraft" are one stem). A compound
is also split into its parts by German word frequencies from the `wordfreq` package: the
split point whose head and tail are both common words (see docs/search.md for how the
candidate splitters compared), so "Pflege" finds "Pflegekräfte" and "Altenpflege".
The parts are kept apart from the whole words: a document stores the stems of its title, of
its body and of its compounds' parts in three fields that the databases weigh differently,
so a whole-word or title match ranks above a part match."""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_UMLAUT_SPELLING = re.compile(r"(?<!q)(ae|oe|ue)")
_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}

# Both parts of a split must be at least this common in wordfreq's German list (Zipf scale:
# 3 is once per million words); tuned on tests/search_testset.py.
MIN_ZIPF = 2.5
MIN_COMPOUND = 8  # shorter words are not split ("Dienst", "Modelle": not "Mod|elle")
MIN_PART = 3  # "Bad" in "Badsanierung"; shorter heads and tails are not words
# Heads that are particles, not nouns: "Übersicht", "Mitbestimmung", "Weiterbildung" are
# not compounds of "über", "mit", "weiter" (splitting them would let "Sicht" find "Übersicht").
_PARTICLES = frozenset(
    "ab an auf aus bei durch ein ent für gegen hin her mit nach über um unter ver vor weg "
    "weiter wieder zu zurück zusammen".split())


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


def normalise(text: str) -> str:
    text = text.lower()
    return _UMLAUT_SPELLING.sub(lambda m: _UMLAUTS[m.group(1)], text)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def raw_words(text: str) -> list[str]:
    """Lower-case words as written (umlaut spellings not yet read as umlauts)."""
    return _WORD.findall(text.lower())


def typed_words(text: str) -> list[str]:
    """The words as typed, case and all."""
    return _WORD.findall(text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a normalised word (memoised: a forum repeats its words)."""
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    # loaded on first use (0.4 s, about 90 MB): word -> frequency per word of German text
    from wordfreq import get_frequency_dict
    return get_frequency_dict("de")


def zipf(word: str) -> float:
    """How common a word is in German text (Zipf scale; 0 for an unknown word)."""
    frequency = _frequencies().get(word, 0.0)
    return math.log10(frequency) + 9 if frequency else 0.0


def split_with_wordfreq(word: str) -> tuple[str, str] | None:
    """The (head, tail) split of a word whose rarer part is most common, if both parts are
    common words; the head may drop a linking "s" or "es" ("Arbeits|zeit")."""
    best, best_score = None, MIN_ZIPF
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        tail_score = zipf(word[i:])
        if tail_score < best_score:
            continue
        heads = [word[:i]]
        if word[i - 1] == "s":
            heads.append(word[:i - 1])
            if word[i - 2:i] == "es":
                heads.append(word[:i - 2])
        for head in heads:
            if len(head) < MIN_PART:
                continue
            score = min(zipf(head), tail_score)
            if score > best_score:
                best, best_score = (head, word[i:]), score
    return best


# The splitter in use; bench/splitter_compare.py puts others here to compare them.
splitter: Callable[[str], tuple[str, str] | None] = split_with_wordfreq


def _parts(word: str, depth: int = 0) -> list[str]:
    if len(word) < MIN_COMPOUND or depth > 3:
        return []
    split = splitter(word)
    if split is None:
        return []
    head, tail = split
    if len(head) < MIN_PART or len(tail) < MIN_PART or head in _PARTICLES:
        return []
    result = []
    for piece in (head, tail):  # "Vertrauensarbeitszeit": vertrauens, arbeitszeit, arbeits, zeit
        result += [piece, *_parts(piece, depth + 1)]
    return result


@lru_cache(maxsize=200_000)
def part_stems(word: str) -> tuple[str, ...]:
    """The stems of a lower-case word's compound parts, without the stem of the whole word;
    empty for a word that is no compound. The word is split as written ("Steuerrecht" is not
    "Steürrecht"), or else with its umlaut spellings read as umlauts ("Uebersichtsseite")."""
    normalised = normalise(word)
    whole = stem(normalised)
    parts = _parts(word) or (_parts(normalised) if normalised != word else [])
    found = []
    for part in parts:
        part_stem = stem(normalise(part))
        if part_stem != whole and part_stem not in found and len(part_stem) >= MIN_PART:
            found.append(part_stem)
    return tuple(found)


def clear_caches() -> None:
    part_stems.cache_clear()
    stem.cache_clear()
    _analysed_word.cache_clear()


@dataclass
class Analysed:
    text: str  # the normalised words, for snippets and suggestions
    title_stems: str
    stems: str
    parts: str


@lru_cache(maxsize=200_000)
def _analysed_word(raw: str) -> tuple[str, str, tuple[str, ...]]:
    """A lower-case word as written: (its umlaut reading, that reading's stem, its parts'
    stems). Memoised: the words of a forum repeat, so a rebuild of the index analyses each
    distinct word once."""
    normalised = normalise(raw)
    return normalised, stem(normalised), part_stems(raw)


def analyse(title: str | None, body: str) -> Analysed:
    """The index fields of a post: its thread's title (questions only) and its body."""
    # reading umlaut spellings keeps word boundaries, so raw and read words pair up: a
    # word's reading is the reading of the text at its place
    title_words = [_analysed_word(w) for w in raw_words(title)] if title else []
    body_words = [_analysed_word(w) for w in raw_words(body)]
    parts: list[str] = []
    for _word, _stem, word_parts in title_words + body_words:
        parts.extend(word_parts)
    return Analysed(" ".join(w[0] for w in title_words + body_words),
                    " ".join(w[1] for w in title_words), " ".join(w[1] for w in body_words),
                    " ".join(parts))


@dataclass
class QueryTerm:
    stem: str  # the whole word's stem
    parts: tuple[str, ...]  # its compound parts' stems (all must match), may be empty


def query_terms(query: str) -> list[QueryTerm]:
    """Each word of a query: its stem, or (for a compound) all its parts."""
    seen = set()
    terms = []
    stemmer = _stemmer()
    for word in raw_words(query):
        stem = stemmer.stemWord(normalise(word))
        if stem in seen:
            continue
        seen.add(stem)
        terms.append(QueryTerm(stem, part_stems(word)))
    return terms


def fts5_expression(terms: list[QueryTerm], joiner: str = " AND ") -> str:
    """An FTS5 MATCH expression: every term (its stem or all its parts) must match."""
    clauses = []
    for term in terms:
        clause = f'"{term.stem}"'
        if term.parts:
            clause = "(" + clause + " OR (" + " AND ".join(f'"{p}"' for p in term.parts) + "))"
        clauses.append(clause)
    return joiner.join(clauses)


def tsquery_expression(terms: list[QueryTerm], joiner: str = " & ") -> str:
    """The same for PostgreSQL's to_tsquery('simple', ...)."""
    clauses = []
    for term in terms:
        clause = f"'{term.stem}'"
        if term.parts:
            clause = "(" + clause + " | (" + " & ".join(f"'{p}'" for p in term.parts) + "))"
        clauses.append(clause)
    return joiner.join(clauses)


def term_stems(terms: list[QueryTerm]) -> list[str]:
    """Every stem a query looks for: its words' and their parts'."""
    found: list[str] = []
    for term in terms:
        for stem in (term.stem, *term.parts):
            if stem not in found:
                found.append(stem)
    return found


def matcher(looked_for: list[str]) -> Callable[[str], bool]:
    """Whether a word of a text is one a query looked for (itself or one of its parts), to
    highlight it."""
    wanted = set(looked_for)
    seen: dict[str, bool] = {}  # a snippet repeats its words: each is analysed once

    def is_match(word: str) -> bool:
        if word not in seen:
            seen[word] = any(
                _stemmer().stemWord(normalise(raw)) in wanted
                or wanted.intersection(part_stems(raw)) for raw in raw_words(word))
        return seen[word]
    return is_match
