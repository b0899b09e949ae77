"""Barriere melden (/barriere-melden), the sign-language page (/gebaerdensprache) and their
administration: barrier cases, the operator's facts, the sign-language video (/admin/...)."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from .. import labels, ratelimits
from ..enums import BarrierState
from ..forms import ActionForm
from ..forms.site import BarrierAnswerForm, BarrierReportForm, SignVideoForm, SiteFactsForm
from ..services import ServiceError, barriers, pages, site_facts
from ..services.once import AlreadySubmitted
from ..site_pages import CONCILIATION_BODY
from . import apply_service_error, flash_expired, id_arg, require

bp = Blueprint("accessibility", __name__)

TOO_MANY = _l("Sie haben in kurzer Zeit sehr viele Meldungen gesendet. Bitte warten Sie eine "
              "Weile; Ihre Eingaben sind erhalten.")


@bp.route("/barriere-melden", methods=["GET", "POST"])
def barrier_report():
    form = BarrierReportForm()
    if not form.is_submitted() and request.args.get("seite"):
        form.location.data = request.args.get("seite", "")[:500]
    if form.validate_on_submit():
        if not ratelimits.allow("report"):
            form.form_errors.append(str(TOO_MANY))
        else:
            try:
                report = barriers.file(
                    current_user, description=form.description.data,
                    location=form.location.data or "", name=form.name.data or "",
                    email=form.email.data or "", locale=str(get_locale()),
                    once_key=form.once.data)
            except AlreadySubmitted as sent:
                report = sent.created
            except ServiceError as error:
                apply_service_error(form, error)
                report = None
            if report is not None:
                return render_template("accessibility/barrier_thanks.html",
                                       mailed=bool(report.contact_email))
    return render_template("accessibility/barrier_report.html", form=form,
                           page=pages.get_page("barriere-melden"),
                           conciliation=CONCILIATION_BODY)


@bp.get("/gebaerdensprache")
def sign_language():
    facts = site_facts.facts()
    return render_template("accessibility/sign_language.html",
                           page=pages.get_page("gebaerdensprache"), facts=facts)


@bp.get("/gebaerdensprache/medien/<name>")
def sign_media(name: str):
    path = site_facts.media_file(name)
    if path is None:
        abort(404)
    mimetype = "text/vtt" if name.endswith(".vtt") else site_facts.facts()["sign_video_type"]
    return send_file(path, mimetype=mimetype, conditional=True, max_age=3600)


# --- administration ------------------------------------------------------------------------

admin_bp = Blueprint("accessibility_admin", __name__, url_prefix="/admin")


@admin_bp.before_request
@login_required
def _admins_only():
    require("admin.access")


@admin_bp.get("/barrieren")
def barrier_cases():
    state = request.args.get("status")
    chosen = BarrierState(state) if state in set(BarrierState) else None
    return render_template("accessibility_admin/barrier_cases.html",
                           cases=barriers.cases(current_user, id_arg("seite"), chosen),
                           chosen=chosen, states=labels.BARRIER_STATES)


@admin_bp.route("/barrieren/<int:case_id>", methods=["GET", "POST"])
def barrier_case(case_id: int):
    report = barriers.case(current_user, case_id)
    form = BarrierAnswerForm()
    if form.validate_on_submit():
        try:
            barriers.answer(current_user, report, form.answer.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Die Antwort ist gespeichert und wird per E-Mail versandt."), "success")
            return redirect(url_for("accessibility_admin.barrier_case", case_id=report.id))
    return render_template("accessibility_admin/barrier_case.html", report=report, form=form,
                           states=labels.BARRIER_STATES)


@admin_bp.post("/barrieren/<int:case_id>/abschliessen")
def barrier_close(case_id: int):
    report = barriers.case(current_user, case_id)
    if ActionForm().validate_on_submit():
        barriers.close(current_user, report)
        flash(_("Der Fall ist abgeschlossen."), "success")
    else:
        flash_expired()
    return redirect(url_for("accessibility_admin.barrier_cases"))


@admin_bp.route("/angaben", methods=["GET", "POST"])
def facts():
    current = site_facts.facts()
    form = SiteFactsForm(data={key: site_facts.fact_date(value) if key.startswith("statement_")
                               else value for key, value in current.items()})
    if form.validate_on_submit():
        values = {}
        for key in labels.SITE_FACTS:
            value = getattr(form, key).data
            values[key] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        site_facts.update_facts(current_user, values)
        flash(_("Die Angaben sind gespeichert."), "success")
        return redirect(url_for("accessibility_admin.facts"))
    return render_template("admin/form_page.html", form=form,
                           title=_("Angaben zum Betrieb"), back=url_for("admin.index"),
                           intro=_("Aus diesen Angaben entstehen das Impressum (§ 5 DDG), die "
                                   "Seite Kontakt und die Erklärung zur Barrierefreiheit. An "
                                   "die E-Mail-Adresse für Barrierefreiheit gehen die "
                                   "Meldungen von Barrieren."))


@admin_bp.route("/gebaerdensprache", methods=["GET", "POST"])
def sign_video():
    # a video is larger than any other request the forum takes (MAX_CONTENT_LENGTH)
    request.max_content_length = current_app.config["SIGN_VIDEO_MAX_BYTES"]
    current = site_facts.facts()
    form = SignVideoForm(data={"transcript": current["sign_transcript"]})
    if form.validate_on_submit():
        try:
            site_facts.set_sign_video(current_user, form.video.data or None,
                                      form.captions.data or None, form.transcript.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Das Video ist gespeichert."), "success")
            return redirect(url_for("accessibility_admin.sign_video"))
    return render_template("accessibility_admin/sign_video.html", form=form, facts=current)
