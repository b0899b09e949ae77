"""Project updates ("Neuigkeiten") and practice examples ("Praxisbeispiele") that project
teams publish. A practice example is an update of its own kind with the parts of the example
beside it (`PracticeExample`): so questions about it, reports, moderation decisions and
statements name one kind of object, and one rule covers both."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import UpdateKind
from ..extensions import Base
from .base import UTCDateTime, enum_column, site_only_report, utcnow


class ProjectUpdate(Base):
    __tablename__ = "project_updates"
    __table_args__ = (sa.Index("ix_project_updates_project_created", "project_id",
                               "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id",
                                                                ondelete="SET NULL"))
    kind: Mapped[UpdateKind] = mapped_column(enum_column(UpdateKind), default=UpdateKind.NEWS,
                                             server_default=UpdateKind.NEWS.value)
    # the title says what was tried, the body how it was tried, for a practice example
    title: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(80))
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # moderated like posts: hidden by a decision (not shown to the public), and the decision
    # version that refuses a decision on an older view (see services.decisions.take)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_version: Mapped[int] = mapped_column(default=0, server_default="0")
    site_only: Mapped[bool] = site_only_report(lambda reports: reports.c.update_id, id)

    @property
    def is_public(self) -> bool:
        return self.hidden_at is None

    @property
    def is_practice(self) -> bool:
        return self.kind == UpdateKind.PRACTICE

    project = relationship("Project")
    author = relationship("User")
    # loaded with the update (one join), so lists of updates stay one query
    practice = relationship("PracticeExample", uselist=False, lazy="joined",
                            back_populates="update", cascade="all, delete-orphan")


class PracticeExample(Base):
    """The parts of a practice example beside its update's title (what was tried) and body
    (how): Markdown sources, rendered once, and a contact in the project's team."""

    __tablename__ = "practice_examples"

    update_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project_updates.id", ondelete="CASCADE"), primary_key=True)
    setting_source: Mapped[str] = mapped_column(sa.Text)  # where and for whom
    setting_html: Mapped[str] = mapped_column(sa.Text)
    outcome_source: Mapped[str] = mapped_column(sa.Text)  # what came of it
    outcome_html: Mapped[str] = mapped_column(sa.Text)
    lessons_source: Mapped[str] = mapped_column(sa.Text)  # what others can take from it
    lessons_html: Mapped[str] = mapped_column(sa.Text)
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    update = relationship("ProjectUpdate", back_populates="practice")
    contact = relationship("User", lazy="joined")
