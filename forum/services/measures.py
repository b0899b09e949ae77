"""Measures against accounts (DSA art. 23, and plain spam): warn, suspend for a period,
block, and lift. Each is a moderation decision with a statement of reasons and an appeal;
a suspended or blocked account (or guest address) can read but not write, report or mail
anybody (the rulebook's `account.write`). Project moderators request a measure instead: the
request waits for site moderators in the queue as an internal note on the account."""

from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from .. import permissions
from ..extensions import db
from ..models import (
    ACCOUNT_MEASURES,
    RESTRICTING,
    Decision,
    DecisionAction,
    ModerationNote,
    Post,
    PostState,
    RejectionReason,
    Report,
    User,
    utcnow,
)
from . import Outcome, ServiceError, moderation, once, outbox, rows_changed
from .decisions import author_mail, finish, record_decision, require_grounds

MAX_SUSPENSION_DAYS = 365
SUBJECTS = {
    DecisionAction.WARN: _l("Begründung: Verwarnung Ihres Kontos"),
    DecisionAction.SUSPEND: _l("Begründung: Ihr Konto ist vorübergehend gesperrt"),
    DecisionAction.BLOCK: _l("Begründung: Ihr Konto ist gesperrt"),
}
MEASURE_ACTIONS = (*ACCOUNT_MEASURES, DecisionAction.LIFT)
ACCOUNT_ITEM = "account"  # the item kind of internal notes on an account
REQUEST_ITEM = "request"  # ... and of a project moderator's request for a measure


def take_measure(moderator: User, target: User, action: DecisionAction, *, ground_kind=None,
                 ground: str = "", facts: str, days: int | None = None,
                 reason: RejectionReason | None = None, reject_pending: bool = False,
                 once_key: str | None = None) -> Outcome:
    """Warn, suspend (for `days`) or block `target`; optionally reject its pending posts in
    the same step (each rejection a decision and a statement of its own). A suspension or
    block is set only on an account not already under one (conditional update: of two at
    the same moment one wins); a form sent twice records one measure (services.once)."""
    permissions.check("account.measure", moderator, target)
    key = once.begin(once_key, moderator, "measure")
    if action not in ACCOUNT_MEASURES:
        raise ServiceError(_l("Bitte wählen Sie eine Maßnahme."), field="action")
    if reason is not None:
        ground_kind, ground = reason.ground_kind, reason.ground
    require_grounds(ground_kind, ground, facts)
    now = utcnow()
    until = None
    if action == DecisionAction.SUSPEND:
        if days is None or not 1 <= days <= MAX_SUSPENSION_DAYS:
            raise ServiceError(_l("Bitte geben Sie eine Dauer von 1 bis 365 Tagen an."),
                               field="days")
        until = now + timedelta(days=days)
        _restrict(target, suspended_until=until)
    elif action == DecisionAction.BLOCK:
        _restrict(target, blocked_at=now)
    decision = record_decision(
        moderator, action, ground_kind=ground_kind, ground=ground.strip(), facts=facts.strip(),
        author_id=target.id, measure_until=until, reason_id=reason.id if reason else None,
        subject_created_at=_first_request(target) or now)
    mails = author_mail(decision, "measure", SUBJECTS[action])
    if reject_pending:
        for post in _pending_of(target):
            mails += moderation.reject_with(
                moderator, post, ground_kind=decision.ground_kind, ground=decision.ground,
                facts=decision.facts, reason_id=decision.reason_id)[1]
    for mail in mails:
        outbox.enqueue(mail)
    once.commit(key, decision)
    return Outcome(decision, mails)


def _restrict(target: User, **values) -> None:
    """Suspend or block, only an account under neither (a block may follow a suspension)."""
    free: sa.ColumnElement[bool] = User.blocked_at.is_(None)
    if "suspended_until" in values:
        free = free & (User.suspended_until.is_(None) | (User.suspended_until <= utcnow()))
    if not rows_changed(db.session.execute(update(User).where(User.id == target.id, free)
                                           .values(**values))):
        db.session.rollback()
        raise ServiceError(_l("Für dieses Konto gilt bereits eine Sperre. Heben Sie sie erst "
                              "auf, wenn Sie eine andere verhängen möchten."), field="action")


def lift(moderator: User, target: User, *, note: str) -> Outcome:
    """End a suspension or block early (the measure's decision stays in the log)."""
    permissions.check("account.measure", moderator, target)
    if target.blocked_at is None and not permissions.is_restricted(target):
        raise ServiceError(_l("Für dieses Konto gilt keine Sperre."))
    if not note.strip():
        raise ServiceError(_l("Bitte begründen Sie kurz, warum die Sperre endet."),
                           field="facts")
    db.session.execute(update(User).where(User.id == target.id)
                       .values(suspended_until=None, blocked_at=None))
    decision = record_decision(moderator, DecisionAction.LIFT, author_id=target.id,
                               facts=note.strip())
    return finish(decision, author_mail(decision, "measure_lifted",
                                        _l("Ihr Konto ist nicht mehr gesperrt")))


