"""Questions nobody answered: after the board's number of days they are escalated once to the
moderators of their scope and to the experts watching their topic fields or project."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Board,
    SiteRole,
    Thread,
    ThreadState,
    User,
    Watch,
    project_topic_fields,
    utcnow,
)
from ..permissions import moderates_board
from . import Mail, outbox, queue


def due(now=None) -> list[Thread]:
    """Open, unanswered, not yet escalated threads older than their board's limit."""
    now = now or utcnow()
    query = (sa.select(Thread).join(Board, Board.id == Thread.board_id)
             .where(Thread.state == ThreadState.OPEN, Thread.answer_count == 0,
                    Thread.locked.is_(False), Thread.escalated_at.is_(None))
             .options(joinedload(Thread.board).joinedload(Board.project),
                      joinedload(Thread.board).joinedload(Board.topic_field))
             .order_by(Thread.created_at))
    return [t for t in db.session.scalars(query)
            if t.created_at <= now - timedelta(days=t.board.escalate_after_days)]


def _experts_for(thread: Thread) -> list[User]:
    board = thread.board
    targets = []
    if board.topic_field_id is not None:
        targets.append(Watch.topic_field_id == board.topic_field_id)
    if board.project_id is not None:
        targets.append(Watch.project_id == board.project_id)
        tagged = sa.select(project_topic_fields.c.topic_field_id).where(
            project_topic_fields.c.project_id == board.project_id)
        targets.append(Watch.topic_field_id.in_(tagged))
    query = (sa.select(User).join(Watch, Watch.user_id == User.id)
             .where(sa.or_(*targets), User.site_role == SiteRole.EXPERT,
                    User.email_confirmed_at.is_not(None)).distinct())
    return list(db.session.scalars(query))


def escalate(now=None) -> int:
    """Mark and announce every due thread once; running it again does nothing new."""
    now = now or utcnow()
    moderators = queue.moderators()
    count = 0
    for thread in due(now):
        claimed = db.session.execute(
            sa.update(Thread).where(Thread.id == thread.id, Thread.escalated_at.is_(None))
            .values(escalated_at=now))
        if not claimed.rowcount:
            continue
        recipients = {u.id: u for u in moderators if moderates_board(u, thread.board)}
        recipients.update({u.id: u for u in _experts_for(thread)})
        for user in recipients.values():
            outbox.enqueue(Mail(to=user.email, template="escalation", locale=user.locale,
                                subject=_l("Seit Tagen ohne Antwort: %(title)s",
                                           title=thread.title),
                                context={"thread": thread, "user": user}))
        db.session.commit()
        count += 1
    return count
