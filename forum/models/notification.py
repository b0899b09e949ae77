"""Watches, in-site notifications and the mail outbox."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import WatchMode
from ..extensions import Base
from .base import UTCDateTime, enum_column, utcnow


class Watch(Base):
    """A user watches one thread, project or topic field."""

    __tablename__ = "watches"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN thread_id IS NULL THEN 0 ELSE 1 END + CASE WHEN project_id IS NULL "
            "THEN 0 ELSE 1 END + CASE WHEN topic_field_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target"),
        *(sa.Index(f"uq_watches_user_{column}", "user_id", column, unique=True,
                   sqlite_where=sa.text(f"{column} IS NOT NULL"),
                   postgresql_where=sa.text(f"{column} IS NOT NULL"))
          for column in ("thread_id", "project_id", "topic_field_id")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    thread_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    topic_field_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("topic_fields.id", ondelete="CASCADE"), index=True)
    mode: Mapped[WatchMode] = mapped_column(enum_column(WatchMode), default=WatchMode.INSTANT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
    thread = relationship("Thread")
    project = relationship("Project")
    topic_field = relationship("TopicField")

    @property
    def target(self):
        return self.thread or self.project or self.topic_field


class Notification(Base):
    """Something new for a user, shown in the site and mailed at once or in the digest."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    watch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("watches.id",
                                                               ondelete="SET NULL"))
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    is_new_thread: Mapped[bool] = mapped_column(default=False)
    digest: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    thread = relationship("Thread")
    post = relationship("Post")


class OutboxMail(Base):
    """A mail written in the transaction of the change that causes it; a worker sends it."""

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_due", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    template: Mapped[str] = mapped_column(sa.String(60))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    context: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    unsubscribe_token: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
