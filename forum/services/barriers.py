"""Barriere melden (§ 7 BITV 2.0): a visitor's report becomes a case; the accessibility
contact gets it by mail, admins answer it (by mail) and close it."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from .. import permissions
from ..enums import AuditAction, BarrierState
from ..extensions import db
from ..models import BarrierReport, User, utcnow
from . import Mail, ServiceError, audit, legal_pages, once, outbox, rows_changed, site_facts
from .identities import normalise_email
from .paging import page_of

PER_PAGE = 50


def file(user, *, description: str, location: str, name: str,
         email: str, locale: str | None, once_key: str | None = None) -> BarrierReport:
    """Record the report; queue the acknowledgement (where an address is given) and the mail
    to the accessibility contact, in the same transaction."""
    key = once.begin(once_key, user, "barrier")
    with once.refusals_checked(key, user):
        if not description.strip():
            raise ServiceError(_l("Bitte beschreiben Sie, was nicht barrierefrei ist."),
                               field="description")
    email = normalise_email(email)
    report = BarrierReport(description=description.strip(), location=location.strip(),
                           contact_name=name.strip(), contact_email=email, locale=locale,
                           state=BarrierState.OPEN, created_at=utcnow())
    db.session.add(report)
    if email:
        outbox.enqueue(Mail(to=email, template="barrier_received", locale=locale,
                            subject=_l("Ihre Meldung einer Barriere ist eingegangen"),
                            context={"report": report}))
    contact = legal_pages.accessibility_contact(site_facts.facts())
    if contact:
        outbox.enqueue(Mail(to=contact, template="barrier_case", locale="de",
                            subject=_l("Neue Meldung einer Barriere"),
                            context={"report": report}))
    once.commit(key, report)
    return report


def cases(actor: User, page: int | None, state: BarrierState | None = None):
    """The cases, open ones first, oldest first within a state (one query per page)."""
    permissions.check("admin.access", actor)
    order = sa.case((BarrierReport.state == BarrierState.OPEN, 0),
                    (BarrierReport.state == BarrierState.ANSWERED, 1), else_=2)
    query = sa.select(BarrierReport).order_by(order, BarrierReport.created_at, BarrierReport.id)
    if state is not None:
        query = query.where(BarrierReport.state == state)
    return page_of(query, page, PER_PAGE)


def open_count(actor: User) -> int:
    permissions.check("admin.access", actor)
    return db.session.scalar(sa.select(sa.func.count()).select_from(BarrierReport).where(
        BarrierReport.state != BarrierState.CLOSED)) or 0


def case(actor: User, case_id: int | None) -> BarrierReport:
    permissions.check("admin.access", actor)
    found = db.session.get(BarrierReport, case_id) if case_id else None
    if found is None:
        raise NotFound()
    return found


def answer(actor: User, report: BarrierReport, text: str) -> None:
    """Mail the answer to the person who reported (they must have given an address)."""
    permissions.check("admin.access", actor)
    if report.state == BarrierState.CLOSED:
        raise ServiceError(_l("Der Fall ist abgeschlossen."), field="answer")
    if not report.contact_email:
        raise ServiceError(_l("Die meldende Person hat keine E-Mail-Adresse angegeben; eine "
                              "Antwort kann nicht versandt werden."), field="answer")
    if not text.strip():
        raise ServiceError(_l("Bitte schreiben Sie eine Antwort."), field="answer")
    # settled in SQL: a case another admin closed meanwhile is not answered any more
    changed = rows_changed(db.session.execute(
        sa.update(BarrierReport).where(BarrierReport.id == report.id,
                                       BarrierReport.state != BarrierState.CLOSED)
        .values(answer=text.strip(), state=BarrierState.ANSWERED, answered_at=utcnow(),
                handled_by_id=actor.id).execution_options(synchronize_session=False)))
    db.session.refresh(report)
    if not changed:
        raise ServiceError(_l("Der Fall ist abgeschlossen."), field="answer")
    outbox.enqueue(Mail(to=report.contact_email, template="barrier_answer",
                        locale=report.locale,
                        subject=_l("Antwort auf Ihre Meldung einer Barriere"),
                        context={"report": report}))
    audit.record(actor, AuditAction.BARRIER_ANSWER, report, f"#{report.id}")
    db.session.commit()


def close(actor: User, report: BarrierReport) -> None:
    permissions.check("admin.access", actor)
    changed = rows_changed(db.session.execute(
        sa.update(BarrierReport).where(BarrierReport.id == report.id,
                                       BarrierReport.state != BarrierState.CLOSED)
        .values(state=BarrierState.CLOSED, closed_at=utcnow(), handled_by_id=actor.id)
        .execution_options(synchronize_session=False)))
    db.session.refresh(report)
    if not changed:  # closed already, by someone else or a second click
        return
    audit.record(actor, AuditAction.BARRIER_CLOSE, report, f"#{report.id}")
    db.session.commit()
