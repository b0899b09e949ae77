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
    ProjectUpdate,
    Report,
    Thread,
    User,
)
from . import reasons
from .reasons import Denied as Denied, deny as deny

# the query filters live in scope.py; lists and lookups import them from the rulebook
from .scope import (
    NOT_ACTIONABLE as NOT_ACTIONABLE,
    OWN_STATES as OWN_STATES,
    UNMODERATED_STATES as UNMODERATED_STATES,
    actionable_threads as actionable_threads,
    appeals_free_of_conflict as appeals_free_of_conflict,
    appeals_in_scope as appeals_in_scope,
    appeals_reported_by as appeals_reported_by,
    decisions_in_scope as decisions_in_scope,
    expert_users as expert_users,
    handled_reports as handled_reports,
    has_site_only_report as has_site_only_report,
    is_member as is_member,
    is_restricted as is_restricted,
    is_site_moderator as is_site_moderator,
    listed_threads as listed_threads,
    moderatable_posts as moderatable_posts,
    moderated_board_ids as moderated_board_ids,
    moderated_boards as moderated_boards,
    moderated_posts as moderated_posts,
    moderated_update_ids as moderated_update_ids,
    moderates_anything as moderates_anything,
    moderates_board as moderates_board,
    moderation_scope as moderation_scope,
    project_team as project_team,
    visible_posts as visible_posts,
    visible_threads as visible_threads,
)


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
    """A confirmed account that may write: not under a suspension or block."""
    if not is_member(user):
        deny(reasons.NEEDS_ACCOUNT)
    check_account_write(user)


def check_account_write(user, obj=None) -> None:
    """Writing, reporting and mailing others, for accounts and guests' addresses alike."""
    if is_restricted(user):
        deny(reasons.RESTRICTED)


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
    """Authors edit their own posts (moderators change others' words as decisions)."""
    check_thread_view(user, post.thread)
    _require_member(user)
    moderator = moderates_board(user, post.thread.board)
    if post.author_id != user.id:
        deny(reasons.EDIT_AS_DECISION if moderator else reasons.NOT_YOURS)
    if moderator:
        return
    if post.state not in (PostState.PUBLISHED, PostState.PENDING):
        deny(reasons.NOT_YOURS)
    if post.thread.locked:
        deny(reasons.CLOSED)


def check_post_history(user, post: Post) -> None:
    """Earlier versions: the author and the board's moderators."""
    check_thread_view(user, post.thread)
    _require_member(user)
    if post.author_id != user.id and not moderates_board(user, post.thread.board):
        deny(reasons.NOT_YOURS)


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
    """Anyone, with or without an account, may report a published post they can see (a
    suspended account not)."""
    check_thread_view(user, post.thread)
    if post.state != PostState.PUBLISHED:
        raise NotFound()
    check_account_write(user)


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
    check_account_write(link.user)


def check_guest_accept(link: GuestLink, post: Post) -> None:
    check_guest_view(link, post.thread)
    if post.kind != PostKind.ANSWER or post.state != PostState.PUBLISHED:
        deny(reasons.ONLY_ANSWERS)
    _require_open(post.thread)
    check_account_write(link.user)


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


def check_practice_contact(user, project) -> None:
    """A practice example's contact (`user`) is a confirmed member of the project's team."""
    if not (is_member(user) and in_project_team(user, project.id)):
        deny(reasons.CONTACT_IN_TEAM)


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
    if not is_site_moderator(user) and post.site_only:
        raise NotFound()
    if post.author_id == user.id:
        deny(reasons.OWN_CONTENT_MODERATE)



def check_thread_moderate(user, thread: Thread) -> None:
    """Lock, unlock, move and merge: threads in scope that are still threads of their own."""
    check_queue_view(user)
    if not moderates_board(user, thread.board) or thread.state in NOT_ACTIONABLE:
        raise NotFound()
    if not is_site_moderator(user) and has_site_only_report(thread, Report.post_id.in_(
            sa.select(Post.id).where(Post.thread_id == thread.id))):
        raise NotFound()
    if thread.author_id == user.id:
        deny(reasons.OWN_CONTENT_MODERATE)


def check_appeal_view(user, appeal: Appeal) -> None:
    """Appeals about decisions in the moderator's scope (measures: site moderators)."""
    check_queue_view(user)
    decision = appeal.decision
    if decision.update is not None:
        check_update_moderate(user, decision.update)
        return
    thread = decision.thread
    if (thread is None and decision.thread_id is None and decision.update_id is None
            and is_site_moderator(user)):
        return
    if thread is None or not moderates_board(user, thread.board):
        raise NotFound()
    if decision.post_id is not None and not is_site_moderator(user) and has_site_only_report(
            appeal, Report.post_id == decision.post_id):
        raise NotFound()


