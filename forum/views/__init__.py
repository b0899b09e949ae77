"""Blueprints per URL area. Views stay thin: parse input, call a service, render."""

from flask import abort, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from .. import permissions
from ..extensions import login_manager
from ..services import drafts


def require(action: str, obj=None) -> None:
    """Check the rulebook for the current user; send visitors to the log-in page."""
    try:
        permissions.check(action, current_user, obj)
    except Forbidden:
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        raise


def restore_draft(form) -> None:
    """Put back text kept from a POST whose session had ended (see auth._unauthorized)."""
    if request.method != "GET" or "draft" not in session:
        return
    fields = drafts.take(session.pop("draft"), request.path)
    if not fields:
        return
    for name, value in fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.process_data(int(value) if name == "board" and value.isdigit() else value)
    flash(_("Ihr Text ist wiederhergestellt. Bitte prüfen und senden Sie ihn jetzt ab."),
          "success")


def list_options() -> tuple[str, str | None]:
    """The sort order and filter a board page was asked for (?sortierung=, ?nur=)."""
    from ..services import browse

    sort = request.args.get("sortierung", "aktivitaet")
    only = request.args.get("nur")
    return (sort if sort in browse.SORTS else "aktivitaet",
            only if only in browse.FILTERS else None)


def flash_expired() -> None:
    """A small POST button whose form had expired: say so instead of silently doing nothing."""
    flash(_("Die Aktion wurde nicht ausgeführt, weil das Formular abgelaufen war. Bitte "
            "versuchen Sie es noch einmal."), "error")


def run_action(perform, done_message: str, target: str):
    """A small POST button: check its form, run the service call, say how it went and go
    back to `target`."""
    from flask import redirect

    from ..forms import ActionForm
    from ..services import ServiceError

    if not ActionForm().validate_on_submit():
        flash_expired()
    else:
        try:
            perform()
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(done_message, "success")
    return redirect(target)


def apply_service_error(form, error) -> None:
    """Show a service's refusal next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
