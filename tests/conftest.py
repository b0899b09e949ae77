"""Fixtures: one app per test session on a database of the run's own (SQLite, or PostgreSQL
when FORUM_TEST_DATABASE_URL points at a server), each test in a transaction that is rolled
back, a client (and one logged in per role), a CLI runner and a real SMTP sink.

How a test's database work is undone
------------------------------------
The schema is made once. Each test opens one connection and begins an outer transaction;
every session of the test (its own, and the one of each request IsolatedClient makes) is
bound to that connection and joins with a SAVEPOINT, so the services' own commits release
savepoints and the outer transaction, rolled back after the test, takes everything with it.
Savepoints stack: before each request the test's session commits (see _settle_test_session),
so no rollback of it can undo a request's work. A test that opens app contexts of its own
(a second "request" with stale objects) shares the connection too: its sessions' savepoints
nest inside whatever the outer session holds, which is fine as long as the outer session
does not roll back while an inner one has committed.

Tests whose commits must be seen by other connections (threads, other processes) say so with
`@pytest.mark.committing`: they commit for real and the tables are emptied afterwards.

Modules whose data is built once and only read (tests/test_permissions.py's `world`) build it
on `module_app`: one outer transaction for the module, a savepoint for each test.

Configuration
-------------
`app_config` (override it in a module or class) is applied to the session's app for the
test and the whole config is restored afterwards; Flask-Mail and Flask-Limiter, which read
their settings when they are initialised, are initialised again. Settings that `create_app`
consumes for good (see CREATE_TIME_SETTINGS) get an app of their own, made once and cached.
"""

import copy
import os
import socket
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask, has_app_context
from flask.testing import FlaskClient

from forum import create_app
from forum.extensions import db, limiter, mail
from forum.models import SiteRole

PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")

# Settings create_app reads once and acts on for good: the engine, Babel's configuration, the
# proxy wrapper, HSTS (on for an https BASE_URL) and Flask-Limiter, which installs its request
# hooks only when enabled. A test overriding one of these gets an app of its own (made once per
# distinct value, then reused).
CREATE_TIME_SETTINGS = ("SQLALCHEMY_", "BABEL_", "RATELIMIT_", "PROXY_COUNT", "BASE_URL")


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
        # the floor that hides which addresses have accounts (tests/views/test_account_timing.py
        # sets it): elsewhere it would only make every registration 0.25 s slower
        "ACCOUNT_ANSWER_SECONDS": 0,
        # every test's rows are rolled back, so generations repeat across tests: the page
        # cache is on only where a test says so (tests/views/test_page_cache.py)
        "PAGE_CACHE": False,
    }
    config.update(overrides)
    return create_app(config)


def clear_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _create_time(config: dict) -> dict:
    return {key: value for key, value in config.items() if key.startswith(CREATE_TIME_SETTINGS)}


class _Apps:
    """The session's apps: one for the defaults, one more per distinct create-time setting.
    Each keeps a copy of its configuration as create_app left it, to restore after a test."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self._apps: dict[str, Flask] = {}
        self._pristine: dict[Flask, dict] = {}

    def get(self, overrides: dict) -> Flask:
        key = repr(sorted(_create_time(overrides).items()))
        if key not in self._apps:
            app = make_app(self.database_url, **_create_time(overrides))
            self._apps[key] = app
            self._pristine[app] = copy.deepcopy(dict(app.config))
        return self._apps[key]

    def built(self) -> list[Flask]:
        return list(self._apps.values())

    @property
    def default(self) -> Flask:
        return self.get({})

    def restore(self, app: Flask) -> None:
        app.config.clear()
        app.config.update(copy.deepcopy(self._pristine[app]))


@pytest.fixture(scope="session")
def _apps(database_url):
    apps = _Apps(database_url)
    with apps.default.app_context():
        db.drop_all()
        db.create_all()
    # Every session joins the test's connection with a savepoint (see _rolled_back); with an
    # engine of their own (committing tests, other apps) sessions never join anything.
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    yield apps
    for app in apps.built():
        with app.app_context():
            db.engine.dispose()


def _init_extensions(app: Flask) -> None:
    """Flask-Mail and Flask-Limiter copy their settings when initialised: initialise them
    again after the config changed. The limiter is one object for all apps, so this also
    gives the test fresh rate-limit counts, as a new app did."""
    mail.init_app(app)
    limiter.init_app(app)
    # every test's rows are rolled back, so site generations and ids repeat across tests: a
    # fragment kept by one test would be another's (in production generations only grow)
    app.extensions["fragment_cache"].clear()


@contextmanager
def configured(app: Flask, **settings):
    """The app with these settings until the block ends, then the previous ones again."""
    missing = object()
    previous = {key: app.config.get(key, missing) for key in settings}
    app.config.update(settings)
    _init_extensions(app)
    try:
        yield app
    finally:
        for key, value in previous.items():
            if value is missing:
                app.config.pop(key, None)
            else:
                app.config[key] = value
        _init_extensions(app)


@contextmanager
def sending_mail_to(app: Flask, port: int):
    """The app sends its mail through real SMTP to 127.0.0.1:port until the block ends."""
    with configured(app, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SUPPRESS_SEND=False):
        yield


@contextmanager
def _rolled_back(app: Flask):
    """Run the block inside one outer transaction on one connection, rolled back at the end.
    Needs the app's context; every session made meanwhile (any app context of this app) is
    bound to the connection, because Flask-SQLAlchemy's get_bind answers db.engines[None]."""
    engines = db.engines  # the app's own dict of engines, which get_bind reads
    engine = engines[None]
    conn = engine.connect()
    dbapi = conn.connection.driver_connection if engine.dialect.name == "sqlite" else None
    if dbapi is not None:
        # SQLAlchemy's recipe for pysqlite: its own transaction handling (BEGIN only before
        # DML, none for SAVEPOINT) breaks savepoints, so switch it off and BEGIN ourselves.
        dbapi.isolation_level = None
    outer = conn.begin()
    if dbapi is not None:
        conn.exec_driver_sql("BEGIN")
    engines[None] = conn
    try:
        yield conn
    finally:
        db.session.remove()
        engines[None] = engine
        outer.rollback()
        if dbapi is not None:
            dbapi.isolation_level = ""  # pysqlite's default, for the next user of the pool
        conn.close()


