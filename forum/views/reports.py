"""Reporting a post (/beitraege/<id>/melden) and the statement of reasons with its appeal
form (/entscheidungen/<token>), both usable without an account."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user

from .. import ratelimits
from ..enums import ReportCategory
from ..forms.moderation import AppealForm, ReportForm
from ..services import ServiceError, reports, statements
from ..services.once import AlreadySubmitted
from . import apply_service_error

bp = Blueprint("reports", __name__)

TOO_MANY = _l("Sie haben in kurzer Zeit sehr viele Meldungen gesendet. Bitte warten Sie eine "
              "Weile; Ihre Eingaben sind erhalten.")


@bp.route("/beitraege/<int:post_id>/melden", methods=["GET", "POST"])
def report(post_id: int):
    return _report(reports.post_to_report(current_user, post_id), about_update=False)


@bp.route("/neuigkeiten/<int:update_id>/melden", methods=["GET", "POST"])
def report_update(update_id: int):
    """Project updates are reported like posts."""
    return _report(reports.update_to_report(current_user, update_id), about_update=True)


def _report(post, about_update: bool):
    """The report form for a post or a project update (`post`), and its thanks."""
    form = ReportForm()
    if current_user.is_authenticated:  # the report carries the account's name and address
        del form.name, form.email
        form.concerns_child_abuse.label.text = _("Der Inhalt betrifft sexuellen Missbrauch "
                                                 "von Kindern")
    valid = form.validate_on_submit()
    if request.method == "POST" and not valid:
        _all_problems(form)  # everything to fix in one go, not one message per sending
    if valid:
        if not ratelimits.allow("report"):
            form.form_errors.append(str(TOO_MANY))
        else:
            try:
                _filed, mails = reports.file_report(
                    current_user, post, category=ReportCategory(form.category.data),
                    ground=form.ground.data or "", explanation=form.explanation.data,
                    name=_data(form, "name"), email=_data(form, "email"),
                    concerns_child_abuse=form.concerns_child_abuse.data,
                    concerns_threat=form.concerns_threat.data,
                    good_faith=form.good_faith.data, locale=str(get_locale()),
                    once_key=form.once.data)
            except AlreadySubmitted as sent:  # sent twice: the same thanks, one report
                report_ = sent.created
                return render_template("reports/thanks.html", post=post,
                                       about_update=about_update,
                                       mailed=bool(report_ and report_.reporter_email))
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                return render_template("reports/thanks.html", post=post,
                                       about_update=about_update, mailed=bool(mails))
    return render_template("reports/new.html", form=form, post=post, about_update=about_update)


def _data(form, name: str) -> str:
    field = getattr(form, name, None)
    return (field.data or "") if field is not None else ""


def _all_problems(form) -> None:
    """Add the service's checks to the form's own errors, for the fields without one."""
    try:
        category = ReportCategory(form.category.data) if form.category.data else None
    except ValueError:
        category = None
    problems = reports.report_problems(
        category=category, ground=form.ground.data or "",
        explanation=form.explanation.data or "",
        name=_data(form, "name") or (current_user.display_name
                                     if current_user.is_authenticated else ""),
        email=_data(form, "email") or (current_user.email
                                       if current_user.is_authenticated else ""),
        concerns_child_abuse=bool(form.concerns_child_abuse.data),
        good_faith=bool(form.good_faith.data))
    for problem in problems:
        field = getattr(form, problem.field or "", None)
        if field is not None and not field.errors:
            field.errors = [*field.errors, str(problem.message)]


@bp.route("/entscheidungen/<token>", methods=["GET", "POST"])
def statement(token: str):
    found = statements.read_token(token)
    if found is None:  # broken or expired: say what to do instead of a bare "not found"
        return render_template("reports/statement_invalid.html"), 404
    decision, report_ = found
    form = AppealForm()
    appeal_sent = request.args.get("gesendet") == "1"
    if form.validate_on_submit():
        try:
            reports.file_appeal(decision, report_, form.text.data, locale=str(get_locale()),
                                once_key=form.once.data)
        except AlreadySubmitted:
            return redirect(url_for("reports.statement", token=token, gesendet=1))
        except ServiceError as error:
            apply_service_error(form, error)
        else:  # post/redirect/get: reloading does not send it again
            return redirect(url_for("reports.statement", token=token, gesendet=1))
    return render_template(
        "reports/statement.html", decision=decision, report=report_, form=form,
        appeal_sent=appeal_sent, can_appeal=reports.can_appeal(decision, report_),
        appeal=reports.existing_appeal(decision, report_),
        reversal=statements.reversal_of(decision),
        title=_("Begründung der Entscheidung"),
    )
