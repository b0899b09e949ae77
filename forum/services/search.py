"""German full-text search over published titles and posts.

Words are analysed the same way when indexing and searching (search_analysis.py: umlaut
spellings, Snowball stems, compound parts). Hidden and pending posts are filtered out at
query time, so nothing that is not public is ever found."""

from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import aggregate_order_by
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


def write_documents(connection, documents: list[dict]) -> None:
    """Replace the index rows of these documents' posts (one DELETE, one executemany)."""
    if not documents:
        return
    table = DOCUMENTS
    connection.execute(table.delete().where(
        table.c.post_id.in_([d["post_id"] for d in documents])))
    connection.execute(table.insert(), documents)


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


def reindex(progress=None) -> int:
    """Rebuild the whole index in batches of REINDEX_BATCH posts, each in a short transaction
    of its own, so replies written meanwhile wait milliseconds for the write lock (SQLite),
    not the whole rebuild, and search keeps answering (a document goes with its post by
    foreign key). `progress` gets the number of posts done after each batch.

    Only the columns the analysis needs are read (no ORM objects), the analysis memoises
    each word, and a document that would come out as it is stored is left alone, so the
    time goes into the documents that change."""
    total = 0
    last_id = 0
    fields = ("thread_id", "text", "title_stems", "stems", "parts")
    stored = DOCUMENTS.alias("stored")
    columns = (sa.select(Post.id, Post.thread_id, Post.kind, Post.body_source, Thread.title,
                         *(stored.c[f].label(f"stored_{f}") for f in fields))
               .join(Thread, Thread.id == Post.thread_id)
               .outerjoin(stored, stored.c.post_id == Post.id))
    while True:
        rows = db.session.execute(columns.where(Post.id > last_id).order_by(Post.id)
                                  .limit(REINDEX_BATCH)).all()
        if not rows:
            break
        changed = []
        for row in rows:
            new = document(row.id, row.thread_id, row.kind == PostKind.QUESTION, row.title,
                           row.body_source)
            if any(new[f] != getattr(row, f"stored_{f}") for f in fields):
                changed.append(new)
        write_documents(db.session.connection(), changed)
        db.session.commit()
        last_id = rows[-1].id
        total += len(rows)
        if progress is not None:
            progress(len(rows))
    if db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
    db.session.commit()
    return total


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
        conditions += [Thread.answer_count == 0, Thread.state == ThreadState.OPEN]
    elif state == "beantwortet":
        conditions.append(Thread.answer_count > 0)
    elif state == "fachleute":
        conditions.append(answered_by_expert())
    return conditions


def _matches(terms: list[QueryTerm], joiner_sql: str, joiner_pg: str):
    """(select of post_id, whole and score; the post id column) for these query terms. `whole`
    is 1 where the words themselves match, 0 where only a compound's parts do, so a text
    with "Pflegekräfte" ranks above one with "Pflege" and "Kräfte"; `score`: higher is
    better (title over body over parts)."""
    wholes = [QueryTerm(t.stem, ()) for t in terms]
    has_parts = any(t.parts for t in terms)
    if db.engine.dialect.name == "postgresql":
        tsquery = sa.func.to_tsquery("simple", tsquery_expression(terms, joiner_pg))
        # generated, see models/search.py
        tsvector: sa.ColumnClause[Any] = sa.literal_column("search_documents.tsv")
        doc = DOCUMENTS
        whole: sa.ColumnElement[Any] = sa.literal(1)
        if has_parts:
            whole = sa.case((tsvector.op("@@")(sa.func.to_tsquery(
                "simple", tsquery_expression(wholes, joiner_pg))), 1), else_=0)
        return (sa.select(doc.c.post_id.label("post_id"), whole.label("whole"),
                          sa.func.ts_rank(tsvector, tsquery).label("score"))
                .where(tsvector.op("@@")(tsquery)), doc.c.post_id)
    fts = sa.table("search_fts", sa.column("rowid"))
    # FTS5's bm25 is smaller (more negative) for better matches
    score = -sa.func.bm25(sa.literal_column("search_fts"), *FTS_WEIGHTS)
    if has_parts:
        # FTS5 takes no alias in MATCH: the inner search_fts is the subquery's own
        exact: sa.Select[Any] = (sa.select(sa.literal_column("rowid"))
                 .select_from(sa.text("search_fts"))
                 .where(sa.text("search_fts MATCH :whole").bindparams(
                     whole=fts5_expression(wholes, joiner_sql))))
        whole = sa.case((fts.c.rowid.in_(exact), 1), else_=0)
    else:
        whole = sa.literal(1)
    return (sa.select(fts.c.rowid.label("post_id"), whole.label("whole"), score.label("score"))
            .where(sa.text("search_fts MATCH :expression").bindparams(
                expression=fts5_expression(terms, joiner_sql))), fts.c.rowid)


