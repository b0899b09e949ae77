"""`flask db upgrade` on an empty database gives exactly the models (`flask db check`), and
every revision is frozen history that imports nothing from `forum`."""

import ast
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import check, downgrade, upgrade

from tests.conftest import PG_URL, make_app

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def _empty_database_url(tmp_path):
    if not PG_URL:
        return f"sqlite:///{tmp_path / 'migrations.db'}", None
    name = f"forum_mig_{uuid.uuid4().hex[:10]}"
    server = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False), (
        server, name)


def test_upgrade_from_empty_matches_models_and_downgrades(tmp_path):
    url, cleanup = _empty_database_url(tmp_path)
    app = make_app(url)
    try:
        with app.app_context():
            upgrade()
            check()  # raises when the models and the migrated schema differ
            downgrade(revision="base")
            upgrade()
            from forum.extensions import db

            db.engine.dispose()
    finally:
        if cleanup:
            server, name = cleanup
            with server.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            server.dispose()


def test_former_expert_role_becomes_a_verification_and_back(tmp_path):
    """Upgrading keeps every expert's badge: the old site role becomes a verification for
    every topic field; downgrading gives the role back."""
    url, cleanup = _empty_database_url(tmp_path)
    app = make_app(url)
    try:
        with app.app_context():
            from forum.extensions import db

            upgrade(revision="ffc6ce13383b")
            with db.engine.begin() as conn:
                conn.execute(sa.text(
                    "INSERT INTO topic_fields (slug, name, description, position) "
                    "VALUES ('a', 'A', '', 0), ('b', 'B', '', 1)"))
                conn.execute(sa.text(
                    "INSERT INTO users (email, display_name, password_hash, site_role, "
                    "organisation, expertise, created_at, is_demo, approved_post_count) VALUES "
                    "('x@example.org', 'X', 'h', 'expert', '', '', CURRENT_TIMESTAMP, "
                    "false, 0)"))
            upgrade()
            with db.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT site_role FROM users")) == "user"
                assert conn.scalar(sa.text(
                    "SELECT count(*) FROM verification_topic_fields")) == 2
                assert conn.scalar(sa.text(
                    "SELECT valid_until > valid_from FROM expert_verifications"))
            downgrade(revision="ffc6ce13383b")
            with db.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT site_role FROM users")) == "expert"
            db.engine.dispose()
    finally:
        if cleanup:
            server, name = cleanup
            with server.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            server.dispose()


def _is_forum(name) -> bool:
    return isinstance(name, str) and (name == "forum" or name.startswith("forum."))


def forum_imports(source: str) -> list[str]:
    """Every import of `forum` in a module's source, wherever it stands (module level, in a
    function, through importlib.import_module or __import__), as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if _is_forum(a.name)]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and _is_forum(node.module):
                found.append(f"{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if name in ("import_module", "__import__") and isinstance(first, ast.Constant) and (
                    _is_forum(first.value)):
                found.append(f"{node.lineno}: {name}({first.value!r})")
    return found


def _revision_files() -> list[Path]:
    return [Path(script.path) for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()]


def test_revisions_import_nothing_from_forum():
    """A landed revision must behave the same forever, so it carries what it needs itself
    (table definitions, DDL, the stemming of old rows) instead of importing live code."""
    files = _revision_files()
    assert len(files) >= 9
    offenders = {path.name: forum_imports(path.read_text()) for path in files}
    assert {name: found for name, found in offenders.items() if found} == {}
    template = (MIGRATIONS / "script.py.mako").read_text()
    assert "import forum" not in template and "from forum" not in template


@pytest.mark.parametrize("source, expected", [
    ("import forum.models.base\n", ["1: import forum.models.base"]),
    ("import os, forum\n", ["1: import forum"]),
    ("from forum.models.search import SQLITE_DDL\n", ["1: from forum.models.search import ..."]),
    ("def upgrade():\n    from forum.services.search import stems\n",
     ["2: from forum.services.search import ..."]),
    ("import importlib\n\ndef upgrade():\n    importlib.import_module('forum.models')\n",
     ["4: import_module('forum.models')"]),
    ("from importlib import import_module\nm = import_module('forum')\n",
     ["2: import_module('forum')"]),
    ("def f():\n    class A:\n        def g(self):\n            __import__('forum.x')\n",
     ["4: __import__('forum.x')"]),
])
def test_forum_import_checker_given_bad_source_finds_the_import(source, expected):
    assert forum_imports(source) == expected


def test_forum_import_checker_given_clean_source_finds_nothing():
    source = ('"""Moved from forum.models (a docstring is no import)."""\n'
              "import forumish\nfrom alembic import op\nfrom . import forum_helpers\n"
              "import importlib\nimportlib.import_module('sqlalchemy')\n")
    assert forum_imports(source) == []
