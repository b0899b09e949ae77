"""One-time keys: a creating form carries a random key, and the first POST with it records
what it created, in the same transaction. A double click, a reload or a retry with the same
key then shows that result instead of creating it a second time.

The key row is written first in the transaction, so two requests with one key queue on it
(PostgreSQL's unique index, SQLite's write lock): the second finds the first's result or
fails on the key and is answered with the first's result.
"""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from ..extensions import db
from ..models import Submission, utcnow
from . import ServiceError, rows_changed

KEEP = timedelta(days=1)
KEY_LENGTH = 43  # secrets.token_urlsafe(32)


class AlreadySubmitted(ServiceError):
    """The form was sent before; `submission` says what that created."""

    def __init__(self, submission: Submission) -> None:
        super().__init__("")
        self.submission = submission


def new_key() -> str:
    return secrets.token_urlsafe(32)


def _owner(user) -> int | None:
    return user.id if getattr(user, "id", None) is not None else None


def find(key: str | None, user) -> Submission | None:
    if not key:
        return None
    return db.session.scalar(sa.select(Submission).where(
        Submission.key == key, Submission.user_id.is_(None) if _owner(user) is None
        else Submission.user_id == _owner(user)))


def begin(key: str | None, user, kind: str) -> Submission | None:
    """Start a creating transaction: refuse a key that was used (AlreadySubmitted), else
    write the key row at once (flushed) and return it; the caller sets `object_id` and
    commits with its change. Without a key (an old form) nothing is recorded."""
    if not key or len(key) > KEY_LENGTH:
        return None
    used = find(key, user)
    if used is not None:
        raise AlreadySubmitted(used)
    row = Submission(key=key, user_id=_owner(user), kind=kind)
    db.session.add(row)
    try:
        db.session.flush()
    except (IntegrityError, OperationalError):
        db.session.rollback()
        used = find(key, user)
        if used is not None:
            raise AlreadySubmitted(used) from None
        raise
    return row


def commit(row: Submission | None, object_id: int) -> None:
    """Record what the form created and commit the whole change; a lost race on the key
    rolls everything back and answers with the winner's result."""
    if row is not None:
        row.object_id = object_id
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        used = find(row.key, None) if row is not None else None
        if used is not None:
            raise AlreadySubmitted(used) from None
        raise


def purge() -> int:
    """Forget keys older than KEEP."""
    result = db.session.execute(sa.delete(Submission).where(
        Submission.created_at < utcnow() - KEEP))
    db.session.commit()
    return rows_changed(result)
