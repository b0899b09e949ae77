"""`flask forum backup` makes a consistent copy of a SQLite database while it is written to,
and a restored copy holds every row."""

import sqlite3
import threading

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.models import Post, Thread
from forum.services import threads
from tests.conftest import PG_URL, make_app
from tests.factories import make_topic, make_user

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's online backup; PostgreSQL: pg_dump")


def test_backup_during_writes_is_consistent_and_restores_every_row(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'forum.db'}")
    with app.app_context():
        db.create_all()
        topic, asker = make_topic(), make_user()
        for i in range(30):
            threads.create_thread(asker, topic.board, f"Frage Nummer {i} vor der Sicherung",
                                  f"Text {i}")
        board_id, asker_id = topic.board.id, asker.id
        stop = threading.Event()

        def writer():  # keeps asking while the backup runs (bounded)
            with app.app_context():
                for i in range(200):
                    if stop.is_set():
                        break
                    user = db.session.get(type(asker), asker_id)
                    board = db.session.get(type(topic.board), board_id)
                    threads.create_thread(user, board, f"Frage während der Sicherung {i}",
                                          f"Text {i}")
                db.session.remove()

        background = threading.Thread(target=writer)
        background.start()
        result = app.test_cli_runner().invoke(args=["forum", "backup",
                                                    str(tmp_path / "copy.db")])
        stop.set()
        background.join(timeout=60)
        assert result.exit_code == 0, result.output
        assert "Sicherung geschrieben" in result.output
        db.engine.dispose()

    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
    copy.close()

    restored = make_app(f"sqlite:///{tmp_path / 'copy.db'}")
    with restored.app_context():
        titles = set(db.session.scalars(sa.select(Thread.title)))
        assert {f"Frage Nummer {i} vor der Sicherung" for i in range(30)} <= titles
        # no half-written question: every thread came with its first post
        orphans = db.session.scalar(sa.select(sa.func.count()).select_from(Thread).where(
            ~sa.select(Post.id).where(Post.thread_id == Thread.id).exists()))
        assert orphans == 0
        db.engine.dispose()


def test_backup_refuses_to_overwrite_and_explains_postgresql(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'forum.db'}")
    with app.app_context():
        db.create_all()
        (tmp_path / "exists.db").write_bytes(b"")
        result = app.test_cli_runner().invoke(args=["forum", "backup",
                                                    str(tmp_path / "exists.db")])
        assert result.exit_code == 1 and "gibt es schon" in result.output
        default = app.test_cli_runner().invoke(args=["forum", "backup"])
        assert default.exit_code == 0 and "backups/forum-" in default.output
        db.engine.dispose()
