"""The account's own posts page (/konto/beitraege): everything a person wrote, paged, with
what is not public (waiting for approval, rejected, hidden) first, and the moderators'
decisions about their posts. Every query is scoped to the person by its author column."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..enums import PostState
from ..extensions import db
from ..models import Decision, Post, Thread, User
from .paging import page_of

PER_PAGE = 50


def unpublished(user: User) -> list[Post]:
    """The person's own posts that are not published, newest first, with thread and board."""
    query = (sa.select(Post).where(Post.author_id == user.id,
                                   Post.state.not_in((PostState.PUBLISHED,
                                                      PostState.UNCONFIRMED)))
             .options(joinedload(Post.thread).joinedload(Thread.board))
             .order_by(Post.created_at.desc()))
    return list(db.session.scalars(query).unique())


def all_posts(user: User, page: int | None):
    """One page of everything the person wrote (published ones too), newest first."""
    query = (sa.select(Post).where(Post.author_id == user.id,
                                   Post.state.not_in((PostState.UNCONFIRMED,
                                                      PostState.REMOVED)))
             .options(joinedload(Post.thread).joinedload(Thread.board))
             .order_by(Post.created_at.desc(), Post.id.desc()))
    return page_of(query, page, PER_PAGE)


def decisions(user: User, limit: int = 50) -> list[Decision]:
    """The newest decisions about the person's posts and questions."""
    query = (sa.select(Decision).where(Decision.author_id == user.id)
             .options(joinedload(Decision.thread)).order_by(Decision.id.desc()).limit(limit))
    return list(db.session.scalars(query).unique())
