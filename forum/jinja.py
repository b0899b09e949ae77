"""Template globals and filters: the rulebook's can(), German dates, safe next= targets."""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import format_date, format_time, get_locale, get_timezone, gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup, escape

from . import enums, labels, permissions
from .forms import new_once_key
from .fragment_cache import cached as cached_fragment, valid_until as fragment_valid_until
from .mails import external_url
from .page_cache import valid_until
from .permissions.pages import allowed_on_posts
from .permissions.scope import is_restricted
from .services import badges
from .services.badges import Badge
from .site_pages import FOOTER_LINKS
from .template_gettext import install as install_template_gettext


def format_datetime_de(value) -> str:
    """29.11.2018, 14:30 Uhr (Europe/Berlin) in German; 29.11.2018, 14:30 in English."""
    if value is None:
        return ""
    return _formatted_datetime(value, str(get_locale()), _timezone_name())


@lru_cache(maxsize=4096)
def _formatted_datetime(value, locale: str, timezone: str) -> str:
    """One Babel formatting per moment, language and time zone in a process: a page with 50
    posts of one afternoon formats each minute once (a datetime is immutable)."""
    return _("%(date)s, %(time)s Uhr", date=format_date(value, "dd.MM.yyyy"),
             time=format_time(value, "HH:mm"))


def _timezone_name() -> str:
    return str(get_timezone())


def days_since(value) -> int:
    """Whole days since `value`; a cached page with the figure lives until it changes."""
    from .models import utcnow

    if value is None:
        return 0
    days = max(0, (utcnow() - value).days)
    if has_request_context():
        valid_until(value + timedelta(days=days + 1))
        fragment_valid_until(value + timedelta(days=days + 1))
    return days


@pass_context
def page_has_errors(context) -> bool:
    """Whether a form of the page was sent with errors: the title then starts "Fehler:"."""
    return any(isinstance(value, FlaskForm) and value.is_submitted() and value.errors
               for value in context.values())


def iso_time(value) -> str:
    """A `<time datetime>` value: whole seconds (HTML allows at most three fraction digits)."""
    return value.replace(microsecond=0).isoformat() if value is not None else ""


def format_date_de(value) -> str:
    if value is None:
        return ""
    return _formatted_date(value, str(get_locale()), _timezone_name())


@lru_cache(maxsize=4096)
def _formatted_date(value, locale: str, timezone: str) -> str:
    return format_date(value, "dd.MM.yyyy")


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only same-site paths: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return fallback
    cleaned = target.strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not cleaned.startswith("/") or cleaned.startswith("//"):
        return fallback
    if any(ord(ch) < 32 for ch in cleaned):
        return fallback
    return cleaned


def page_author_badge(author, board, answer: bool = False) -> Badge | None:
    """author_badge, worked out once per author, board and kind on a page (a question with
    50 answers by 10 people asks 10 times, not 51)."""
    if author is None:
        return None
    badges = g.setdefault("author_badges", {})
    key = (author.id, board.id if board is not None else None, answer)
    if key not in badges:
        badges[key] = author_badge(author, board, answer)
    return badges[key]


def author_badge(author, board, answer: bool = False) -> Badge | None:
    """The role an author speaks in on a board (services/badges.py), with the link to a
    listed expert's public profile."""
    badge = badges.author_badge(author, board, answer)
    if badge is not None and badge.profile_id is not None:
        return replace(badge, url=url_for("experts.profile", user_id=badge.profile_id))
    return badge


# where a form token goes in a cached fragment: random per process, so no text can imitate it
CSRF_SLOT = secrets.token_hex(16)
# where a form's one-time key (forms.once_field) goes in a cached blank form
ONCE_SLOT = secrets.token_hex(16)


def post_html(post, thread, may: frozenset[str] | None = None) -> Markup:
    """One post with the controls in `may` (the actions the rulebook allows the person
    asking; decided here when not given), from the fragment cache. The key holds every value
    the fragment shows, so an edit, a moderation decision, a renamed or deleted author, or
    other allowed actions are another key; fragment_cache adds generation and language. The
    person's form token is put in on every request, never kept."""
    if may is None:
        may = allowed_on_posts(current_user, [post])[post.id]
    return with_form_token(_post_pieces(post, thread, may))


