"""The moderation queue, decisions on posts and threads, appeals and the log (/moderation).
Every object is loaded through a query scoped to the moderator
(services.moderation_objects); the view itself runs no query."""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from ..enums import DecisionAction, GroundKind, PostKind, ReportCategory
from ..forms import ActionForm
from ..forms.moderation import (
    PLEASE_CHOOSE,
    AppealDecisionForm,
    ApproveEditForm,
    BulkForm,
    InternalNoteForm,
    MergeForm,
    ModeratorEditForm,
    MoveForm,
    NoteForm,
    ReasonedForm,
    RejectForm,
)
from ..fragment_cache import cached as cached_fragment
from ..permissions import (
    can,
    denial,
    is_site_moderator,
    moderates_anything,
    moderation_scope,
)
from ..services import (
    AlreadyHandled,
    ServiceError,
    measures,
    moderation,
    moderation_objects as scoped,
    queue,
    queue_tools,
    reports,
)
from . import apply_service_error, id_arg, require

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
@login_required
def _moderators_only():
    require("queue.view")


KIND_ARGS = {"frage": PostKind.QUESTION, "antwort": PostKind.ANSWER,
             "rueckfrage": PostKind.FOLLOWUP}


def _queue_filter() -> queue.QueueFilter:
    """The queue's filters from ?art= ?bereich= ?kategorie= ?alter=; anything unknown is no
    filter."""
    category = request.args.get("kategorie", "")
    days = request.args.get("alter", "")
    return queue.QueueFilter(
        kind=KIND_ARGS.get(request.args.get("art", "")), board_id=id_arg("bereich"),
        category=ReportCategory(category) if category in set(ReportCategory) else None,
        min_days=int(days) if days.isascii() and days.isdigit() and len(days) < 5
        and 0 < int(days) else None)


def _queue_args() -> dict[str, str]:
    """The queue's place from the address: its filters and the page of each list, to keep
    across a decision and in every page link."""
    return {key: value for key, value in request.args.items()
            if key in QUEUE_ARGS and value and len(value) < 20}


QUEUE_ARGS = ("art", "bereich", "kategorie", "alter", *queue.PAGE_PARAMS)


def _queue_page(bulk_form=None, status: int = 200):
    f = _queue_filter()
    page = {param: request.args.get(param, 1, type=int) for param in queue.PAGE_PARAMS}
    # the lists' lengths are the queue's counts, which the page shows anyway (a filter
    # narrows the lists: then each counts its own)
    counts = _queue_counts()
    pending = queue.pending_posts(current_user, f, page["seite"], counts["pending"])
    reported = queue.reported_posts(current_user, f, page["seite-meldungen"], counts["reports"])
    reported_updates = queue.reported_updates(current_user, f, page["seite-neuigkeiten"],
                                              counts["updates"])
    appeals = queue.open_appeals(current_user, page["seite-beschwerden"], counts["appeals"])
    bulk_form = bulk_form or BulkForm(formdata=None)
    bulk_form.reason.choices = _reason_choices()
    return render_template(
        "moderation/queue.html", pending=pending, reported=reported, appeals=appeals,
        reported_updates=reported_updates,
        escalated=queue.escalated_threads(current_user, page["seite-eskaliert"],
                                          counts["escalated"]),
        counts=counts,
        filter_counts=cached_fragment(("queue-filters", *moderation_scope(current_user)),
                                      lambda: queue.filter_counts(current_user, counts)),
        f=f, kind_args=KIND_ARGS,
        post_claims=queue_tools.claims_on(queue_tools.POST, [p.id for p in pending.items]
                                          + [row[0].id for row in reported.items]),
        appeal_claims=queue_tools.claims_on(queue_tools.APPEAL,
                                            [a.id for a in appeals.items]),
        requests=measures.open_requests() if is_site_moderator(current_user) else None,
        bulk_form=bulk_form, queue_args=_queue_args()), status


@bp.get("")
def index():
    return _queue_page()


@bp.post("/sammelentscheidung")
def bulk():
    """Approve or reject the ticked pending posts (each its own decision)."""
    form = BulkForm()
    form.reason.choices = _reason_choices()
    if not form.validate_on_submit():
        return _queue_page(form)
    ids = [int(v) for v in request.form.getlist("post")
           if v.isascii() and v.isdigit() and len(v) < 10]
    posts = scoped.pending_posts_by_ids(current_user, ids)
    if not posts:
        flash(_("Bitte wählen Sie mindestens einen wartenden Beitrag."), "error")
        return redirect(url_for("moderation.index", **_queue_args()))
    try:
        if form.action.data == "approve":
            done, skipped = moderation.bulk_approve(current_user, posts)
        else:
            done, skipped = moderation.bulk_reject(
                current_user, posts, reason=scoped.rejection_reason(form.reason.data)
                if form.reason.data else None, facts=form.facts.data or "")
    except ServiceError as error:
        apply_service_error(form, error)
        return _queue_page(form)
    flash(ngettext("%(num)d Beitrag entschieden.", "%(num)d Beiträge entschieden.", done)
          + (" " + _("%(num)d hatte bereits eine andere Person bearbeitet.", num=skipped)
             if skipped else ""), "success")
    return redirect(url_for("moderation.index", **_queue_args()))


