"""Administration of projects, their teams, topic fields and funding offers."""

from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, select

from .. import permissions
from ..enums import AuditAction
from ..extensions import db
from ..models import (
    Offer,
    Project,
    ProjectMember,
    ProjectRole,
    RejectionReason,
    TopicField,
    User,
)
from . import ServiceError, audit
from .identities import find_user_by_email


def create_project(actor: User, slug: str, name: str) -> Project:
    permissions.check("admin.access", actor)
    if db.session.scalar(select(Project.id).where(Project.slug == slug)) is not None:
        raise ServiceError(_l("Diese Kurzbezeichnung ist schon vergeben."), field="slug")
    project = Project(slug=slug, name=name, partners=[], sources=[])
    db.session.add(project)
    db.session.flush()
    audit.record(actor, AuditAction.PROJECT_CREATE, project, name)
    db.session.commit()
    return project


def update_project(actor: User, project: Project, values: dict,
                   board_values: dict | None = None) -> None:
    """values: plain fields plus 'topic_fields' and 'sectors' as lists of objects;
    board_values: the board's settings (require_approval, escalate_after_days)."""
    permissions.check("admin.access", actor)
    changes = audit.diff(project, values)
    if board_values:
        changes |= audit.diff(project.board, board_values)
    if changes:
        audit.record(actor, AuditAction.PROJECT_UPDATE, project, project.name, changes)
    db.session.commit()


def _check_team_change(actor: User, project: Project, before: ProjectRole | None,
                       after: ProjectRole | None, field: str | None = None) -> None:
    """The rulebook's team rule; a refusal of the change itself is shown with the form."""
    permissions.check("project.team", actor, project)
    reason = permissions.denial("project.team_change", actor,
                                permissions.TeamChange(project, before, after))
    if reason is not None:
        raise ServiceError(reason, field=field)


def set_member(actor: User, project: Project, user: User, role: ProjectRole) -> None:
    """Add a member or change a role (who may: the rulebook's "project.team_change")."""
    membership = db.session.get(ProjectMember, (project.id, user.id))
    _check_team_change(actor, project, membership.role if membership else None, role,
                       field="role")
    changes: dict[str, Any]
    if membership is None:
        db.session.add(ProjectMember(project_id=project.id, user_id=user.id, role=role))
        changes = {"member": [None, f"{user.display_name} ({role.value})"]}
    elif membership.role != role:
        changes = {"role": [membership.role.value, role.value], "member": user.display_name}
        membership.role = role
    else:
        return
    audit.record(actor, AuditAction.PROJECT_MEMBER, project, project.name, changes)
    db.session.commit()


def add_member_by_email(actor: User, project: Project, email: str) -> None:
    """A lead adds a team member by the address of their account. Only a confirmed account
    joins, never a guest identity nor an account whose address was never confirmed; for any
    other address, and for someone who already has a role in the project, nothing changes.
    The caller answers the same in every case, so the form does not tell who has an account."""
    permissions.check("project.team", actor, project)
    person = find_user_by_email(email)
    if person is None or person.is_guest or not person.is_confirmed:
        return
    if db.session.get(ProjectMember, (project.id, person.id)) is not None:
        return
    set_member(actor, project, person, ProjectRole.MEMBER)


def remove_member(actor: User, project: Project, user: User) -> None:
    membership = db.session.get(ProjectMember, (project.id, user.id))
    _check_team_change(actor, project, membership.role if membership else None, None)
    result = cast(CursorResult[Any], db.session.execute(
        delete(ProjectMember).where(
            ProjectMember.project_id == project.id, ProjectMember.user_id == user.id
        )
    ))
    if result.rowcount:
        changes = {"member": [user.display_name, None]}
        audit.record(actor, AuditAction.PROJECT_MEMBER, project, project.name, changes)
    db.session.commit()


def update_topic_field(actor: User, topic: TopicField, values: dict,
                       board_values: dict | None = None) -> None:
    permissions.check("admin.access", actor)
    changes = audit.diff(topic, values)
    if board_values:
        changes |= audit.diff(topic.board, board_values)
    if changes:
        audit.record(actor, AuditAction.TOPIC_UPDATE, topic, topic.name, changes)
    db.session.commit()


def save_offer(actor: User, offer: Offer | None, values: dict) -> Offer:
    permissions.check("admin.access", actor)
    duplicate = select(Offer.id).where(Offer.slug == values["slug"])
    if offer is not None:
        duplicate = duplicate.where(Offer.id != offer.id)
    if db.session.scalar(duplicate) is not None:
        raise ServiceError(_l("Diese Kurzbezeichnung ist schon vergeben."), field="slug")
    if offer is None:
        offer = Offer(**values)
        db.session.add(offer)
        db.session.flush()
        audit.record(actor, AuditAction.OFFER_CREATE, offer, offer.name, values)
    else:
        changes = audit.diff(offer, values)
        if changes:
            audit.record(actor, AuditAction.OFFER_UPDATE, offer, offer.name, changes)
    db.session.commit()
    return offer


def save_reason(actor: User, reason: RejectionReason | None, values: dict) -> RejectionReason:
    """Add to or change the catalogue of reasons; reasons in use are deactivated, not
    deleted, so past decisions keep theirs."""
    permissions.check("admin.access", actor)
    if reason is None:
        reason = RejectionReason(**values)
        db.session.add(reason)
        db.session.flush()
        audit.record(actor, AuditAction.REASON_CREATE, reason, reason.title,
                     {k: [None, getattr(v, "value", v)] for k, v in values.items()})
    else:
        changes = audit.diff(reason, values)
        if changes:
            audit.record(actor, AuditAction.REASON_UPDATE, reason, reason.title, changes)
    db.session.commit()
    return reason


def delete_offer(actor: User, offer: Offer) -> None:
    permissions.check("admin.access", actor)
    audit.record(actor, AuditAction.OFFER_DELETE, offer, offer.name)
    db.session.delete(offer)
    db.session.commit()