def lift_for_appeal(decision: Decision) -> None:
    """An upheld appeal against a suspension or block ends it (in the verdict's
    transaction), unless a later measure is in force."""
    if decision.action not in (DecisionAction.SUSPEND, DecisionAction.BLOCK):
        return
    later = db.session.scalar(select(Decision.id).where(
        Decision.author_id == decision.author_id, Decision.id > decision.id,
        Decision.action == decision.action).limit(1))
    if later is None:  # only what this measure set: a block's appeal leaves a suspension
        column = "suspended_until" if decision.action == DecisionAction.SUSPEND else "blocked_at"
        db.session.execute(update(User).where(User.id == decision.author_id)
                           .values({column: None}))


def request_measure(moderator: User, target: User, text: str) -> ModerationNote:
    """A project moderator asks the site moderators for a measure against an account."""
    permissions.check("account.measure_request", moderator, target)
    if not text.strip():
        raise ServiceError(_l("Bitte beschreiben Sie, was Sie beantragen und warum."),
                           field="text")
    note = ModerationNote(item_kind=REQUEST_ITEM, item_id=target.id, author_id=moderator.id,
                          body=text.strip(), created_at=utcnow())
    db.session.add(note)
    db.session.commit()
    return note


def open_requests():
    """Accounts with a request newer than the last measure on them: (user, note), oldest
    first."""
    return [tuple(row) for row in db.session.execute(_open_requests_statement())]


@lru_cache(maxsize=1)
def _open_requests_statement() -> sa.Select:
    """The same for every site moderator, on every queue page they open: built once."""
    last_measure = (select(db.func.max(Decision.created_at))
                    .where(Decision.author_id == ModerationNote.item_id,
                           Decision.action.in_((*ACCOUNT_MEASURES, DecisionAction.LIFT)))
                    .correlate(ModerationNote).scalar_subquery())
    return (select(User, ModerationNote).join(ModerationNote, ModerationNote.item_id == User.id)
            .where(ModerationNote.item_kind == REQUEST_ITEM,
                   (last_measure.is_(None)) | (ModerationNote.created_at > last_measure))
            .order_by(ModerationNote.created_at))


def _first_request(target: User):
    return db.session.scalar(select(db.func.min(ModerationNote.created_at)).where(
        ModerationNote.item_kind == REQUEST_ITEM, ModerationNote.item_id == target.id))


def _pending_of(target: User) -> list[Post]:
    return list(db.session.scalars(select(Post).where(
        Post.author_id == target.id, Post.state == PostState.PENDING).order_by(Post.id)))


def author_summary(user: User) -> dict:
    """What a moderator sees of an author beside a queue item: approved posts, earlier
    restricting decisions by action, and whether a measure is in force."""
    earlier: dict = dict(db.session.execute(
        select(Decision.action, db.func.count()).where(
            Decision.author_id == user.id, Decision.action.in_(RESTRICTING))
        .group_by(Decision.action)).all())
    return {"user": user, "approved": user.approved_post_count, "earlier": earlier,
            "restricted": permissions.is_restricted(user)}


def account_history(viewer: User, user: User) -> dict:
    """The admin user page and the moderators' account page: decisions about the account's
    content, measures against it, and the reports it filed, as far as `viewer` may see them
    (a project moderator: their boards, never what only site moderators handle)."""
    in_scope = Report.post_id.in_(select(Post.id).where(permissions.moderated_posts(viewer))) | (
        Report.update_id.in_(permissions.moderated_update_ids(viewer)))
    decisions = list(db.session.scalars(
        select(Decision).where(Decision.author_id == user.id,
                               permissions.decisions_in_scope(viewer))
        .options(joinedload(Decision.moderator), joinedload(Decision.thread))
        .order_by(Decision.id.desc()).limit(100)))
    reports = list(db.session.scalars(
        select(Report).where(Report.reporter_id == user.id, in_scope,
                             permissions.handled_reports(viewer))
        .options(joinedload(Report.post).joinedload(Post.thread))
        .order_by(Report.id.desc()).limit(100)))
    return {"decisions": [d for d in decisions if d.action not in MEASURE_ACTIONS],
            "measures": [d for d in decisions if d.action in MEASURE_ACTIONS],
            "reports": reports, "restricted": permissions.is_restricted(user)}