def with_form_token(pieces: tuple[Markup, ...]) -> Markup:
    """A cached fragment split where the person's form token goes, with this request's."""
    if len(pieces) == 1:
        return pieces[0]
    return Markup(generate_csrf()).join(pieces)


def with_form_tokens(posts: tuple[tuple[Markup, ...], ...]) -> Markup:
    """Several such fragments one after another, joined as the plain strings they are (each
    piece is Markup already, so escaping them again would only cost time). The token is made
    once, and only if one goes anywhere."""
    if all(len(pieces) == 1 for pieces in posts):
        return Markup("".join(pieces[0] for pieces in posts))
    token = str(escape(generate_csrf()))
    return Markup("".join(token.join(pieces) for pieces in posts))


def blank_form(key: tuple, render: Callable[[str, str], str]) -> Markup:
    """A form as it is first shown (nothing typed, no message), rendered by
    `render(token, once_key)` once per key, generation and language with CSRF_SLOT and
    ONCE_SLOT in their places. Each request gets the person's form token and a new one-time
    key, as a form made for it would: building and rendering a WTForms form costs more than
    the rest of a question page."""
    def pieces() -> tuple[Markup, ...]:
        return tuple(Markup(piece) for piece in render(CSRF_SLOT, ONCE_SLOT).split(CSRF_SLOT))

    html = str(with_form_token(cached_fragment(("blank form", request.script_root, *key),
                                               pieces)))
    return Markup(html.replace(ONCE_SLOT, new_once_key()))


def _post_pieces(post, thread, may: frozenset[str]) -> tuple[Markup, ...]:
    author = post.author
    badge = page_author_badge(author, thread.board, answer=post.kind == enums.PostKind.ANSWER)
    accepted = thread.accepted_post_id == post.id
    author_name = author.display_name if author is not None else None
    # the text as a digest: the key stays small, and the store holds each text once
    text = hashlib.blake2b(post.body_html.encode(), digest_size=16).digest()
    key = ("post", post.id, post.kind, post.state, post.created_at, post.edited_at,
           post.merged_from_title, text, author_name, badge, accepted, may)
    return cached_fragment(key, lambda: _render_post(post, badge, accepted, author_name, may))


@dataclass(frozen=True)
class ThreadPosts:
    """A question page's posts as the person asking sees them, rendered: pieces to join with
    the form token (`with_form_token`, `with_form_tokens`). They are the posts' own cached
    fragments (post_html), not copies of them."""

    question: tuple[Markup, ...] | None
    question_state: enums.PostState | None
    accepted: tuple[Markup, ...] | None
    replies: tuple[tuple[Markup, ...], ...]


def thread_posts(user, thread, load: Callable[[], list]) -> ThreadPosts:
    """The posts of `thread` that `user` sees, with the controls the rulebook allows them,
    rendered once per person, generation and day (fragment_cache): a reload loads no post.

    What the rulebook decides here is made from the database (any write to it is a new
    generation), the person, the day (an expert's verification) and whether a suspension
    is still running, the one rule that changes with the clock within a day (scope.
    is_restricted): all of them are in the key. `load()` gives the visible posts."""
    loaded: list = []

    def posts() -> list:
        if not loaded:
            loaded.append(load())
        return loaded[0]

    def layout() -> tuple:
        allowed = allowed_on_posts(user, posts())
        return tuple((post.id, allowed[post.id]) for post in posts())

    person = (user.id, is_restricted(user)) if user.is_authenticated else None
    # small and per person: which posts they see and what they may do with each
    shown = cached_fragment(("thread layout", thread.id, person), layout)
    # large and shared by everyone who sees the same posts with the same controls
    return cached_fragment(("thread posts", thread.id, thread.accepted_post_id, shown),
                           lambda: _render_thread_posts(thread, posts(), dict(shown)))


def _render_thread_posts(thread, posts: list, allowed: dict) -> ThreadPosts:
    question = next((p for p in posts if p.kind == enums.PostKind.QUESTION), None)
    accepted = next((p for p in posts if p.id == thread.accepted_post_id), None)

    def pieces(post):
        return _post_pieces(post, thread, allowed[post.id]) if post is not None else None

    return ThreadPosts(
        question=pieces(question), question_state=question.state if question else None,
        accepted=pieces(accepted),
        replies=tuple(pieces(p) for p in posts
                      if p.kind != enums.PostKind.QUESTION and p is not accepted))


