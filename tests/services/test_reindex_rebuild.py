"""`flask forum reindex` from an empty index (as after `seed-bench` or a restore): the same
documents and search results as the index kept by each write, documents written meanwhile
kept, and on SQLite one FTS5 segment per statement, not per row."""

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.models import Post
from forum.models.search import POSTGRES_GIN_INDEX
from forum.services import search, threads
from tests.factories import bulk_answers, make_expert, make_thread, make_topic

QUERIES = ("Schichtplanung", "Pflegekräfte", "Kurzarbeit", "Pflege", "Betriebsrat")


def _forum():
    topic, expert, other, third = make_topic(), make_expert(), make_expert(), make_expert()
    made = []
    for i in range(7):
        thread = make_thread(topic.board, expert, title=f"Schichtplanung im Team {i}",
                             body=f"Wie entlasten wir Pflegekräfte in Schicht {i}?")
        threads.add_answer(other, thread, f"Der Betriebsrat hat Kurzarbeit {i} geregelt.")
        threads.add_answer(third, thread, f"Pflege und Kräfte gemeinsam planen, Team {i}.")
        made.append(thread)
    return made


def _documents():
    table = search.DOCUMENTS
    return [tuple(row) for row in db.session.execute(
        sa.select(table.c.post_id, table.c.thread_id, table.c.text, table.c.title_stems,
                  table.c.stems, table.c.parts).order_by(table.c.post_id))]


def _results():
    return {q: [(h.post.id, h.matching_answers) for h in search.search(q).hits]
            for q in QUERIES}


def _forum_with_an_empty_index() -> dict:
    """The forum of _forum() with its search index emptied; what search found before."""
    _forum()
    found = _results()
    db.session.execute(sa.text("DELETE FROM search_documents"))
    db.session.commit()
    return found


def _check_fts():
    if db.engine.dialect.name == "sqlite":  # raises "database disk image is malformed"
        db.session.execute(sa.text(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))


def test_rebuild_from_empty_matches_the_index_kept_by_writes(app, monkeypatch):
    _forum()
    kept, found = _documents(), _results()
    assert all(found.values())
    db.session.execute(sa.text("DELETE FROM search_documents"))
    db.session.commit()
    assert not any(_results().values())
    monkeypatch.setattr(search, "REINDEX_BATCH", 4)
    monkeypatch.setattr(search, "INSERT_ROWS", 3)  # several statements per batch
    assert search.reindex() == len(kept)
    assert _documents() == kept
    assert _results() == found
    _check_fts()


def test_rebuild_replaces_only_what_changed(app, monkeypatch):
    made = _forum()
    kept = _documents()
    # one document stale, one missing, the rest as they are
    db.session.execute(search.DOCUMENTS.update().where(
        search.DOCUMENTS.c.post_id == made[0].posts[0].id).values(stems="veralt"))
    db.session.execute(search.DOCUMENTS.delete().where(
        search.DOCUMENTS.c.post_id == made[1].posts[1].id))
    db.session.commit()
    assert search.search("veraltet").total == 1
    monkeypatch.setattr(search, "REINDEX_BATCH", 5)
    search.reindex()
    assert _documents() == kept
    assert search.search("veraltet").total == 0
    _check_fts()


def test_posts_written_during_the_rebuild_are_found(app, monkeypatch):
    made = _forum()
    db.session.execute(sa.text("DELETE FROM search_documents"))
    db.session.commit()
    monkeypatch.setattr(search, "REINDEX_BATCH", 5)
    writer = make_expert()
    written = []

    def write_meanwhile(_done):
        if written:
            return
        # an answer to a question already indexed, an edit of one not reached yet
        written.append(threads.add_answer(writer, made[0], "Neu: Gleitzeitkonto"))
        last = made[-1].posts[-1]
        threads.edit_post(last.author, last, "Geändert: Arbeitszeitkonto")
        db.session.commit()

    search.reindex(progress=write_meanwhile)
    assert [h.post.id for h in search.search("Gleitzeitkonto").hits] == [written[0].id]
    assert [h.post.id for h in search.search("Arbeitszeitkonto").hits] == [made[-1].posts[-1].id]
    _check_fts()


