"""Notifications, watch settings, watch buttons and one-click unsubscribe."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import ratelimits
from ..enums import WatchKind, WatchMode
from ..forms import ActionForm
from ..jinja import safe_next
from ..services import ServiceError, notifications
from . import TOO_MANY_MARKS, flash_expired, row_id

bp = Blueprint("notifications", __name__)


@bp.get("/konto/benachrichtigungen")
@login_required
def index():
    return render_template("notifications/list.html",
                           notes=notifications.recent(current_user), form=ActionForm())


@bp.post("/konto/benachrichtigungen/gelesen")
@login_required
def mark_read():
    if ActionForm().validate_on_submit():
        notifications.mark_all_read(current_user)
        flash(_("Alle Benachrichtigungen sind als gelesen markiert."), "success")
    else:
        flash_expired()
    return redirect(url_for("notifications.index"))


@bp.route("/konto/benachrichtigungen/einstellungen", methods=["GET", "POST"])
@login_required
def settings():
    watches = notifications.watches_of(current_user)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            flash_expired()
        else:
            for watch_obj in watches:
                if request.form.get(f"remove-{watch_obj.id}"):
                    notifications.unwatch(current_user, watch_obj)
                else:
                    mode = request.form.get(f"mode-{watch_obj.id}")
                    if mode in {m.value for m in WatchMode} and mode != watch_obj.mode:
                        notifications.set_mode(current_user, watch_obj, WatchMode(mode))
            flash(_("Ihre Einstellungen sind gespeichert."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", watches=watches, form=ActionForm(),
                           kind_of=notifications.watch_kind)


@bp.post("/beobachten")
@login_required
def toggle_watch():
    """The watch button on threads, projects and topic fields."""
    target = safe_next(request.form.get("next"))
    kind = _watch_kind(request.form.get("kind", ""))
    target_id = request.form.get("target", type=int)
    if not ActionForm().validate_on_submit() or target_id is None:
        flash_expired()
        return redirect(target)
    if kind is None or row_id(target_id) is None:
        flash(str(notifications.GONE), "error")
        return redirect(target)
    if not ratelimits.allow("mark"):
        flash(str(TOO_MANY_MARKS), "error")
        return redirect(target)
    existing = notifications.find_watch(current_user, kind, target_id)
    try:
        if existing is not None:
            notifications.unwatch(current_user, existing)
            flash(_("Sie beobachten das nicht mehr."), "success")
        else:
            mode = request.form.get("mode", WatchMode.INSTANT.value)
            notifications.watch(current_user, kind, target_id,
                                WatchMode(mode) if mode in {m.value for m in WatchMode}
                                else WatchMode.INSTANT)
            flash(_("Sie beobachten das jetzt. Einstellungen finden Sie unter "
                    "„Benachrichtigungen“."), "success")
    except ServiceError as error:
        flash(str(error.message), "error")
    return redirect(target)


def _watch_kind(value: str) -> WatchKind | None:
    return WatchKind(value) if value in {k.value for k in WatchKind} else None


@bp.route("/abbestellen/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """One click from a mail, without log-in (RFC 8058 POSTs come from mail programs)."""
    found = notifications.from_token(token)
    if found is None:  # broken, or the watch ended meanwhile: say what to do instead
        return render_template("notifications/unsubscribe_invalid.html"), 404
    watch = found[1] if found[0] == "watch" else None
    person = found[1] if found[0] == "digest" else None
    if request.method == "POST":
        stop_watching = request.form.get("beobachten") == "beenden"
        about = None  # what stopped, named before the watch may be gone
        if person is not None:
            notifications.unsubscribe_digest(person)
        elif watch is not None:
            about = {"is_thread": watch.thread_id is not None,
                     "name": watch.thread.title if watch.thread else watch.target.name}
            notifications.unsubscribe(watch, stop_watching=stop_watching)
        return render_template("notifications/unsubscribed.html", about=about,
                               stopped_watching=stop_watching and about is not None)
    return render_template(
        "notifications/unsubscribe.html", watch=watch,
        digest_watches=notifications.digest_watches(person) if person is not None else None)
