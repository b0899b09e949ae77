"""Migration 4b7e2c9d1a53 analyses every search document anew: right after the upgrade a part
of a compound finds the post written before it, on SQLite and PostgreSQL; the downgrade
puts title and body stems back into one field."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.conftest import fresh_database, make_app
from tests.test_migration_data import fill

BEFORE = "cf064dff5b68"
REVISION = "4b7e2c9d1a53"


def test_upgrade_analyses_existing_documents_and_downgrade_merges_them(tmp_path_factory):
    with fresh_database(tmp_path_factory, "forum_migsearch") as url:
        app = make_app(url)
        with app.app_context():
            from forum.extensions import db
            from forum.services import search

            try:
                upgrade(revision=BEFORE)
                with db.engine.begin() as conn:
                    fill(conn)
                    post_id, thread_id = conn.execute(sa.text(
                        "SELECT id, thread_id FROM posts WHERE kind = 'question' "
                        "ORDER BY id LIMIT 1")).one()
                    conn.execute(sa.text("UPDATE threads SET title = 'Dienstplan' WHERE id = :t"),
                                 {"t": thread_id})
                    conn.execute(sa.text(
                        "UPDATE posts SET body_source = 'Wie reagieren Pflegekräfte?', "
                        "state = 'published' WHERE id = :p"), {"p": post_id})
                    conn.execute(sa.text(
                        "UPDATE threads SET state = 'open' WHERE id = :t"), {"t": thread_id})
                    conn.execute(sa.text("DELETE FROM search_documents WHERE post_id = :p"),
                                 {"p": post_id})
                    conn.execute(sa.text(
                        "INSERT INTO search_documents (post_id, thread_id, text, stems) "
                        "VALUES (:p, :t, 'dienstplan wie reagieren pflegekräfte', "
                        "'dienstplan wie reagi pflegekraft')"), {"p": post_id, "t": thread_id})
                upgrade(revision=REVISION)
                row = db.session.execute(sa.text(
                    "SELECT title_stems, stems, parts FROM search_documents WHERE post_id = :p"),
                    {"p": post_id}).one()
                assert row.title_stems == "dienstplan"
                assert "pfleg" in row.parts.split() and "plan" in row.parts.split()
                assert post_id in {h.post.id for h in search.search("Pflege").hits}
                db.session.remove()
                downgrade(revision=BEFORE)
                stems = db.session.execute(sa.text(
                    "SELECT stems FROM search_documents WHERE post_id = :p"),
                    {"p": post_id}).scalar_one()
                assert stems == "dienstplan wie reagi pflegekraft"
                db.session.remove()
            finally:
                db.engine.dispose()
