"""The objects a moderator acts on, loaded only through queries scoped to the moderator.

Each loader filters by the rulebook's scope in SQL and then runs the rule itself, so an id
from outside the scope is a 404 whether it exists or not (IDOR-safe), and views never query.
"""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from .. import permissions
from ..enums import PostKind, PostState
from ..extensions import db
from ..models import (
    Appeal,
    Board,
    Decision,
    Post,
    PostRevision,
    ProjectUpdate,
    RejectionReason,
    Report,
    Thread,
    User,
)
from .queue import POST_OPTIONS


def _found(obj):
    if obj is None:
        raise NotFound()
    return obj


def post(user: User, post_id: int) -> Post:
    """A post in the moderator's scope, with its thread, board, author and revisions."""
    found = _found(db.session.scalar(
        sa.select(Post).where(Post.id == post_id, permissions.moderated_posts(user))
        .options(*POST_OPTIONS, selectinload(Post.revisions).joinedload(PostRevision.editor))))
    permissions.check("post.moderate", user, found)
    return found


def thread(user: User, thread_id: int) -> Thread:
    """A thread the moderator may lock, move or merge."""
    found = _found(db.session.scalar(
        sa.select(Thread).where(Thread.id == thread_id, permissions.actionable_threads(user))
        .options(joinedload(Thread.board))))
    permissions.check("thread.moderate", user, found)
    return found


def question(user: User, thread_obj: Thread) -> Post:
    """The question post of a thread, as a post in the moderator's scope."""
    question_id = _found(db.session.scalar(sa.select(Post.id).where(
        Post.thread_id == thread_obj.id, Post.kind == PostKind.QUESTION)))
    return post(user, question_id)


def merge_target(user: User, target_id: int | None) -> Thread | None:
    """The thread to merge into, if the moderator may act on it; None otherwise."""
    if target_id is None:
        return None
    return db.session.scalar(sa.select(Thread).where(
        Thread.id == target_id, permissions.actionable_threads(user)))


def move_targets(user: User, thread_obj: Thread) -> list[Board]:
    """The other boards in the moderator's scope, by name."""
    query = (sa.select(Board).where(permissions.moderated_boards(user),
                                    Board.id != thread_obj.board_id)
             .options(joinedload(Board.project), joinedload(Board.topic_field)))
    return sorted(db.session.scalars(query), key=lambda b: b.name.lower())


def board(user: User, board_id: int | None) -> Board:
    """A board in the moderator's scope (the target of a move)."""
    return _found(db.session.scalar(sa.select(Board).where(
        Board.id == board_id, permissions.moderated_boards(user))))


def appeal(user: User, appeal_id: int) -> Appeal:
    """An appeal about a decision on a thread in the moderator's scope."""
    found = _found(db.session.scalar(
        sa.select(Appeal).where(Appeal.id == appeal_id, permissions.appeals_in_scope(user))
        .options(joinedload(Appeal.decision).joinedload(Decision.thread)
                 .joinedload(Thread.board))))
    permissions.check("appeal.view", user, found)
    return found


def rejection_reasons() -> list[RejectionReason]:
    """The active entries of the catalogue, in the admins' order."""
    query = sa.select(RejectionReason).where(RejectionReason.active)
    return list(db.session.scalars(query.order_by(RejectionReason.position,
                                                  RejectionReason.title)))


def rejection_reason(reason_id: int | None) -> RejectionReason:
    return _found(db.session.scalar(sa.select(RejectionReason).where(
        RejectionReason.id == reason_id, RejectionReason.active)))


def reports_of(user: User, post_obj: Post) -> list[Report]:
    """The post's reports the moderator handles (see the rulebook's handled_reports)."""
    return list(db.session.scalars(
        sa.select(Report).where(Report.post_id == post_obj.id,
                                permissions.handled_reports(user))
        .order_by(Report.created_at.desc())))


def report(user: User, report_id: int) -> Report:
    """A report about a post in the moderator's scope that the moderator handles."""
    about_posts = Report.post_id.in_(sa.select(Post.id).where(permissions.moderated_posts(user)))
    about_updates = Report.update_id.in_(permissions.moderated_update_ids(user))
    found = _found(db.session.scalar(
        sa.select(Report).where(Report.id == report_id, about_posts | about_updates,
                                permissions.handled_reports(user))))
    permissions.check("report.handle", user, found)
    return found


def account(user: User, user_id: int) -> User:
    """An account a moderator may look at: site moderators any; project moderators the
    authors of posts in their boards."""
    query = sa.select(User).where(User.id == user_id)
    if not permissions.is_site_moderator(user):
        query = query.where(User.id.in_(sa.select(Post.author_id).where(
            permissions.moderated_posts(user))))
    return _found(db.session.scalar(query))


def pending_posts_by_ids(user: User, ids: list[int]) -> list[Post]:
    """The pending posts among `ids` in the moderator's scope (for bulk decisions)."""
    if not ids:
        return []
    query = (sa.select(Post).where(Post.id.in_(ids), Post.state == PostState.PENDING,
                                   permissions.moderatable_posts(user))
             .options(*POST_OPTIONS).order_by(Post.id))
    return list(db.session.scalars(query).unique())


def history_of(post_obj: Post) -> list[Decision]:
    """Every decision on the post or its thread, newest first."""
    query = (sa.select(Decision).where(
        (Decision.post_id == post_obj.id) | (Decision.thread_id == post_obj.thread_id))
        .options(joinedload(Decision.moderator)).order_by(Decision.id.desc()))
    return list(db.session.scalars(query))


def decision(user: User, decision_id: int) -> Decision:
    """A decision in the moderator's log scope (boards moderated; measures for site
    moderators)."""
    return _found(db.session.scalar(
        sa.select(Decision).where(Decision.id == decision_id,
                                  permissions.decisions_in_scope(user))
        .options(joinedload(Decision.moderator), joinedload(Decision.post),
                 joinedload(Decision.thread))))


def project_update(user: User, update_id: int) -> ProjectUpdate:
    """A project update in the moderator's scope (hidden ones too), with its project."""
    found = _found(db.session.scalar(
        sa.select(ProjectUpdate).where(ProjectUpdate.id == update_id,
                                       ProjectUpdate.id.in_(permissions.moderated_update_ids(user)))
        .options(joinedload(ProjectUpdate.project), joinedload(ProjectUpdate.author))))
    permissions.check("update.moderate", user, found)
    return found


def reports_of_update(user: User, item: ProjectUpdate) -> list[Report]:
    return list(db.session.scalars(
        sa.select(Report).where(Report.update_id == item.id, permissions.handled_reports(user))
        .order_by(Report.created_at.desc())))


def history_of_update(item: ProjectUpdate) -> list[Decision]:
    query = (sa.select(Decision).where(Decision.update_id == item.id)
             .options(joinedload(Decision.moderator)).order_by(Decision.id.desc()))
    return list(db.session.scalars(query))
