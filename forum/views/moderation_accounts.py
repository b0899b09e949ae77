"""Measures against accounts (/moderation/konten): an account's history, warn, suspend,
block and lift for site moderators; a request for project moderators. The account is
loaded through a query scoped to the moderator; the view runs no query."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..enums import DecisionAction, GroundKind
from ..forms.moderation import (
    PLEASE_CHOOSE,
    InternalNoteForm,
    LiftForm,
    MeasureForm,
    MeasureRequestForm,
)
from ..permissions import can, denial
from ..services import ServiceError, measures, moderation_objects as scoped, queue_tools
from ..services.once import AlreadySubmitted
from . import apply_service_error, require

bp = Blueprint("moderation_accounts", __name__, url_prefix="/moderation/konten")


@bp.before_request
@login_required
def _moderators_only():
    require("queue.view")


def _reason_choices() -> list[tuple[int | str, str]]:
    return [("", str(PLEASE_CHOOSE))] + [(r.id, r.title) for r in scoped.rejection_reasons()]


def _page(account, status: int = 200, **bound):
    forms = {"measure_form": MeasureForm(prefix="measure", formdata=None),
             "lift_form": LiftForm(prefix="lift", formdata=None),
             "request_form": MeasureRequestForm(prefix="request", formdata=None)}
    forms.update(bound)
    forms["measure_form"].reason.choices = _reason_choices()
    return render_template(
        "moderation/account.html", account=account,
        history=measures.account_history(current_user, account),
        notes=queue_tools.notes_on((measures.ACCOUNT_ITEM, measures.REQUEST_ITEM), account.id)
        if can("account.internal", current_user, account) else None,
        may_decide=can("account.measure", current_user, account),
        refusal=denial("account.measure_request", current_user, account),
        note_form=InternalNoteForm(prefix="note", formdata=None), **forms), status


@bp.get("/<int:user_id>")
def detail(user_id: int):
    return _page(scoped.account(current_user, user_id))


def _act(account, form_name: str, form, perform, done: str):
    """Validate the form and run the service; errors re-show the page with what was typed."""
    if not form.validate_on_submit():
        return _page(account, **{form_name: form})
    try:
        perform(form)
    except AlreadySubmitted:  # the form was sent twice: the first sending counts
        return redirect(url_for("moderation_accounts.detail", user_id=account.id))
    except ServiceError as error:
        apply_service_error(form, error)
        return _page(account, **{form_name: form})
    flash(done, "success")
    return redirect(url_for("moderation_accounts.detail", user_id=account.id))


@bp.post("/<int:user_id>/massnahme")
def measure(user_id: int):
    account = scoped.account(current_user, user_id)
    require("account.measure", account)
    form = MeasureForm(prefix="measure")
    form.reason.choices = _reason_choices()

    def perform(f):
        kind = f.ground_kind.data
        measures.take_measure(
            current_user, account, DecisionAction(f.action.data),
            ground_kind=GroundKind(kind) if kind in set(GroundKind) else None,
            ground=f.ground.data or "", facts=f.facts.data, days=f.days.data,
            reason=scoped.rejection_reason(f.reason.data) if f.reason.data else None,
            reject_pending=f.reject_pending.data, once_key=f.once.data)

    return _act(account, "measure_form", form, perform, _(
        "Die Maßnahme ist gespeichert; die betroffene Person erhält die Begründung."))


@bp.post("/<int:user_id>/aufheben")
def lift(user_id: int):
    account = scoped.account(current_user, user_id)
    require("account.measure", account)
    return _act(account, "lift_form", LiftForm(prefix="lift"),
                lambda f: measures.lift(current_user, account, note=f.facts.data),
                _("Die Sperre ist aufgehoben."))


@bp.post("/<int:user_id>/antrag")
def request_measure(user_id: int):
    account = scoped.account(current_user, user_id)
    require("account.measure_request", account)
    return _act(account, "request_form", MeasureRequestForm(prefix="request"),
                lambda f: measures.request_measure(current_user, account, f.text.data),
                _("Ihr Antrag ist gespeichert; das Moderationsteam der Website entscheidet."))


@bp.post("/<int:user_id>/notiz")
def note(user_id: int):
    account = scoped.account(current_user, user_id)
    require("account.internal", account)
    form = InternalNoteForm(prefix="note")
    if form.validate_on_submit():
        queue_tools.add_note(current_user, measures.ACCOUNT_ITEM, account.id, form.body.data)
        flash(_("Die Notiz ist gespeichert."), "success")
    else:
        flash(_("Bitte schreiben Sie eine Notiz."), "error")
    return redirect(url_for("moderation_accounts.detail", user_id=account.id))
