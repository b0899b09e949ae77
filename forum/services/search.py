"""German full-text search over published titles and posts.

Words are analysed the same way when indexing and searching (search_analysis.py: umlaut
spellings, Snowball stems, compound parts). Hidden and pending posts are filtered out at
query time, so nothing that is not public is ever found."""

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload

from ..extensions import db
from ..models import (
    PUBLIC_THREAD_STATES,
    Board,
    Post,
    PostKind,
    PostState,
    SearchDocument,
    Thread,
    ThreadState,
    User,
    project_topic_fields,
)
from ..models.search import POSTGRES_GIN_DDL, POSTGRES_GIN_INDEX
from ..permissions import expert_users
from . import paging
from .browse import answered_by_expert
from .search_analysis import (
    QueryTerm,
    analyse,
    fts5_expression,
    matcher,
    normalise,
    query_terms,
    stems,
    term_stems,
    tsquery_expression,
    words,
)

__all__ = ["matcher", "normalise", "stems", "words"]

# the mapped table, typed as the Table it is (declarative types __table__ as any FromClause)
DOCUMENTS = cast(sa.Table, SearchDocument.__table__)

STATES = ("unbeantwortet", "beantwortet", "fachleute")
# FTS5 bm25 weights of the columns title_stems, stems, parts (models/search.py)
FTS_WEIGHTS = (4.0, 1.0, 0.4)


def document(post_id: int, thread_id: int, is_question: bool, title: str, body: str) -> dict:
    """The index row of a post: a question carries its thread's title."""
    analysed = analyse(title if is_question else None, body)
    return {"post_id": post_id, "thread_id": thread_id, "text": analysed.text,
            "title_stems": analysed.title_stems, "stems": analysed.stems,
            "parts": analysed.parts}


def document_for(post: Post, title: str) -> dict:
    return document(post.id, post.thread_id, post.kind == PostKind.QUESTION, title,
                    post.body_source)


def index_posts(connection, posts: list[tuple[Post, str]]) -> None:
    """Write (or rewrite) the documents of these posts."""
    write_documents(connection, [document_for(post, title) for post, title in posts])


# Rows per INSERT statement on SQLite: one statement for many rows. This is what keeps a
# rebuild fast: FTS5 writes its pending terms to disk at the savepoint of every statement
# that fires the search_documents triggers, so an executemany of 2,000 rows wrote 2,000
# one-row index segments, to be merged ever more costly as the index grows (85 posts/s at
# a million posts). 1,000 rows of 6 columns stay below the limit of parameters.
INSERT_ROWS = 1_000


def _insert(dialect: str):
    """INSERT of documents that leaves a post's stored document alone (on SQLite OR IGNORE,
    which fires no trigger for the row it skips; PostgreSQL's is _insert_arrays)."""
    if dialect == "sqlite":
        return sqlite_insert(DOCUMENTS).on_conflict_do_nothing(index_elements=["post_id"])
    return DOCUMENTS.insert()


DOCUMENT_COLUMNS = {"post_id": "integer", "thread_id": "integer", "text": "text",
                    "title_stems": "text", "stems": "text", "parts": "text"}


@cache
def _insert_arrays() -> sa.TextClause:
    """PostgreSQL: the documents' rows from one array per column (unnest), leaving a post's
    stored document alone."""
    columns = ", ".join(DOCUMENT_COLUMNS)
    arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in DOCUMENT_COLUMNS.items())
    return sa.text(f"INSERT INTO search_documents ({columns}) SELECT * FROM unnest({arrays}) "
                   "ON CONFLICT (post_id) DO NOTHING")


def write_documents(connection, documents: list[dict],
                    stored: Collection[int] | None = None) -> None:
    """Replace the index rows of these documents' posts: one DELETE of the stored ones
    (`stored`: the post ids that have a document; default: all of them), then the documents.
    A post whose document was written meanwhile by someone else (a reply during `reindex`,
    found missing when the batch was read) keeps it."""
    if not documents:
        return
    table = DOCUMENTS
    ids = [d["post_id"] for d in documents] if stored is None else list(stored)
    if ids:
        connection.execute(table.delete().where(table.c.post_id.in_(ids)))
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # one statement, a parameter per column (an array of all rows' values): a multi-row
        # INSERT cost more to build than PostgreSQL took to write it, and one statement per
        # row (executemany) cost PostgreSQL more than the rows themselves
        connection.execute(_insert_arrays(), {column: [d[column] for d in documents]
                                              for column in DOCUMENT_COLUMNS})
        return
    insert = _insert(dialect)
    for start in range(0, len(documents), INSERT_ROWS):
        connection.execute(insert.values(documents[start:start + INSERT_ROWS]))


