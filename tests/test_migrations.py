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
