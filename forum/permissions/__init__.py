"""The one rulebook: every permission is one check_<noun>_<verb>(user, obj) function.

A check raises NotFound when the object is not visible to the user and `Denied` (a Forbidden
that carries a translated reason) when it is visible but the action is not allowed. `can()`
derives the yes/no form for templates and `denial()` the reason; the visible_*(),
moderated_*() and actionable_*() helpers are the query filters every list and lookup goes
through.

Moderators are site-wide (SiteRole.MODERATOR, ADMIN) or for given projects (ProjectRole
MODERATOR): those moderate only their projects' boards.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

import sqlalchemy as sa
from werkzeug.exceptions import Forbidden, NotFound

from ..enums import (
    PUBLIC_THREAD_STATES,
    TEAM_ROLES,
    AppealState,
    PostKind,
    PostState,
    ProjectRole,
    ThreadState,
)
from ..models import (
    Appeal,
    Board,
    GuestLink,
    Post,
    Project,
    Thread,
)
from . import reasons

# the query filters live in scope.py; lists and lookups import them from the rulebook
from .scope import (
    NOT_ACTIONABLE as NOT_ACTIONABLE,
)
from .scope import (
    UNMODERATED_STATES as UNMODERATED_STATES,
)
from .scope import (
    actionable_threads as actionable_threads,
)
from .scope import (
    appeals_free_of_conflict as appeals_free_of_conflict,
)
from .scope import (
    appeals_in_scope as appeals_in_scope,
)
from .scope import (
    appeals_reported_by as appeals_reported_by,
)
from .scope import (
    expert_users as expert_users,
)
from .scope import (
    is_member as is_member,
)
from .scope import (
    is_site_moderator as is_site_moderator,
)
from .scope import (
    listed_threads as listed_threads,
)
from .scope import (
    moderatable_posts as moderatable_posts,
)
from .scope import (
    moderated_board_ids as moderated_board_ids,
)
from .scope import (
    moderated_boards as moderated_boards,
)
from .scope import (
    moderated_posts as moderated_posts,
)
from .scope import (
    moderates_anything as moderates_anything,
)
from .scope import (
    moderates_board as moderates_board,
)
from .scope import (
    visible_posts as visible_posts,
)
from .scope import (
    visible_threads as visible_threads,
)

OWN_STATES = (ThreadState.PENDING, ThreadState.HIDDEN)


class Denied(Forbidden):
    """Visible, but not allowed: the reason is shown to the person (Misago's checks do the
    same), so views never have to guess why."""

    def __init__(self, reason) -> None:
        super().__init__(description=reason)
        self.reason = reason


def deny(reason) -> NoReturn:
    raise Denied(reason)


def check_thread_view(user, thread: Thread) -> None:
    if thread.state in PUBLIC_THREAD_STATES:
        return
    if moderates_board(user, thread.board):
        return
    if thread.state in OWN_STATES and is_member(user) and thread.author_id == user.id:
        return  # authors follow their own pending, rejected or hidden questions
    raise NotFound()


def _closed(thread: Thread) -> bool:
    return thread.locked or thread.state not in PUBLIC_THREAD_STATES


def _require_member(user) -> None:
    if not is_member(user):
        deny(reasons.NEEDS_ACCOUNT)


def _require_open(thread: Thread) -> None:
    if _closed(thread):
        deny(reasons.CLOSED)


# --- project teams ----------------------------------------------------------------------

def in_project_team(user, project_id: int | None) -> bool:
    """The one definition of a project's team: its members and its lead. A project
    moderator moderates the board but is not part of the team (no badge, no updates)."""
    return project_id is not None and user.project_role(project_id) in TEAM_ROLES


def leads_project(user, project_id: int) -> bool:
    return user.project_role(project_id) == ProjectRole.LEAD


@dataclass(frozen=True)
class TeamChange:
    """A change of one person's place in a project: `before` is the current role (None
    when not yet in the project), `after` the new one (None to remove)."""

    project: Project
    before: ProjectRole | None
    after: ProjectRole | None


# --- threads and posts ------------------------------------------------------------------

def check_thread_create(user, board: Board) -> None:
    _require_member(user)


def check_post_answer(user, thread: Thread) -> None:
    """Experts answer everywhere, the project's team in their project's board, moderators in
    their scope."""
    check_thread_view(user, thread)
    _require_member(user)
    _require_open(thread)
    if user.id == thread.author_id:
        deny(reasons.ASKER_FOLLOWS_UP)
    if user.is_expert or moderates_board(user, thread.board):
        return
    if not in_project_team(user, thread.board.project_id):
        deny(reasons.WHO_ANSWERS)


def check_post_followup(user, thread: Thread) -> None:
    check_thread_view(user, thread)
    _require_member(user)
    _require_open(thread)
    if user.id != thread.author_id:
        deny(reasons.ONLY_ASKER)


def check_post_edit(user, post: Post) -> None:
    check_thread_view(user, post.thread)
    _require_member(user)
    if moderates_board(user, post.thread.board):
        return
    if post.author_id != user.id or post.state not in (PostState.PUBLISHED, PostState.PENDING):
        deny(reasons.NOT_YOURS)
    if post.thread.locked:
        deny(reasons.CLOSED)


def check_post_accept(user, post: Post) -> None:
    """The asker (or a moderator of the board) marks the answer that helped most."""
    check_thread_view(user, post.thread)
    _require_member(user)
    if post.kind != PostKind.ANSWER or post.state != PostState.PUBLISHED or (
            post.thread.state not in PUBLIC_THREAD_STATES):
        deny(reasons.ONLY_ANSWERS)
    if moderates_board(user, post.thread.board):
        return
    if user.id != post.thread.author_id:
        deny(reasons.ASKER_MARKS)
    if post.thread.locked:
        deny(reasons.CLOSED)


def check_thread_me_too(user, thread: Thread) -> None:
    """Registered users other than the asker say they have the same question."""
    check_thread_view(user, thread)
    _require_member(user)
    if thread.state not in PUBLIC_THREAD_STATES:
        deny(reasons.NOT_PUBLIC)
    if user.id == thread.author_id:
        deny(reasons.OWN_QUESTION)


def check_thread_move_own(user, thread: Thread) -> None:
    """The asker moves their own question to another board while it waits for approval."""
    check_thread_view(user, thread)
    _require_member(user)
    if user.id != thread.author_id:
        deny(reasons.ONLY_ASKER_MOVES)
    if thread.state != ThreadState.PENDING:
        deny(reasons.MOVE_WHILE_PENDING)


def check_post_report(user, post: Post) -> None:
    """Anyone, with or without an account, may report a published post they can see."""
    check_thread_view(user, post.thread)
    if post.state != PostState.PUBLISHED:
        raise NotFound()


# --- guests ---------------------------------------------------------------------------
# A guest acts through the personal link of one thread; the link stands in for the user.

GUEST_HIDDEN = (ThreadState.UNCONFIRMED, ThreadState.MERGED, ThreadState.WITHDRAWN)


def check_guest_view(link: GuestLink, thread: Thread) -> None:
    """The link opens its own thread only, while confirmed, unexpired and not revoked."""
    if not isinstance(link, GuestLink) or not link.usable or link.thread_id != thread.id:
        raise NotFound()
    if thread.state in GUEST_HIDDEN:
        raise NotFound()


def guest_visible_posts(link: GuestLink) -> sa.ColumnElement[bool]:
    """Filter on Post: the published posts plus the guest's own (with their state)."""
    return (Post.state.in_((PostState.PUBLISHED, PostState.REMOVED))
            | (Post.author_id == link.user_id))


