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


@bp.post("/<int:user_id>/massnahme")
def measure(user_id: int):
    account = scoped.account(current_user, user_id)
    require("account.measure", account)
    form = MeasureForm(prefix="measure")
    form.reason.choices = _reason_choices()
    if not form.validate_on_submit():
        return _page(account, measure_form=form)
    reason = scoped.rejection_reason(form.reason.data) if form.reason.data else None
    kind = form.ground_kind.data
    try:
        measures.take_measure(
            current_user, account, DecisionAction(form.action.data),
            ground_kind=GroundKind(kind) if kind in set(GroundKind) else None,
            ground=form.ground.data or "",
            facts=form.facts.data, days=form.days.data, reason=reason,
            reject_pending=form.reject_pending.data, once_key=form.once.data)
    except AlreadySubmitted:  # the form was sent twice: the first sending counts
        return redirect(url_for("moderation_accounts.detail", user_id=account.id))
    except ServiceError as error:
        apply_service_error(form, error)
        return _page(account, measure_form=form)
    flash(_("Die Maßnahme ist gespeichert; die betroffene Person erhält die Begründung."),
          "success")
    return redirect(url_for("moderation_accounts.detail", user_id=account.id))


@bp.post("/<int:user_id>/aufheben")
def lift(user_id: int):
    account = scoped.account(current_user, user_id)
    require("account.measure", account)
    form = LiftForm(prefix="lift")
    if not form.validate_on_submit():
        return _page(account, lift_form=form)
    try:
        measures.lift(current_user, account, note=form.facts.data)
    except ServiceError as error:
        apply_service_error(form, error)
        return _page(account, lift_form=form)
    flash(_("Die Sperre ist aufgehoben."), "success")
    return redirect(url_for("moderation_accounts.detail", user_id=account.id))


@bp.post("/<int:user_id>/antrag")
def request_measure(user_id: int):
    account = scoped.account(current_user, user_id)
    require("account.measure_request", account)
    form = MeasureRequestForm(prefix="request")
    if not form.validate_on_submit():
        return _page(account, request_form=form)
    try:
        measures.request_measure(current_user, account, form.text.data)
    except ServiceError as error:
        apply_service_error(form, error)
        return _page(account, request_form=form)
    flash(_("Ihr Antrag ist gespeichert; das Moderationsteam der Website entscheidet."),
          "success")
    return redirect(url_for("moderation_accounts.detail", user_id=account.id))


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
