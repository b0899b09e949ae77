"""Guests' personal links: one per question, signed in the address, revocable here."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .base import UTCDateTime, utcnow


class GuestLink(Base):
    """Lets the guest who asked a thread follow and act on that thread, and on no other.

    Unconfirmed until the guest opens the confirmation mail; usable until expires_at unless
    revoked (by the guest, by withdrawing, or by turning the guest into an account)."""

    __tablename__ = "guest_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the name typed when asking; it becomes the guest's name once the address is confirmed
    display_name: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")

    thread = relationship("Thread")
    user = relationship("User")

    @property
    def usable(self) -> bool:
        return (self.confirmed_at is not None and self.revoked_at is None
                and self.expires_at > utcnow())
