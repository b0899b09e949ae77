"""Passwords: their quality (offline), resetting a lost one by mail, changing it.

Quality: services/password_quality.py (re-exported here as check_quality).

A reset link is signed (itsdangerous), valid for PASSWORD_RESET_MAX_AGE and only once: it
names a fingerprint of the password hash, which the new password changes. Asking for a link
costs the same whether the address has an account, a guest identity or nothing: one
password hash of the site's cost each time, and the same page."""

import hashlib
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..models import User, utcnow
from . import Mail, ServiceError, guests, outbox, sessions
from .identities import find_user_by_email
from .password_quality import check_quality

WRONG_CURRENT = _l("Das bisherige Passwort ist nicht richtig.")
LINK_INVALID = _l("Dieser Link zum Zurücksetzen des Passworts ist ungültig oder wurde schon "
                  "benutzt. Bitte fordern Sie einen neuen an.")
LINK_EXPIRED = _l("Dieser Link zum Zurücksetzen des Passworts ist abgelaufen (er gilt eine "
                  "Stunde). Bitte fordern Sie einen neuen an.")

_RESET_SALT = "password-reset"
_BURN_SECRET = secrets.token_hex(16)


def burn_hash(password: str = "") -> None:
    """Compute one password hash of the site's cost and throw it away: the answer for an
    address without an account takes as long as for one with."""
    generate_password_hash(password + _BURN_SECRET)


# --- reset by mail ------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _fingerprint(user: User) -> str:
    """Changes with the password (and the address): a used link stops working."""
    material = f"{user.id}\n{user.email}\n{user.password_hash}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def reset_token(user: User) -> str:
    return _serializer().dumps([user.id, _fingerprint(user)])


def request_reset(email: str) -> None:
    """Mail a reset link to an account, new personal links (or an account link) to a guest,
    nothing to an unknown address; the caller shows the same page in every case."""
    burn_hash(email)
    user = find_user_by_email(email)
    if user is None:
        return
    if user.is_guest:
        guests.resend_links(user.email)
        return
    outbox.enqueue(Mail(to=user.email, template="password_reset", locale=user.locale,
                        subject=_l("Ihr Passwort im Fachdialog zurücksetzen"),
                        context={"user": user, "token": reset_token(user)}))
    db.session.commit()


def load_reset(token: str) -> User:
    """The account a reset link is for; ServiceError if it is invalid, used or expired."""
    try:
        user_id, fingerprint = _serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as exc:
        raise ServiceError(LINK_EXPIRED) from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise ServiceError(LINK_INVALID) from exc
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.is_guest or not secrets.compare_digest(
            str(fingerprint), _fingerprint(user)):
        raise ServiceError(LINK_INVALID)
    return user


def reset(token: str, password: str) -> User:
    """Set the new password from a reset link. The link proves the address, so an account
    never confirmed is confirmed now (with this password, not one somebody else chose at
    registration). Every session of the account ends."""
    user = load_reset(token)
    check_quality(password, email=user.email, display_name=user.display_name)
    user.set_password(password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    sessions.end_all(user, commit=False)
    _mail_changed(user)
    db.session.commit()
    return user


def change(user: User, current: str, new: str, keep_session: str | None) -> None:
    """Change the password in the settings: needs the current one; ends every other
    session of the account."""
    if not user.check_password(current):
        raise ServiceError(WRONG_CURRENT, field="current_password")
    try:
        check_quality(new, email=user.email, display_name=user.display_name)
    except ServiceError as error:
        raise ServiceError(error.message, field="new_password") from None
    user.set_password(new)
    sessions.end_all(user, keep=keep_session, commit=False)
    _mail_changed(user)
    db.session.commit()


def _mail_changed(user: User) -> None:
    outbox.enqueue(Mail(to=user.email, template="password_changed", locale=user.locale,
                        subject=_l("Ihr Passwort im Fachdialog wurde geändert"),
                        context={"user": user}))