def register_index_hooks() -> None:
    """Keep the index current: any flush that adds or edits a post, moves it to another
    thread, or retitles a thread rewrites the affected documents in the same transaction."""

    @event.listens_for(Session, "before_flush")
    def _collect(session, _context, _instances):
        pending = session.info.setdefault("search_reindex", set())
        for obj in list(session.new) + list(session.dirty):
            if isinstance(obj, Post):
                pending.add(obj)
            elif isinstance(obj, Thread) and session.is_modified(obj):
                pending.update(p for p in obj.posts if p.kind == PostKind.QUESTION)

    @event.listens_for(Session, "after_flush_postexec")
    def _write(session, _context):
        pending = session.info.pop("search_reindex", set())
        posts = [(p, p.thread.title if p.thread is not None else "") for p in pending
                 if p.id is not None and p.thread_id is not None and p not in session.deleted]
        if posts:
            index_posts(session.connection(), posts)


REINDEX_BATCH = 2_000
# PostgreSQL, per batch: GIN collects new entries in a pending list and sorts them into the
# index when the list is full; a larger list (and the memory to sort it) means fewer, larger
# merges (the first 200,000 posts of an empty index: 75 s instead of 106 s)
POSTGRES_BATCH_SETTINGS = ("SET LOCAL gin_pending_list_limit = '32MB'",
                           "SET LOCAL work_mem = '64MB'")


def reindex(progress=None) -> int:
    """Rebuild the whole index in batches of REINDEX_BATCH posts, each in a short transaction
    of its own, so replies written meanwhile wait milliseconds for the write lock (SQLite),
    not the whole rebuild, and search keeps answering (a document goes with its post by
    foreign key). `progress` gets the number of posts done after each batch.

    Only the columns the analysis needs are read (no ORM objects), the analysis memoises
    each word, and a document that would come out as it is stored is left alone, so the
    time goes into the documents that change; only those that had a document are deleted
    first (from an empty index, nothing is). The documents go in as multi-row INSERTs
    (INSERT_ROWS) on SQLite, as one INSERT of arrays on PostgreSQL. On SQLite the FTS5 index
    is merged into one segment afterwards in short steps (merge_index); on PostgreSQL each
    batch gets a larger GIN pending list, and an empty index gets its GIN index at the end."""
    fields = ("thread_id", "text", "title_stems", "stems", "parts")
    stored = DOCUMENTS.alias("stored")
    columns = (sa.select(Post.id, Post.thread_id, Post.kind, Post.body_source, Thread.title,
                         *(stored.c[f].label(f"stored_{f}") for f in fields))
               .join(Thread, Thread.id == Post.thread_id)
               # the range again on the stored side: PostgreSQL's merge join otherwise reads
               # every document before the batch, on each batch (0.4 s a batch at 500,000)
               .outerjoin(stored, sa.and_(stored.c.post_id == Post.id,
                                          stored.c.post_id > sa.bindparam("after")))
               .where(Post.id > sa.bindparam("after")).order_by(Post.id)
               .limit(REINDEX_BATCH))
    postgresql = db.engine.dialect.name == "postgresql"
    if postgresql and not db.session.scalar(sa.select(sa.exists().select_from(DOCUMENTS))):
        # an empty index (a new or migrated forum) is filled without its GIN index, which
        # is made once at the end (12 s at a million posts): kept up batch by batch, it
        # cost the rebuild 28 s more
        db.session.execute(sa.text(f"DROP INDEX IF EXISTS {POSTGRES_GIN_INDEX}"))
        db.session.commit()
    try:
        total = _rebuild(columns, fields, postgresql, progress)
    finally:
        if postgresql:
            _make_gin_index()
    if db.engine.dialect.name == "sqlite":
        merge_index()
    db.session.commit()
    return total


def _make_gin_index() -> None:
    """PostgreSQL: make the GIN index where a rebuild (this one, or one that was stopped)
    left it out. Writers of documents wait for it (seconds at a million posts); search
    goes on meanwhile."""
    db.session.rollback()  # after an error: a transaction of its own
    if db.session.scalar(sa.text("SELECT to_regclass(:name) IS NULL"),
                         {"name": POSTGRES_GIN_INDEX}):
        db.session.execute(sa.text("SET LOCAL maintenance_work_mem = '128MB'"))
        db.session.execute(sa.text(POSTGRES_GIN_DDL))
        db.session.commit()


