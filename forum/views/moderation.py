"""The moderation queue, decisions on posts and threads, appeals and the log (/moderation).
Every object is loaded through a query scoped to the moderator
(services.moderation_objects); the view itself runs no query."""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..enums import DecisionAction, GroundKind
from ..forms import ActionForm
from ..forms.moderation import (
    AppealDecisionForm,
    ApproveEditForm,
    MergeForm,
    MoveForm,
    NoteForm,
    ReasonedForm,
    RejectForm,
)
from ..permissions import denial, moderates_anything
from ..services import AlreadyHandled, ServiceError, moderation, queue, reports
from ..services import moderation_objects as scoped
from . import apply_service_error, id_arg, require

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
@login_required
def _moderators_only():
    require("queue.view")


@bp.get("")
def index():
    return render_template(
        "moderation/queue.html", pending=queue.pending_posts(current_user),
        reported=queue.reported_posts(current_user), appeals=queue.open_appeals(current_user),
        escalated=queue.escalated_threads(current_user))


# --- one post ---------------------------------------------------------------------------

def _forms(post, **bound) -> dict:
    forms = {
        "approve_form": ApproveEditForm(prefix="approve", formdata=None,
                                        data={"body": post.body_source}),
        "reject_form": RejectForm(prefix="reject", formdata=None),
        "hide_form": ReasonedForm(prefix="hide", formdata=None),
        "lock_form": ReasonedForm(prefix="lock", formdata=None),
        "dismiss_form": NoteForm(prefix="dismiss", formdata=None),
        "move_form": MoveForm(prefix="move", formdata=None),
        "merge_form": MergeForm(prefix="merge", formdata=None),
        "restore_form": NoteForm(prefix="restore", formdata=None),
    }
    forms.update(bound)
    forms["reject_form"].reason.choices = _reason_choices()
    forms["move_form"].board.choices = _move_choices(post.thread)
    return forms


def _reason_choices() -> list[tuple[int, str]]:
    return [(r.id, r.title) for r in scoped.rejection_reasons()]


def _move_choices(thread) -> list[tuple[int, str]]:
    return [(b.id, b.name) for b in scoped.move_targets(current_user, thread)]


def _render_post(post, status: int = 200, **bound):
    return render_template(
        "moderation/post.html", post=post, thread=post.thread, reports=scoped.reports_of(post),
        history=scoped.history_of(post), **_forms(post, **bound)), status


@bp.get("/beitraege/<int:post_id>")
def post_detail(post_id: int):
    return _render_post(scoped.post(current_user, post_id))


def _act(post, form_name: str, form, perform):
    """Validate the action's form and run it; on refusal re-show the page."""
    if not form.validate_on_submit():
        return _render_post(post, 200, **{form_name: form})
    try:
        perform(form)
    except AlreadyHandled as handled:
        flash(str(handled.message), "error")
        return redirect(url_for("moderation.index"))
    except ServiceError as error:
        apply_service_error(form, error)
        return _render_post(post, 200, **{form_name: form})
    flash(_("Die Entscheidung ist gespeichert."), "success")
    return redirect(url_for("moderation.index"))


@bp.post("/beitraege/<int:post_id>/freigeben")
def approve(post_id: int):
    post = scoped.post(current_user, post_id)
    form = ApproveEditForm(prefix="approve")
    edited = "edit" in request.form
    return _act(post, "approve_form", form, lambda f: moderation.approve_post(
        current_user, post, body=f.body.data if edited else None))


@bp.post("/beitraege/<int:post_id>/ablehnen")
def reject(post_id: int):
    post = scoped.post(current_user, post_id)
    form = RejectForm(prefix="reject")
    form.reason.choices = _reason_choices()
    return _act(post, "reject_form", form, lambda f: moderation.reject_post(
        current_user, post, reason=scoped.rejection_reason(f.reason.data),
        facts=f.facts.data))


@bp.post("/beitraege/<int:post_id>/ausblenden")
def hide(post_id: int):
    post = scoped.post(current_user, post_id)
    return _act(post, "hide_form", ReasonedForm(prefix="hide"), lambda f: moderation.hide_post(
        current_user, post, ground_kind=GroundKind(f.ground_kind.data), ground=f.ground.data,
        facts=f.facts.data))


@bp.post("/beitraege/<int:post_id>/wiederherstellen")
def restore(post_id: int):
    post = scoped.post(current_user, post_id)
    return _act(post, "restore_form", NoteForm(prefix="restore"),
                lambda f: moderation.restore_post(current_user, post, note=f.facts.data))


