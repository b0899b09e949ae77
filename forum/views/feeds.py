"""Atom feeds of published questions: overall, per project, per topic field, per thread.

Stored text goes into the XML cleaned: older rows may hold control characters the forms now
remove, and XML 1.0 (lxml, under feedgen) refuses them, which was a 500."""

import re
from datetime import UTC, datetime
from functools import wraps

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, request
from flask_babel import gettext as _
from markupsafe import escape

from ..enums import PostKind
from ..fragment_cache import cached
from ..mails import external_url
from ..markup import one_line
from ..services import browse, practice as practice_service, updates as updates_service

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
LIMIT = 30

# what XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return; surrogates;
# U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _everybodys(view):
    """A feed is the same for everybody (published content only): made once per generation
    and language (fragment_cache), for people with an account too, whom the page cache
    never serves. A feed that does not exist (404) is not kept."""

    @wraps(view)
    def kept(**values) -> Response:
        body = cached(("feed", request.path), lambda: view(**values).get_data())
        return Response(body, mimetype="application/atom+xml")

    return kept


def _line(text) -> str:
    """A title or a name: one line, without control characters."""
    return _NOT_XML.sub("", one_line(str(text or "")))


def _html(text) -> str:
    """HTML from markup.py, as stored: without what XML cannot hold."""
    return _NOT_XML.sub("", text or "")


def _author(item) -> str:
    return _line(item.author.display_name) if item.author else _("Gelöschtes Konto")


def _newest(times) -> datetime:
    """A feed's <updated>: its newest entry's time (the request time only when empty)."""
    return max((t for t in times if t is not None), default=None) or datetime.now(UTC)


def _feed(title: str, page_url: str, feed_endpoint: str, **values) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(external_url(feed_endpoint, **values))
    feed.title(_line(f"{title} – {current_app.config['SITE_NAME']}"))
    feed.link(href=page_url, rel="alternate")
    feed.link(href=external_url(feed_endpoint, **values), rel="self")
    feed.language("de")
    return feed


def _questions(feed: FeedGenerator, threads: list) -> Response:
    questions = browse.feed_questions(threads)
    feed.updated(_newest(t.last_activity_at for t in threads))
    for thread in reversed(threads):  # feedgen prepends entries
        post = questions.get(thread.id)
        if post is None:
            continue
        entry = feed.add_entry()
        link = external_url("threads.detail", thread_id=thread.id, slug=thread.slug)
        entry.id(link)
        entry.title(_line(thread.title))
        entry.link(href=link)
        entry.published(thread.created_at)
        entry.updated(thread.last_activity_at)
        entry.author(name=_author(post))
        entry.content(_html(post.body_html), type="html")
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


@bp.get("/fragen.atom")
@_everybodys
def questions():
    feed = _feed(_("Neueste Fragen"), external_url("pages.index"), "feeds.questions")
    return _questions(feed, browse.feed_threads(LIMIT))


@bp.get("/projekte/<slug>.atom")
@_everybodys
def project(slug: str):
    project_ = browse.project_by_slug(slug) or abort(404)
    feed = _feed(_("Fragen an %(name)s", name=project_.name),
                 external_url("projects.detail", slug=slug), "feeds.project", slug=slug)
    return _questions(feed, browse.feed_threads(LIMIT, [project_.board.id]))


@bp.get("/themen/<slug>.atom")
@_everybodys
def topic(slug: str):
    topic_ = browse.topic_by_slug(slug) or abort(404)
    feed = _feed(_("Fragen im Themenfeld %(name)s", name=topic_.name),
                 external_url("topics.detail", slug=slug), "feeds.topic", slug=slug)
    return _questions(feed, browse.feed_threads(LIMIT, browse.topic_board_ids(topic_)))


@bp.get("/fragen/<int:thread_id>.atom")
@_everybodys
def thread(thread_id: int):
    thread_ = browse.feed_thread(thread_id) or abort(404)
    page = external_url("threads.detail", thread_id=thread_.id, slug=thread_.slug)
    feed = _feed(thread_.title, page, "feeds.thread", thread_id=thread_id)
    posts = browse.feed_posts(thread_, LIMIT)
    feed.updated(_newest(p.edited_at or p.created_at for p in posts))
    for post in reversed(posts):
        entry = feed.add_entry()
        entry.id(f"{page}#beitrag-{post.id}")
        entry.title(_line(thread_.title) if post.kind == PostKind.QUESTION
                    else _("Rückfrage von %(name)s", name=_author(post))
                    if post.kind == PostKind.FOLLOWUP
                    else _("Antwort von %(name)s", name=_author(post)))
        entry.link(href=f"{page}#beitrag-{post.id}")
        entry.published(post.created_at)
        entry.updated(post.edited_at or post.created_at)
        entry.author(name=_author(post))
        entry.content(_html(post.body_html), type="html")
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


def _update_link(update) -> str:
    if update.is_practice:
        return external_url("practice.detail", update_id=update.id, update_slug=update.slug)
    return external_url("projects.update_detail", slug=update.project.slug,
                        update_id=update.id, update_slug=update.slug)


def _update_html(update) -> str:
    """An update's text; a practice example's parts under their questions."""
    if not update.is_practice:
        return _html(update.body_html)
    example = update.practice
    parts = ((_("Wo und für wen?"), example.setting_html),
             (_("Wie sind Sie vorgegangen?"), update.body_html),
             (_("Was ist daraus geworden?"), example.outcome_html),
             (_("Was können andere übernehmen?"), example.lessons_html))
    return "".join(f"<h2>{escape(heading)}</h2>{_html(text)}" for heading, text in parts)


def _updates_feed(feed: FeedGenerator, items) -> Response:
    feed.updated(_newest(u.edited_at or u.created_at for u in items))
    for update in reversed(items):
        entry = feed.add_entry()
        link = _update_link(update)
        entry.id(link)
        entry.title(_line(f"{update.project.name}: {update.title}"))
        entry.link(href=link)
        entry.published(update.created_at)
        entry.updated(update.edited_at or update.created_at)
        entry.author(name=_author(update))
        entry.content(_update_html(update), type="html")
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


@bp.get("/neuigkeiten.atom")
@_everybodys
def updates():
    feed = _feed(_("Neuigkeiten aus den Projekten"), external_url("pages.index"),
                 "feeds.updates")
    return _updates_feed(feed, updates_service.newest(LIMIT))


@bp.get("/projekte/<slug>/neuigkeiten.atom")
@_everybodys
def project_updates(slug: str):
    project_ = browse.project_by_slug(slug) or abort(404)
    feed = _feed(_("Neuigkeiten von %(name)s", name=project_.name),
                 external_url("projects.detail", slug=slug), "feeds.project_updates",
                 slug=slug)
    return _updates_feed(feed, updates_service.newest(LIMIT, project=project_))


@bp.get("/praxisbeispiele.atom")
@_everybodys
def practice():
    feed = _feed(_("Praxisbeispiele aus den Projekten"), external_url("practice.index"),
                 "feeds.practice")
    return _updates_feed(feed, practice_service.newest(LIMIT))
