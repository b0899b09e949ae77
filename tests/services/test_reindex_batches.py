"""`flask forum reindex` commits batch by batch: other writers get the SQLite write lock
between two batches instead of "database is locked" for the whole rebuild."""

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from forum.extensions import db
from forum.services import search
from tests.conftest import make_app
from tests.factories import make_expert, make_thread, make_topic


def test_writers_get_the_lock_between_batches(tmp_path, monkeypatch):
    path = Path(tmp_path / "forum.db")
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        topic, expert = make_topic(), make_expert()
        for i in range(12):
            make_thread(topic.board, expert, title=f"Frage zur Schichtplanung {i}",
                        body=f"Text {i}")
        db.session.execute(sa.text("DELETE FROM search_documents"))
        db.session.commit()
        monkeypatch.setattr(search, "REINDEX_BATCH", 5)
        written = []

        def write_between_batches(_done):
            other = sqlite3.connect(path, timeout=0.05)  # another process, short patience
            try:
                other.execute("UPDATE users SET organisation = 'x' WHERE id = ?", (expert.id,))
                other.commit()
                written.append(True)
            except sqlite3.OperationalError as error:  # "database is locked"
                written.append(str(error))
            finally:
                other.close()

        assert search.reindex(progress=write_between_batches) == 12
        assert written == [True, True, True]
        assert search.search("Schichtplanung").total == 12
        db.engine.dispose()

