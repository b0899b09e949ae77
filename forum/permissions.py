"""The one rulebook: every permission is one check_<noun>_<verb>(user, obj) function.

A check raises NotFound when the object is not visible to the user and Forbidden when it is
visible but the action is not allowed. `can()` derives the yes/no form for templates; the
visible_*() helpers are the query filters every list and lookup goes through.
"""

from collections.abc import Callable

import sqlalchemy as sa
from werkzeug.exceptions import Forbidden, NotFound

from .models import Board, Post, PostState, Thread, ThreadState

CLOSED_STATES = (ThreadState.CLOSED, ThreadState.HIDDEN)


def _is_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_confirmed


# --- visibility -------------------------------------------------------------------------

def visible_threads(user) -> sa.ColumnElement[bool]:
    """Filter for the threads a user may see: hidden ones only for moderators."""
    if user.is_moderator:
        return sa.true()
    return Thread.state != ThreadState.HIDDEN


def visible_posts(user) -> sa.ColumnElement[bool]:
    if user.is_moderator:
        return sa.true()
    return Post.state == PostState.PUBLISHED


def check_thread_view(user, thread: Thread) -> None:
    if thread.state == ThreadState.HIDDEN and not user.is_moderator:
        raise NotFound()


# --- threads and posts ------------------------------------------------------------------

def check_thread_create(user, board: Board) -> None:
    if not _is_member(user):
        raise Forbidden()


def check_post_answer(user, thread: Thread) -> None:
    """Experts answer everywhere, project members in their project's board, moderators too."""
    check_thread_view(user, thread)
    if not _is_member(user) or thread.state in CLOSED_STATES:
        raise Forbidden()
    if user.id == thread.author_id:
        raise Forbidden()  # the asker follows up instead
    if user.is_moderator or user.is_expert:
        return
    project_id = thread.board.project_id
    if project_id is None or user.project_role(project_id) is None:
        raise Forbidden()


def check_post_followup(user, thread: Thread) -> None:
    check_thread_view(user, thread)
    if not _is_member(user) or thread.state in CLOSED_STATES:
        raise Forbidden()
    if user.id != thread.author_id:
        raise Forbidden()


def check_post_edit(user, post: Post) -> None:
    check_thread_view(user, post.thread)
    if not _is_member(user):
        raise Forbidden()
    if user.is_moderator:
        return
    if post.author_id != user.id or post.state != PostState.PUBLISHED:
        raise Forbidden()
    if post.thread.state in CLOSED_STATES:
        raise Forbidden()


# --- administration ---------------------------------------------------------------------

def check_admin_access(user, obj=None) -> None:
    if not _is_member(user) or not user.is_admin:
        raise Forbidden()


RULES: dict[str, Callable] = {
    "thread.view": check_thread_view,
    "thread.create": check_thread_create,
    "post.answer": check_post_answer,
    "post.followup": check_post_followup,
    "post.edit": check_post_edit,
    "admin.access": check_admin_access,
}


def check(action: str, user, obj=None) -> None:
    RULES[action](user, obj)


def can(action: str, user, obj=None) -> bool:
    try:
        RULES[action](user, obj)
    except (Forbidden, NotFound):
        return False
    return True
