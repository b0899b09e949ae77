"""The search index: one document per post, kept up to date in the post's transaction.

SQLite searches an FTS5 table of German stems (search_fts, external content over this
table); PostgreSQL a stored, weighted tsvector column of the same stems with a GIN index. Both
are made by the DDL below and by the migration, and skipped by `flask db check` (see
migrations/env.py)."""

import sqlalchemy as sa
from sqlalchemy import DDL, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base


class SearchDocument(Base):
    __tablename__ = "search_documents"

    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"),
                                         primary_key=True, autoincrement=False)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"),
                                           index=True)
    text: Mapped[str] = mapped_column(sa.Text)  # normalised words, for suggestions
    # German stems (forum/services/search_analysis.py), weighed title > body > parts
    title_stems: Mapped[str] = mapped_column(sa.Text, server_default="")
    stems: Mapped[str] = mapped_column(sa.Text)
    parts: Mapped[str] = mapped_column(sa.Text, server_default="")  # compounds' parts


FTS_COLUMNS = ("title_stems", "stems", "parts")
_NEW = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
_COLUMNS = ", ".join(FTS_COLUMNS)
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE search_fts USING fts5({_COLUMNS}, content='search_documents', "
    "content_rowid='post_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    f"INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.post_id, {_NEW}); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS}) VALUES ('delete', old.post_id, "
    f"{_OLD}); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS}) VALUES ('delete', old.post_id, "
    f"{_OLD}); INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.post_id, {_NEW}); END",
)
# The stems are made in Python for both databases, so PostgreSQL only weighs them ('simple'
# configuration: no second stemming); A, B and C are ts_rank's weights 1.0, 0.4 and 0.2.
POSTGRES_DDL = (
    # stored, so ranking many hits reads the vector instead of computing it again per row
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_stems), 'A') || "
    "setweight(to_tsvector('simple', stems), 'B') || "
    "setweight(to_tsvector('simple', parts), 'C')) STORED",
)
# apart, so that a rebuild of an empty index (services/search.py, reindex) can make it last
POSTGRES_GIN_INDEX = "ix_search_documents_tsv"
POSTGRES_GIN_DDL = f"CREATE INDEX {POSTGRES_GIN_INDEX} ON search_documents USING gin (tsv)"

for statement in SQLITE_DDL:
    event.listen(SearchDocument.__table__, "after_create",
                 DDL(statement).execute_if(dialect="sqlite"))
for statement in (*POSTGRES_DDL, POSTGRES_GIN_DDL):
    event.listen(SearchDocument.__table__, "after_create",
                 DDL(statement).execute_if(dialect="postgresql"))
event.listen(SearchDocument.__table__, "before_drop",
             DDL("DROP TABLE IF EXISTS search_fts").execute_if(dialect="sqlite"))
