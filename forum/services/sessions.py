"""Log-in sessions that end: the session cookie and the remember-me cookie carry a random
token, the table `login_sessions` its hash. Flask-Login's user id is that token, so deleting
the row (log out, "Überall abmelden", a new password) ends the session everywhere the cookie
was copied to. Each log-in makes a new token, so the remember-me cookie changes too.

Rows unused for LOGIN_SESSION_DAYS are deleted when next seen (`load`) and by the daily
retention job (`flask forum purge`, services/retention.py)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import LoginSession, User, utcnow
from . import generation, notifications, rows_changed

# last_used_at is written at most this often per session, not on every request
_TOUCH_EVERY = timedelta(minutes=10)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _max_idle() -> timedelta:
    return timedelta(days=current_app.config["LOGIN_SESSION_DAYS"])


def start(user: User) -> str:
    """A new log-in session for `user`; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_hash(token)))
    db.session.commit()
    return token


@dataclass(frozen=True)
class Loaded:
    """A request's account, with what every page shows or keys by along with it."""

    user: User
    generation: int  # the site generation as this statement saw it (services/generation.py)
    unread: int  # the account's unread public notifications (the header's count)


def load(token: str | None) -> Loaded | None:
    """The account a session token stands for, or None when the session ended or expired."""
    if not token or len(token) > 100:
        return None
    # on every request of a logged-in person: one statement brings the account with what the
    # rulebook asks of it (memberships, verifications), the site generation and the header's
    # unread count, not five
    row = db.session.execute(_load_statement(), {"token_hash": _hash(token)}).unique().first()
    if row is None:
        return None
    login, user, current, unread = row
    now = utcnow()
    if now - login.last_used_at > _max_idle():
        db.session.delete(login)
        db.session.commit()
        return None
    if now - login.last_used_at > _TOUCH_EVERY:
        db.session.execute(sa.update(LoginSession).where(LoginSession.id == login.id)
                           .values(last_used_at=now))
        db.session.commit()
    return Loaded(user, current or 0, unread)


@cache
def _load_statement() -> sa.Select:
    """Built once per process (building it cost more than running it): the token's hash is
    its one parameter."""
    return (sa.select(LoginSession, User, generation.current_value(),
                      notifications.unread_count_of(User.id))
            .join(User, User.id == LoginSession.user_id)
            .where(LoginSession.token_hash == sa.bindparam("token_hash"))
            .options(joinedload(User.memberships), joinedload(User.verifications)))


def end(token: str | None) -> None:
    """Log out this one session."""
    if token:
        db.session.execute(sa.delete(LoginSession)
                           .where(LoginSession.token_hash == _hash(token)))
        db.session.commit()


def end_all(user: User, keep: str | None = None, *, commit: bool = True) -> None:
    """End every session of `user` but the one with the token `keep` (if given)."""
    query = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep:
        query = query.where(LoginSession.token_hash != _hash(keep))
    db.session.execute(query)
    if commit:
        db.session.commit()


def count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == user.id)) or 0


def purge(now=None) -> int:
    """Delete the sessions unused for LOGIN_SESSION_DAYS; returns how many."""
    cutoff = (now or utcnow()) - _max_idle()
    result = db.session.execute(sa.delete(LoginSession)
                                .where(LoginSession.last_used_at < cutoff))
    db.session.commit()
    return rows_changed(result)