# --- one post ---------------------------------------------------------------------------

def _forms(post, **bound) -> dict:
    seen = {"version": str(post.decision_version)}
    forms = {
        "approve_form": ApproveEditForm(prefix="approve", formdata=None,
                                        data={"body": post.body_source, **seen}),
        "edit_form": ModeratorEditForm(prefix="edit", formdata=None,
                                       data={"body": post.body_source,
                                             "title": post.thread.title, **seen}),
        "reject_form": RejectForm(prefix="reject", formdata=None, data=seen),
        "hide_form": ReasonedForm(prefix="hide", formdata=None, data=seen),
        "lock_form": ReasonedForm(prefix="lock", formdata=None),
        "dismiss_form": NoteForm(prefix="dismiss", formdata=None, data=seen),
        "move_form": MoveForm(prefix="move", formdata=None),
        "merge_form": MergeForm(prefix="merge", formdata=None),
        "restore_form": NoteForm(prefix="restore", formdata=None, data=seen),
        "note_form": InternalNoteForm(prefix="note", formdata=None),
    }
    forms.update(bound)
    for name in ("reject_form", "hide_form", "lock_form"):
        forms[name].reason.choices = _reason_choices()
    forms["move_form"].board.choices = _move_choices(post.thread)
    return forms


def _reason_choices() -> list[tuple[int | str, str]]:
    return [("", str(PLEASE_CHOOSE))] + [(r.id, r.title) for r in scoped.rejection_reasons()]


def _move_choices(thread) -> list[tuple[int | str, str]]:
    return [("", str(PLEASE_CHOOSE))] + [
        (b.id, b.name) for b in scoped.move_targets(current_user, thread)]


def _render_post(post, status: int = 200, **bound):
    return render_template(
        "moderation/post.html", post=post, thread=post.thread,
        reports=scoped.reports_of(current_user, post), history=scoped.history_of(post),
        claim=queue_tools.claims_on(queue_tools.POST, [post.id]).get(post.id),
        notes=queue_tools.notes_on(queue_tools.POST, post.id),
        author_history=measures.author_summary(post.author) if post.author else None,
        **_forms(post, **bound)), status


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
        return redirect(url_for("moderation.post_detail", post_id=post.id))
    except ServiceError as error:
        apply_service_error(form, error)
        return _render_post(post, 200, **{form_name: form})
    flash(_("Die Entscheidung ist gespeichert."), "success")
    return redirect(url_for("moderation.index"))


def _chosen_reason(form):
    return scoped.rejection_reason(form.reason.data) if form.reason.data else None


@bp.post("/beitraege/<int:post_id>/freigeben")
def approve(post_id: int):
    post = scoped.post(current_user, post_id)
    form = ApproveEditForm(prefix="approve")
    edited = "edit" in request.form
    return _act(post, "approve_form", form, lambda f: moderation.approve_post(
        current_user, post, body=f.body.data if edited else None,
        reason=(f.reason.data or "") if edited else "", seen=f.seen_version()))


@bp.post("/beitraege/<int:post_id>/bearbeiten")
def edit(post_id: int):
    post = scoped.post(current_user, post_id)
    return _act(post, "edit_form", ModeratorEditForm(prefix="edit"), lambda f: (
        moderation.edit_post(
            current_user, post, body=f.body.data, reason=f.reason.data,
            title=f.title.data if "edit-title" in request.form else None,
            seen=f.seen_version())))


@bp.post("/beitraege/<int:post_id>/ablehnen")
def reject(post_id: int):
    post = scoped.post(current_user, post_id)
    form = RejectForm(prefix="reject")
    form.reason.choices = _reason_choices()
    return _act(post, "reject_form", form, lambda f: moderation.reject_post(
        current_user, post, reason=scoped.rejection_reason(f.reason.data),
        facts=f.facts.data, seen=f.seen_version()))


def _ground_kind(form):
    value = form.ground_kind.data
    return GroundKind(value) if value in set(GroundKind) else None


@bp.post("/beitraege/<int:post_id>/ausblenden")
def hide(post_id: int):
    post = scoped.post(current_user, post_id)
    form = ReasonedForm(prefix="hide")
    form.reason.choices = _reason_choices()
    return _act(post, "hide_form", form, lambda f: moderation.hide_post(
        current_user, post, ground_kind=_ground_kind(f), ground=f.ground.data or "",
        facts=f.facts.data, reason=_chosen_reason(f), seen=f.seen_version()))


@bp.post("/beitraege/<int:post_id>/wiederherstellen")
def restore(post_id: int):
    post = scoped.post(current_user, post_id)
    return _act(post, "restore_form", NoteForm(prefix="restore"),
                lambda f: moderation.restore_post(current_user, post, note=f.facts.data,
                                                  seen=f.seen_version()))


@bp.post("/beitraege/<int:post_id>/meldungen-erledigen")
def dismiss(post_id: int):
    post = scoped.post(current_user, post_id)
    return _act(post, "dismiss_form", NoteForm(prefix="dismiss"),
                lambda f: moderation.dismiss_reports(current_user, post, facts=f.facts.data,
                                                     seen=f.seen_version()))


