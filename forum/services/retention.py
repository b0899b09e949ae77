"""Retention: one run deletes what the forum no longer needs, with the periods set in the
configuration (FORUM_RETENTION_*, see README "Aufbewahrung") and named by the registry in
`forum/personal_data.py`. `flask forum purge` runs it (daily); `purge-guests` is its old name.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..enums import AppealState, BarrierState, DeletionMode, ReportState, ThreadState
from ..extensions import db
from ..models import (
    Appeal,
    BarrierReport,
    Decision,
    Draft,
    GuestLink,
    ModerationNote,
    OutboxMail,
    Post,
    QueueClaim,
    Report,
    Thread,
    User,
    utcnow,
)
from . import guests, once, queue_tools, rows_changed, sessions
from .counters import USER_COUNTERS
from .privacy import erase_person, person


def _days(name: str, default: int) -> timedelta:
    return timedelta(days=int(current_app.config.get(name, default)))


def purge_outbox(now) -> int:
    sent = OutboxMail.sent_at < now - _days("RETENTION_OUTBOX_SENT_DAYS", 30)
    failed = OutboxMail.failed_at < now - _days("RETENTION_OUTBOX_FAILED_DAYS", 90)
    return rows_changed(db.session.execute(sa.delete(OutboxMail).where(sent | failed)))


def purge_unconfirmed_accounts(now) -> int:
    """Accounts whose address was never confirmed (they cannot log in), with their mails."""
    cutoff = now - _days("RETENTION_UNCONFIRMED_DAYS", 7)
    stale = list(db.session.scalars(sa.select(User).where(
        User.is_guest.is_(False), User.email_confirmed_at.is_(None), User.created_at < cutoff)))
    for user in stale:
        erase_person(person(user), DeletionMode.REMOVE)
    return len(stale)


def purge_withdrawn(now) -> int:
    """Questions their guests withdrew: the thread with its text goes (nobody sees it any
    more); those who answered keep their approved-post count right."""
    cutoff = now - _days("RETENTION_WITHDRAWN_DAYS", 0)
    threads = list(db.session.scalars(sa.select(Thread.id).where(
        Thread.state == ThreadState.WITHDRAWN, Thread.last_activity_at <= cutoff)))
    if not threads:
        return 0
    authors = set(db.session.scalars(sa.select(Post.author_id).where(
        Post.thread_id.in_(threads), Post.author_id.is_not(None))))
    db.session.execute(sa.update(Thread).where(Thread.merged_into_id.in_(threads))
                       .values(merged_into_id=None))
    db.session.execute(sa.delete(Thread).where(Thread.id.in_(threads))
                       .execution_options(synchronize_session=False))
    for column, expected in USER_COUNTERS.items():
        db.session.execute(sa.update(User).where(User.id.in_(authors))
                           .values({column: expected}),
                           execution_options={"synchronize_session": False})
    return len(threads)


def purge_reporters(now) -> int:
    """Reporters' names and addresses once the report is decided and no appeal about it is
    open, the set period after the decision; appeal addresses likewise after the verdict;
    the contact of a barrier report the set period after its case was closed."""
    cutoff = now - _days("RETENTION_REPORTER_DAYS", 183)
    open_appeals = sa.select(Appeal.id).where(
        Appeal.state == AppealState.OPEN,
        (Appeal.report_id == Report.id) | (Appeal.decision_id == Report.decision_id)).exists()
    decided = sa.select(Decision.created_at).where(Decision.id == Report.decision_id)
    settled = (Report.state != ReportState.OPEN) & ~open_appeals & sa.or_(
        decided.scalar_subquery() < cutoff,
        Report.decision_id.is_(None) & (Report.created_at < cutoff))
    has_contact = (Report.reporter_email != "") | (Report.reporter_name != "") | (
        Report.reporter_id.is_not(None))
    cleared = rows_changed(db.session.execute(
        sa.update(Report).where(settled, has_contact)
        .values(reporter_name="", reporter_email="", reporter_id=None)
        .execution_options(synchronize_session=False)))
    cleared += rows_changed(db.session.execute(
        sa.update(Appeal).where(Appeal.state != AppealState.OPEN, Appeal.decided_at < cutoff,
                                Appeal.contact_email != "")
        .values(contact_email="").execution_options(synchronize_session=False)))
    cleared += rows_changed(db.session.execute(
        sa.update(BarrierReport).where(
            BarrierReport.state == BarrierState.CLOSED, BarrierReport.closed_at < cutoff,
            (BarrierReport.contact_email != "") | (BarrierReport.contact_name != ""))
        .values(contact_name="", contact_email="")
        .execution_options(synchronize_session=False)))
    return cleared


def purge_tokens(now) -> int:
    """Kept form input past its lifetime, one-time form keys (services/once), guests' names
    kept on a confirmed link (the guest's row has it), unused log-in sessions."""
    hours = int(current_app.config.get("RETENTION_DRAFT_HOURS", 12))
    count = rows_changed(db.session.execute(
        sa.delete(Draft).where(Draft.created_at < now - timedelta(hours=hours))))
    count += rows_changed(db.session.execute(
        sa.update(GuestLink).where(GuestLink.confirmed_at.is_not(None),
                                   GuestLink.display_name != "")
        .values(display_name="").execution_options(synchronize_session=False)))
    return count + sessions.purge(now)


def purge_moderation_leftovers(now) -> int:
    """Expired "Ich bearbeite das" claims, and internal notes whose item (post, appeal or
    account) no longer exists: the registry promises notes only as long as their item."""
    expired = now - timedelta(minutes=queue_tools.CLAIM_MINUTES)
    count = rows_changed(db.session.execute(
        sa.delete(QueueClaim).where(QueueClaim.claimed_at <= expired)))
    for kind, model in ((queue_tools.POST, Post), (queue_tools.APPEAL, Appeal),
                        ("account", User), ("request", User)):
        count += rows_changed(db.session.execute(sa.delete(ModerationNote).where(
            ModerationNote.item_kind == kind,
            ModerationNote.item_id.not_in(sa.select(model.id)))))
    return count


def purge(now=None) -> dict[str, int]:
    """Run every rule; returns what each deleted or emptied."""
    now = now or utcnow()
    done = {"guest_questions": guests.purge_unconfirmed(now)}
    done["withdrawn"] = purge_withdrawn(now)
    done["guests"] = guests.purge_leftover_guests()
    done["accounts"] = purge_unconfirmed_accounts(now)
    done["outbox"] = purge_outbox(now)
    done["reporters"] = purge_reporters(now)
    done["tokens"] = purge_tokens(now)
    done["moderation"] = purge_moderation_leftovers(now)
    db.session.commit()
    done["form_keys"] = once.purge()
    return done
