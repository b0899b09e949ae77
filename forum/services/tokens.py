"""Personal access tokens of the JSON API: made and revoked by their owner under the account
settings, shown once, stored as a SHA-256 with a short prefix to recognise them. Every change
goes to the audit log with the token's name and scopes, never the secret. A request with
`Authorization: Bearer <secret>` acts as the owner, within the token's scopes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..enums import AuditAction
from ..extensions import db
from ..models import ApiToken, User, utcnow
from ..permissions import is_member
from . import ServiceError, audit, once

READ = "read"
WRITE = "write"
SCOPES = (READ, WRITE)
PREFIX = "fd_"  # every secret starts with it, so a leaked one is recognisable
MAX_TOKENS = 20
# last_used_at is written at most this often per token, not on every request
TOUCH_EVERY = timedelta(minutes=10)

TOO_MANY_TOKENS = _l("Sie haben schon %(count)s Zugangsschlüssel. Bitte widerrufen Sie zuerst "
                     "einen, den Sie nicht mehr brauchen.", count=MAX_TOKENS)
NAME_NEEDED = _l("Bitte geben Sie dem Zugangsschlüssel einen Namen (2 bis 80 Zeichen).")
GONE = _l("Diesen Zugangsschlüssel gibt es nicht (mehr).")


@dataclass(frozen=True)
class Created:
    token: ApiToken
    secret: str  # shown once, never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.id)))


def create(user: User, name: str, scopes: list[str], *, once_key: str | None = None
           ) -> Created:
    """A new token for the user's own account; returns the secret once. The form's one-time
    key makes a reload of the answer (the browser sends the form again) raise
    once.AlreadySubmitted instead of making a second token: the first one's secret is not
    stored and cannot be shown again."""
    row = once.begin(once_key, user, "token")
    name = (name or "").strip()
    if not 2 <= len(name) <= 80:
        raise ServiceError(NAME_NEEDED, field="name")
    if not is_member(user):
        raise ServiceError(GONE)
    chosen = [s for s in SCOPES if s in scopes] or [READ]
    if WRITE in chosen and READ not in chosen:
        chosen = [READ, WRITE]
    count = db.session.scalar(sa.select(sa.func.count()).where(ApiToken.user_id == user.id))
    if (count or 0) >= MAX_TOKENS:
        raise ServiceError(TOO_MANY_TOKENS)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:10],
                     token_hash=_hash(secret), scopes=" ".join(chosen))
    db.session.add(token)
    db.session.flush()
    audit.record(user, AuditAction.TOKEN_CREATE, token, summary=f"{name} ({token.prefix}…)",
                 changes={"scopes": chosen})
    once.commit(row, token)
    return Created(token, secret)


def revoke(user: User, token_id: int) -> ApiToken:
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id,
                                                        ApiToken.user_id == user.id))
    if token is None:
        raise ServiceError(GONE)
    audit.record(user, AuditAction.TOKEN_REVOKE, token, summary=f"{token.name} "
                 f"({token.prefix}…)", changes={"scopes": token.scope_list})
    db.session.delete(token)
    db.session.commit()
    return token


@dataclass(frozen=True)
class Grant:
    """Who a token request acts as, and what it may do."""

    user: User
    scopes: tuple[str, ...]
    token_id: int


def authenticate(secret: str | None) -> Grant | None:
    """The owner and scopes of a token's secret, or None when unknown, revoked, or the
    account may no longer log in (unconfirmed, a guest identity)."""
    if not secret or len(secret) > 100:
        return None
    row = db.session.execute(
        sa.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _hash(secret))).first()
    if row is None:
        return None
    token, user = row
    if not is_member(user):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        db.session.execute(sa.update(ApiToken).where(ApiToken.id == token.id)
                           .values(last_used_at=now))
        db.session.commit()
    return Grant(user, tuple(token.scope_list), token.id)
