"""Rate limits for posting and reporting, counted in Flask-Limiter's configured storage (memory
by default, Redis through FORUM_RATELIMIT_STORAGE_URI) so several workers share them.

Views call `allow()` after a form validated, so a refused post re-shows the form with its
text instead of ending on an error page. The account forms decide what counts with `over()`
and `count()`: failed log-ins only, accepted registrations only, per client and per e-mail
address. Views reach the limiter only through this module."""

import hashlib

from flask import current_app
from flask_login import current_user
from limits import parse

from .extensions import hashed_client_key, limiter


def exempt(view):
    """The view counts against no limit, whatever default limits are configured (a load
    balancer asks /healthz every few seconds from one address)."""
    return limiter.exempt(view)


def allow(name: str, address: str | None = None, *, user=None) -> bool:
    """Count one attempt at `name` for this account and this client (and, for guests, the
    e-mail address they gave); False when over. `user`: the account acting when it is not
    the log-in's (an API token's owner)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    limits = current_app.config["RATE_LIMITS"][name]
    keys = [("client", hashed_client_key())]
    user = user if user is not None else current_user
    if user.is_authenticated and "account" in limits:
        keys.append(("account", str(user.id)))
    if address is not None and "address" in limits:
        keys.append(("address", _address_key(address)))
    allowed = True
    for kind, key in keys:
        if kind in limits and not limiter.limiter.hit(parse(limits[kind]), "forum", name,
                                                      kind, key):
            allowed = False
    return allowed


def _address_key(address: str) -> str:
    salt = current_app.config["SECRET_KEY"].encode()
    return hashlib.sha256(salt + address.strip().lower().encode()).hexdigest()[:32]


def _counted(limits: dict[str, str], address: str | None):
    keys = [("client", hashed_client_key())]
    if address is not None:
        keys.append(("address", _address_key(address)))
    return [(parse(limits[kind]), kind, key) for kind, key in keys if kind in limits]


def over(name: str, limits: dict[str, str], address: str | None = None) -> bool:
    """Whether this client, or the e-mail address given (an account's, known or not), has
    used up `limits` ({"client": ..., "address": ...}) for `name`; counts nothing. With
    `count()` a view decides what counts: failed log-ins only, accepted registrations only."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return False
    return any(not limiter.limiter.test(limit, "forum", name, kind, key)
               for limit, kind, key in _counted(limits, address))


def count(name: str, limits: dict[str, str], address: str | None = None) -> None:
    """Count one attempt at `name` for this client and the address given."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    for limit, kind, key in _counted(limits, address):
        limiter.limiter.hit(limit, "forum", name, kind, key)
