"""Accounts and their site-wide role."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..enums import ProjectRole, SiteRole
from ..extensions import Base
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .project import Project, TopicField


@dataclass(frozen=True)
class ExpertScope:
    """The union of an expert's verifications in force: fields, projects, the latest end."""

    topic_fields: "list[TopicField]"
    projects: "list[Project]"
    valid_until: date


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    site_role: Mapped[SiteRole] = mapped_column(enum_column(SiteRole), default=SiteRole.USER)
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    expertise: Mapped[str] = mapped_column(sa.String(300), default="")
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_demo: Mapped[bool] = mapped_column(default=False)
    approved_post_count: Mapped[int] = mapped_column(default=0)
    # account measures (moderation decisions WARN/SUSPEND/BLOCK): reading stays open
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # a guest asked without an account: no password, never logs in, acts by personal link
    is_guest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # what an expert agreed to show on the public profile (/fachleute/<id>)
    profile_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    show_organisation: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    show_expertise: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    memberships = relationship("ProjectMember", back_populates="user", lazy="selectin")
    verifications = relationship(
        "ExpertVerification", back_populates="user", lazy="selectin",
        foreign_keys="ExpertVerification.user_id", order_by="ExpertVerification.id.desc()",
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        if self.is_guest or not self.password_hash:
            return False
        return check_password_hash(self.password_hash, password)

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: unconfirmed accounts and guests cannot log in
        return self.is_confirmed and not self.is_guest

    @property
    def is_admin(self) -> bool:
        return self.site_role == SiteRole.ADMIN

    @property
    def is_moderator(self) -> bool:
        return self.site_role in (SiteRole.MODERATOR, SiteRole.ADMIN)

    @property
    def verification(self):
        """The expert verification in force today, the newest if several, or None."""
        return next((v for v in self.verifications if v.in_force()), None)

    @property
    def is_expert(self) -> bool:
        return not self.is_guest and self.verification is not None

    @property
    def expert_scope(self) -> "ExpertScope | None":
        """What every verification in force covers together, or None for non-experts."""
        in_force = [v for v in self.verifications if v.in_force()]
        if self.is_guest or not in_force:
            return None
        topics: dict[int, TopicField] = {}
        projects: dict[int, Project] = {}
        for verification in in_force:
            topics.update((t.id, t) for t in verification.topic_fields)
            projects.update((p.id, p) for p in verification.projects)
        return ExpertScope(
            topic_fields=sorted(topics.values(), key=lambda t: (t.position, t.name)),
            projects=sorted(projects.values(), key=lambda p: p.name),
            valid_until=max(v.valid_until for v in in_force))

    @property
    def expert_fields(self) -> list:
        """The topic fields and projects the verifications in force name."""
        scope = self.expert_scope
        return [*scope.topic_fields, *scope.projects] if scope else []

    def project_role(self, project_id: int | None):
        """This user's role in a project, or None."""
        for membership in self.memberships:
            if membership.project_id == project_id:
                return membership.role
        return None

    @property
    def moderated_project_ids(self) -> frozenset[int]:
        return frozenset(m.project_id for m in self.memberships
                         if m.role == ProjectRole.MODERATOR)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.site_role.value}>"


class Anonymous(AnonymousUserMixin):
    """The visitor without an account; answers the same questions as User."""

    id = None
    site_role = None
    is_admin = is_moderator = is_expert = is_confirmed = is_guest = False
    memberships = ()
    moderated_project_ids: frozenset[int] = frozenset()

    def project_role(self, project_id):
        return None
