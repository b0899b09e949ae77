"""Project updates ("Neuigkeiten") that project teams publish."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .base import UTCDateTime, utcnow


class ProjectUpdate(Base):
    __tablename__ = "project_updates"
    __table_args__ = (sa.Index("ix_project_updates_project_created", "project_id",
                               "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id",
                                                                ondelete="SET NULL"))
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

    @property
    def is_public(self) -> bool:
        return self.hidden_at is None

    project = relationship("Project")
    author = relationship("User")