@pytest.fixture(scope="module")
def module_app(_apps):
    """The default app inside one transaction for the whole module, for data a module builds
    once in a module-scoped fixture and its tests only read. Each test of the module still
    runs in a savepoint of its own (see `app`), rolled back after it."""
    app = _apps.default
    with app.app_context(), _rolled_back(app) as conn:
        app.extensions["tests.module_connection"] = conn
        try:
            yield app
        finally:
            del app.extensions["tests.module_connection"]


@pytest.fixture(autouse=True)
def _module_tests_run_in_savepoints(request):
    """Tests of a module on `module_app` run through `app` even when they do not ask for
    it, so that each is rolled back to the module's data."""
    if "module_app" in request.fixturenames:
        request.getfixturevalue("app")


@pytest.fixture
def app_config():
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(request, _apps, app_config):
    """The session's app (or the one for this test's create-time settings) with the test's
    configuration, its context pushed, the test's database work rolled back afterwards."""
    if "module_app" in request.fixturenames:
        app = request.getfixturevalue("module_app")
        conn = app.extensions["tests.module_connection"]
        assert not _create_time(app_config), "module_app runs on the default configuration"
    else:
        app = _apps.get(app_config)
    app.config.update(app_config)
    _init_extensions(app)
    try:
        if "module_app" in request.fixturenames:
            db.session.rollback()  # no savepoint of the session may straddle the test's
            savepoint = conn.begin_nested()
            try:
                yield app
            finally:
                db.session.rollback()
                savepoint.rollback()
                db.session.expire_all()  # the module's objects reload what the test undid
        elif request.node.get_closest_marker("committing"):
            with app.app_context():
                try:
                    yield app
                finally:
                    db.session.rollback()
                    clear_tables()
                    db.session.remove()
        else:
            with app.app_context(), _rolled_back(app):
                yield app
    finally:
        _apps.restore(app)
        app.test_client_class = None
        _init_extensions(app)


def _settle_test_session() -> None:
    """On the test's one connection the sessions' transactions are savepoints, stacked in
    the order they began. A savepoint the test's session holds across a request would, rolled
    back later (by the test or by a service), take the request's committed work with it, which
    a real database never does. So before a request the test's session commits what it has
    (or, after a failed flush, rolls back, as it would have to anyway)."""
    if not has_app_context() or not isinstance(db.engines.get(None), sa.engine.Connection):
        return  # committing tests: each session has a connection of its own
    session = db.session()
    if session.in_transaction():
        if session.get_transaction().is_active:
            session.commit()
        else:
            session.rollback()


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, so nothing (g, the current user, the locale,
    the database session) leaks between requests as it would not in production. The test's
    own session is expired afterwards so it reads what the request wrote."""

    def open(self, *args, **kwargs):
        _settle_test_session()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def empty_fragment_cache(app):
    """The fragment cache empty before and after the test: rows are rolled back between
    tests, so generations repeat and a kept fragment could be another test's."""
    from forum.fragment_cache import store

    store(app).clear()
    yield
    store(app).clear()


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


def login(client, user, password="correct-horse-battery"):
    return client.post("/konto/anmelden", data={"email": user.email, "password": password})


def _client_as(app: Flask, user) -> IsolatedClient:
    """A client of its own (its own cookies), logged in as `user`, who is `client.user`."""
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    assert login(client, user).status_code == 302, user
    client.user = user
    return client


@pytest.fixture
def admin_client(app):
    from tests.factories import make_user

    return _client_as(app, make_user(role=SiteRole.ADMIN, display_name="Ada Admin"))


@pytest.fixture
def moderator_client(app):
    from tests.factories import make_user

    return _client_as(app, make_user(role=SiteRole.MODERATOR, display_name="Mo Moderation"))


@pytest.fixture
def expert_client(app):
    from tests.factories import make_expert

    return _client_as(app, make_expert(display_name="Dr. Erika Fachperson"))


@pytest.fixture
def user_client(app):
    from tests.factories import make_user

    return _client_as(app, make_user(display_name="Uta Nutzerin"))


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


@pytest.fixture(scope="session")
def _smtp_server():
    with running_sink() as sink:
        yield sink


@pytest.fixture
def smtp_sink(app, _smtp_server):
    """(controller, messages): the session's SMTP server, emptied, with the app sending its
    mail to it for this test. A module whose every test sends mail says
    `pytestmark = pytest.mark.usefixtures("smtp_sink")`."""
    controller, messages = _smtp_server
    list.clear(messages)
    with sending_mail_to(app, controller.port):
        yield _smtp_server
