"""The objects and lists of the administration (/admin), loaded only for admins.

Every function runs the rulebook's admin check before it reads, so no caller can reach these
rows without it; an unknown id is a 404. Long lists are paged (paging.page_of)."""

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound

from .. import permissions
from ..extensions import db
from ..models import (
    AuditEntry,
    ExpertVerification,
    Offer,
    Project,
    RejectionReason,
    Sector,
    TopicField,
    User,
)
from . import browse, experts, paging

PER_PAGE = 50


def _admin(user: User) -> None:
    permissions.check("admin.access", user)


def _found(obj):
    if obj is None:
        raise NotFound()
    return obj


def _get(user: User, model, object_id: int | None):
    _admin(user)
    return _found(db.session.get(model, object_id) if object_id is not None else None)


# --- one object -------------------------------------------------------------------------

def project(user: User, project_id: int) -> Project:
    """A project with its board, topic fields, sectors and team."""
    _admin(user)
    return _found(browse.project_by_id(project_id))


def account(user: User, user_id: int | None) -> User:
    return _get(user, User, user_id)


def account_or_none(user: User, user_id: int | None) -> User | None:
    """An account named in the address (?konto=), or None when there is none."""
    _admin(user)
    return db.session.get(User, user_id) if user_id is not None else None


def topic_field(user: User, topic_id: int) -> TopicField:
    return _get(user, TopicField, topic_id)


def offer(user: User, offer_id: int) -> Offer:
    return _get(user, Offer, offer_id)


def reason(user: User, reason_id: int) -> RejectionReason:
    return _get(user, RejectionReason, reason_id)


def verification(user: User, verification_id: int) -> ExpertVerification:
    """A verification with the people it names."""
    _admin(user)
    return _found(experts.get_verification(verification_id))


# --- lists ------------------------------------------------------------------------------

def topic_fields_by_name(user: User) -> list[TopicField]:
    _admin(user)
    return list(db.session.scalars(sa.select(TopicField).order_by(TopicField.name)))


def sectors_by_name(user: User) -> list[Sector]:
    _admin(user)
    return list(db.session.scalars(sa.select(Sector).order_by(Sector.name)))


def projects_by_name(user: User) -> list[Project]:
    _admin(user)
    return list(db.session.scalars(sa.select(Project).order_by(Project.name)))


def reasons(user: User) -> list[RejectionReason]:
    """The whole catalogue of rejection reasons, inactive ones included, in its order."""
    _admin(user)
    return list(db.session.scalars(sa.select(RejectionReason).order_by(
        RejectionReason.position, RejectionReason.title)))


def accounts_page(user: User, page: int | None, search: str = "") -> Pagination:
    """One page of the accounts by name, optionally those whose name contains `search`;
    guests are no accounts (no role, no log-in) and are not listed."""
    _admin(user)
    query = sa.select(User).where(User.is_guest.is_(False)).order_by(User.display_name)
    if search:
        query = query.where(User.display_name.ilike(f"%{search}%"))
    return paging.page_of(query, page, PER_PAGE)


def verifications_page(user: User, page: int | None) -> Pagination:
    """One page of every verification ever made, newest first."""
    _admin(user)
    return paging.page_of(experts.verifications_query(), page, PER_PAGE)


def audit_page(user: User, page: int | None) -> Pagination:
    """One page of the audit log, newest first, with who acted."""
    _admin(user)
    query = (sa.select(AuditEntry).options(joinedload(AuditEntry.actor))
             .order_by(AuditEntry.id.desc()))
    return paging.page_of(query, page, PER_PAGE)