def check_appeal_decide(user, appeal: Appeal) -> None:
    """No party to it answers the appeal: not the first decider, author or a reporter."""
    check_appeal_view(user, appeal)
    if appeal.state != AppealState.OPEN:
        deny(reasons.APPEAL_DECIDED)
    check_appeal_internal(user, appeal)


def check_appeal_internal(user, appeal: Appeal) -> None:
    """An appeal's notes and claim: not for its parties (first decider, author, reporter)."""
    check_appeal_view(user, appeal)
    if appeal.decision.moderator_id == user.id:
        deny(reasons.OTHER_DECIDES)
    if appeal.decision.author_id == user.id:
        deny(reasons.OWN_CONTENT_APPEAL)
    session = sa.inspect(appeal).session
    if session is not None and session.scalar(sa.select(sa.exists().where(
            Appeal.id == appeal.id, appeals_reported_by(user)))):
        deny(reasons.OWN_REPORT_APPEAL)


def check_update_report(user, update: ProjectUpdate) -> None:
    """Anyone may report a project update the public sees (a suspended account not)."""
    if not update.is_public:
        raise NotFound()
    check_account_write(user)


def check_update_moderate(user, update: ProjectUpdate) -> None:
    """Hide, restore, settle reports: the project board's moderators (outside it: 404)."""
    check_queue_view(user)
    board = update.project.board if update.project is not None else None
    if board is None or not moderates_board(user, board):
        raise NotFound()
    if not is_site_moderator(user) and update.site_only:
        raise NotFound()
    if update.author_id == user.id:
        deny(reasons.OWN_CONTENT_MODERATE)


def check_account_measure(user, target: User) -> None:
    """Warn, suspend, block, lift: site moderators and admins (project moderators request)."""
    check_queue_view(user)
    if not is_site_moderator(user):
        deny(reasons.MEASURES_BY_SITE)
    if target.id == user.id or target.is_admin:
        deny(reasons.NO_MEASURE_ON_STAFF)
    if not user.is_admin and (target.is_moderator or target.moderated_project_ids):
        deny(reasons.STAFF_MEASURE_BY_ADMIN)


def check_account_internal(user, target: User) -> None:
    """Internal notes about an account: not for the account itself."""
    check_queue_view(user)
    if target.id == user.id:
        deny(reasons.OWN_CONTENT_MODERATE)


def check_account_measure_request(user, target: User) -> None:
    check_queue_view(user)
    if target.id == user.id or target.is_admin:
        deny(reasons.NO_MEASURE_ON_STAFF)


def check_report_handle(user, report: Report) -> None:
    """Child-abuse and threat reports and their art. 18 step: site moderators and admins."""
    check_queue_view(user)
    if (report.concerns_child_abuse or report.concerns_threat) and not is_site_moderator(user):
        deny(reasons.SITE_ONLY_REPORT)


def check_transparency_view(user, obj=None) -> None:
    if not is_site_moderator(user):
        deny(reasons.SITE_MODERATORS_ONLY)


# --- administration ---------------------------------------------------------------------

def check_admin_access(user, obj=None) -> None:
    if not is_member(user) or not user.is_admin:
        deny(reasons.ADMINS_ONLY)


RULES: dict[str, Callable] = {
    "thread.view": check_thread_view, "thread.create": check_thread_create,
    "thread.moderate": check_thread_moderate, "post.answer": check_post_answer,
    "post.followup": check_post_followup, "post.edit": check_post_edit,
    "post.history": check_post_history, "post.report": check_post_report,
    "post.accept": check_post_accept, "thread.me_too": check_thread_me_too,
    "thread.move_own": check_thread_move_own, "post.moderate": check_post_moderate,
    "guest.view": check_guest_view, "guest.followup": check_guest_followup,
    "guest.accept": check_guest_accept, "guest.withdraw": check_guest_withdraw,
    "guest.convert": check_guest_convert, "guest.become_account": check_guest_become_account,
    "guest.ask": check_guest_ask, "queue.view": check_queue_view,
    "update.publish": check_update_publish, "project.team": check_project_team,
    "project.team_change": check_team_change, "project.member_remove": check_member_remove,
    "update.edit": check_update_edit, "appeal.view": check_appeal_view,
    "appeal.decide": check_appeal_decide, "transparency.view": check_transparency_view,
    "account.write": check_account_write, "account.measure": check_account_measure,
    "account.measure_request": check_account_measure_request, "report.handle": check_report_handle,
    "appeal.internal": check_appeal_internal, "practice.contact": check_practice_contact,
    "account.internal": check_account_internal, "update.report": check_update_report,
    "update.moderate": check_update_moderate, "admin.access": check_admin_access,
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

