"""Fachdialog: the expert dialogue forum. create_app() wires config, extensions and views."""

import logging
from pathlib import Path

from flask import Flask, g, has_request_context, request, session
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from . import connection_check, read_only_requests
from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate

ROOT = Path(__file__).resolve().parent.parent


class RowIdConverter(IntegerConverter):
    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object("config.Config")
    if overrides:
        app.config.update(overrides)
        if "SECRET_KEY" in overrides:  # given, as FORUM_SECRET_KEY would be: not per node
            app.config["SECRET_KEY_PER_NODE"] = overrides.get("SECRET_KEY_PER_NODE", False)
    check_nodes(app.config)
    # <int:...> in every route stops at the largest id a table holds (PostgreSQL's integer),
    # so /fragen/99999999999999999999 is a 404 and never reaches a database as an overflow
    app.url_map.converters["int"] = RowIdConverter
    app.logger.setLevel(logging.INFO)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        # Flask's documented way to wrap the WSGI app; mypy sees a method being replaced
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count)

    _init_database(app)
    _init_search_index()
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    _init_login(app)

    from . import access_log, cli, errors, fragment_cache, jinja, page_cache, security
    from .views import (
        accessibility,
        account,
        admin,
        api,
        auth,
        experts,
        feeds,
        guests,
        health,
        moderation,
        moderation_accounts,
        moderation_updates,
        notifications,
        open_data,
        pages,
        practice,
        privacy,
        projects,
        reports,
        search,
        statistics,
        threads,
        topics,
        transparency,
    )

    for module in (pages, auth, account, notifications, projects, practice, topics, threads,
                   reports, search, feeds, moderation, moderation_accounts, moderation_updates,
                   transparency, admin, statistics, guests, experts, privacy, accessibility,
                   open_data, health, api):
        app.register_blueprint(module.bp)
    app.register_blueprint(accessibility.admin_bp)
    # the upload reads its own, larger limit before parsing; its form checks the CSRF token
    csrf.exempt("forum.views.accessibility.sign_video")
    # errors under /api/ are problem details (RFC 9457), 404s of unknown addresses too
    errors.register(app, json_errors=("/api/", api.problem_for))
    jinja.register(app)
    security.register(app)
    page_cache.register(app)
    app.before_request(_account_first)  # before the fragment cache reads the generation
    fragment_cache.register(app)  # after the page cache: it reuses its generation
    cli.register(app)
    access_log.register(app)
    return app


class ConfigurationError(RuntimeError):
    """The configuration cannot work as it is; the message says what to set."""


def check_nodes(config) -> None:
    """With FORUM_NODES above 1, refuse what only works on one machine: a secret key made on
    this node (sessions, links and rate-limit keys signed on one node fail on the others),
    rate limits counted per process, and SQLite."""
    if int(config.get("NODES", 1)) <= 1:
        return
    problems = []
    if config.get("SECRET_KEY_PER_NODE"):
        problems.append(
            "FORUM_SECRET_KEY ist nicht gesetzt: Der Schlüssel in instance/secret_key wurde auf "
            "diesem Rechner erzeugt, die anderen Knoten hätten einen anderen (Sitzungen und "
            "Links gälten nur auf einem Knoten). Setzen Sie auf allen Knoten denselben "
            "FORUM_SECRET_KEY, z. B. aus `python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'`.")
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        problems.append(
            "FORUM_RATELIMIT_STORAGE_URI zählt im Speicher jedes Prozesses: Setzen Sie einen "
            "gemeinsamen Redis, z. B. redis://redis.intern:6379/0.")
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        problems.append(
            "FORUM_DATABASE_URL zeigt auf SQLite, eine Datei dieses Rechners: Setzen Sie eine "
            "gemeinsame PostgreSQL-Datenbank.")
    if problems:
        raise ConfigurationError(
            f"FORUM_NODES={config['NODES']}: Fachdialog startet so nicht auf mehreren Knoten "
            "(docs/deploy.md).\n- " + "\n- ".join(problems))


def _init_database(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        Path(app.instance_path).mkdir(exist_ok=True)
    if uri.startswith("postgresql"):
        # the connection used last is used next: under light traffic it has rarely been
        # idle long enough to need trying first (connection_check)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_use_lifo": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    db.init_app(app)
    with app.app_context():
        connection_check.install(db.engine, app.config["DATABASE_PING_AFTER_IDLE"])
        read_only_requests.install(db.engine)
    if uri.startswith("sqlite"):
        from sqlalchemy import event

        with app.app_context():
            @event.listens_for(db.engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA busy_timeout=5000")
                if ":memory:" not in uri:
                    cursor.execute("PRAGMA journal_mode=WAL")
                    cursor.execute("PRAGMA synchronous=NORMAL")
                    # read through a memory map of the file (shared by the workers, as the
                    # operating system's page cache is) instead of a read call for each page
                    # SQLite's own 2 MiB cache misses: a statement that looks up a thousand
                    # rows of a large table takes half the time
                    cursor.execute(f"PRAGMA mmap_size={app.config['SQLITE_MMAP_SIZE']}")
                cursor.close()


_search_hooks_registered = False


def _init_search_index() -> None:
    from .services import generation, search

    global _search_hooks_registered
    if not _search_hooks_registered:  # session events are process-wide
        search.register_index_hooks()
        generation.register_hooks()  # the page cache's generation grows with every change
        _search_hooks_registered = True


def _init_login(app: Flask) -> None:
    """Flask-Login's user id (in the session and the remember-me cookie) is the token of a
    log-in session (services/sessions.py), made anew at every log-in, whoever calls
    login_user; a session that was ended or expired loads nobody."""
    from flask_login import user_logged_in

    from .models import Anonymous
    from .services import sessions

    login_manager.init_app(app)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(token: str):
        loaded = sessions.load(token)
        if loaded is None:
            return None
        # the log-in's statement read the site generation and the header's unread count too:
        # kept for this request (fragment_cache, jinja), each saves a statement of its own.
        # A generation read earlier in the request stays: it is the older one.
        g.setdefault("fragment_generation", loaded.generation)
        g.unread_notifications = loaded.unread
        return loaded.user

    # once per process (blinker keeps one connection per receiver anyway)
    user_logged_in.connect(_start_login_session)


def _account_first() -> None:
    """A logged-in person's account is the request's first read: its statement brings the
    site generation along (load_user above), before any of the page's data."""
    if request.endpoint != "static":  # a visitor without an account: no statement
        current_user._get_current_object()  # noqa: SLF001


def _start_login_session(_app, user, **_extra) -> None:
    """login_user stored the account's id; replace it by a new log-in session's token."""
    from .services import sessions

    session["_user_id"] = sessions.start(user)


def select_locale() -> str | None:
    """The account's setting, then the footer switch (session), then the browser.

    None outside a request: Flask-Babel then uses BABEL_DEFAULT_LOCALE."""
    languages = ("de", "en")
    if not has_request_context():  # command line: the configured default
        return None
    if request.path.startswith("/api/v1/") and request.path != "/api/v1/referenz":
        # the JSON API speaks the client's Accept-Language; it never reads the session
        return request.accept_languages.best_match(languages) or "de"
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or "de"
