"""Reports of barriers on the site ("Barriere melden", § 7 BITV 2.0), handled as cases."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import BarrierState
from ..extensions import Base
from .base import UTCDateTime, enum_column, utcnow


class BarrierReport(Base):
    """What a visitor could not use, where, and how to answer them (all optional but the
    description); admins answer by mail and close the case."""

    __tablename__ = "barrier_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str] = mapped_column(sa.Text)
    location: Mapped[str] = mapped_column(sa.String(500), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    state: Mapped[BarrierState] = mapped_column(enum_column(BarrierState),
                                                default=BarrierState.OPEN, index=True)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))

    handled_by = relationship("User")
