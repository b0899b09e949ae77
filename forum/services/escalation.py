"""Questions nobody answered: after the board's number of days they are escalated once to the
moderators of their scope, to the team of the project asked (its lead and members), and to
the experts who watch or are verified for their topic fields or project."""

from datetime import timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    TEAM_ROLES,
    Board,
    ExpertVerification,
    ProjectMember,
    Thread,
    ThreadState,
    User,
    Watch,
    project_topic_fields,
    utcnow,
    verification_projects,
    verification_topic_fields,
)
from ..permissions import expert_users, moderates_board
from . import Mail, outbox, queue


def due(now=None) -> list[Thread]:
    """Open, unanswered, not yet escalated threads older than their board's limit."""
    now = now or utcnow()
    query = (sa.select(Thread).join(Board, Board.id == Thread.board_id)
             .where(Thread.state == ThreadState.OPEN, Thread.unanswered(),
                    Thread.locked.is_(False), Thread.escalated_at.is_(None))
             .options(joinedload(Thread.board).joinedload(Board.project),
                      joinedload(Thread.board).joinedload(Board.topic_field))
             .order_by(Thread.created_at))
    return [t for t in db.session.scalars(query)
            if t.created_at <= now - timedelta(days=t.board.escalate_after_days)]


def _experts_for(thread: Thread) -> list[User]:
    """Experts who watch the thread's topic field or project, or are verified for it."""
    board = thread.board
    watched, verified = [], []
    if board.topic_field_id is not None:
        watched.append(Watch.topic_field_id == board.topic_field_id)
        verified.append(verification_topic_fields.c.topic_field_id == board.topic_field_id)
    if board.project_id is not None:
        topic_ids = sa.select(project_topic_fields.c.topic_field_id).where(
            project_topic_fields.c.project_id == board.project_id)
        watched += [Watch.project_id == board.project_id, Watch.topic_field_id.in_(topic_ids)]
        verified.append(verification_topic_fields.c.topic_field_id.in_(topic_ids))
    watching = sa.select(Watch.user_id).where(sa.or_(*watched))
    by_topic = (sa.select(ExpertVerification.user_id)
                .join(verification_topic_fields,
                      verification_topic_fields.c.verification_id == ExpertVerification.id)
                .where(sa.or_(*verified), ExpertVerification.in_force_clause()))
    by_project = (sa.select(ExpertVerification.user_id)
                  .join(verification_projects,
                        verification_projects.c.verification_id == ExpertVerification.id)
                  .where(verification_projects.c.project_id == board.project_id,
                         ExpertVerification.in_force_clause()))
    query = (sa.select(User)
             .where(sa.or_(User.id.in_(watching), User.id.in_(by_topic),
                           User.id.in_(by_project)),
                    expert_users(), User.email_confirmed_at.is_not(None))
             .order_by(User.id))
    return list(db.session.scalars(query))


def _team_for(thread: Thread) -> list[User]:
    """The team of the project whose board the question is in (none for a topic field)."""
    project_id = thread.board.project_id
    if project_id is None:
        return []
    query = (sa.select(User).join(ProjectMember, ProjectMember.user_id == User.id)
             .where(ProjectMember.project_id == project_id, ProjectMember.role.in_(TEAM_ROLES),
                    User.email_confirmed_at.is_not(None))
             .order_by(User.id))
    return list(db.session.scalars(query))


def escalate(now=None) -> int:
    """Mark and announce every due thread once; running it again does nothing new."""
    now = now or utcnow()
    moderators = queue.moderators()
    count = 0
    for thread in due(now):
        claimed = cast(CursorResult[Any], db.session.execute(
            sa.update(Thread).where(Thread.id == thread.id, Thread.escalated_at.is_(None))
            .values(escalated_at=now)))
        if not claimed.rowcount:
            continue
        recipients = {u.id: u for u in moderators if moderates_board(u, thread.board)}
        recipients.update({u.id: u for u in _team_for(thread)})
        recipients.update({u.id: u for u in _experts_for(thread)})
        for user in recipients.values():
            outbox.enqueue(Mail(to=user.email, template="escalation", locale=user.locale,
                                subject=_l("Seit Tagen ohne Antwort: %(title)s",
                                           title=thread.title),
                                context={"thread": thread, "user": user}))
        db.session.commit()
        count += 1
    return count
