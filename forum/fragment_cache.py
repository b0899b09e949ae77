"""Rendered pieces of pages that are the same for everybody, kept per process: for logged-in
people too, whose pages the page cache (page_cache.py) never serves. Today: the posts of a
question page (forum/jinja.py: thread_posts, post_html), the lists of the start page
(views/pages.py) and of a topic field's page, a project's page below its heading
(views/topics.py, projects.py), the search results (views/search.py), a moderator's
queue counts (views/moderation.py), and a logged-in person's links in the header
(jinja.account_navigation, keyed by the name, counts and roles it shows).

A fragment is user-independent by construction: it is rendered from a template of its own
with only the arguments its caller hands in (no `current_user`, no `can()`, no form token:
those are not in its context), and whatever is personal (buttons, forms) is rendered around
it on every request. Its key is everything it is made from: the caller's part (an id and the
values the template shows, e.g. a post's state, edit time, text and author's name) plus the
site generation (services/generation.py, read once per request before the page's data), the
language, the time zone and the script root. So an edit, a moderation decision, a renamed
or deleted author or another language is a new key on the next request, and a key is never
served to anyone with different content. Where a value depends on the person (which posts of
a question they see, with which controls: jinja.thread_posts), the person is in its key.
Each process keeps FRAGMENT_CACHE_ENTRIES fragments, oldest out first."""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from .page_cache import valid_until as page_valid_until
from .services import generation

# pages whose fragments come from here: the generation is read before their data
FRAGMENT_ENDPOINTS = frozenset({"threads.detail", "guests.personal", "pages.index",
                                "topics.detail", "projects.detail"})


class FragmentStore:
    """key -> (rendered value, expiry timestamp), oldest out first; a new generation
    empties it."""

    def __init__(self, entries: int):
        self.entries = entries
        self.generation: int | None = None
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, current: int):
        with self._lock:
            if self.generation is None or current > self.generation:
                self._values.clear()  # every fragment kept is of an older site
                self.generation = current
                self.misses += 1
                return None
            if current < self.generation:  # a request that began before a change: it
                self.misses += 1  # renders without the store, which stays the newer one
                return None
            value = self._values.get(key)
            if value is None:
                self.misses += 1
                return None
            self._values.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, current: int, value) -> None:
        with self._lock:
            if current != self.generation:
                return
            self._values[key] = value
            while len(self._values) > self.entries:
                self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.generation = None
            self.hits = self.misses = 0


def store(app: Flask) -> FragmentStore:
    return app.extensions["fragment_cache"]


def _generation() -> int:
    """The site generation of this request, read once (by the page cache, or before the
    request's data by `_pin` below, or here at the first fragment)."""
    if "page_cache_generation" in g:
        return g.page_cache_generation
    if "fragment_generation" not in g:
        g.fragment_generation = generation.current()
    return g.fragment_generation


def cached(key: tuple, render: Callable[[], Any], keep: Callable[[Any], bool] | None = None):
    """The value `render()` gives for `key`, rendered once per process and generation.
    `key` must hold everything the rendering reads besides language and time zone. A figure
    that changes with time alone ends the value's life when it would change (`valid_until`),
    and that of the anonymous page it goes into. With `keep`, a value it says no to is
    answered but not kept."""
    app = current_app
    if not app.config["FRAGMENT_CACHE"]:
        return render()
    current = _generation()
    # the day too: whether an expert's verification is in force changes at midnight (UTC,
    # as models/expert.today) without any write, and lists filter by it
    full_key = (key, str(get_locale() or "de"), str(get_timezone()), request.script_root,
                _today())
    fragments = store(app)
    entry = fragments.get(full_key, current)
    if entry is not None and entry[1] > time.time():
        if entry[1] != math.inf:
            _lasts_until(entry[1])
        return entry[0]
    outer = g.pop("fragment_until", None)
    # no fragment outlives an anonymous page (PAGE_CACHE_SECONDS): a change that bumped no
    # generation shows within that time, as on the pages around it
    g.fragment_until = time.time() + app.config["PAGE_CACHE_SECONDS"]
    try:
        value = render()
    finally:
        until = g.pop("fragment_until")
        if outer is not None:  # a fragment in a fragment: the outer one lives no longer
            g.fragment_until = min(outer, until)
    if keep is None or keep(value):
        fragments.put(full_key, current, (value, until))
    return value


def _today():
    """The UTC date, as models/expert.today() counts a verification's days."""
    return datetime.now(UTC).date()


def valid_until(moment: datetime) -> None:
    """A figure in the fragment being rendered changes at `moment` (e.g. a day count)."""
    if "fragment_until" in g:
        g.fragment_until = min(g.fragment_until, moment.timestamp())


def _lasts_until(timestamp: float) -> None:
    page_valid_until(datetime.fromtimestamp(timestamp, UTC))
    valid_until(datetime.fromtimestamp(timestamp, UTC))


def rendered(key: tuple, template: str, arguments: Callable[[], dict]) -> Markup:
    """The `fragment` macro of `template`, called with `arguments()` only on a miss (so
    the data is loaded only then). A macro sees its arguments and the template globals
    alone: no current_user, no can(), nothing of the person asking."""
    def render() -> Markup:
        macros: Any = current_app.jinja_env.get_template(template).module
        return Markup(macros.fragment(**arguments()))

    return cached(key, render)


def _pin() -> None:
    """The generation first, then the data: a fragment is never older than its key says."""
    if current_app.config["FRAGMENT_CACHE"] and request.endpoint in FRAGMENT_ENDPOINTS:
        _generation()


def register(app: Flask) -> None:
    app.extensions["fragment_cache"] = FragmentStore(app.config["FRAGMENT_CACHE_ENTRIES"])
    app.before_request(_pin)
