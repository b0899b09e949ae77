"""Blueprints per URL area. Views stay thin: parse input, call a service, render."""

from flask import abort
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from .. import permissions
from ..extensions import login_manager


def require(action: str, obj=None) -> None:
    """Check the rulebook for the current user; send visitors to the log-in page."""
    try:
        permissions.check(action, current_user, obj)
    except Forbidden:
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        raise


def apply_service_error(form, error) -> None:
    """Show a service's refusal next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
