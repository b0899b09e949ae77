"""Writing through the API: ask, answer, follow up, mark the most helpful answer, watch.
Each endpoint calls the service function the form's view calls (which checks the rulebook
first), after the same rate limit; who writes is a token with the write scope, or a cookie
log-in with its CSRF token (see `writer`)."""

import base64
import hashlib
import re

from flask import Response, request
from flask_babel import gettext as _

from ... import ratelimits
from ...enums import WatchKind, WatchMode
from ...services import ServiceError, answers, api_reads, notifications, threads, updates
from ...services.once import AlreadySubmitted
from .. import TOO_MANY
from . import schemas as s
from .core import body_of, endpoint, fail, respond, service_refused, writer
from .reads import post_data, thread_data, visible_thread

KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _once_key(user) -> str | None:
    """The client's Idempotency-Key as a one-time key of the person's own (the keys of the
    forms are one namespace: the person's id in the hash keeps keys of two people apart)."""
    given = request.headers.get("Idempotency-Key")
    if given is None:
        return None
    if not KEY.match(given):
        fail(400, _("Der Kopf Idempotency-Key darf 1 bis 40 Buchstaben, Ziffern, „-“ und „_“ "
                    "enthalten."), errors=[("Idempotency-Key", _("Ungültiger Wert."))])
    digest = hashlib.sha256(f"api:{user.id}:{given}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _limited(user) -> None:
    if not ratelimits.allow("post", user=user):
        fail(429, TOO_MANY, headers={"Retry-After": "60"})


@endpoint("/threads", "POST", summary="Ask a question", tag="Writing", response=s.Created,
          status=201, body=s.AskIn)
def ask():
    """Ask in a board (optionally about a project update of that board's project). The
    question waits for approval where the page's would (`state`: `pending`)."""
    user = writer()
    data = body_of(s.AskIn)
    board = api_reads.board(data.board_id)
    if board is None:
        fail(422, _("Diesen Bereich gibt es nicht."),
             errors=[("board_id", _("Diesen Bereich gibt es nicht."))])
    about = None
    if data.update_id is not None:
        about = updates.find(data.update_id)
        if about is None:
            fail(422, _("Diese Neuigkeit gibt es nicht."),
                 errors=[("update_id", _("Diese Neuigkeit gibt es nicht."))])
    key = _once_key(user)
    _limited(user)
    status = 201
    try:
        thread = threads.create_thread(user, board, data.title, data.body, about=about,
                                       once_key=key)
    except AlreadySubmitted as sent:
        thread, status = sent.created, 200
    except ServiceError as error:
        service_refused(error)
    question = api_reads.question_of(user, thread)
    return respond(s.Created(thread=thread_data(thread), post=post_data(question, thread)),
                   status=status)


def _reply(thread_id: int, add) -> Response:
    user = writer()
    data = body_of(s.ReplyIn)
    thread, target = visible_thread(thread_id)
    if target is not None:
        fail(404, _("Diese Frage wurde mit einer anderen zusammengeführt."))
    key = _once_key(user)
    _limited(user)
    status = 201
    try:
        post = add(user, thread, data.body, once_key=key)
    except AlreadySubmitted as sent:
        post, status = api_reads.post(sent.submission.object_id or 0), 200
    except ServiceError as error:
        service_refused(error)
    return respond(s.PostOut(**post_data(post, thread)), status=status)


@endpoint("/threads/<int:thread_id>/answers", "POST", summary="Answer a question",
          tag="Writing", response=s.PostOut, status=201, body=s.ReplyIn)
def answer(thread_id: int):
    """Experts answer everywhere, a project's team in its board, moderators in their scope
    (the rulebook's `post.answer`); the answer may wait for approval (`state`)."""
    return _reply(thread_id, threads.add_answer)


@endpoint("/threads/<int:thread_id>/followups", "POST", summary="Follow up on a question",
          tag="Writing", response=s.PostOut, status=201, body=s.ReplyIn)
def followup(thread_id: int):
    """The asker's follow-up in their own question (`post.followup`)."""
    return _reply(thread_id, threads.add_followup)


def _post_for(user, post_id: int):
    try:
        return threads.post_to_act_on(user, post_id)
    except ServiceError as error:
        service_refused(error)


@endpoint("/posts/<int:post_id>/helpful", "PUT", summary="Mark the most helpful answer",
          tag="Writing", response=s.ThreadOut, errors=(409,))
def mark_helpful(post_id: int):
    """The asker (or a moderator of the board) marks the answer that helped most; the
    question becomes `answered`. Marking another answer moves the mark."""
    user = writer()
    post = _post_for(user, post_id)
    try:
        answers.mark_helpful(user, post)
    except ServiceError as error:
        service_refused(error, 409)
    return respond(s.ThreadOut(**thread_data(api_reads.thread(post.thread_id))))


@endpoint("/posts/<int:post_id>/helpful", "DELETE", summary="Take the mark back",
          tag="Writing", response=s.ThreadOut, errors=(409,))
def unmark_helpful(post_id: int):
    """Remove the "most helpful" mark from this answer."""
    user = writer()
    post = _post_for(user, post_id)
    try:
        answers.unmark_helpful(user, post)
    except ServiceError as error:
        service_refused(error, 409)
    return respond(s.ThreadOut(**thread_data(api_reads.thread(post.thread_id))))


WATCH_KINDS = {"threads": WatchKind.THREAD, "projects": WatchKind.PROJECT,
               "topic-fields": WatchKind.TOPIC_FIELD}


def _watch_kind(kind: str) -> WatchKind:
    if kind not in WATCH_KINDS:
        fail(404)
    return WATCH_KINDS[kind]


@endpoint("/watches/<kind>/<int:target_id>", "PUT", summary="Watch", tag="Writing",
          response=s.WatchOut, body=s.WatchIn)
def watch(kind: str, target_id: int):
    """Watch a question, a project or a topic field (`kind`: `threads`, `projects`,
    `topic-fields`), with mail at once, a daily digest, or in the forum only."""
    user = writer()
    data = body_of(s.WatchIn)
    watch_kind = _watch_kind(kind)
    try:
        found = notifications.watch(user, watch_kind, target_id, WatchMode(data.mode))
    except ServiceError:
        fail(404)
    return respond(s.WatchOut(kind=watch_kind.value, target_id=target_id,
                              mode=found.mode.value))


@endpoint("/watches/<kind>/<int:target_id>", "DELETE", summary="Stop watching",
          tag="Writing", response=None, status=204)
def unwatch(kind: str, target_id: int):
    """Stop watching; nothing to stop is fine too (204 either way)."""
    user = writer()
    found = notifications.find_watch(user, _watch_kind(kind), target_id)
    if found is not None:
        notifications.unwatch(user, found)
    return Response(status=204)


