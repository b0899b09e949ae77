"""Moderating project updates (/moderation/neuigkeiten): like posts, hide with grounds,
restore, or settle the reports without action. The update is loaded through a query scoped
to the moderator; the view runs no query."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..enums import GroundKind
from ..forms.moderation import PLEASE_CHOOSE, NoteForm, ReasonedForm
from ..services import (
    AlreadyHandled,
    ServiceError,
    moderation_objects as scoped,
    moderation_updates,
)
from . import apply_service_error, require

bp = Blueprint("moderation_updates", __name__, url_prefix="/moderation/neuigkeiten")


@bp.before_request
@login_required
def _moderators_only():
    require("queue.view")


def _reason_choices() -> list[tuple[int | str, str]]:
    return [("", str(PLEASE_CHOOSE))] + [(r.id, r.title) for r in scoped.rejection_reasons()]


def _page(item, **bound):
    seen = {"version": str(item.decision_version)}
    forms = {"hide_form": ReasonedForm(prefix="hide", formdata=None, data=seen),
             "dismiss_form": NoteForm(prefix="dismiss", formdata=None, data=seen),
             "restore_form": NoteForm(prefix="restore", formdata=None, data=seen)}
    forms.update(bound)
    forms["hide_form"].reason.choices = _reason_choices()
    return render_template("moderation/update.html", item=item,
                           reports=scoped.reports_of_update(current_user, item),
                           history=scoped.history_of_update(item), **forms)


@bp.get("/<int:update_id>")
def detail(update_id: int):
    return _page(scoped.project_update(current_user, update_id))


def _act(item, form_name: str, form, perform):
    if not form.validate_on_submit():
        return _page(item, **{form_name: form})
    try:
        perform(form)
    except AlreadyHandled as handled:
        flash(str(handled.message), "error")
        return redirect(url_for("moderation_updates.detail", update_id=item.id))
    except ServiceError as error:
        apply_service_error(form, error)
        return _page(item, **{form_name: form})
    flash(_("Die Entscheidung ist gespeichert."), "success")
    return redirect(url_for("moderation.index"))


@bp.post("/<int:update_id>/ausblenden")
def hide(update_id: int):
    item = scoped.project_update(current_user, update_id)
    form = ReasonedForm(prefix="hide")
    form.reason.choices = _reason_choices()

    def perform(f):
        kind = f.ground_kind.data
        return moderation_updates.hide_update(
            current_user, item, ground_kind=GroundKind(kind) if kind in set(GroundKind) else None,
            ground=f.ground.data or "", facts=f.facts.data,
            reason=scoped.rejection_reason(f.reason.data) if f.reason.data else None,
            seen=f.seen_version())

    return _act(item, "hide_form", form, perform)


@bp.post("/<int:update_id>/wiederherstellen")
def restore(update_id: int):
    item = scoped.project_update(current_user, update_id)
    return _act(item, "restore_form", NoteForm(prefix="restore"),
                lambda f: moderation_updates.restore_update(
                    current_user, item, note=f.facts.data, seen=f.seen_version()))


@bp.post("/<int:update_id>/meldungen-erledigen")
def dismiss(update_id: int):
    item = scoped.project_update(current_user, update_id)
    return _act(item, "dismiss_form", NoteForm(prefix="dismiss"),
                lambda f: moderation_updates.dismiss_update_reports(
                    current_user, item, facts=f.facts.data, seen=f.seen_version()))