def check_guest_followup(link: GuestLink, thread: Thread) -> None:
    check_guest_view(link, thread)
    _require_open(thread)


def check_guest_accept(link: GuestLink, post: Post) -> None:
    check_guest_view(link, post.thread)
    if post.kind != PostKind.ANSWER or post.state != PostState.PUBLISHED:
        deny(reasons.ONLY_ANSWERS)
    _require_open(post.thread)


def check_guest_withdraw(link: GuestLink, thread: Thread) -> None:
    check_guest_view(link, thread)
    if thread.state not in (ThreadState.PENDING, *PUBLIC_THREAD_STATES):
        deny(reasons.CANNOT_WITHDRAW)


def check_guest_convert(link: GuestLink, thread: Thread) -> None:
    """Only a guest identity becomes an account; a question asked with an account's address
    already belongs to that account."""
    check_guest_view(link, thread)
    check_guest_become_account(link.user)


def check_guest_become_account(user, obj=None) -> None:
    if not getattr(user, "is_guest", False):
        deny(reasons.ACCOUNT_ALREADY)


def check_guest_ask(user, board) -> None:
    """Visitors without a log-in ask as guests; logged-in people ask with their account."""
    if getattr(user, "is_authenticated", False) or board is None:
        deny(reasons.ASK_WITH_ACCOUNT)


# --- project updates --------------------------------------------------------------------

def check_project_team(user, project) -> None:
    """Admins manage every project's team; a project's lead manages its members."""
    _require_member(user)
    if not (user.is_admin or leads_project(user, project.id)):
        deny(reasons.LEAD_MANAGES_TEAM)


