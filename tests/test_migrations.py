"""`flask db upgrade` on an empty database gives exactly the models (`flask db check`)."""

import uuid

import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from tests.conftest import PG_URL, make_app


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
