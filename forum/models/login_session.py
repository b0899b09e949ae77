"""Log-in sessions: one row per browser someone logged in with.

The session cookie (and the remember-me cookie) carry a random token; the row keeps only its
SHA-256. Logging out deletes the row, so a copied cookie stops working; changing or resetting
the password and "Überall abmelden" delete the other rows (or all of them). A row unused for
`LOGIN_SESSION_DAYS` is deleted when next seen and by `sessions.purge()` (the daily
`flask forum purge`)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .base import UTCDateTime, utcnow


class LoginSession(Base):
    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
