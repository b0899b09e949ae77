"""The account's own posts: what waits for approval and what moderators decided (/konto)."""

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Decision, Post, PostState, Thread
from ..services import browse, statements

bp = Blueprint("account", __name__, url_prefix="/konto")


@bp.get("/offene-fragen")
@login_required
def open_questions():
    return render_template("account/open_questions.html",
                           threads=browse.watched_open_questions(current_user))


@bp.get("/beitraege")
@login_required
def posts():
    own = (sa.select(Post).where(Post.author_id == current_user.id,
                                 Post.state != PostState.PUBLISHED)
           .options(joinedload(Post.thread).joinedload(Thread.board))
           .order_by(Post.created_at.desc()))
    decisions = (sa.select(Decision).where(Decision.author_id == current_user.id)
                 .options(joinedload(Decision.thread)).order_by(Decision.id.desc()).limit(50))
    return render_template("account/posts.html", posts=list(db.session.scalars(own).unique()),
                           decisions=list(db.session.scalars(decisions).unique()),
                           token_for=statements.token_for_author)