def _rebuild(columns, fields: tuple[str, ...], postgresql: bool, progress) -> int:
    total = 0
    last_id = 0
    while True:
        if postgresql:  # for this batch's transaction only
            for setting in POSTGRES_BATCH_SETTINGS:
                db.session.execute(sa.text(setting))
        rows = db.session.execute(columns, {"after": last_id}).all()
        if not rows:
            break
        changed, stored_ids = [], []
        for row in rows:
            new = document(row.id, row.thread_id, row.kind == PostKind.QUESTION, row.title,
                           row.body_source)
            if any(new[f] != getattr(row, f"stored_{f}") for f in fields):
                changed.append(new)
                if row.stored_text is not None:  # only these have a document to delete
                    stored_ids.append(row.id)
        write_documents(db.session.connection(), changed, stored_ids)
        db.session.commit()
        last_id = rows[-1].id
        total += len(rows)
        if progress is not None:
            progress(len(rows))
    return total


# FTS5 index pages merged per transaction by merge_index()
MERGE_PAGES = 2_000
MERGE_STEPS = 100_000  # a bound, never reached: an index of 800 GB


def merge_index() -> int:
    """SQLite: merge the FTS5 index into one segment, as 'optimize' does, but a few thousand
    pages per transaction ('merge' with a negative count: every level at once), so writers
    wait for a step, not for the whole merge (about half a minute at a million posts).
    Done when a step changes nothing (FTS5's documented test: total_changes() grows by less
    than 2). Returns the number of steps that merged something."""
    steps = 0
    while steps < MERGE_STEPS:
        before = db.session.scalar(sa.text("SELECT total_changes()"))
        db.session.execute(sa.text(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('merge', :pages)"),
            {"pages": -MERGE_PAGES})
        worked = db.session.scalar(sa.text("SELECT total_changes()")) - before >= 2
        db.session.commit()
        if not worked:
            break
        steps += 1
    return steps


@dataclass
class Hit:
    """One question: its best-matching post (the snippet's source) and how many of its
    answers match too."""
    post: Post
    thread: Thread
    matching_answers: int = 0
    snippet: str = ""  # highlighted HTML made by forum.markup.highlight_excerpt


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    terms: list[str]
    # True when more posts matched than were ranked (CANDIDATES): `total` counts the
    # questions among the ranked ones, and there are more
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filters(project_id, topic_id, state):
    conditions = [Post.state == PostState.PUBLISHED, Thread.state.in_(PUBLIC_THREAD_STATES)]
    if project_id:
        conditions.append(Board.project_id == project_id)
    if topic_id:
        tagged = sa.select(project_topic_fields.c.project_id).where(
            project_topic_fields.c.topic_field_id == topic_id)
        conditions.append(sa.or_(Board.topic_field_id == topic_id,
                                 Board.project_id.in_(tagged)))
    if state == "unbeantwortet":
        conditions += [Thread.unanswered(), Thread.state == ThreadState.OPEN]
    elif state == "beantwortet":
        conditions.append(Thread.answer_count > 0)
    elif state == "fachleute":
        conditions.append(answered_by_expert())
    return conditions


def _matches(terms: list[QueryTerm], joiner_sql: str, joiner_pg: str):
    """(select of post_id and score, the post id column) for these query terms; `score`:
    higher is better (title over body over parts). The score is computed only for the rows
    the select returns, so a LIMIT bounds its cost."""
    if db.engine.dialect.name == "postgresql":
        tsquery = sa.func.to_tsquery("simple", tsquery_expression(terms, joiner_pg))
        doc = DOCUMENTS
        return (sa.select(doc.c.post_id.label("post_id"),
                          sa.func.ts_rank(_TSV, tsquery).label("score"))
                .where(_TSV.op("@@")(tsquery)), doc.c.post_id)
    fts = sa.table("search_fts", sa.column("rowid"))
    # FTS5's bm25 is smaller (more negative) for better matches
    score = -sa.func.bm25(sa.literal_column("search_fts"), *FTS_WEIGHTS)
    return (sa.select(fts.c.rowid.label("post_id"), score.label("score"))
            .where(sa.text("search_fts MATCH :expression").bindparams(
                expression=fts5_expression(terms, joiner_sql))), fts.c.rowid)


# generated, see models/search.py
_TSV: sa.ColumnClause[Any] = sa.literal_column("search_documents.tsv")


def _whole(terms: list[QueryTerm], found: sa.CTE) -> sa.Subquery:
    """The found posts with `whole`: 1 where the words themselves match, 0 where only a
    compound's parts do, so a text with "Pflegekräfte" ranks above one with "Pflege" and
    "Kräfte". Asked only of the found posts."""
    if not any(t.parts for t in terms):
        return sa.select(found, sa.literal(1).label("whole")).subquery()
    wholes = [QueryTerm(t.stem, ()) for t in terms]
    exact: sa.ColumnElement[bool]
    if db.engine.dialect.name == "postgresql":
        exact = (sa.select(DOCUMENTS.c.post_id).where(
            DOCUMENTS.c.post_id == found.c.post_id,
            _TSV.op("@@")(sa.func.to_tsquery("simple", tsquery_expression(wholes))))
            .exists())
    else:  # FTS5 takes no alias in MATCH: search_fts is the subquery's own; it is read
        # from the lowest found post on (its index is in post order)
        fts = sa.table("search_fts", sa.column("rowid"))
        lowest = sa.select(sa.func.min(found.c.post_id)).scalar_subquery()
        exact = found.c.post_id.in_(sa.select(fts.c.rowid).where(
            sa.text("search_fts MATCH :whole").bindparams(whole=fts5_expression(wholes)),
            fts.c.rowid >= lowest).correlate(None))
    return sa.select(found, sa.case((exact, 1), else_=0).label("whole")).subquery()


# How much more a post's score counts when an expert wrote it or it is the helpful answer
EXPERT_BOOST = 0.5
HELPFUL_BOOST = 1.0
# The most matching posts ranked for one query: the newest this many. A word in most posts
# would otherwise have every one of them scored and sorted (a second at a million posts);
# a query that matches fewer posts is ranked in full. Past the cap, the count says "more
# than" (Results.capped).
CANDIDATES = 1000


# PostgreSQL: how many of the newest posts the probe in _newest() reads, at most
RECENT_WINDOW = 10_000


def _newest(candidates: sa.Select, post_id) -> sa.Select:
    """The newest CANDIDATES rows of a select of matching posts, newest first.

    FTS5 reads its index newest first and stops at the limit. PostgreSQL's GIN index
    knows no order: the planner either walks the posts newest first testing each (fast for a
    common word, a scan of everything for a rare one it thought common) or collects every
    match and sorts it (fast for a rare word, all of them for a common one). So a probe
    first looks for the CANDIDATES-th newest match among the newest RECENT_WINDOW posts; if
    it is there, the select is bounded by it; if not, the word is rare enough (fewer than
    CANDIDATES in RECENT_WINDOW) for the index to collect all its matches and sort them."""
    newest_first = candidates.order_by(post_id.desc()).limit(CANDIDATES)
    if db.engine.dialect.name != "postgresql":
        return newest_first
    recent = sa.select(sa.func.max(DOCUMENTS.c.post_id) - RECENT_WINDOW).scalar_subquery()
    boundary = db.session.execute(
        candidates.with_only_columns(post_id).where(post_id > recent)
        .order_by(post_id.desc()).offset(CANDIDATES - 1).limit(1)).scalar()
    if boundary is not None:
        return newest_first.where(post_id >= boundary)
    # "+ 0": an order the primary key cannot give, so the planner collects the matches from
    # the GIN index and sorts them
    return candidates.order_by((post_id + 0).desc()).limit(CANDIDATES)


def search(query: str, *, project_id=None, topic_id=None, state=None, page: int = 1,
           per_page: int = 20) -> Results:
    """One hit per question, best first: a thread ranks by its best-matching post (the
    words themselves before compound parts, then the score, raised for an expert's answer
    and the helpful answer; the title counts most). Ranks at most CANDIDATES matching posts,
    the newest. Two queries, whatever the data."""
    paging.check_page(page)
    terms = query_terms(query)
    if not terms:
        return Results([], 0, page, per_page, [])
    # "der", "und": in nearly every post, they only cost time (unless nothing else is asked)
    terms = [t for t in terms if t.stem not in _STOPWORD_STEMS] or terms
    filters = _filters(project_id, topic_id, state)
    matches, post_id = _matches(terms, " AND ", " & ")
    by_expert = Post.author_id.in_(sa.select(User.id).where(expert_users()))
    weight = (1.0 + sa.case((by_expert & (Post.kind == PostKind.ANSWER), EXPERT_BOOST),
                            else_=0.0)
              + sa.case((Thread.accepted_post_id == Post.id, HELPFUL_BOOST), else_=0.0))
    # the newest matching posts, scored: posts are read newest first and the scan stops at
    # the cap (materialised: computed once per query, and SQLite allows bm25() only there)
    candidates = (matches.join(Post, Post.id == post_id)
                  .join(Thread, Thread.id == Post.thread_id)
                  .join(Board, Board.id == Thread.board_id).where(*filters))
    found = (_newest(candidates, post_id)
             .add_columns(Post.thread_id.label("thread_id"), Post.kind.label("kind"),
                          weight.label("weight"))
             .cte("found").prefix_with("MATERIALIZED"))
    ranked = _whole(terms, found)
    rank = ranked.c.whole * 1_000_000 + ranked.c.score * ranked.c.weight
    if db.engine.dialect.name == "postgresql":
        best_post: sa.ColumnElement[Any] = sa.func.array_agg(
            aggregate_order_by(ranked.c.post_id, rank.desc(), ranked.c.post_id))[1]
    else:  # SQLite: a bare column beside the one max() comes from the row with the maximum
        best_post = ranked.c.post_id
    grouped = (sa.select(ranked.c.thread_id, sa.func.max(rank).label("rank"),
                         best_post.label("best_post"),
                         sa.func.count().filter(ranked.c.kind == PostKind.ANSWER)
                         .label("answers"),
                         sa.func.count().label("posts"))
               .group_by(ranked.c.thread_id).subquery())
    # one pass over the candidates gives the page, each thread's best post and (as windows
    # over all groups) the total and whether the cap was reached
    rows = db.session.execute(
        sa.select(grouped.c.thread_id, grouped.c.best_post, grouped.c.answers,
                  sa.func.count().over().label("total"),
                  sa.func.sum(grouped.c.posts).over().label("candidates"))
        .order_by(grouped.c.rank.desc(), grouped.c.thread_id.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        total, capped = rows[0].total, rows[0].candidates >= CANDIDATES
    elif page == 1:
        total, capped = 0, False
    else:  # past the last page: how many there are, for the caller's 404
        total = db.session.execute(sa.select(sa.func.count()).select_from(grouped)).scalar_one()
        capped = False
    best = {row.thread_id: row.best_post for row in rows}
    posts = {p.id: p for p in db.session.scalars(
        sa.select(Post).where(Post.id.in_(list(best.values())))
        .options(joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.project),
                 joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.topic_field),
                 joinedload(Post.author)))}
    hits = [Hit(posts[best[row.thread_id]], posts[best[row.thread_id]].thread, row.answers)
            for row in rows if best.get(row.thread_id) in posts]
    return Results(hits, total, page, per_page, term_stems(terms), capped)


# Words too common to tell questions apart.
_STOPWORDS = frozenset(
    "aber alle als also am an auch auf aus bei bin bis da damit das dass dem den der des die "
    "dies diese dieser du durch ein eine einem einen einer es für gibt hat haben ich ihr im "
    "in ist kann können man mit nach nicht noch nur oder sich sie sind so über um und uns "
    "unser unsere von vor was welche welcher wenn wer werden wie wir wird wo zu zum zur".split())
_STOPWORD_STEMS = frozenset(stems(" ".join(_STOPWORDS)))


def similar(text: str, limit: int = 5) -> list[Thread]:
    """Published questions like this title: any of its distinctive words (or all parts of
    one of its compounds), best first; analysed as the search is."""
    terms = [t for t in query_terms(" ".join(
        w for w in words(text) if len(w) > 2 and w not in _STOPWORDS))]
    if not terms:
        return []
    public = [Post.kind == PostKind.QUESTION, Post.state == PostState.PUBLISHED,
              Thread.state.in_(PUBLIC_THREAD_STATES)]
    matches, post_id = _matches(terms, " OR ", " | ")
    # the newest CANDIDATES matching questions, scored (as in search())
    found = (matches.add_columns(Post.thread_id.label("thread_id"))
             .join(Post, Post.id == post_id).join(Thread, Thread.id == Post.thread_id)
             .where(*public).order_by(post_id.desc()).limit(CANDIDATES)
             .cte("found").prefix_with("MATERIALIZED"))
    ranked = (sa.select(Thread).join(found, found.c.thread_id == Thread.id)
              .order_by(found.c.score.desc(), Thread.id.desc()))
    return list(db.session.scalars(ranked.limit(limit)))