def check_team_change(user, change: TeamChange) -> None:
    """A lead manages plain members only: adds, removes, never appoints or touches a lead or
    a project moderator. Admins appoint leads and moderators."""
    check_project_team(user, change.project)
    if user.is_admin:
        return
    if {change.before, change.after} - {None, ProjectRole.MEMBER}:
        deny(reasons.ADMIN_APPOINTS)


def check_member_remove(user, membership) -> None:
    """Removing a ProjectMember: the team-change rule with nothing after."""
    check_team_change(user, TeamChange(membership.project, membership.role, None))


def check_update_publish(user, project) -> None:
    """The project's team (members and lead) and admins publish its updates."""
    _require_member(user)
    if not (user.is_admin or in_project_team(user, project.id)):
        deny(reasons.TEAM_PUBLISHES)


def check_update_edit(user, update) -> None:
    """Admins, the project's lead, and the author while still in the project's team."""
    _require_member(user)
    if user.is_admin or leads_project(user, update.project_id):
        return
    if update.author_id != user.id or not in_project_team(user, update.project_id):
        deny(reasons.AUTHOR_EDITS_UPDATE)


# --- moderation -------------------------------------------------------------------------

def check_queue_view(user, obj=None) -> None:
    if not moderates_anything(user):
        deny(reasons.MODERATORS_ONLY)


def check_post_moderate(user, post: Post) -> None:
    """Moderation actions on a post; outside the scope the post does not exist."""
    check_queue_view(user)
    if not moderates_board(user, post.thread.board):
        raise NotFound()
    if post.thread.state in UNMODERATED_STATES:
        raise NotFound()


def check_thread_moderate(user, thread: Thread) -> None:
    """Lock, unlock, move and merge: threads in scope that are still threads of their own."""
    check_queue_view(user)
    if not moderates_board(user, thread.board) or thread.state in NOT_ACTIONABLE:
        raise NotFound()


def check_appeal_view(user, appeal: Appeal) -> None:
    """Appeals about decisions in the moderator's scope."""
    check_queue_view(user)
    thread = appeal.decision.thread
    if thread is None or not moderates_board(user, thread.board):
        raise NotFound()


def check_appeal_decide(user, appeal: Appeal) -> None:
    """No party to it answers the appeal: not the first decider, author or a reporter."""
    check_appeal_view(user, appeal)
    if appeal.state != AppealState.OPEN:
        deny(reasons.APPEAL_DECIDED)
    if appeal.decision.moderator_id == user.id:
        deny(reasons.OTHER_DECIDES)
    if appeal.decision.author_id == user.id:
        deny(reasons.OWN_CONTENT_APPEAL)
    session = sa.inspect(appeal).session
    if session is not None and session.scalar(sa.select(sa.exists().where(
            Appeal.id == appeal.id, appeals_reported_by(user)))):
        deny(reasons.OWN_REPORT_APPEAL)


def check_transparency_view(user, obj=None) -> None:
    if not is_site_moderator(user):
        deny(reasons.SITE_MODERATORS_ONLY)


# --- administration ---------------------------------------------------------------------

def check_admin_access(user, obj=None) -> None:
    if not is_member(user) or not user.is_admin:
        deny(reasons.ADMINS_ONLY)


RULES: dict[str, Callable] = {
    "thread.view": check_thread_view,
    "thread.create": check_thread_create,
    "thread.moderate": check_thread_moderate,
    "post.answer": check_post_answer,
    "post.followup": check_post_followup,
    "post.edit": check_post_edit,
    "post.report": check_post_report,
    "post.accept": check_post_accept,
    "thread.me_too": check_thread_me_too,
    "thread.move_own": check_thread_move_own,
    "post.moderate": check_post_moderate,
    "guest.view": check_guest_view,
    "guest.followup": check_guest_followup,
    "guest.accept": check_guest_accept,
    "guest.withdraw": check_guest_withdraw,
    "guest.convert": check_guest_convert,
    "guest.become_account": check_guest_become_account,
    "guest.ask": check_guest_ask,
    "queue.view": check_queue_view,
    "update.publish": check_update_publish,
    "project.team": check_project_team,
    "project.team_change": check_team_change,
    "project.member_remove": check_member_remove,
    "update.edit": check_update_edit,
    "appeal.view": check_appeal_view,
    "appeal.decide": check_appeal_decide,
    "transparency.view": check_transparency_view,
    "admin.access": check_admin_access,
}


def check(action: str, user, obj=None) -> None:
    RULES[action](user, obj)


def can(action: str, user, obj=None) -> bool:
    return denial(action, user, obj) is None


def denial(action: str, user, obj=None):
    """Why the action is refused (a translated reason), or None when it is allowed."""
    try:
        RULES[action](user, obj)
    except Denied as denied:
        return denied.reason
    except (Forbidden, NotFound):
        return reasons.NOT_FOUND_OR_FORBIDDEN
    return None

