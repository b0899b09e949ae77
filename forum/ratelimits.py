"""Rate limits for posting and reporting, counted in Flask-Limiter's configured storage (memory
by default, Redis through FORUM_RATELIMIT_STORAGE_URI) so several workers share them.

Views call `allow()` after a form validated, so a refused post re-shows the form with its
text instead of ending on an error page; the log-in and registration forms are limited per
client with `limit_form_posts()`. Views reach the limiter only through this module."""

import hashlib

from flask import current_app
from flask_login import current_user
from limits import parse

from .extensions import hashed_client_key, limiter


def limit_form_posts(setting: str, on_breach):
    """Flask-Limiter's decorator for a form view: its POSTs count against the limit in the
    config value `setting` (read at each request); over the limit, `on_breach(limit)`
    answers."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"],
                         on_breach=on_breach)


def allow(name: str, address: str | None = None) -> bool:
    """Count one attempt at `name` for this account and this client (and, for guests, the
    e-mail address they gave); False when over."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    limits = current_app.config["RATE_LIMITS"][name]
    keys = [("client", hashed_client_key())]
    if current_user.is_authenticated and "account" in limits:
        keys.append(("account", str(current_user.id)))
    if address is not None and "address" in limits:
        salt = current_app.config["SECRET_KEY"].encode()
        digest = hashlib.sha256(salt + address.strip().lower().encode()).hexdigest()[:32]
        keys.append(("address", digest))
    allowed = True
    for kind, key in keys:
        if kind in limits and not limiter.limiter.hit(parse(limits[kind]), "forum", name,
                                                      kind, key):
            allowed = False
    return allowed
