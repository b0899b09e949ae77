"""Verifying experts and the public expert directory.

A verification is never edited or deleted: a change of scope or period is a new record, and
revoking keeps the record with who revoked it, when and why."""

from datetime import date, timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Forbidden

from .. import permissions
from ..enums import AuditAction
from ..extensions import db
from ..models import (
    AuditEntry,
    ExpertVerification,
    Post,
    PostKind,
    PostState,
    Project,
    Thread,
    TopicField,
    User,
    utcnow,
)
from ..models.expert import today
from ..permissions import expert_users, listed_threads
from . import Mail, ServiceError, audit, outbox

DEFAULT_YEARS = 2
REMIND_DAYS = 30  # experts hear this many days ahead that their verification ends


def default_until(start: date | None = None) -> date:
    start = start or today()
    return start + timedelta(days=365 * DEFAULT_YEARS)


def verify(actor: User, user: User, *, evidence: str, topic_fields: list[TopicField],
           projects: list[Project], valid_from: date, valid_until: date,
           commit: bool = True) -> ExpertVerification:
    """Record that `actor` verified `user` as an expert for the given fields and period.

    `actor` None stands for the operator on the command line (demo data, create-user)."""
    if actor is not None:
        permissions.check("admin.access", actor)
    evidence = (evidence or "").strip()
    if user.is_guest or not user.is_confirmed:
        raise ServiceError(_l("Nur bestätigte Konten können als Fachperson bestätigt werden."),
                           field="email")
    if not evidence:
        raise ServiceError(_l("Bitte beschreiben Sie, worauf die Bestätigung beruht."),
                           field="evidence")
    if not topic_fields and not projects:
        raise ServiceError(_l("Bitte wählen Sie mindestens ein Themenfeld oder Projekt."),
                           field="topic_fields")
    if valid_until < valid_from:
        raise ServiceError(_l("Das Ende darf nicht vor dem Beginn liegen."), field="valid_until")
    if valid_until < today():
        raise ServiceError(_l("Das Ende darf nicht in der Vergangenheit liegen."),
                           field="valid_until")
    covering = _covering(user, topic_fields, projects, valid_from, valid_until)
    if covering is not None:
        raise ServiceError(_l(
            "Diese Person ist für diese Themenfelder und Projekte schon bis %(until)s als "
            "Fachperson bestätigt. Eine neue Bestätigung ist nur für einen anderen Umfang "
            "oder einen längeren Zeitraum nötig.",
            until=covering.valid_until.strftime("%d.%m.%Y")), field="topic_fields")
    verification = ExpertVerification(
        user=user, verified_by_id=getattr(actor, "id", None), evidence=evidence,
        valid_from=valid_from, valid_until=valid_until, topic_fields=list(topic_fields),
        projects=list(projects))
    db.session.add(verification)
    db.session.flush()
    scope = ", ".join([t.name for t in topic_fields] + [p.name for p in projects])
    audit.record(actor, AuditAction.EXPERT_VERIFY, verification, f"{user.display_name}: {scope}",
                 {"valid_from": [None, valid_from.isoformat()],
                  "valid_until": [None, valid_until.isoformat()]})
    _mail(user, "expert_verified", _l("Sie sind als Fachperson im Fachdialog bestätigt"),
          verification)
    if commit:
        db.session.commit()
    return verification


def _covering(user: User, topic_fields, projects, valid_from: date,
              valid_until: date) -> ExpertVerification | None:
    """A verification not revoked that already covers this scope for this whole period: a
    second one would add nothing."""
    wanted_topics = {t.id for t in topic_fields}
    wanted_projects = {p.id for p in projects}
    for existing in user.verifications:
        if (existing.revoked_at is None and existing.valid_from <= valid_from
                and existing.valid_until >= valid_until
                and wanted_topics <= {t.id for t in existing.topic_fields}
                and wanted_projects <= {p.id for p in existing.projects}):
            return existing
    return None


def _mail(user: User, template: str, subject, verification: ExpertVerification) -> None:
    outbox.enqueue(Mail(to=user.email, template=template, subject=subject, locale=user.locale,
                        context={"user": user, "verification": verification}))


def remind_expiring(day: date | None = None) -> int:
    """Mail each expert whose verification ends within REMIND_DAYS, once per verification
    (the audit log keeps that it was done), unless a later verification takes over; run
    daily. Returns how many were reminded."""
    day = day or today()
    reminded = sa.select(AuditEntry.object_id).where(
        AuditEntry.action == AuditAction.EXPERT_REMIND,
        AuditEntry.object_type == ExpertVerification.__name__)
    ending = db.session.scalars(
        sa.select(ExpertVerification)
        .where(ExpertVerification.revoked_at.is_(None),
               ExpertVerification.valid_from <= day,
               ExpertVerification.valid_until >= day,
               ExpertVerification.valid_until <= day + timedelta(days=REMIND_DAYS),
               ExpertVerification.id.not_in(reminded))
        .options(joinedload(ExpertVerification.user))
        .order_by(ExpertVerification.id)).unique().all()
    count = 0
    for verification in ending:
        user = verification.user
        later = [v for v in user.verifications if v.revoked_at is None
                 and v.valid_until > verification.valid_until]
        audit.record(None, AuditAction.EXPERT_REMIND, verification, user.display_name)
        if not later:
            _mail(user, "expert_expiring",
                  _l("Ihre Bestätigung als Fachperson endet am %(day)s",
                     day=verification.valid_until.strftime("%d.%m.%Y")), verification)
            count += 1
        db.session.commit()
    return count


