"""Configuration: one class with safe defaults; secrets and URLs come from FORUM_* variables."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env(name: str, default=None):
    return os.environ.get(f"FORUM_{name}", default)


def _secret_key() -> str:
    """Use FORUM_SECRET_KEY, else a random key kept in instance/ so sessions survive restarts."""
    key = _env("SECRET_KEY")
    if key:
        return key
    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    SITE_NAME = "Fachdialog"
    SECRET_KEY = _secret_key()
    # No FORUM_SECRET_KEY: the key was made on this machine (instance/secret_key), so another
    # node would sign with a different one. create_app refuses that when NODES > 1.
    SECRET_KEY_PER_NODE = not _env("SECRET_KEY")
    # How many machines (or containers) serve this forum from one database (docs/deploy.md):
    # above 1, create_app refuses a per-node secret key, per-process rate limits and SQLite.
    NODES = int(_env("NODES", "1"))
    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")

    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'forum.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # A pooled connection idle for longer than this many seconds is tried before use and
    # replaced if it broke meanwhile (forum/connection_check.py); 0 tries it every time.
    DATABASE_PING_AFTER_IDLE = float(_env("DATABASE_PING_AFTER_IDLE", "10"))

    # Mail: with no FORUM_MAIL_SERVER set, mails are written to the console log instead.
    MAIL_SERVER = _env("MAIL_SERVER")
    MAIL_PORT = int(_env("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = _env("MAIL_SENDER", "Fachdialog <noreply@fachdialog.example>")

    BABEL_DEFAULT_LOCALE = _env("DEFAULT_LOCALE", "de")
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = BASE_URL.startswith("https://")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # Every POST is validated by its FlaskForm, so an expired token re-shows the form with
    # what the person typed instead of an error page (tests/views/test_csrf.py).
    WTF_CSRF_CHECK_DEFAULT = False

    # Number of reverse proxies in front of the app whose X-Forwarded-For may be trusted.
    PROXY_COUNT = int(_env("PROXY_COUNT", "0"))
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    # Keys in a Redis shared with other applications start with this (limits' own default)
    RATELIMIT_STORAGE_OPTIONS = {"key_prefix": _env("RATELIMIT_KEY_PREFIX", "LIMITS")}
    # /healthz reports "degraded" when the oldest unsent mail waits longer than this (seconds)
    HEALTH_OUTBOX_MAX_AGE = int(_env("HEALTH_OUTBOX_MAX_AGE", "900"))
    # The largest request the forum reads (a post is at most 20,000 characters); larger ones
    # get a 413 page that says so, before anything is parsed.
    MAX_CONTENT_LENGTH = int(_env("MAX_REQUEST_BYTES", str(512 * 1024)))
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    # the video in Deutscher Gebärdensprache (admins upload it) and where it is kept
    SIGN_VIDEO_MAX_BYTES = int(_env("SIGN_VIDEO_MAX_BYTES", str(300 * 1024 * 1024)))
    MEDIA_DIR = _env("MEDIA_DIR", str(INSTANCE_DIR / "media"))
    # open data (/offene-daten): where `flask forum open-data-export` writes the files, and
    # the licence they are published under (its name and, if there is one, its address)
    OPEN_DATA_DIR = _env("OPEN_DATA_DIR", str(INSTANCE_DIR / "open-data"))
    OPEN_DATA_LICENCE = _env("OPEN_DATA_LICENCE",
                             "Datenlizenz Deutschland – Namensnennung – Version 2.0")
    OPEN_DATA_LICENCE_URL = _env("OPEN_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0")
    RATELIMIT_HEADERS_ENABLED = True
    # Log-in: only failed attempts count, per hashed client key and per account (the address
    # typed, known or not); registration: only accepted forms count, per client and address.
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per 15 minutes")
    LOGIN_ACCOUNT_RATE_LIMIT = _env("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes")
    REGISTER_RATE_LIMIT = _env("REGISTER_RATE_LIMIT", "20 per hour")
    REGISTER_ADDRESS_RATE_LIMIT = _env("REGISTER_ADDRESS_RATE_LIMIT", "3 per hour")

    EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 3600  # a reset link works one hour, once
    # Registering, asking for a reset or a confirmation link answer no sooner than this, so
    # the time does not tell whether an address has an account, a guest identity or nothing
    # (on top of one password hash in every case)
    ACCOUNT_ANSWER_SECONDS = float(_env("ACCOUNT_ANSWER_SECONDS", "0.25"))
    EMAIL_CHANGE_MAX_AGE = 24 * 3600  # the link that confirms a new address
    # A log-in session (and its remember-me cookie) unused this long ends (sessions.purge)
    LOGIN_SESSION_DAYS = int(_env("LOGIN_SESSION_DAYS", "30"))
    REMEMBER_COOKIE_DURATION = LOGIN_SESSION_DAYS * 24 * 3600
    # Guests: unconfirmed questions are deleted after this many days (flask forum
    # purge-guests); a guest's personal link works this long after it was sent.
    GUEST_UNCONFIRMED_DAYS = 7
    GUEST_LINK_DAYS = int(_env("GUEST_LINK_DAYS", "180"))

    # Pre-moderation and spam defences (no CAPTCHA).
    PREMODERATION_THRESHOLD = int(_env("PREMODERATION_THRESHOLD", "1"))  # approved posts
    NEW_USER_MAX_LINKS = 2
    DUPLICATE_WINDOW_SECONDS = 300
    MIN_FILL_SECONDS = int(_env("MIN_FILL_SECONDS", "3"))
    RATE_LIMITS = {  # per account and per hashed client key
        "post": {"account": "20 per hour", "client": "40 per hour"},
        "report": {"account": "10 per hour", "client": "10 per hour"},
        # guests: per hashed client and per e-mail address asked with
        "guest": {"client": "5 per hour", "address": "5 per day"},
        "guest_link": {"client": "5 per hour", "address": "3 per hour"},
        # Markdown previews cost CPU and save nothing; drafts kept across a log-in
        "preview": {"account": "120 per hour", "client": "60 per hour"},
        "draft": {"client": "10 per hour"},
        # the JSON API: every request with a token (per token owner and client), and making
        # tokens under the account settings; what a token writes counts under "post" too
        "api": {"account": "1000 per hour", "client": "2000 per hour"},
        "token": {"account": "10 per hour", "client": "20 per hour"},
        # starting or stopping to watch, "Ich habe die gleiche Frage": each renews every
        # page kept for the site's generation, so nobody may do it without end
        "mark": {"account": "60 per hour", "client": "120 per hour"},
    }
    PAGE_SIZE = 20
    # Anonymous visitors' public pages from a per-process cache that is never stale
    # (forum/page_cache.py): keyed by the site generation every change bumps; a page lives
    # at most PAGE_CACHE_SECONDS; each process keeps up to PAGE_CACHE_ENTRIES pages.
    PAGE_CACHE = _env("PAGE_CACHE", "1") == "1"
    PAGE_CACHE_SECONDS = int(_env("PAGE_CACHE_SECONDS", "60"))
    PAGE_CACHE_ENTRIES = int(_env("PAGE_CACHE_ENTRIES", "500"))
    # SQLite only: how much of the database file is read through a memory map (PRAGMA
    # mmap_size; the default is SQLite's own upper limit, 2 GiB); 0 reads it with read calls
    SQLITE_MMAP_SIZE = int(_env("SQLITE_MMAP_SIZE", str(0x7FFF0000)))
    # The parts of pages that are the same for everybody (a post's header and text), for
    # logged-in people too (forum/fragment_cache.py); each process keeps this many.
    FRAGMENT_CACHE = _env("FRAGMENT_CACHE", "1") == "1"
    FRAGMENT_CACHE_ENTRIES = int(_env("FRAGMENT_CACHE_ENTRIES", "5000"))

    # Retention (flask forum purge, daily; README "Aufbewahrung"): periods in days
    RETENTION_OUTBOX_SENT_DAYS = int(_env("RETENTION_OUTBOX_SENT_DAYS", "30"))
    RETENTION_OUTBOX_FAILED_DAYS = int(_env("RETENTION_OUTBOX_FAILED_DAYS", "90"))
    RETENTION_UNCONFIRMED_DAYS = int(_env("RETENTION_UNCONFIRMED_DAYS", "7"))
    # reporters' names and addresses, after the decision (and any appeal) settled them
    RETENTION_REPORTER_DAYS = int(_env("RETENTION_REPORTER_DAYS", "183"))
    RETENTION_WITHDRAWN_DAYS = int(_env("RETENTION_WITHDRAWN_DAYS", "0"))
    RETENTION_DRAFT_HOURS = int(_env("RETENTION_DRAFT_HOURS", "12"))
