"""search: compound parts and weighted fields

Revision ID: 4b7e2c9d1a53
Revises: b7e13a11d0c5
Create Date: 2026-11-30 13:40:00.000000

Every search document gets the stems of its thread's title and of its compounds' parts in
fields of their own; SQLite's FTS5 table gets those columns, PostgreSQL's tsvector weighs
them (title A, body B, parts C) over stems made in Python instead of the german
configuration. Every document is analysed anew here, so search works right after the
upgrade; `flask forum reindex` does the same with the live code.
"""
import math
import re
from functools import lru_cache

from alembic import op
import snowballstemmer
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b7e2c9d1a53'
down_revision = 'b7e13a11d0c5'
branch_labels = None
depends_on = None

# Frozen copies of forum/models/search.py and forum/services/search_analysis.py as they were
# when this revision landed; the live code may change, this must not.
OLD_SQLITE_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(stems, content='search_documents', "
    "content_rowid='post_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, stems) VALUES (new.post_id, new.stems); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, stems) VALUES ('delete', old.post_id, "
    "old.stems); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, stems) VALUES ('delete', old.post_id, "
    "old.stems); INSERT INTO search_fts(rowid, stems) VALUES (new.post_id, new.stems); END",
)
OLD_POSTGRES_DDL = (
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('german', text)) STORED",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
)
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_stems, stems, parts, "
    "content='search_documents', content_rowid='post_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title_stems, stems, parts) VALUES (new.post_id, "
    "new.title_stems, new.stems, new.parts); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_stems, stems, parts) VALUES ('delete', "
    "old.post_id, old.title_stems, old.stems, old.parts); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_stems, stems, parts) VALUES ('delete', "
    "old.post_id, old.title_stems, old.stems, old.parts); "
    "INSERT INTO search_fts(rowid, title_stems, stems, parts) VALUES (new.post_id, "
    "new.title_stems, new.stems, new.parts); END",
)
POSTGRES_DDL = (
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_stems), 'A') || "
    "setweight(to_tsvector('simple', stems), 'B') || "
    "setweight(to_tsvector('simple', parts), 'C')) STORED",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
)
DROP_SQLITE = ("DROP TRIGGER IF EXISTS search_documents_ai",
               "DROP TRIGGER IF EXISTS search_documents_ad",
               "DROP TRIGGER IF EXISTS search_documents_au", "DROP TABLE IF EXISTS search_fts")
DROP_POSTGRES = ("DROP INDEX IF EXISTS ix_search_documents_tsv",
                 "ALTER TABLE search_documents DROP COLUMN IF EXISTS tsv")

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_UMLAUT_SPELLING = re.compile(r"(?<!q)(ae|oe|ue)")
_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}
MIN_ZIPF = 2.5
MIN_COMPOUND = 8
MIN_PART = 3
_PARTICLES = frozenset(
    "ab an auf aus bei durch ein ent für gegen hin her mit nach über um unter ver vor weg "
    "weiter wieder zu zurück zusammen".split())


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


@lru_cache(maxsize=1)
def _frequencies():
    from wordfreq import get_frequency_dict
    return get_frequency_dict("de")


def _normalise(word):
    return _UMLAUT_SPELLING.sub(lambda m: _UMLAUTS[m.group(1)], word)


def _zipf(word):
    frequency = _frequencies().get(word, 0.0)
    return math.log10(frequency) + 9 if frequency else 0.0


def _split(word):
    best, best_score = None, MIN_ZIPF
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        tail_score = _zipf(word[i:])
        if tail_score < best_score:
            continue
        heads = [word[:i]]
        if word[i - 1] == "s":
            heads.append(word[:i - 1])
            if word[i - 2:i] == "es":
                heads.append(word[:i - 2])
        for head in heads:
            if len(head) >= MIN_PART:
                score = min(_zipf(head), tail_score)
                if score > best_score:
                    best, best_score = (head, word[i:]), score
    return best


def _parts(word, depth=0):
    if len(word) < MIN_COMPOUND or depth > 3:
        return []
    split = _split(word)
    if split is None:
        return []
    head, tail = split
    if len(head) < MIN_PART or len(tail) < MIN_PART or head in _PARTICLES:
        return []
    result = []
    for piece in (head, tail):
        result += [piece, *_parts(piece, depth + 1)]
    return result


@lru_cache(maxsize=200_000)
def _part_stems(word):
    normalised = _normalise(word)
    whole = _stemmer().stemWord(normalised)
    found = []
    for part in _parts(word) or (_parts(normalised) if normalised != word else []):
        stem = _stemmer().stemWord(_normalise(part))
        if stem != whole and stem not in found and len(stem) >= MIN_PART:
            found.append(stem)
    return tuple(found)


def _analyse(title, body):
    title_raw = _WORD.findall(title.lower()) if title else []
    body_raw = _WORD.findall(body.lower())
    parts = [p for w in title_raw + body_raw for p in _part_stems(w)]
    title_words = [_normalise(w) for w in title_raw]
    body_words = [_normalise(w) for w in body_raw]
    return {"text": " ".join(title_words + body_words),
            "title_stems": " ".join(_stemmer().stemWords(title_words)),
            "stems": " ".join(_stemmer().stemWords(body_words)), "parts": " ".join(parts)}


def upgrade():
    bind = op.get_bind()
    for statement in {"sqlite": DROP_SQLITE, "postgresql": DROP_POSTGRES}.get(
            bind.dialect.name, ()):
        op.execute(statement)
    op.add_column('search_documents',
                  sa.Column('title_stems', sa.Text(), server_default='', nullable=False))
    op.add_column('search_documents',
                  sa.Column('parts', sa.Text(), server_default='', nullable=False))
    _analyse_documents(bind)
    for statement in {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}.get(
            bind.dialect.name, ()):
        op.execute(statement)
    if bind.dialect.name == "sqlite":
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def _analyse_documents(bind):
    """Each document analysed anew from its post, in batches."""
    documents = sa.table("search_documents", sa.column("post_id"), sa.column("text"),
                         sa.column("title_stems"), sa.column("stems"), sa.column("parts"))
    update = documents.update().where(documents.c.post_id == sa.bindparam("id")).values(
        text=sa.bindparam("text"), title_stems=sa.bindparam("title_stems"),
        stems=sa.bindparam("stems"), parts=sa.bindparam("parts"))
    last = 0
    while True:
        rows = bind.execute(sa.text(
            "SELECT p.id, p.kind, p.body_source, t.title FROM search_documents d "
            "JOIN posts p ON p.id = d.post_id JOIN threads t ON t.id = p.thread_id "
            "WHERE d.post_id > :last ORDER BY d.post_id LIMIT 1000"), {"last": last}).fetchall()
        if not rows:
            break
        bind.execute(update, [
            {"id": post_id, **_analyse(title if kind == "question" else None, body)}
            for post_id, kind, body, title in rows])
        last = rows[-1][0]


def downgrade():
    bind = op.get_bind()
    for statement in {"sqlite": DROP_SQLITE, "postgresql": DROP_POSTGRES}.get(
            bind.dialect.name, ()):
        op.execute(statement)
    # the old documents held the stems of title and body in one field
    op.execute("UPDATE search_documents SET stems = TRIM(title_stems || ' ' || stems)")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_column('parts')
        batch_op.drop_column('title_stems')
    for statement in {"sqlite": OLD_SQLITE_DDL, "postgresql": OLD_POSTGRES_DDL}.get(
            bind.dialect.name, ()):
        op.execute(statement)
    if bind.dialect.name == "sqlite":
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
