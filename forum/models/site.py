"""Site pages editable by admins, and the admin audit log."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .base import UTCDateTime, utcnow


class SitePage(Base):
    """A footer page (Impressum, Datenschutz, ...): Markdown source and rendered HTML."""

    __tablename__ = "site_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    body_source: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEntry(Base):
    """One administrative change: who, when, what. Rows are only ever inserted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor = relationship("User")


class SiteSetting(Base):
    """One fact about the operator that admins enter (Impressum, Kontakt, accessibility
    statement, the sign-language video): a key from `site_pages.FACTS` and its text."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SiteGeneration(Base):
    """One row: a number that grows with every change that can alter a public page, in the
    same transaction as the change (services/generation.py). Cached anonymous pages are
    keyed by it, so every process and node sees a change on its next request."""

    __tablename__ = "site_generation"

    id: Mapped[int] = mapped_column(primary_key=True)  # the one row has id 0
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)
