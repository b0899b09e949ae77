"""A cache of public pages for anonymous visitors that is never stale.

Only GET requests to the public pages (start page, projects, topic fields, questions, search,
feeds, experts, practice examples, footer pages) from a visitor without an account, without
a remember-me cookie and with no session but perhaps the chosen language (no flashed
message, no form token) are served from it. A page is kept only when it is a 200 that sets
no cookie and carries no CSRF token. The key is host, path with query, language, the day
and the site generation (services/generation.py): every change that can alter a page
bumps the generation in its own transaction, and the generation is read from the database
once per request, before anything else, so every process and node shows a change on the
next request. Figures that change with time alone ("seit 3 Tagen ohne Antwort") end their
page's life when they would change; PAGE_CACHE_SECONDS bounds the life of every page.

Each process keeps its own pages (an LRU of PAGE_CACHE_ENTRIES); a new generation empties
it. `X-Page-Cache: hit` or `miss` says what happened (tests, make bench)."""

import threading
import time
from collections import OrderedDict
from datetime import datetime

from flask import Flask, Response, current_app, g, request, request_finished, session
from flask_babel import get_locale

from .models import utcnow
from .services import generation

CACHED_ENDPOINTS = frozenset({
    "pages.index", "pages.offers", "pages.site_page", "projects.index", "projects.detail",
    "projects.update_detail", "practice.index", "practice.detail", "topics.index",
    "topics.detail", "threads.detail", "threads.similar", "search.index", "experts.index",
    "experts.profile", "accessibility.sign_language", "feeds.questions", "feeds.project",
    "feeds.topic", "feeds.thread", "feeds.updates", "feeds.project_updates", "feeds.practice",
})
CACHED_TYPES = frozenset({"text/html", "application/atom+xml"})
# what an anonymous visitor's session may hold and still see the page everybody sees: the
# chosen language (in the key), and Flask-Login's mark that no log-in is fresh
ANONYMOUS_SESSION_KEYS = frozenset({"locale", "_fresh"})
MAX_PAGE_BYTES = 512 * 1024


class PageStore:
    """Pages of one process: key -> (expires, status, headers, body), oldest out first."""

    def __init__(self, entries: int):
        self.entries = entries
        self.generation: int | None = None
        self._pages: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, generation: int):
        with self._lock:
            if self.generation is None or generation > self.generation:
                self._pages.clear()  # a change: every page kept is old now
                self.generation = generation
                return None
            if generation < self.generation:  # a request that began before the change:
                return None  # answered without the store, which stays the newer site's
            page = self._pages.get(key)
            if page is None:
                return None
            if page[0] <= time.time():
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key, generation: int, page) -> None:
        with self._lock:
            if generation != self.generation:
                return
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.entries:
                self._pages.popitem(last=False)

    def expiry_times(self) -> list[float]:
        with self._lock:
            return [page[0] for page in self._pages.values()]

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.generation = None


def store(app: Flask) -> PageStore:
    return app.extensions["page_cache"]


def valid_until(moment: datetime) -> None:
    """A figure on the page changes at `moment` (e.g. a day count): keep the page no longer."""
    if "page_cache_key" in g:
        g.page_cache_until = min(g.get("page_cache_until", float("inf")), moment.timestamp())


def _anonymous() -> bool:
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
        return set(session.keys()) <= ANONYMOUS_SESSION_KEYS
    return True


def _serve_cached():
    app = current_app
    if not app.config["PAGE_CACHE"] or request.method != "GET":
        return None
    if request.endpoint not in CACHED_ENDPOINTS or not _anonymous():
        return None
    current = generation.current()  # first: the page is at least as new as this
    key = (request.host, request.full_path, str(get_locale() or "de"),
           utcnow().date().isoformat())
    page = store(app).get(key, current)
    if page is not None:
        _expires, status, headers, body = page
        response = Response(body, status=status, headers=headers)
        response.headers["X-Page-Cache"] = "hit"
        return response
    g.page_cache_key, g.page_cache_generation = key, current
    return None


def _keep(sender: Flask, response: Response, **_extra) -> None:
    """After the session is saved: keep the page if it is everybody's page."""
    key = g.get("page_cache_key")
    if key is None or response.status_code != 200 or response.direct_passthrough:
        return
    if response.mimetype not in CACHED_TYPES or "Set-Cookie" in response.headers:
        return
    if "no-store" in (response.headers.get("Cache-Control") or ""):
        return
    body = response.get_data()
    if len(body) > MAX_PAGE_BYTES or b'name="csrf_token"' in body:
        return
    expires = min(time.time() + sender.config["PAGE_CACHE_SECONDS"],
                  g.get("page_cache_until", float("inf")))
    headers = [(k, v) for k, v in response.headers.items() if k != "X-Page-Cache"]
    store(sender).put(key, g.page_cache_generation, (expires, 200, headers, body))


def register(app: Flask) -> None:
    app.extensions["page_cache"] = PageStore(app.config["PAGE_CACHE_ENTRIES"])
    app.before_request(_serve_cached)

    @app.after_request
    def _mark(response):
        if "page_cache_key" in g:
            response.headers["X-Page-Cache"] = "miss"
        return response

    request_finished.connect(_keep, app)
