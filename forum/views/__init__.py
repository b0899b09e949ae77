"""Blueprints per URL area. Views stay thin: parse input, call a service, render."""

from collections.abc import Callable

from flask import abort, current_app, flash, request, session
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from .. import permissions
from ..enums import PostState
from ..fragment_cache import cached
from ..services import browse, drafts

# the largest id a table holds (PostgreSQL's integer), as the <int:> route converter says
MAX_ROW_ID = 2**31 - 1

TOO_MANY_MARKS = _l("Sie haben in kurzer Zeit sehr oft etwas beobachtet, nicht mehr beobachtet "
                    "oder „Ich habe die gleiche Frage“ geändert. Bitte versuchen Sie es später "
                    "noch einmal.")
TOO_MANY = _l("Sie haben in kurzer Zeit sehr viele Beiträge geschrieben. Bitte warten Sie eine "
              "Weile und senden Sie dann erneut; Ihr Text ist erhalten.")


def page_subject(key: tuple, load: Callable[[], tuple]) -> tuple:
    """What `load()` gives for a page: its subject (a row, with the rows loaded with it, or
    None) and the person's marks on it (plain values). A GET keeps a found subject in the
    fragment cache per `key`, person, generation and language, and puts the row into its
    session without a statement (browse.attached): a reload of the page runs none for it.
    A subject not found is not kept (made-up addresses would crowd out the cache). Any other
    request loads it, so that what it changes is current."""
    if request.method != "GET":
        return load()
    person = current_user.id if current_user.is_authenticated else None

    def kept() -> tuple:
        row, *marks = load()
        return (browse.kept_apart(row), *marks)

    row, *marks = cached(("page subject", *key, person), kept,
                         keep=lambda subject: subject[0] is not None)
    return (browse.attached(row), *marks)


def require(action: str, obj=None) -> None:
    """Check the rulebook for the current user; send visitors to the log-in page."""
    try:
        permissions.check(action, current_user, obj)
    except Forbidden:
        if not current_user.is_authenticated:
            abort(unauthorized())
        raise


def unauthorized():
    """The log-in manager's answer to a visitor (see auth._unauthorized): a redirect to the
    log-in page that keeps typed text."""
    return current_app.login_manager.unauthorized()


def row_id(value) -> int | None:
    """An id typed into an address or a form: a whole number from 1 to MAX_ROW_ID, else None.
    Nothing larger can exist, and it would overflow the database driver (a 500)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ROW_ID else None


def id_arg(name: str) -> int | None:
    """The id in the address's ?name=, or None (see row_id)."""
    return row_id(request.args.get(name))


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
            field.process_data((row_id(value) or value) if name == "board" else value)
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


TOO_MANY_PREVIEWS = _l("Sie haben in kurzer Zeit sehr viele Vorschauen angefordert. Bitte "
                       "warten Sie eine Weile; Ihr Text ist erhalten.")


def preview(form) -> str | None:
    """The Markdown preview of a form's text, rate limited (it costs CPU and saves nothing);
    over the limit the form is shown again with its text and a message."""
    from .. import ratelimits
    from ..markup import render_markdown

    if not ratelimits.allow("preview"):
        form.form_errors.append(str(TOO_MANY_PREVIEWS))
        return None
    return render_markdown(form.body.data)


ALREADY_SENT = _l("Dieses Formular war schon gesendet; hier ist das Ergebnis. Es wurde "
                  "nichts doppelt gespeichert.")


def post_reply(form, add, target, pending_message: str):
    """The reply step shared by threads and guest pages: preview, rate limit, the service
    call `add(body, once_key)`, then a message and a redirect to `target(post_id)`. A form
    sent again (double click, reload) goes to the post its first sending made. Returns the
    redirect, or None with the preview HTML (if any) when the form is shown again."""
    from flask import redirect

    from .. import ratelimits
    from ..services import ServiceError
    from ..services.once import AlreadySubmitted

    if not form.validate_on_submit():
        return None, None
    if form.preview.data:
        return None, preview(form)
    if not ratelimits.allow("post"):
        form.form_errors.append(str(TOO_MANY))
        return None, None
    try:
        post = add(form.body.data, form.once.data)
    except AlreadySubmitted as sent:
        flash(str(ALREADY_SENT), "success")
        return redirect(target(sent.submission.object_id)), None
    except ServiceError as error:
        apply_service_error(form, error)
        return None, None
    if post.state == PostState.PENDING:
        flash(pending_message, "success")
    else:
        flash(_("Ihr Beitrag ist veröffentlicht."), "success")
    return redirect(target(post.id)), None


def apply_service_error(form, error) -> None:
    """Show a service's refusal next to its field, or at the top of the form (each one of
    services.InputErrors)."""
    for each in getattr(error, "errors", [error]):
        field = getattr(form, each.field, None) if each.field else None
        if field is not None:
            field.errors = [*field.errors, str(each.message)]
        else:
            form.form_errors.append(str(each.message))
