"""Moderation: the rejection catalogue, reports, decisions (append-only) and appeals."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import (
    RESTRICTING,
    AppealState,
    DecisionAction,
    GroundKind,
    ReportCategory,
    ReportState,
)
from ..extensions import Base
from .base import UTCDateTime, enum_column, utcnow


class RejectionReason(Base):
    """An entry of the managed catalogue of reasons moderators choose from."""

    __tablename__ = "rejection_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    ground_kind: Mapped[GroundKind] = mapped_column(enum_column(GroundKind))
    ground: Mapped[str] = mapped_column(sa.String(300))
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)


class Decision(Base):
    """One moderation decision. Rows are only ever inserted (see the listener below)."""

    __tablename__ = "moderation_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[DecisionAction] = mapped_column(enum_column(DecisionAction), index=True)
    update_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("project_updates.id", ondelete="SET NULL"), index=True)
    post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("threads.id", ondelete="SET NULL"), index=True
    )
    # the log and the transparency figures are scoped by board
    board_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("boards.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("rejection_reasons.id", ondelete="SET NULL")
    )
    ground_kind: Mapped[GroundKind | None] = mapped_column(enum_column(GroundKind))
    ground: Mapped[str] = mapped_column(sa.String(300), default="")
    facts: Mapped[str] = mapped_column(sa.Text, default="")
    detail: Mapped[str] = mapped_column(sa.String(300), default="")
    from_report: Mapped[bool] = mapped_column(default=False)
    automated: Mapped[bool] = mapped_column(default=False)
    subject_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    appeal_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    measure_until: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a suspension's end
    # a moderator's edit of somebody else's post: the text before and after
    changed_from: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    changed_to: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    moderator = relationship("User", foreign_keys=[moderator_id])
    author = relationship("User", foreign_keys=[author_id])
    post = relationship("Post")
    thread = relationship("Thread")
    update = relationship("ProjectUpdate")
    reason = relationship("RejectionReason")

    @property
    def restricts(self) -> bool:
        return self.action in RESTRICTING


@event.listens_for(Decision, "before_update")
@event.listens_for(Decision, "before_delete")
def _decisions_are_append_only(mapper, connection, target):
    raise RuntimeError("moderation decisions are append-only")


class Report(Base):
    """A notice about a post or a project update (DSA Art. 16): exactly one of them. Reports
    of one post (or update) are grouped in the queue."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"),
                                                index=True)
    update_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("project_updates.id", ondelete="CASCADE"), index=True)
    category: Mapped[ReportCategory] = mapped_column(enum_column(ReportCategory))
    ground: Mapped[str] = mapped_column(sa.String(300), default="")
    explanation: Mapped[str] = mapped_column(sa.Text)
    reporter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reporter_name: Mapped[str] = mapped_column(sa.String(120), default="")
    reporter_email: Mapped[str] = mapped_column(sa.String(254), default="")
    concerns_child_abuse: Mapped[bool] = mapped_column(default=False)
    concerns_threat: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # DSA art. 18: the suspicion was passed on to law enforcement (when, by whom)
    authorities_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    authorities_notified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    good_faith: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    state: Mapped[ReportState] = mapped_column(enum_column(ReportState), default=ReportState.OPEN,
                                               index=True)
    decision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("moderation_decisions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    post = relationship("Post")
    update = relationship("ProjectUpdate")
    decision = relationship("Decision")


class Appeal(Base):
    """A complaint against a decision (DSA Art. 20), decided by another moderator."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("moderation_decisions.id", ondelete="CASCADE"), index=True
    )
    by_reporter: Mapped[bool] = mapped_column(default=False)
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reports.id",
                                                                ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    state: Mapped[AppealState] = mapped_column(enum_column(AppealState), default=AppealState.OPEN,
                                               index=True)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verdict_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("moderation_decisions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decision = relationship("Decision", foreign_keys=[decision_id])
    verdict = relationship("Decision", foreign_keys=[verdict_id])
    report = relationship("Report")
    decided_by = relationship("User")


class QueueClaim(Base):
    """"Ich bearbeite das": a moderator holds a queue item for a while (others see who)."""

    __tablename__ = "queue_claims"
    __table_args__ = (sa.UniqueConstraint("item_kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(sa.String(10))  # "post" or "appeal"
    item_id: Mapped[int] = mapped_column()
    moderator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    moderator = relationship("User")


class ModerationNote(Base):
    """An internal note between moderators on a queue item; never in statements or exports."""

    __tablename__ = "moderation_notes"
    __table_args__ = (sa.Index("ix_moderation_notes_item", "item_kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(sa.String(10))
    item_id: Mapped[int] = mapped_column()
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User")

