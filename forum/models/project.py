"""Projects (Experimentierräume), topic fields, sectors, boards and funding offers."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import ProjectRole, ProjectStatus
from ..extensions import Base
from .base import UTCDateTime, enum_column, utcnow

project_topic_fields = sa.Table(
    "project_topic_fields",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "topic_field_id", sa.ForeignKey("topic_fields.id", ondelete="CASCADE"), primary_key=True
    ),
)

project_sectors = sa.Table(
    "project_sectors",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sector_id", sa.ForeignKey("sectors.id", ondelete="CASCADE"), primary_key=True),
)


class TopicField(Base):
    __tablename__ = "topic_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    board = relationship("Board", back_populates="topic_field", uselist=False)

    def __init__(self, **kwargs):
        kwargs.setdefault("board", Board())
        super().__init__(**kwargs)


class Sector(Base):
    __tablename__ = "sectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    lead_organisation: Mapped[str] = mapped_column(sa.String(300), default="")
    partners: Mapped[list] = mapped_column(sa.JSON, default=list)
    period: Mapped[str] = mapped_column(sa.String(80), default="")
    status: Mapped[ProjectStatus] = mapped_column(
        enum_column(ProjectStatus), default=ProjectStatus.RUNNING
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    sources: Mapped[list] = mapped_column(sa.JSON, default=list)

    topic_fields = relationship(
        "TopicField", secondary=project_topic_fields, order_by="TopicField.position"
    )
    sectors = relationship("Sector", secondary=project_sectors, order_by="Sector.name")
    members = relationship(
        "ProjectMember", back_populates="project", cascade="all, delete-orphan"
    )
    board = relationship("Board", back_populates="project", uselist=False)

    def __init__(self, **kwargs):
        kwargs.setdefault("board", Board())
        super().__init__(**kwargs)


class ProjectMember(Base):
    __tablename__ = "project_members"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[ProjectRole] = mapped_column(enum_column(ProjectRole), default=ProjectRole.MEMBER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project = relationship("Project", back_populates="members")
    user = relationship("User", back_populates="memberships")


class Board(Base):
    """Where threads live: the board of exactly one project or one topic field."""

    __tablename__ = "boards"
    __table_args__ = (
        sa.CheckConstraint(
            "(project_id IS NULL) <> (topic_field_id IS NULL)", name="one_owner"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), unique=True
    )
    topic_field_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("topic_fields.id", ondelete="CASCADE"), unique=True
    )
    thread_count: Mapped[int] = mapped_column(default=0)
    require_approval: Mapped[bool] = mapped_column(default=False)
    escalate_after_days: Mapped[int] = mapped_column(default=5)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    project = relationship("Project", back_populates="board")
    topic_field = relationship("TopicField", back_populates="board")

    @property
    def owner(self):
        return self.project or self.topic_field

    @property
    def name(self) -> str:
        return self.owner.name


class Offer(Base):
    """A funding or consulting offer (Förder- und Beratungsangebot)."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