@bp.post("/beitraege/<int:post_id>/meldungen-erledigen")
def dismiss(post_id: int):
    post = scoped.post(current_user, post_id)
    return _act(post, "dismiss_form", NoteForm(prefix="dismiss"),
                lambda f: moderation.dismiss_reports(current_user, post, facts=f.facts.data))


# --- threads ----------------------------------------------------------------------------

def _question_of(thread):
    return scoped.question(current_user, thread)


@bp.post("/themen/<int:thread_id>/schliessen")
def lock(thread_id: int):
    thread = scoped.thread(current_user, thread_id)
    return _act(_question_of(thread), "lock_form", ReasonedForm(prefix="lock"),
                lambda f: moderation.lock_thread(
                    current_user, thread, ground_kind=GroundKind(f.ground_kind.data),
                    ground=f.ground.data, facts=f.facts.data))


@bp.post("/themen/<int:thread_id>/oeffnen")
def unlock(thread_id: int):
    thread = scoped.thread(current_user, thread_id)
    return _act(_question_of(thread), "unlock_form", ActionForm(),
                lambda f: moderation.unlock_thread(current_user, thread))


@bp.post("/themen/<int:thread_id>/verschieben")
def move(thread_id: int):
    thread = scoped.thread(current_user, thread_id)
    question = _question_of(thread)
    form = MoveForm(prefix="move")
    form.board.choices = _move_choices(thread)
    return _act(question, "move_form", form, lambda f: moderation.move_thread(
        current_user, thread, scoped.board(current_user, f.board.data)))


@bp.post("/themen/<int:thread_id>/zusammenfuehren")
def merge(thread_id: int):
    thread = scoped.thread(current_user, thread_id)
    question = _question_of(thread)

    def perform(form):
        target = scoped.merge_target(current_user, form.target.data)
        if target is None:
            raise ServiceError(_("Ein Thema mit dieser Nummer gibt es in Ihren Bereichen "
                                 "nicht."), field="target")
        return moderation.merge_threads(current_user, thread, target)

    return _act(question, "merge_form", MergeForm(prefix="merge"), perform)


# --- appeals ----------------------------------------------------------------------------

@bp.route("/beschwerden/<int:appeal_id>", methods=["GET", "POST"])
def appeal_detail(appeal_id: int):
    appeal = scoped.appeal(current_user, appeal_id)
    form = AppealDecisionForm()
    refusal = denial("appeal.decide", current_user, appeal)
    if request.method == "POST":
        require("appeal.decide", appeal)
        if form.validate_on_submit():
            try:
                reports.decide_appeal(
                    current_user, appeal, upheld=form.upheld.data == "yes",
                    answer=form.answer.data,
                    ground_kind=GroundKind(form.ground_kind.data) if form.ground_kind.data
                    else None, ground=form.ground.data or "", facts=form.facts.data or "")
            except AlreadyHandled as handled:
                flash(str(handled.message), "error")
                return redirect(url_for("moderation.index"))
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                flash(_("Die Beschwerde ist entschieden."), "success")
                return redirect(url_for("moderation.index"))
    return render_template("moderation/appeal.html", appeal=appeal, form=form,
                           decision=appeal.decision, refusal=refusal)


# --- log and transparency ---------------------------------------------------------------

def _date_arg(name: str) -> datetime | None:
    """A date from ?von= / ?bis=; anything else, or a date too far off to add a day to, is
    no filter."""
    value = request.args.get(name, "")
    try:
        date = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC) if value else None
    except ValueError:
        return None
    return date if date is None or date.year < 9999 else None


def _page() -> int:
    page = request.args.get("seite", 1, type=int)
    return page if 1 <= page <= 100_000 else 1


@bp.get("/protokoll")
def log():
    action = request.args.get("aktion", "")
    action = action if action in {a.value for a in DecisionAction} else None
    moderator_id = id_arg("person")
    start, end = _date_arg("von"), _date_arg("bis")
    decisions = queue.decisions_page(
        current_user, _page(), action=action, moderator_id=moderator_id, start=start,
        end=end + timedelta(days=1) if end else None)
    moderators = queue.moderators()
    return render_template("moderation/log.html", decisions=decisions, moderators=moderators,
                           actions=list(DecisionAction), filters={
                               "aktion": action or "", "person": moderator_id or "",
                               "von": request.args.get("von", ""),
                               "bis": request.args.get("bis", "")})


@bp.app_context_processor
def _queue_count():
    def queue_total() -> int:
        if not current_user or not moderates_anything(current_user):
            return 0
        return queue.counts(current_user)["total"]

    return {"queue_total": queue_total}

