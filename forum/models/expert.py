"""Expert verification: a record of who verified whom, on what evidence, for which topic
fields or projects and for how long. A person is an expert while one record is in force."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .base import UTCDateTime, utcnow

verification_topic_fields = sa.Table(
    "verification_topic_fields",
    Base.metadata,
    sa.Column("verification_id", sa.ForeignKey("expert_verifications.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("topic_field_id", sa.ForeignKey("topic_fields.id", ondelete="CASCADE"),
              primary_key=True),
)

verification_projects = sa.Table(
    "verification_projects",
    Base.metadata,
    sa.Column("verification_id", sa.ForeignKey("expert_verifications.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
)


def today() -> date:
    return utcnow().date()


class ExpertVerification(Base):
    """Kept for good: revoking sets revoked_at, expiry is valid_until passing."""

    __tablename__ = "expert_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    evidence: Mapped[str] = mapped_column(sa.Text)
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_until: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(sa.String(500), default="")

    user = relationship("User", foreign_keys=[user_id], back_populates="verifications")
    verified_by = relationship("User", foreign_keys=[verified_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])
    topic_fields = relationship("TopicField", secondary=verification_topic_fields,
                                order_by="TopicField.position", lazy="selectin")
    projects = relationship("Project", secondary=verification_projects,
                            order_by="Project.name", lazy="selectin")

    def in_force(self, day: date | None = None) -> bool:
        day = day or today()
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until

    @property
    def status(self) -> str:
        """"active", "revoked", "expired" or "future"."""
        if self.revoked_at is not None:
            return "revoked"
        day = today()
        if day < self.valid_from:
            return "future"
        return "expired" if day > self.valid_until else "active"

    @classmethod
    def in_force_clause(cls, day: date | None = None) -> sa.ColumnElement[bool]:
        day = day or today()
        return sa.and_(cls.revoked_at.is_(None), cls.valid_from <= day, cls.valid_until >= day)