# --- claims, notes, the art. 18 record ----------------------------------------------------

def _back_to(kind: str, item_id: int):
    if kind == queue_tools.APPEAL:
        return redirect(url_for("moderation.appeal_detail", appeal_id=item_id))
    return redirect(url_for("moderation.post_detail", post_id=item_id))


def _load_item(kind: str, item_id: int) -> None:
    """The item, through the scoped loaders (404 outside the moderator's scope); an appeal's
    claim and notes are not for its parties."""
    if kind == queue_tools.APPEAL:
        require("appeal.internal", scoped.appeal(current_user, item_id))
    else:
        scoped.post(current_user, item_id)


@bp.post("/<any(beitraege, beschwerden):area>/<int:item_id>/uebernehmen")
def claim(area: str, item_id: int):
    kind = queue_tools.APPEAL if area == "beschwerden" else queue_tools.POST
    _load_item(kind, item_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            if request.form.get("release"):
                queue_tools.release_item(current_user, kind, item_id)
                flash(_("Sie haben den Eintrag wieder freigegeben."), "success")
            else:
                queue_tools.claim_item(current_user, kind, item_id)
                flash(_("Sie bearbeiten diesen Eintrag jetzt (für %(num)d Minuten sichtbar "
                        "für die anderen).", num=queue_tools.CLAIM_MINUTES), "success")
        except ServiceError as error:
            flash(str(error.message), "error")
    return _back_to(kind, item_id)


@bp.post("/<any(beitraege, beschwerden):area>/<int:item_id>/notiz")
def note(area: str, item_id: int):
    kind = queue_tools.APPEAL if area == "beschwerden" else queue_tools.POST
    _load_item(kind, item_id)
    form = InternalNoteForm(prefix="note")
    if form.validate_on_submit():
        queue_tools.add_note(current_user, kind, item_id, form.body.data)
        flash(_("Die Notiz ist gespeichert."), "success")
    else:
        flash(_("Bitte schreiben Sie eine Notiz."), "error")
    return _back_to(kind, item_id)


@bp.post("/meldungen/<int:report_id>/behoerden")
def authorities(report_id: int):
    found = scoped.report(current_user, report_id)
    if ActionForm().validate_on_submit():
        try:
            queue_tools.record_authorities_notified(current_user, found)
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Vermerkt: an Strafverfolgungsbehörden gemeldet."), "success")
    if found.update_id is not None:
        return redirect(url_for("moderation_updates.detail", update_id=found.update_id))
    return redirect(url_for("moderation.post_detail", post_id=found.post_id))


# --- threads ----------------------------------------------------------------------------

def _question_of(thread):
    return scoped.question(current_user, thread)


@bp.post("/themen/<int:thread_id>/schliessen")
def lock(thread_id: int):
    thread = scoped.thread(current_user, thread_id)
    form = ReasonedForm(prefix="lock")
    form.reason.choices = _reason_choices()
    return _act(_question_of(thread), "lock_form", form, lambda f: moderation.lock_thread(
        current_user, thread, ground_kind=_ground_kind(f), ground=f.ground.data or "",
        facts=f.facts.data, reason=_chosen_reason(f)))


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
    return render_template(
        "moderation/appeal.html", appeal=appeal, form=form, decision=appeal.decision,
        refusal=refusal,
        claim=queue_tools.claims_on(queue_tools.APPEAL, [appeal.id]).get(appeal.id),
        notes=queue_tools.notes_on(queue_tools.APPEAL, appeal.id)
        if can("appeal.internal", current_user, appeal) else None,
        note_form=InternalNoteForm(prefix="note", formdata=None))


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
    moderators = queue.moderators(current_user)
    return render_template("moderation/log.html", decisions=decisions, moderators=moderators,
                           actions=list(DecisionAction), filters={
                               "aktion": action or "", "person": moderator_id or "",
                               "von": request.args.get("von", ""),
                               "bis": request.args.get("bis", "")})


@bp.get("/entscheidungen/<int:decision_id>")
def decision_detail(decision_id: int):
    """A decision from the log with its statement of reasons, as the person concerned got it."""
    decision = scoped.decision(current_user, decision_id)
    return render_template("moderation/decision.html", decision=decision,
                           reversal=reports.reversal_of(decision))


def _queue_counts() -> dict[str, int]:
    """What waits in the moderator's scope: the queue shows it, and the header of every page
    the moderator sees. Counted once per generation (every change to posts, reports and
    appeals makes a new one) and scope, not on every request."""
    if "queue_counts" not in g:
        user = current_user._get_current_object()  # noqa: SLF001
        g.queue_counts = cached_fragment(("queue-counts", *moderation_scope(user)),
                                         lambda: queue.counts(user))
    return g.queue_counts


@bp.app_context_processor
def _queue_count():
    def queue_total() -> int:
        user = current_user._get_current_object()  # noqa: SLF001
        if not user or not moderates_anything(user):
            return 0
        return _queue_counts()["total"]

    return {"queue_total": queue_total}

