"""Moderation of project updates ("Neuigkeiten"), like posts: hide with grounds (the open
reports settled with it), restore, or settle the reports without action. Each is a decision
with its statement; the same building blocks as posts (services.decisions)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import update as sql_update

from .. import permissions
from ..extensions import db
from ..models import DecisionAction, ProjectUpdate, RejectionReason, ReportState, User, utcnow
from . import AlreadyHandled, Outcome, ServiceError, rows_changed
from .decisions import (
    ALREADY,
    author_mail,
    finish,
    open_reports,
    record_decision,
    reporter_mails_on_restore,
    require_grounds,
    settle_reports,
    take,
)
from .moderation import grounds_from


def _set_hidden(item: ProjectUpdate, hidden: bool) -> None:
    """Hide or show the update, only from the opposite state (AlreadyHandled otherwise)."""
    now_hidden = ProjectUpdate.hidden_at.is_not(None)
    result = db.session.execute(
        sql_update(ProjectUpdate)
        .where(ProjectUpdate.id == item.id, ~now_hidden if hidden else now_hidden)
        .values(hidden_at=utcnow() if hidden else None))
    if not rows_changed(result):
        db.session.rollback()
        raise AlreadyHandled(ALREADY)


def hide_update(moderator: User, item: ProjectUpdate, *, ground_kind=None, ground: str = "",
                facts: str, reason: RejectionReason | None = None,
                seen: int | None = None) -> Outcome:
    permissions.check("update.moderate", moderator, item)
    ground_kind, ground, reason_id = grounds_from(reason, ground_kind, ground)
    require_grounds(ground_kind, ground, facts)
    take(item, seen)
    reports = open_reports(item, moderator)
    _set_hidden(item, True)
    decision = record_decision(moderator, DecisionAction.HIDE, update=item, reports=reports,
                               ground_kind=ground_kind, ground=ground.strip(),
                               facts=facts.strip(), reason_id=reason_id)
    mails = author_mail(decision, "statement",
                        _l("Begründung: Ihre Neuigkeit wurde ausgeblendet"))
    mails += settle_reports(reports, decision, ReportState.ACTIONED)
    return finish(decision, mails)


def restore_update(moderator: User, item: ProjectUpdate, *, note: str = "",
                   seen: int | None = None) -> Outcome:
    permissions.check("update.moderate", moderator, item)
    take(item, seen)
    _set_hidden(item, False)
    decision = record_decision(moderator, DecisionAction.RESTORE, update=item,
                               facts=note.strip())
    mails = author_mail(decision, "restored", _l("Ihre Neuigkeit ist wieder sichtbar"))
    mails += reporter_mails_on_restore(decision)
    return finish(decision, mails)


def dismiss_update_reports(moderator: User, item: ProjectUpdate, *, facts: str,
                           seen: int | None = None) -> Outcome:
    permissions.check("update.moderate", moderator, item)
    if not facts.strip():
        raise ServiceError(_l("Bitte begründen Sie kurz, warum nichts zu tun ist."),
                           field="facts")
    take(item, seen)
    reports = open_reports(item, moderator)
    if not reports:
        raise AlreadyHandled(ALREADY)
    decision = record_decision(moderator, DecisionAction.DISMISS, update=item,
                               reports=reports, facts=facts.strip())
    return finish(decision, settle_reports(reports, decision, ReportState.DISMISSED))


def hide_for_appeal(moderator: User, item: ProjectUpdate, *, ground_kind, ground: str,
                    facts: str) -> list:
    """An upheld reporter appeal hides the update (in the verdict's transaction)."""
    if not item.is_public:
        return []
    take(item, None)
    later = open_reports(item)
    _set_hidden(item, True)
    hidden = record_decision(moderator, DecisionAction.HIDE, update=item, reports=later,
                             ground_kind=ground_kind, ground=ground.strip(),
                             facts=facts.strip())
    mails = author_mail(hidden, "statement", _l("Begründung: Ihre Neuigkeit wurde ausgeblendet"))
    return mails + settle_reports(later, hidden, ReportState.ACTIONED)


def show_for_appeal(item: ProjectUpdate) -> None:
    """An upheld author appeal shows the update again (in the verdict's transaction)."""
    if not item.is_public:
        take(item, None)
        _set_hidden(item, False)
