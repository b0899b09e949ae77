"""The rulebook's query filters and scope tests: who moderates what, what a person may see,
which appeals a moderator may decide. Every list and lookup goes through these; the checks in
`permissions/__init__.py` use them too."""

import sqlalchemy as sa

from ..enums import PUBLIC_THREAD_STATES, TEAM_ROLES, PostState, ThreadState
from ..models import (
    Appeal,
    Board,
    Decision,
    ExpertVerification,
    Post,
    ProjectMember,
    ProjectUpdate,
    Report,
    Thread,
    User,
    utcnow,
)
from .memo import remembered

OWN_STATES = (ThreadState.PENDING, ThreadState.HIDDEN)


def project_team(project_id: int) -> sa.ColumnElement[bool]:
    """The users of a project's team (as `in_project_team` says), as a filter on users."""
    return User.id.in_(sa.select(ProjectMember.user_id).where(
        ProjectMember.project_id == project_id, ProjectMember.role.in_(TEAM_ROLES)))


def is_member(user) -> bool:
    """A logged-in, confirmed account; a guest's user row never counts, even if handed in."""
    return (bool(getattr(user, "is_authenticated", False)) and user.is_confirmed
            and not user.is_guest)


@remembered
def is_restricted(user) -> bool:
    """An account under a measure that stops writing: blocked, or suspended until later.
    Reading stays open; guests' rows count too (their address is what is blocked)."""
    if getattr(user, "blocked_at", None) is not None:
        return True
    until = getattr(user, "suspended_until", None)
    return until is not None and until > utcnow()


# --- moderation scope -------------------------------------------------------------------
# A moderator under a measure (suspended or blocked) moderates nothing: deciding is writing.

def _may_moderate(user) -> bool:
    return is_member(user) and not is_restricted(user)


@remembered
def is_site_moderator(user) -> bool:
    return _may_moderate(user) and user.is_moderator


@remembered
def moderates_anything(user) -> bool:
    return is_site_moderator(user) or (_may_moderate(user) and bool(user.moderated_project_ids))


@remembered
def moderates_board(user, board: Board) -> bool:
    if is_site_moderator(user):
        return True
    return _may_moderate(user) and board.project_id in user.moderated_project_ids


def moderation_scope(user) -> tuple:
    """All that the moderation filters below (boards, posts, updates, reports, appeals and
    decisions in scope) take from a person: who they are (the filters against conflicts of
    interest name them), whether they moderate site-wide, and which projects they moderate.
    While the answer stays the same, so do the statements each of them builds."""
    ids = user.moderated_project_ids if _may_moderate(user) else ()
    return (user.id, is_site_moderator(user), tuple(sorted(ids)))


def moderated_boards(user) -> sa.ColumnElement[bool]:
    """Filter on Board: the boards in the user's moderation scope."""
    if is_site_moderator(user):
        return sa.true()
    ids = user.moderated_project_ids if _may_moderate(user) else ()
    return Board.project_id.in_(ids) if ids else sa.false()


# Reports of child sexual abuse or of a threat to life or safety are for site moderators:
# the posts and updates they concern, and every decision and appeal about them, too.
SITE_ONLY_REPORT = Report.concerns_child_abuse | Report.concerns_threat


def has_site_only_report(obj, about) -> bool:
    """Has the post or update (`about`: a filter on Report) a report that only site
    moderators handle? Asked in the session `obj` was loaded in."""
    session = sa.inspect(obj).session
    return session is not None and bool(session.scalar(sa.select(sa.exists().where(
        about, SITE_ONLY_REPORT))))


def site_only_post_ids():
    return sa.select(Report.post_id).where(SITE_ONLY_REPORT, Report.post_id.is_not(None))


def site_only_update_ids():
    return sa.select(Report.update_id).where(SITE_ONLY_REPORT, Report.update_id.is_not(None))


def decisions_in_scope(user) -> sa.ColumnElement[bool]:
    """Filter on Decision (the log, a decision's page): decisions in the user's boards, for
    site moderators also those about accounts; never, for project moderators, decisions
    about a post or update with a report that only site moderators handle."""
    about: sa.ColumnElement[bool] = Decision.board_id.in_(moderated_board_ids(user))
    if is_site_moderator(user):
        return about | Decision.board_id.is_(None)
    return (about & (Decision.post_id.is_(None) | Decision.post_id.not_in(site_only_post_ids()))
            & (Decision.update_id.is_(None)
               | Decision.update_id.not_in(site_only_update_ids())))


def moderated_board_ids(user):
    """Subquery: ids of the boards in the user's moderation scope."""
    return sa.select(Board.id).where(moderated_boards(user))


# Threads outside moderation: a guest's question before confirmation, and one its guest
# asker withdrew. No queue lists their posts and no moderation action applies to them.
UNMODERATED_STATES = (ThreadState.UNCONFIRMED, ThreadState.WITHDRAWN)


# ... and merged threads live on in their target: no thread action applies to them.
NOT_ACTIONABLE = (ThreadState.MERGED, *UNMODERATED_STATES)


