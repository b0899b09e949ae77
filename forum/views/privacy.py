"""Own your data (/konto/daten, /konto/loeschen): download everything the forum holds about
you, and delete the account. Both ask for the password again."""

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from .. import ratelimits
from ..enums import DeletionMode
from ..forms.privacy import DeleteForm, ExportForm
from ..services import privacy

bp = Blueprint("privacy", __name__, url_prefix="/konto")


def _password_ok(form) -> bool:
    """The password asked again; a wrong one counts as a failed log-in of this account and
    client, so these forms are no way around the log-in's throttle."""
    config = current_app.config
    limits = {"client": config["LOGIN_RATE_LIMIT"],
              "address": config["LOGIN_ACCOUNT_RATE_LIMIT"]}
    if ratelimits.over("login", limits, current_user.email):
        form.password.errors = [*form.password.errors,
                                _("Zu viele Versuche in kurzer Zeit. Bitte warten Sie einige "
                                  "Minuten.")]
        return False
    if current_user.check_password(form.password.data):
        return True
    ratelimits.count("login", limits, current_user.email)
    form.password.errors = [*form.password.errors, _("Das Passwort stimmt nicht.")]
    return False


@bp.route("/daten", methods=["GET", "POST"])
@login_required
def export():
    form = ExportForm()
    if form.validate_on_submit() and _password_ok(form):
        data = privacy.export_user(current_user, draft_key=session.get("draft"))
        if form.format.data == "html":
            return render_template("privacy/export_readable.html", data=data)
        body = json.dumps(data, ensure_ascii=False, indent=2)
        return Response(body, mimetype="application/json", headers={
            "Content-Disposition": 'attachment; filename="fachdialog-meine-daten.json"',
            "Cache-Control": "no-store"})
    return render_template("privacy/export.html", form=form)


@bp.route("/loeschen", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteForm()
    if form.validate_on_submit() and _password_ok(form):
        user = current_user._get_current_object()  # noqa: SLF001 (LocalProxy API)
        draft_key = session.get("draft")
        logout_user()
        privacy.delete_user(user, user, DeletionMode(form.mode.data), draft_key=draft_key)
        session.clear()
        flash(_("Ihr Konto ist gelöscht."), "success")
        return redirect(url_for("pages.index"))
    return render_template("privacy/delete.html", form=form)
