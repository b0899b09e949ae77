"""Registration, e-mail confirmation, log-in and site roles."""

import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .. import permissions
from ..enums import AuditAction
from ..extensions import db
from ..models import SiteRole, User, utcnow
from . import (
    AccountExists,
    Mail,
    ServiceError,
    UnconfirmedAccount,
    audit,
    guests,
    outbox,
    passwords,
    rows_changed,
)

# the lookups live in `identities`, which guests use too; callers keep reaching them here
from .identities import check_display_name, find_user_by_email, normalise_email

_CONFIRM_SALT = "confirm-email"


def register_user(email: str, display_name: str, password: str, locale: str | None = None) -> User:
    """Create an unconfirmed account; the caller mails the confirmation link.

    A known address raises AccountExists: the caller mails its owner and shows the same page
    as for a new account, so the form does not reveal who has an account."""
    existing = find_user_by_email(email)
    check_display_name(display_name, taken=_l("Dieser Anzeigename ist schon vergeben."))
    passwords.check_quality(password, email=email, display_name=display_name)
    if existing is not None:
        # the hash a new account costs, so the answer takes as long for known addresses
        passwords.burn_hash(password)
    if existing is not None and existing.is_guest:
        # a guest turns into an account through the personal link, which proves the
        # address; a password set here by whoever typed the address would pre-empt that
        guests.resend_links(existing.email)
        raise AccountExists(existing)
    if existing is not None:
        outbox.enqueue(Mail(to=existing.email, template="account_exists",
                            subject=_l("Sie haben bereits ein Konto im Fachdialog"),
                            locale=existing.locale, context={"user": existing}))
        db.session.commit()
        raise AccountExists(existing)
    user = User(email=normalise_email(email), display_name=display_name.strip(), locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _enqueue_confirmation(user)
    db.session.commit()
    return user


def _enqueue_confirmation(user: User) -> None:
    token = make_confirm_token(user, current_app.config["SECRET_KEY"])
    outbox.enqueue(Mail(to=user.email, template="confirm", locale=user.locale,
                        subject=_l("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
                        context={"user": user, "token": token}))


def resend_confirmation(email: str) -> None:
    """Mail a new link if the address belongs to an unconfirmed account; silent otherwise."""
    user = find_user_by_email(email)
    if user is not None and not user.is_confirmed:
        _enqueue_confirmation(user)
        db.session.commit()


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_CONFIRM_SALT)


def make_confirm_token(user: User, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"id": user.id, "email": user.email})