def test_a_document_written_meanwhile_is_kept(app):
    """The batch found no document for a post, someone wrote one before the batch did:
    the batch neither fails on the key nor overwrites it."""
    thread = make_thread(make_topic().board, make_expert(), body="Gleitzeit im Lager")
    post = thread.posts[0]
    stale = search.document(post.id, thread.id, True, thread.title, "Veraltet")
    search.write_documents(db.session.connection(), [stale], stored=[])
    db.session.commit()
    assert search.search("Gleitzeit").total == 1
    assert search.search("Veraltet").total == 0
    _check_fts()


def test_one_index_segment_per_statement_not_per_row(app):
    """SQLite: FTS5 writes its pending terms at every statement's savepoint, so 40 rows as
    40 statements made 40 one-row segments (merged ever more costly as the index grows:
    85 posts/s at a million posts); in one statement they make one."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("FTS5")
    thread = make_thread(make_topic().board, make_expert())
    bulk_answers(thread, [make_expert()], 40)
    db.session.execute(sa.text("DELETE FROM search_documents"))
    db.session.execute(sa.text("INSERT INTO search_fts(search_fts, rank) "
                               "VALUES ('automerge', 0)"))  # keep the segments to count
    db.session.commit()
    before = _segments()
    posts = db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id)).all()
    search.index_posts(db.session.connection(), [(p, thread.title) for p in posts])
    db.session.commit()
    assert _segments() - before == 1
    assert search.search("Antwort").total == 1
    _check_fts()


def _segments() -> int:
    """Segments of the FTS5 index: its pages' ids carry the segment id (FTS5_SEGMENT_ROWID:
    the id shifted by 37 bits); ids up to 10 are the averages and the structure."""
    ids = db.session.scalars(sa.text("SELECT id FROM search_fts_data WHERE id > 10"))
    return len({i >> 37 for i in ids})


def test_the_index_is_merged_into_one_segment_in_steps(app, monkeypatch):
    """SQLite: after a rebuild the FTS5 index is one segment, as 'optimize' made it, merged a
    few pages per transaction (writers wait for a step, not for the whole merge)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("FTS5")
    found = _forum_with_an_empty_index()
    monkeypatch.setattr(search, "REINDEX_BATCH", 3)  # a segment per batch
    monkeypatch.setattr(search, "MERGE_PAGES", 1)
    steps = []
    merge = search.merge_index
    monkeypatch.setattr(search, "merge_index", lambda: steps.append(merge()) or steps[-1])
    search.reindex()
    assert steps[0] >= 1
    assert _segments() == 1
    assert search.merge_index() == 0  # nothing left to merge
    assert _results() == found
    _check_fts()


def _gin_index_exists() -> bool:
    return db.session.scalar(sa.text("SELECT to_regclass(:name) IS NOT NULL"),
                             {"name": POSTGRES_GIN_INDEX})


def _uses_the_gin_index() -> bool:
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(sa.text(
        "EXPLAIN SELECT post_id FROM search_documents "
        "WHERE tsv @@ to_tsquery('simple', 'schichtplan')")))
    return POSTGRES_GIN_INDEX in plan


def test_postgresql_fills_an_empty_index_first_and_makes_its_gin_index_last(app, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's GIN index")
    found = _forum_with_an_empty_index()
    during = []
    monkeypatch.setattr(search, "REINDEX_BATCH", 10)
    search.reindex(progress=lambda _done: during.append(_gin_index_exists()))
    assert during and not any(during)  # filled without it
    assert _gin_index_exists() and _uses_the_gin_index()
    assert _results() == found
    # a full index is rebuilt with its GIN index in place: search goes on at its speed
    during.clear()
    search.reindex(progress=lambda _done: during.append(_gin_index_exists()))
    assert during and all(during)


def test_postgresql_makes_the_gin_index_even_when_the_rebuild_stops(app, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's GIN index")
    _forum_with_an_empty_index()
    monkeypatch.setattr(search, "REINDEX_BATCH", 10)

    def stop(_done):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        search.reindex(progress=stop)
    assert _gin_index_exists()
    # the next rebuild finds the index partly filled and finishes it
    assert search.reindex() == db.session.scalar(sa.select(sa.func.count()).select_from(Post))
    assert _gin_index_exists()
