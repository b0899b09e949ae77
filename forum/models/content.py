"""Threads, posts and their revisions."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import PostKind, PostState, ThreadState
from ..extensions import Base
from .base import UTCDateTime, enum_column, site_only_report, utcnow


class Thread(Base):
    __tablename__ = "threads"
    __table_args__ = (
        sa.Index("ix_threads_board_activity", "board_id", "last_activity_at"),
        sa.Index("ix_threads_state_activity", "state", "last_activity_at"),
        # a board's list in its order (pinned first, then activity), read from the front or,
        # for a deep page, skipped through without touching the table rows
        sa.Index("ix_threads_board_listing", "board_id", "pinned", "last_activity_at", "id",
                 "state"),
        # the same order over all boards, for a topic field's list of several boards
        sa.Index("ix_threads_listing", "pinned", "last_activity_at", "id", "board_id",
                 "state"),
        # newest questions: start page, feeds; and a list's "neu" sort, pinned first
        sa.Index("ix_threads_created", "created_at", "id"),
        sa.Index("ix_threads_listing_new", "pinned", "created_at", "id", "board_id", "state"),
        # the oldest unanswered open questions (start page, filters, escalation): only those
        # rows, by state first so that `state = 'open'` and the order are read from the index
        # and no planner weighs it against sorting every open thread
        sa.Index("ix_threads_unanswered", "state", "created_at", "id",
                 sqlite_where=sa.text("answer_count = 0"),
                 postgresql_where=sa.text("answer_count = 0")),
        # the queue's escalated questions: only those rows
        sa.Index("ix_threads_escalated", "created_at",
                 sqlite_where=sa.text("escalated_at IS NOT NULL"),
                 postgresql_where=sa.text("escalated_at IS NOT NULL")),
        # a post's board, for the queue's counts per board, read from the index alone
        sa.Index("ix_threads_id_board", "id", "board_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(sa.ForeignKey("boards.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(80))
    state: Mapped[ThreadState] = mapped_column(enum_column(ThreadState), default=ThreadState.OPEN)
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("threads.id", ondelete="SET NULL")
    )
    accepted_post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="SET NULL", use_alter=True)
    )
    me_too_count: Mapped[int] = mapped_column(default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    update_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("project_updates.id", ondelete="SET NULL"), index=True
    )
    is_demo: Mapped[bool] = mapped_column(default=False)
    answer_count: Mapped[int] = mapped_column(default=0)
    reply_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    board = relationship("Board")
    author = relationship("User")
    merged_into = relationship("Thread", remote_side="Thread.id")
    update = relationship("ProjectUpdate")
    posts = relationship(
        "Post", back_populates="thread", order_by="Post.id", cascade="all, delete-orphan",
        foreign_keys="Post.thread_id",
    )

    @classmethod
    def state_in(cls, states) -> sa.ColumnElement[bool]:
        """In one of `states`, written into the statement rather than bound (see
        unanswered): PostgreSQL then plans a prepared statement once, for good, where with
        bound states it plans it anew on every execution (its plan for any states at all
        would guess how many threads they hold)."""
        return cls.state.in_([sa.literal(state, cls.__table__.c.state.type,
                                         literal_execute=True) for state in states])

    @classmethod
    def unanswered(cls) -> sa.ColumnElement[bool]:
        """No published answer yet. The 0 is written into the statement rather than bound,
        so that both planners can match it to ix_threads_unanswered's `answer_count = 0` when
        they plan the statement: SQLite otherwise only on a re-prepare once the value is
        bound, PostgreSQL not at all in a generic plan of a prepared statement."""
        return cls.answer_count == sa.literal(0, literal_execute=True)


class MeToo(Base):
    """"Ich habe die gleiche Frage": one per registered user and thread."""

    __tablename__ = "me_toos"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        sa.Index("ix_posts_thread_id_id", "thread_id", "id"),
        # only the posts waiting for approval: the queue (oldest first) and the count in the
        # header of every page a moderator sees read these few rows, not all posts
        # (thread and kind too, so that the scope check, the filter counts and a deep page
        # need no look-up of each post's row)
        sa.Index("ix_posts_pending", "created_at", "id", "thread_id", "kind",
                 sqlite_where=sa.text("state = 'pending'"),
                 postgresql_where=sa.text("state = 'pending'")),
    )

    @classmethod
    def pending(cls) -> sa.ColumnElement[bool]:
        """Waiting for approval, with the state written into the statement so that it
        matches ix_posts_pending's `state = 'pending'` when the statement is planned (see
        Thread.unanswered)."""
        return cls.state == sa.literal(PostState.PENDING, cls.__table__.c.state.type,
                                       literal_execute=True)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[PostKind] = mapped_column(enum_column(PostKind))
    state: Mapped[PostState] = mapped_column(enum_column(PostState), default=PostState.PUBLISHED)
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    merged_from_title: Mapped[str | None] = mapped_column(sa.String(200))
    # raised by every moderation decision on the post: a decision taken on an older view of
    # the post (another moderator decided in between) is refused instead of contradicting it
    decision_version: Mapped[int] = mapped_column(default=0, server_default="0")
    site_only: Mapped[bool] = site_only_report(lambda reports: reports.c.post_id, id)

    thread = relationship("Thread", back_populates="posts", foreign_keys=[thread_id])
    author = relationship("User")
    revisions = relationship(
        "PostRevision", back_populates="post", order_by="PostRevision.id",
        cascade="all, delete-orphan",
    )


class PostRevision(Base):
    """The text a post had before an edit, with who edited it and when."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body_source: Mapped[str] = mapped_column(sa.Text)
    title: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    post = relationship("Post", back_populates="revisions")
    editor = relationship("User")


class Draft(Base):
    """Text typed into a form whose session had ended: kept briefly so that logging in again
    brings it back instead of losing it. Only its random key is stored in the session."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(43), unique=True)
    path: Mapped[str] = mapped_column(sa.String(300))
    fields: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Submission(Base):
    """The one-time key a creating form carries, and what its first POST created: a double
    click, a reload or a retry with the same key shows that result instead of creating it
    again. Kept a day (`flask forum purge-guests` removes older keys)."""

    __tablename__ = "submissions"

    key: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # thread, post, report, appeal, update
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
