"""Keeping what a person typed when their session ended before they sent it."""

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import Draft, utcnow

# the fields kept and the most of each that is kept (a post has at most 20,000 characters)
KEPT_FIELDS = {"title": 200, "body": 20000, "board": 20}
LIFETIME = timedelta(hours=12)


def keep(path: str, form_data) -> str:
    """Store the text fields of a POST; return the key to put in the session."""
    db.session.execute(delete(Draft).where(Draft.created_at < utcnow() - LIFETIME))
    fields = {name: form_data.get(name, "")[:most] for name, most in KEPT_FIELDS.items()
              if name in form_data}
    key = secrets.token_urlsafe(32)
    db.session.add(Draft(key=key, path=path[:300], fields=fields))
    db.session.commit()
    return key


def take(key: str | None, path: str) -> dict | None:
    """The kept fields for this path, removed from storage; None when there are none."""
    if not key:
        return None
    draft = db.session.scalar(
        select(Draft).where(Draft.key == key, Draft.created_at >= utcnow() - LIFETIME)
    )
    if draft is None or draft.path != path:
        return None
    fields = dict(draft.fields)
    db.session.delete(draft)
    db.session.commit()
    return fields
