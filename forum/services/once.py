"""One-time keys: a creating form carries a random key, and the first POST with it records
what it created, in the same transaction. A double click, a reload or a retry with the same
key then shows that result instead of creating it a second time.

The key is the primary key of its row, written with the change: of two requests with one key
that ran side by side, the second fails on it, its whole change rolls back, and it is answered
with the first one's result. Nothing is written for a form that fails validation.
"""

from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from ..extensions import db
from ..models import (
    ApiToken,
    Appeal,
    BarrierReport,
    Decision,
    GuestLink,
    Post,
    ProjectUpdate,
    Report,
    Submission,
    Thread,
    utcnow,
)
from . import ServiceError, rows_changed

KEEP = timedelta(days=1)
KEY_LENGTH = 43  # secrets.token_urlsafe(32), made by forms.once_field()


KINDS = {"thread": Thread, "post": Post, "report": Report, "appeal": Appeal,
         "update": ProjectUpdate, "guest_question": GuestLink, "barrier": BarrierReport,
         "measure": Decision, "token": ApiToken}


class AlreadySubmitted(ServiceError):
    """The form was sent before; `submission` says what that created, `created` is it."""

    def __init__(self, submission: Submission) -> None:
        super().__init__("")
        self.submission = submission

    @property
    def created(self):
        return db.session.get(KINDS[self.submission.kind], self.submission.object_id)


def _owner(user) -> int | None:
    return user.id if getattr(user, "id", None) is not None else None


def find(key: str | None, user) -> Submission | None:
    if not key:
        return None
    return db.session.scalar(sa.select(Submission).where(
        Submission.key == key, Submission.user_id.is_(None) if _owner(user) is None
        else Submission.user_id == _owner(user)))


def find_any(key: str) -> Submission | None:
    return db.session.get(Submission, key, populate_existing=True)


def begin(key: str | None, user, kind: str) -> Submission | None:
    """Before a creating change: refuse a key that was used (AlreadySubmitted) and return the
    key's row to record with the change, or None for a form without a key (an old page)."""
    if not key or len(key) > KEY_LENGTH:
        return None
    used = find(key, user)
    if used is not None:
        raise AlreadySubmitted(used)
    return Submission(key=key, user_id=_owner(user), kind=kind)


@contextmanager
def refusals_checked(row: Submission | None, user):
    """Around a creating change's checks: a refusal (say, "you just wrote that") that comes
    because the same form's first sending committed meanwhile is answered with that result."""
    try:
        yield
    except AlreadySubmitted:
        raise
    except ServiceError:
        if row is not None:
            db.session.rollback()
            used = find(row.key, user)
            if used is not None:
                raise AlreadySubmitted(used) from None
        raise


def commit(row: Submission | None, created) -> None:
    """Record the key with what the form created (an object with an id) and commit the whole
    change. Of two requests with one key that ran side by side, the second fails on the key
    (its whole change rolls back) and is answered with the first one's result."""
    if row is not None:
        db.session.flush()
        row.object_id = created.id
        db.session.add(row)
    try:
        db.session.commit()
    except (IntegrityError, OperationalError):
        db.session.rollback()
        used = find_any(row.key) if row is not None else None
        if used is not None:
            raise AlreadySubmitted(used) from None
        raise


def purge() -> int:
    """Forget keys older than KEEP."""
    result = db.session.execute(sa.delete(Submission).where(
        Submission.created_at < utcnow() - KEEP))
    db.session.commit()
    return rows_changed(result)
