"""Services: take the acting user explicitly, check the rulebook first, own the transaction."""


class ServiceError(Exception):
    """Bad input a person can fix; `field` names the form field the message belongs to."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class AccountExists(ServiceError):
    """Registration with an address that has an account; the page must not reveal it."""

    def __init__(self, user):
        super().__init__("account exists", field="email")
        self.user = user


class UnconfirmedAccount(ServiceError):
    """Right password, but the e-mail address was never confirmed."""
