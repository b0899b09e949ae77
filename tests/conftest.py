"""Fixtures: an app on a fresh database (SQLite, or PostgreSQL when FORUM_TEST_DATABASE_URL
points at a server), a client, a CLI runner and a real SMTP sink."""

import os
import socket
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient

from forum import create_app
from forum.extensions import db

PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def fresh_database(tmp_path_factory, prefix: str):
    """A database of its own (SQLite file, or PostgreSQL database), dropped afterwards."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp(prefix) / 'forum.db'}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database of this test run's own, dropped at the end."""
    with fresh_database(tmp_path_factory, "forum_test") as url:
        yield url


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": None,
        "SERVER_NAME": None,
        "BASE_URL": "http://localhost",
        # Most tests are about other things: posts publish directly, forms need no wait.
        "PREMODERATION_THRESHOLD": 0,
        "MIN_FILL_SECONDS": 0,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _schema(database_url):
    app = make_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield


def clear_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app_config():
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url, _schema, app_config):
    app = make_app(database_url, **app_config)
    with app.app_context():
        yield app
        db.session.rollback()
        clear_tables()
        db.session.remove()
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, so nothing (g, the current user, the locale,
    the database session) leaks between requests as it would not in production. The test's
    own session is expired afterwards so it reads what the request wrote."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Received(list):
    """Mail that reached the SMTP sink. Reading it first lets the outbox worker send what is
    due, as the worker process does in production (tests/test_outbox.py tests the worker
    itself through SinkHandler directly)."""

    def _deliver(self):
        from flask import has_app_context

        from forum import mails

        if has_app_context():
            mails.run_once()

    def __len__(self):
        self._deliver()
        return super().__len__()

    def __getitem__(self, index):
        self._deliver()
        return super().__getitem__(index)

    def __iter__(self):
        self._deliver()
        return super().__iter__()

    def __eq__(self, other):
        self._deliver()
        return list.__eq__(self, other)

    __hash__ = None


class SinkHandler:
    def __init__(self):
        self.messages = Received()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@contextmanager
def running_sink():
    """A real SMTP server on 127.0.0.1 that keeps every message it receives."""
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler.messages
    finally:
        controller.stop()


@pytest.fixture
def smtp_sink():
    with running_sink() as sink:
        yield sink


def login(client, user, password="correct-horse-battery"):
    return client.post("/konto/anmelden", data={"email": user.email, "password": password})