def load_confirmation(token: str, secret_key: str, max_age: int) -> User:
    """The account a confirmation link is for (nothing changes); ServiceError if invalid."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ServiceError(
            _l("Der Bestätigungslink ist abgelaufen. Bitte fordern Sie einen neuen an.")
        ) from exc
    except BadSignature as exc:
        raise ServiceError(_l("Der Bestätigungslink ist ungültig.")) from exc
    user = db.session.get(User, data.get("id"))
    if user is None or user.is_guest or user.email != data.get("email"):
        raise ServiceError(_l("Der Bestätigungslink ist ungültig."))
    return user


WRONG_REGISTRATION_PASSWORD = _l(
    "Das Passwort stimmt nicht mit dem überein, das bei der Registrierung gewählt wurde. "
    "Haben Sie sich nicht selbst registriert oder das Passwort vergessen? Dann setzen Sie "
    "über „Passwort vergessen“ ein eigenes Passwort; auch das bestätigt Ihre Adresse.")


def confirm_email(token: str, secret_key: str, max_age: int, password: str) -> User:
    """Confirm the address of a new account, pressed as a button (POST) by whoever registered:
    the link proves the address, the password that it is the person who chose it. So the
    owner of an address somebody else registered never activates that person's password
    (they set their own through the password reset instead)."""
    user = load_confirmation(token, secret_key, max_age)
    if user.email_confirmed_at is not None:
        return user
    if not user.check_password(password):
        raise ServiceError(WRONG_REGISTRATION_PASSWORD, field="password")
    claimed = db.session.execute(
        sa.update(User).where(User.id == user.id, User.email_confirmed_at.is_(None),
                              User.password_hash == user.password_hash)
        .values(email_confirmed_at=utcnow()))
    if not rows_changed(claimed):  # the password changed meanwhile: ask again
        db.session.rollback()
        raise ServiceError(WRONG_REGISTRATION_PASSWORD, field="password")
    db.session.commit()
    db.session.refresh(user)
    return user


_DUMMY = User()
_DUMMY.set_password(secrets.token_hex(16))


def authenticate(email: str, password: str) -> User:
    user = find_user_by_email(email)
    # An unknown address or a guest (no password) costs the same hash check, so timing does
    # not tell who is registered.
    if user is not None and not user.is_guest and user.password_hash:
        checked = user.check_password(password)
    else:
        checked = _DUMMY.check_password(password) and False
    if user is None or not checked:
        raise ServiceError(_l("E-Mail-Adresse oder Passwort ist falsch."))
    if not user.is_confirmed:
        raise UnconfirmedAccount(
            _l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse über den Link in unserer E-Mail.")
        )
    return user


def create_user(email: str, display_name: str, password: str, role: SiteRole) -> User:
    """Create a confirmed account (command line, demo data)."""
    if find_user_by_email(email) is not None:
        raise ServiceError(_l("Für diese E-Mail-Adresse gibt es bereits ein Konto."), "email")
    user = User(
        email=normalise_email(email), display_name=display_name, site_role=role,
        email_confirmed_at=utcnow(),
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def set_site_role(actor: User, user: User, role: SiteRole) -> None:
    permissions.check("admin.access", actor)
    if user.id == actor.id and role != SiteRole.ADMIN:
        raise ServiceError(
            _l("Sie können Ihre eigene Administrationsrolle nicht entziehen."), "site_role"
        )
    changes = audit.diff(user, {"site_role": role})
    if changes:
        audit.record(actor, AuditAction.USER_ROLE, user, user.display_name, changes)
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


# --- settings ---------------------------------------------------------------------------

_EMAIL_CHANGE_SALT = "change-email"
EMAIL_LINK_INVALID = _l("Dieser Link zur Bestätigung der neuen E-Mail-Adresse ist ungültig, "
                        "abgelaufen oder schon benutzt.")


def change_display_name(user: User, display_name: str) -> None:
    """The same rules as at registration; the own name in other case or spacing is fine. A
    suspended or blocked account keeps its name (it shows on every post)."""
    refusal = permissions.denial("account.write", user)
    if refusal is not None:
        raise ServiceError(refusal, field="display_name")
    name = " ".join(display_name.split())
    if name.casefold() != " ".join(user.display_name.split()).casefold():
        check_display_name(name, taken=_l("Dieser Anzeigename ist schon vergeben."))
    user.display_name = name
    db.session.commit()


def _email_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_EMAIL_CHANGE_SALT)


def email_change_token(user: User, new_email: str) -> str:
    """The link's token: for this account, while it still has its current address."""
    return _email_serializer().dumps([user.id, user.email, normalise_email(new_email)])


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Mail a confirmation link to the new address (unless it belongs to another identity:
    then nothing goes there, and the page says the same) and a notice to the old one."""
    if not user.check_password(password):
        raise ServiceError(passwords.WRONG_CURRENT, field="current_password")
    new = normalise_email(new_email)
    if new == user.email:
        raise ServiceError(_l("Das ist schon Ihre E-Mail-Adresse."), field="email")
    if find_user_by_email(new) is None:
        token = email_change_token(user, new)
        outbox.enqueue(Mail(to=new, template="email_change", locale=user.locale,
                            subject=_l("Bitte bestätigen Sie Ihre neue E-Mail-Adresse"),
                            context={"user": user, "token": token}))
    outbox.enqueue(Mail(to=user.email, template="email_change_notice", locale=user.locale,
                        subject=_l("Ihre E-Mail-Adresse im Fachdialog soll geändert werden"),
                        context={"user": user}))
    db.session.commit()


def load_email_change(token: str) -> tuple[User, str]:
    """The account and new address a link stands for; ServiceError if it no longer fits."""
    try:
        user_id, old, new = _email_serializer().loads(
            token, max_age=current_app.config["EMAIL_CHANGE_MAX_AGE"])
    except (BadSignature, ValueError, TypeError) as exc:
        raise ServiceError(EMAIL_LINK_INVALID) from exc
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.is_guest or user.email != old or not isinstance(new, str):
        raise ServiceError(EMAIL_LINK_INVALID)
    return user, new


def confirm_email_change(token: str) -> User:
    """The new address is proven (pressed as a button): it becomes the account's."""
    user, new = load_email_change(token)
    if find_user_by_email(new) is not None:
        raise ServiceError(EMAIL_LINK_INVALID)
    claimed = db.session.execute(
        sa.update(User).where(User.id == user.id, User.email == user.email)
        .values(email=new, email_confirmed_at=utcnow()))
    if not rows_changed(claimed):
        db.session.rollback()
        raise ServiceError(EMAIL_LINK_INVALID)
    db.session.commit()
    db.session.refresh(user)
    return user
