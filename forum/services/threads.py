"""Asking, answering, following up and editing. Counters move with atomic SQL."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from .. import permissions
from ..enums import WatchKind
from ..extensions import db
from ..markup import render_markdown
from ..models import (
    TEAM_ROLES,
    Board,
    Post,
    PostKind,
    PostRevision,
    PostState,
    Thread,
    ThreadState,
    User,
    utcnow,
)
from . import ServiceError, counters, moderation, notifications, once, rows_changed, spam


def slugify(text: str, max_length: int = 60) -> str:
    text = text.replace("ß", "ss")
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(umlaut, plain).replace(umlaut.upper(), plain.capitalize())
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:  # cut between words, not inside one
        cut = slug[:max_length + 1]
        slug = cut[:cut.rindex("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-") or "thema"


def _require_text(body: str) -> str:
    body = body.strip()
    if not body:
        raise ServiceError(_l("Bitte geben Sie einen Text ein."), field="body")
    return body


def needs_approval(actor: User, board: Board) -> bool:
    """Posts of new users wait for approval, and every post in a board set to approve all;
    experts, project teams and the board's moderators post directly otherwise. Guests always
    wait."""
    if actor.is_guest:
        return True
    if permissions.moderates_board(actor, board):
        return False
    if board.require_approval:
        return True
    if actor.is_expert or any(m.role in TEAM_ROLES for m in actor.memberships):
        return False
    return spam.is_new(actor)


def waits_for_approval(actor: User, board: Board | None = None) -> bool:
    """What the ask form says before sending: whether the question will wait for approval,
    in `board`, or (no board chosen yet) in a board that does not hold back everything."""
    if board is not None:
        return needs_approval(actor, board)
    if actor.is_guest:
        return True
    if (permissions.is_site_moderator(actor) or actor.is_expert
            or any(m.role in TEAM_ROLES for m in actor.memberships)):
        return False
    return spam.is_new(actor)


def create_thread(actor: User, board: Board, title: str, body: str, *, is_demo=False,
                  about=None, once_key: str | None = None) -> Thread:
    """Ask in a board; `about` links the question to a project update of that board. A form's
    `once_key` that created a thread before raises once.AlreadySubmitted instead."""
    permissions.check("thread.create", actor, board)
    key = once.begin(once_key, actor, "thread")
    with once.refusals_checked(key, actor):
        thread = new_question(actor, board, title, body, about=about, is_demo=is_demo)
    post = thread.posts[0]
    # authors watch their threads
    notifications.watch(actor, WatchKind.THREAD, thread.id, commit=False)
    if needs_approval(actor, board):
        thread.state, post.state = ThreadState.PENDING, PostState.PENDING
    else:
        db.session.execute(
            update(Board).where(Board.id == board.id).values(thread_count=Board.thread_count + 1))
        counters.advance_activity(Board, board.id, post.created_at)
        moderation.count_approved(actor.id)
        notifications.notify_published(post)
    once.commit(key, thread)
    return thread


def new_question(author: User, board: Board, title: str, body: str, *, about=None,
                 is_demo=False, state: ThreadState = ThreadState.OPEN) -> Thread:
    """Check the input and add the thread with its question post in `state` (flushed, part of
    the caller's transaction; the caller decides on approval and counters)."""
    title = title.strip()
    if not title:
        raise ServiceError(_l("Bitte geben Sie einen Titel ein."), field="title")
    if about is not None and about.project_id != board.project_id:
        raise ServiceError(_l("Fragen zu einer Neuigkeit gehören in den Bereich ihres "
                              "Projekts."), field="board")
    body = _require_text(body)
    post = _new_post(author, PostKind.QUESTION, body, utcnow())
    spam.check_post(author, body, post.body_html)
    thread = Thread(
        board_id=board.id, author_id=author.id, title=title, slug=slugify(title),
        created_at=post.created_at, last_activity_at=post.created_at, is_demo=is_demo,
        state=state, update_id=about.id if about is not None else None,
    )
    if state == ThreadState.UNCONFIRMED:
        post.state = PostState.UNCONFIRMED
    thread.posts.append(post)
    db.session.add(thread)
    db.session.flush()
    return thread


def add_answer(actor: User, thread: Thread, body: str, *, once_key: str | None = None) -> Post:
    permissions.check("post.answer", actor, thread)
    return _add_reply(actor, thread, PostKind.ANSWER, body, once_key)


def add_followup(actor: User, thread: Thread, body: str, *, link=None,
                 once_key: str | None = None) -> Post:
    """The asker's follow-up; a guest asker acts through the personal `link` (actor is then
    the guest's user row)."""
    if link is not None:
        permissions.check("guest.followup", link, thread)
    else:
        permissions.check("post.followup", actor, thread)
    return _add_reply(actor, thread, PostKind.FOLLOWUP, body, once_key)


def _add_reply(actor: User, thread: Thread, kind: PostKind, body: str,
               once_key: str | None) -> Post:
    key = once.begin(once_key, actor, "post")
    with once.refusals_checked(key, actor):
        body = _require_text(body)
        now = utcnow()
        post = _new_post(actor, kind, body, now)
        spam.check_post(actor, body, post.body_html)
    post.thread_id = thread.id
    db.session.add(post)
    if needs_approval(actor, thread.board):
        post.state = PostState.PENDING
        once.commit(key, post)
        return post
    moderation.count_approved(actor.id)
    answers = 1 if kind == PostKind.ANSWER else 0
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(reply_count=Thread.reply_count + 1, answer_count=Thread.answer_count + answers)
    )
    # only ever forward: a reply that commits after a later one must not move it back
    counters.advance_activity(Thread, thread.id, now)
    counters.advance_activity(Board, thread.board_id, now)
    db.session.flush()
    notifications.notify_published(post)
    once.commit(key, post)
    return post