def actionable_threads(user) -> sa.ColumnElement[bool]:
    """Filter on Thread: threads a moderator may lock, move or merge (into)."""
    return Thread.board_id.in_(moderated_board_ids(user)) & Thread.state.not_in(NOT_ACTIONABLE)


def appeals_in_scope(user) -> sa.ColumnElement[bool]:
    """Filter on Appeal: appeals about decisions on threads in the user's scope, and for site
    moderators also about measures against accounts (join-free)."""
    threads = sa.select(Thread.id).where(Thread.board_id.in_(moderated_board_ids(user)))
    about: sa.ColumnElement[bool] = (Decision.thread_id.in_(threads)
                                     | Decision.update_id.in_(moderated_update_ids(user)))
    if is_site_moderator(user):
        about = about | (Decision.thread_id.is_(None) & Decision.update_id.is_(None))
    else:  # appeals about what only site moderators handle are theirs
        about = about & (Decision.post_id.is_(None)
                         | Decision.post_id.not_in(site_only_post_ids())) & (
            Decision.update_id.is_(None) | Decision.update_id.not_in(site_only_update_ids()))
    return Appeal.decision_id.in_(sa.select(Decision.id).where(about))


def moderated_update_ids(user):
    """Subquery: ids of the project updates in the user's moderation scope (the updates of
    the projects whose boards the user moderates)."""
    projects = sa.select(Board.project_id).where(moderated_boards(user),
                                                 Board.project_id.is_not(None))
    return sa.select(ProjectUpdate.id).where(ProjectUpdate.project_id.in_(projects))


def handled_reports(user) -> sa.ColumnElement[bool]:
    """Filter on Report: reports of child sexual abuse or of a threat to life or safety go to
    site moderators only; project moderators never see them."""
    if is_site_moderator(user):
        return sa.true()
    return ~Report.concerns_child_abuse & ~Report.concerns_threat


def appeals_reported_by(user) -> sa.ColumnElement[bool]:
    """Filter on Appeal: the user filed its report, one its decision settled or on its post."""
    mine = sa.select(Report.id, Report.decision_id, Report.post_id).where(
        Report.reporter_id == user.id).subquery()
    decisions = sa.select(Decision.id).where(Decision.id.in_(sa.select(mine.c.decision_id)) | (
        Decision.from_report & Decision.post_id.in_(sa.select(mine.c.post_id))))
    return (Appeal.report_id.is_not(None) & Appeal.report_id.in_(sa.select(mine.c.id))
            | Appeal.decision_id.in_(decisions.correlate(None)))


def appeals_free_of_conflict(user) -> sa.ColumnElement[bool]:
    """Filter on Appeal: no party to it (uncorrelated, so queries may join Decision)."""
    own = sa.select(Decision.id).where((Decision.moderator_id == user.id)
                                       | (Decision.author_id == user.id)).correlate(None)
    return Appeal.decision_id.not_in(own) & ~appeals_reported_by(user)


def moderatable_posts(user) -> sa.ColumnElement[bool]:
    """Filter on Post for the queues: in the user's scope, not in an unmoderated thread."""
    outside = sa.select(Thread.id).where(Thread.state_in(UNMODERATED_STATES))
    return moderated_posts(user) & Post.thread_id.not_in(outside)


def moderated_posts(user) -> sa.ColumnElement[bool]:
    """Filter on Post: posts in boards the user moderates (join-free)."""
    if is_site_moderator(user):
        return sa.true()
    threads = sa.select(Thread.id).where(Thread.board_id.in_(moderated_board_ids(user)))
    return Post.thread_id.in_(threads) & Post.id.not_in(site_only_post_ids())


# --- experts ----------------------------------------------------------------------------

def expert_users() -> sa.ColumnElement[bool]:
    """Filter on User: people with an expert verification in force today."""
    in_force = sa.select(ExpertVerification.user_id).where(ExpertVerification.in_force_clause())
    return User.id.in_(in_force) & User.is_guest.is_(False)


# --- visibility -------------------------------------------------------------------------

def visible_threads(user) -> sa.ColumnElement[bool]:
    """Public threads; the author's own pending ones; everything in a moderator's scope."""
    if is_site_moderator(user):
        return sa.true()
    condition = Thread.state.in_(PUBLIC_THREAD_STATES)
    if is_member(user):
        condition = condition | ((Thread.author_id == user.id) & Thread.state.in_(OWN_STATES))
        if user.moderated_project_ids:
            condition = condition | Thread.board_id.in_(moderated_board_ids(user))
    return condition


def listed_threads(user) -> sa.ColumnElement[bool]:
    """Lists, counts and feeds show published threads only, even to moderators."""
    return Thread.state.in_(PUBLIC_THREAD_STATES)


def visible_posts(user) -> sa.ColumnElement[bool]:
    if is_site_moderator(user):
        return sa.true()
    # a removed question stays as a placeholder without text or author (services/privacy.py)
    condition = Post.state.in_((PostState.PUBLISHED, PostState.REMOVED))
    if is_member(user):
        condition = condition | (Post.author_id == user.id)  # own posts, with their state
        if user.moderated_project_ids:
            condition = condition | moderated_posts(user)
    return condition
