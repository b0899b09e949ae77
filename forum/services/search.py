"""German full-text search over published titles and posts.

Words are normalised the same way when indexing and searching: lower case, and "ae", "oe",
"ue" read as umlauts (so "Uebersicht" finds "Übersicht"); the Snowball German stemmer then
makes "Pflegekräfte" and "Pflegekraft" one stem. Hidden and pending posts are filtered out
at query time, so nothing that is not public is ever found."""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import snowballstemmer
import sqlalchemy as sa
from sqlalchemy import event
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
    project_topic_fields,
)
from . import paging
from .browse import answered_by_expert

# the mapped table, typed as the Table it is (declarative types __table__ as any FromClause)
DOCUMENTS = cast(sa.Table, SearchDocument.__table__)

_WORD = re.compile(r"\w+", re.UNICODE)
_UMLAUT_SPELLING = re.compile(r"(?<!q)(ae|oe|ue)")
_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}
STATES = ("unbeantwortet", "beantwortet", "fachleute")


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


def normalise(text: str) -> str:
    text = text.lower()
    return _UMLAUT_SPELLING.sub(lambda m: _UMLAUTS[m.group(1)], text)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


def document_for(post: Post, title: str) -> dict:
    source = f"{title}\n{post.body_source}" if post.kind == PostKind.QUESTION else (
        post.body_source)
    return {"post_id": post.id, "thread_id": post.thread_id, "text": " ".join(words(source)),
            "stems": " ".join(stems(source))}


def index_posts(connection, posts: list[tuple[Post, str]]) -> None:
    """Write (or rewrite) the documents of these posts."""
    if not posts:
        return
    table = DOCUMENTS
    ids = [post.id for post, _title in posts]
    connection.execute(table.delete().where(table.c.post_id.in_(ids)))
    connection.execute(table.insert(), [document_for(post, title) for post, title in posts])


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


REINDEX_BATCH = 500


def reindex(progress=None) -> int:
    """Rebuild the whole index in batches of REINDEX_BATCH posts, each in a short transaction
    of its own, so replies written meanwhile wait milliseconds for the write lock (SQLite),
    not the whole rebuild, and search keeps answering (a document goes with its post by
    foreign key). `progress` gets the number of posts done after each batch."""
    total = 0
    last_id = 0
    while True:
        batch = list(db.session.scalars(
            sa.select(Post).where(Post.id > last_id).order_by(Post.id).limit(REINDEX_BATCH)
            .options(joinedload(Post.thread))))
        if not batch:
            break
        index_posts(db.session.connection(), [(p, p.thread.title) for p in batch])
        db.session.commit()
        last_id = batch[-1].id
        total += len(batch)
        if progress is not None:
            progress(len(batch))
    if db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
    db.session.commit()
    return total


@dataclass
class Hit:
    post: Post
    thread: Thread
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


def search(query: str, *, project_id=None, topic_id=None, state=None, page: int = 1,
           per_page: int = 20) -> Results:
    paging.check_page(page)
    terms = stems(query)
    if not terms:
        return Results([], 0, page, per_page, [])
    filters = _filters(project_id, topic_id, state)
    if db.engine.dialect.name == "postgresql":
        doc = DOCUMENTS
        tsquery = sa.func.plainto_tsquery("german", " ".join(words(query)))
        # generated, see models/search.py
        tsvector: sa.ColumnClause[Any] = sa.literal_column("search_documents.tsv")
        matches = sa.select(doc.c.post_id.label("post_id"),
                            sa.func.ts_rank(tsvector, tsquery).label("score")).where(
            tsvector.op("@@")(tsquery))
        post_id: sa.ColumnElement[Any] = doc.c.post_id
        best_first = sa.desc
    else:  # FTS5: rank is bm25, smaller is better
        expression = " AND ".join(f'"{term}"' for term in terms)
        fts = sa.table("search_fts", sa.column("rowid"), sa.column("rank"))
        matches = (sa.select(fts.c.rowid.label("post_id"), fts.c.rank.label("score"))
                   .where(sa.text("search_fts MATCH :expression").bindparams(
                       expression=expression)))
        post_id = fts.c.rowid
        best_first = sa.asc
    matches = (matches.join(Post, Post.id == post_id).join(Thread, Thread.id == Post.thread_id)
               .join(Board, Board.id == Thread.board_id).where(*filters))
    found = matches.subquery()
    total = db.session.execute(sa.select(sa.func.count()).select_from(found)).scalar_one()
    ordered = list(db.session.scalars(
        sa.select(found.c.post_id).order_by(best_first(found.c.score), found.c.post_id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    posts = {p.id: p for p in db.session.scalars(
        sa.select(Post).where(Post.id.in_(ordered))
        .options(joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.project),
                 joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.topic_field),
                 joinedload(Post.author)))}
    hits = [Hit(posts[i], posts[i].thread) for i in ordered if i in posts]
    return Results(hits, total, page, per_page, terms)


# Words too common to tell questions apart; only used for suggestions.
_STOPWORDS = frozenset(
    "aber alle als also am an auch auf aus bei bin bis da damit das dass dem den der des die "
    "dies diese dieser du durch ein eine einem einen einer es für gibt hat haben ich ihr im "
    "in ist kann können man mit nach nicht noch nur oder sich sie sind so über um und uns "
    "unser unsere von vor was welche welcher wenn wer werden wie wir wird wo zu zum zur".split())


def similar(text: str, limit: int = 5) -> list[Thread]:
    """Published questions like this title: any of its distinctive words, best first."""
    keywords = [w for w in words(text) if len(w) > 2 and w not in _STOPWORDS]
    if not keywords:
        return []
    public = [Post.kind == PostKind.QUESTION, Post.state == PostState.PUBLISHED,
              Thread.state.in_(PUBLIC_THREAD_STATES)]
    if db.engine.dialect.name == "postgresql":
        doc = DOCUMENTS
        tsquery = sa.func.websearch_to_tsquery("german", " or ".join(keywords))
        tsvector: sa.ColumnClause[Any] = sa.literal_column("search_documents.tsv")
        ranked = (sa.select(Thread).join(Post, Post.thread_id == Thread.id)
                  .join(doc, doc.c.post_id == Post.id)
                  .where(tsvector.op("@@")(tsquery), *public)
                  .order_by(sa.func.ts_rank(tsvector, tsquery).desc(), Thread.id.desc()))
    else:
        expression = " OR ".join(f'"{stem}"' for stem in _stemmer().stemWords(keywords))
        fts = sa.table("search_fts", sa.column("rowid"), sa.column("rank"))
        ranked = (sa.select(Thread).join(Post, Post.thread_id == Thread.id)
                  .join(fts, fts.c.rowid == Post.id)
                  .where(sa.text("search_fts MATCH :expression").bindparams(
                      expression=expression), *public)
                  .order_by(fts.c.rank, Thread.id.desc()))
    return list(db.session.scalars(ranked.limit(limit)))