def move_pending(actor: User, thread: Thread, board: Board) -> Thread:
    """The asker puts their waiting question into another board (misfiled while asking).
    Waiting questions count nowhere yet, so only the board changes; a question about a
    project update stays in that project."""
    permissions.check("thread.move_own", actor, thread)
    permissions.check("thread.create", actor, board)
    if board.id == thread.board_id:
        return thread
    if thread.update_id is not None and board.project_id != thread.board.project_id:
        raise ServiceError(_l("Diese Frage bezieht sich auf eine Neuigkeit des Projekts und "
                              "bleibt deshalb im Bereich des Projekts."), field="board")
    moved = db.session.execute(
        update(Thread).where(Thread.id == thread.id, Thread.state == ThreadState.PENDING)
        .values(board_id=board.id), execution_options={"synchronize_session": False})
    if not rows_changed(moved):  # approved or rejected meanwhile
        db.session.rollback()
        raise ServiceError(_l("Ihre Frage wartet nicht mehr auf Freigabe; ihren Bereich kann "
                              "jetzt nur noch das Moderationsteam ändern."), field="board")
    db.session.commit()
    db.session.refresh(thread)
    return thread


class EditConflict(ServiceError):
    """The post changed since the edit began (another tab, a moderator): nothing was saved;
    `post` holds the newer text, the editor's own text is still in the form."""

    def __init__(self, post: Post) -> None:
        super().__init__(_l("Der Beitrag wurde geändert, während Sie ihn bearbeitet haben. "
                            "Es wurde nichts gespeichert. Unten stehen beide Fassungen."))
        self.post = post


def version_of(post: Post) -> str:
    """What an edit form carries to notice a newer version: the time of the last edit."""
    return post.edited_at.isoformat() if post.edited_at is not None else "original"


def edit_post(actor: User, post: Post, body: str, title: str | None = None, *,
              base: str | None = None) -> Post:
    """Change a post's text; the text it had before is kept as a revision. `base` is the
    version the editor started from: if the post changed since, EditConflict, and nothing is
    overwritten (also when two saves race: the first one's conditional update wins)."""
    permissions.check("post.edit", actor, post)
    started_from = post.edited_at
    if base is not None and base != version_of(post):
        raise EditConflict(post)
    body = _require_text(body)
    old_title = None
    if post.kind == PostKind.QUESTION and title is not None:
        title = title.strip()
        if not title:
            raise ServiceError(_l("Bitte geben Sie einen Titel ein."), field="title")
        if title != post.thread.title:
            old_title, post.thread.title = post.thread.title, title
    changed = body != post.body_source or old_title is not None
    if changed and not permissions.moderates_board(actor, post.thread.board):
        spam.check_post(actor, body, render_markdown(body), editing=post)
        if post.state == PostState.PUBLISHED and needs_approval(actor, post.thread.board):
            moderation.return_to_review(post)
    if changed:
        now = utcnow()
        unchanged = (Post.edited_at.is_(None) if started_from is None
                     else Post.edited_at == started_from)
        claimed = db.session.execute(update(Post).where(Post.id == post.id, unchanged)
                                     .values(edited_at=now),
                                     execution_options={"synchronize_session": False})
        if not rows_changed(claimed):
            db.session.rollback()
            raise EditConflict(post)
        post.revisions.append(
            PostRevision(
                editor_id=actor.id, body_source=post.body_source, title=old_title, created_at=now
            )
        )
        post.body_source = body
        post.body_html = render_markdown(body)
        post.edited_at = now
    db.session.commit()
    return post


def _new_post(actor: User, kind: PostKind, body: str, now) -> Post:
    return Post(
        author_id=actor.id, kind=kind, body_source=body, body_html=render_markdown(body),
        created_at=now,
    )


def post_to_act_on(user: User, post_id: int, *, with_revisions: bool = False) -> Post:
    """A post in a thread the user may see, with its thread, board and project (and, for the
    history page, its revisions with their editors). Any other id is a 404, whether it exists
    or not; what the user may do with the post is the caller's check."""
    options = [joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.project)]
    if with_revisions:
        options.append(selectinload(Post.revisions).joinedload(PostRevision.editor))
    visible = select(Thread.id).where(permissions.visible_threads(user))
    post = db.session.scalar(select(Post).where(Post.id == post_id,
                                                Post.thread_id.in_(visible)).options(*options))
    if post is None:
        raise NotFound()
    permissions.check("thread.view", user, post.thread)
    return post