def revoke(actor: User, verification: ExpertVerification, reason: str) -> None:
    permissions.check("admin.access", actor)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Bitte geben Sie einen Grund für den Widerruf an."),
                           field="reason")
    revoked = cast(CursorResult[Any], db.session.execute(
        sa.update(ExpertVerification)
        .where(ExpertVerification.id == verification.id,
               ExpertVerification.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=actor.id, revoke_reason=reason[:500])))
    if not revoked.rowcount:
        db.session.rollback()
        raise ServiceError(_l("Diese Bestätigung ist bereits widerrufen."))
    audit.record(actor, AuditAction.EXPERT_REVOKE, verification, verification.user.display_name,
                 {"revoke_reason": [None, reason[:500]]})
    db.session.flush()
    db.session.refresh(verification)
    _mail(verification.user, "expert_revoked",
          _l("Ihre Bestätigung als Fachperson ist widerrufen"), verification)
    db.session.commit()
    db.session.refresh(verification)


def has_profile_settings(user: User) -> bool:
    """Experts in force set up their profile; anyone ever verified, or with a consent still
    stored, can change or withdraw it."""
    return bool(user.verifications) or user.profile_public or user.show_organisation \
        or user.show_expertise


def set_profile(user: User, *, public: bool, show_organisation: bool,
                show_expertise: bool, organisation: str, expertise: str) -> None:
    """What an expert agrees to show on the public profile; nothing is shown without it.

    Each change of consent is kept in the audit log with who and when, so the operator can
    show what a person agreed to (DSGVO Art. 7 (1))."""
    if not has_profile_settings(user):
        raise Forbidden()
    changes = audit.diff(user, {
        "profile_public": bool(public), "show_organisation": bool(show_organisation),
        "show_expertise": bool(show_expertise),
        "organisation": (organisation or "").strip()[:200],
        "expertise": (expertise or "").strip()[:300],
    })
    if changes:
        audit.record(user, AuditAction.EXPERT_PROFILE, user, user.display_name, changes)
    db.session.commit()


def verifications_query() -> sa.Select:
    """Every verification ever made, newest first, with the people it names."""
    return (sa.select(ExpertVerification)
            .options(joinedload(ExpertVerification.user),
                     joinedload(ExpertVerification.verified_by),
                     joinedload(ExpertVerification.revoked_by))
            .order_by(ExpertVerification.id.desc()))


def history(user: User) -> list[ExpertVerification]:
    """One person's verifications, newest first, revoked and expired ones included."""
    query = verifications_query().where(ExpertVerification.user_id == user.id)
    return list(db.session.scalars(query).unique())


def get_verification(verification_id: int) -> ExpertVerification | None:
    return db.session.scalar(
        verifications_query().where(ExpertVerification.id == verification_id))


def listed() -> sa.ColumnElement[bool]:
    """Filter on User: experts in force who agreed to a public profile."""
    return expert_users() & User.profile_public.is_(True)


def directory(topic: TopicField | None = None) -> list[User]:
    """The public directory, by name; optionally only those verified for a topic field."""
    query = sa.select(User).where(listed()).order_by(sa.func.lower(User.display_name))
    users = list(db.session.scalars(query))
    if topic is not None:
        users = [u for u in users
                 if (scope := u.expert_scope) is not None and topic in scope.topic_fields]
    return users


def answer_counts(user_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{user id: (published answers in public threads, of them marked most helpful)}."""
    if not user_ids:
        return {}
    helpful = sa.func.sum(sa.case((Thread.accepted_post_id == Post.id, 1), else_=0))
    query = (sa.select(Post.author_id, sa.func.count(Post.id), helpful)
             .join(Thread, Thread.id == Post.thread_id)
             .where(Post.author_id.in_(user_ids), Post.kind == PostKind.ANSWER,
                    Post.state == PostState.PUBLISHED, listed_threads(None))
             .group_by(Post.author_id))
    return {author: (count, int(marked or 0))
            for author, count, marked in db.session.execute(query)}


def profile_answers(user: User, limit: int = 50) -> list[Post]:
    """The expert's newest published answers in public threads, helpful ones first."""
    query = (sa.select(Post).join(Thread, Thread.id == Post.thread_id)
             .where(Post.author_id == user.id, Post.kind == PostKind.ANSWER,
                    Post.state == PostState.PUBLISHED, listed_threads(None))
             .options(joinedload(Post.thread))
             .order_by((Thread.accepted_post_id == Post.id).desc(), Post.created_at.desc())
             .limit(limit))
    return list(db.session.scalars(query))


def find_listed(user_id: int) -> User | None:
    return db.session.scalar(sa.select(User).where(User.id == user_id, listed()))