def _render_post(post, badge, accepted: bool, author_name: str | None,
                 may: frozenset[str]) -> tuple[Markup, ...]:
    macros: Any = current_app.jinja_env.get_template("threads/_post_fragment.html").module
    name = author_name if author_name is not None else _("Gelöschtes Konto")
    html = str(macros.post_fragment(post, badge, accepted, name, may, CSRF_SLOT))
    return tuple(Markup(piece) for piece in html.split(CSRF_SLOT))


def site_navigation(part: str) -> Markup:
    """The header's ("header") or the footer's ("footer") links, the same on every page and
    for everybody: rendered once per process, language and script root, not a dozen url_for
    and gettext calls on every request. They are made of routes and translations alone (no
    data, so no generation; an error page renders them without the database)."""
    kept = current_app.extensions.setdefault("site_navigation", {})
    key = (part, str(get_locale() or "de"), request.script_root)
    if key not in kept:
        macros: Any = current_app.jinja_env.get_template("_partials/site_navigation.html").module
        kept[key] = Markup(macros.header() if part == "header" else macros.footer(FOOTER_LINKS))
    return kept[key]


def account_navigation(waiting: int | None, admin: bool) -> Markup:
    """The header's links of a logged-in person (the `account` macro of
    _partials/site_navigation.html): rendered once per name, counts, language and generation
    (fragment_cache), not a dozen gettext and url_for calls on every request. `waiting` is
    what waits in moderation for someone the rulebook lets see the queue, else None; `admin`
    whether it lets them administer. The log-out form gets this request's token."""
    user = current_user._get_current_object()  # noqa: SLF001
    name, unread, expert = user.display_name, _unread(), user.is_expert

    def render() -> tuple[Markup, ...]:
        macros: Any = current_app.jinja_env.get_template("_partials/site_navigation.html").module
        html = str(macros.account(name, unread, expert, waiting, admin, CSRF_SLOT))
        return tuple(Markup(piece) for piece in html.split(CSRF_SLOT))

    key = ("account navigation", name, unread, expert, waiting, admin)
    return with_form_token(cached_fragment(key, render))


def _digest_notes(note_ids):
    from .services import notifications

    return notifications.digest_notes(note_ids)


def _unread() -> int:
    from .services import notifications

    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" in g:  # counted by the log-in's statement (forum/__init__.py)
        return g.unread_notifications
    return notifications.unread_count(current_user)


def _watching(kind: enums.WatchKind, target_id: int) -> bool:
    from .services import notifications

    if not current_user.is_authenticated:
        return False
    return notifications.find_watch(current_user, kind, target_id) is not None


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    install_template_gettext(app)
    app.jinja_env.globals["labels"] = labels
    app.jinja_env.globals["enums"] = enums
    app.jinja_env.globals["digest_notes"] = _digest_notes
    app.jinja_env.filters["datetime"] = format_datetime_de
    app.jinja_env.filters["date"] = format_date_de
    app.jinja_env.filters["days_since"] = days_since
    app.jinja_env.filters["isotime"] = iso_time
    app.jinja_env.globals["page_has_errors"] = page_has_errors
    # the language user content is written in (titles, posts, project texts): marked on it,
    # so in the English interface a screen reader reads it with a German voice
    app.jinja_env.globals["content_lang"] = app.config.get("CONTENT_LANGUAGE", "de")

    @app.context_processor
    def _globals():
        if not has_request_context():  # mails rendered from the command line
            return {"site_name": app.config["SITE_NAME"], "external_url": external_url}
        # the user once, not through the context-local proxy in every rule a page asks
        user = current_user._get_current_object()  # noqa: SLF001
        return {
            "external_url": external_url,
            "can": lambda action, obj=None: permissions.can(action, user, obj),
            "post_html": post_html,
            "with_form_token": with_form_token,
            "with_form_tokens": with_form_tokens,
            "site_navigation": site_navigation,
            "account_navigation": account_navigation,
            "watching": _watching,
            "author_badge": page_author_badge,
            "footer_links": FOOTER_LINKS,
            "current_locale": str(get_locale() or "de"),
            "site_name": app.config["SITE_NAME"],
            "here": request.full_path.rstrip("?") if request else "/",
            "url_for": url_for,
        }