# How much more a post's score counts when an expert wrote it or it is the helpful answer
EXPERT_BOOST = 0.5
HELPFUL_BOOST = 1.0


def search(query: str, *, project_id=None, topic_id=None, state=None, page: int = 1,
           per_page: int = 20) -> Results:
    """One hit per question, best first: a thread ranks by its best-matching post (the
    words themselves before compound parts, then the score, raised for an expert's answer
    and the helpful answer; the title counts most). Two queries, whatever the data."""
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
    matched = (matches.add_columns(Post.thread_id.label("thread_id"),
                                 Post.kind.label("kind"), weight.label("weight"))
             .join(Post, Post.id == post_id).join(Thread, Thread.id == Post.thread_id)
             .join(Board, Board.id == Thread.board_id).where(*filters))
    # materialised: computed once per query, and SQLite allows bm25() only there
    found = matched.cte("found").prefix_with("MATERIALIZED")
    rank = found.c.whole * 1_000_000 + found.c.score * found.c.weight
    if db.engine.dialect.name == "postgresql":
        best_post: sa.ColumnElement[Any] = sa.func.array_agg(
            aggregate_order_by(found.c.post_id, rank.desc(), found.c.post_id))[1]
    else:  # SQLite: a bare column beside the one max() comes from the row with the maximum
        best_post = found.c.post_id
    grouped = (sa.select(found.c.thread_id, sa.func.max(rank).label("rank"),
                         best_post.label("best_post"),
                         sa.func.count().filter(found.c.kind == PostKind.ANSWER)
                         .label("answers"))
               .group_by(found.c.thread_id).subquery())
    # one pass over the matches gives the page, each thread's best post and (as a window
    # over all groups) the total
    rows = db.session.execute(
        sa.select(grouped.c.thread_id, grouped.c.best_post, grouped.c.answers,
                  sa.func.count().over().label("total"))
        .order_by(grouped.c.rank.desc(), grouped.c.thread_id.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:  # past the last page: how many there are, for the caller's 404
        total = db.session.execute(sa.select(sa.func.count()).select_from(grouped)).scalar_one()
    best = {row.thread_id: row.best_post for row in rows}
    posts = {p.id: p for p in db.session.scalars(
        sa.select(Post).where(Post.id.in_(list(best.values())))
        .options(joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.project),
                 joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.topic_field),
                 joinedload(Post.author)))}
    hits = [Hit(posts[best[row.thread_id]], posts[best[row.thread_id]].thread, row.answers)
            for row in rows if best.get(row.thread_id) in posts]
    return Results(hits, total, page, per_page, term_stems(terms))


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
    matches, _post_id = _matches(terms, " OR ", " | ")
    found = matches.subquery()
    ranked = (sa.select(Thread).join(Post, Post.thread_id == Thread.id)
              .join(found, found.c.post_id == Post.id).where(*public)
              .order_by(found.c.score.desc(), Thread.id.desc()))
    return list(db.session.scalars(ranked.limit(limit)))
