"""Spam defences that are rules about a post: links of new users, quick duplicates."""

import re
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import Post, User, utcnow
from . import ServiceError

_LINK = re.compile(r"<a\s")


def is_new(user: User) -> bool:
    """New accounts, and guests always, get the stricter rules."""
    return user.is_guest or (
        user.approved_post_count < current_app.config["PREMODERATION_THRESHOLD"])


def check_post(user: User, body: str, body_html: str, editing: Post | None = None) -> None:
    """Refuse too many links from new users and a repeat of the author's last post."""
    limit = current_app.config["NEW_USER_MAX_LINKS"]
    if is_new(user) and not user.is_expert and len(_LINK.findall(body_html)) > limit:
        raise ServiceError(
            _l("Neue Konten dürfen höchstens %(num)d Links je Beitrag setzen. Bitte entfernen "
               "Sie Links oder warten Sie, bis ein Beitrag von Ihnen freigegeben wurde.",
               num=limit), field="body")
    window = timedelta(seconds=current_app.config["DUPLICATE_WINDOW_SECONDS"])
    query = (select(Post.body_source).where(Post.author_id == user.id,
                                             Post.created_at >= utcnow() - window)
             .order_by(Post.created_at.desc(), Post.id.desc()).limit(1))
    if editing is not None:
        query = query.where(Post.id != editing.id)
    previous = db.session.scalar(query)
    if previous is not None and _normal(previous) == _normal(body):
        raise ServiceError(_l("Diesen Text haben Sie gerade schon gesendet. Bitte schreiben "
                              "Sie keinen doppelten Beitrag."), field="body")


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()
