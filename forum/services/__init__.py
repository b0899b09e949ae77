"""Services: take the acting user explicitly, check the rulebook first, own the transaction."""

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, Result


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (SQLAlchemy types execute() as a plain
    Result; for these statements it is a CursorResult)."""
    return cast(CursorResult[Any], result).rowcount


class ServiceError(Exception):
    """Bad input a person can fix; `field` names the form field the message belongs to."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class InputErrors(ServiceError):
    """Several inputs to fix, all said at once: `errors` holds one ServiceError each."""

    def __init__(self, errors: list[ServiceError]):
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = errors


class AccountExists(ServiceError):
    """Registration with an address that has an account; the page must not reveal it."""

    def __init__(self, user):
        super().__init__("account exists", field="email")
        self.user = user


class UnconfirmedAccount(ServiceError):
    """Right password, but the e-mail address was never confirmed."""


class AlreadyHandled(ServiceError):
    """Another moderator decided on the item first; nothing was changed. `decision`, when
    known, is what they decided."""

    def __init__(self, message, decision=None):
        super().__init__(message)
        self.decision = decision


@dataclass
class Mail:
    """A mail a service asks for; the caller renders and sends it after the commit."""

    to: str
    template: str
    subject: object  # a lazy gettext string, rendered in the recipient's language
    locale: str | None = None
    context: dict = field(default_factory=dict)


@dataclass
class Outcome:
    decision: object = None
    mails: list[Mail] = field(default_factory=list)
