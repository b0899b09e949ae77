"""The operator's statistics (/admin/statistik): how the dialogue goes in a period, for the
whole site or one project or topic field, as charts with tables and as CSV. Admins only
(rule "admin.access")."""

import csv
import io
from datetime import datetime

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from .. import labels
from ..enums import ReportCategory
from ..forms.transparency import StatisticsForm
from ..services import ServiceError, charts, statistics, transparency
from . import apply_service_error, require

bp = Blueprint("statistics", __name__, url_prefix="/admin/statistik")


@bp.before_request
@login_required
def _admins_only():
    require("admin.access")


def _choice(form: StatisticsForm):
    """The period and area asked for, or None with the messages next to their fields.
    Without any date, the year so far."""
    form.bereich.choices = [(statistics.ALL, _("Gesamte Plattform")),
                            *statistics.area_choices()]
    span = chosen = None
    if "von" not in request.args and "bis" not in request.args:
        span = transparency.default_period(datetime.now(transparency.zone()).date())
        form.von.data, form.bis.data = span.first, span.last
    elif form.validate():
        try:
            span = transparency.period(form.von.data, form.bis.data)
        except ServiceError as error:
            apply_service_error(form, error)
    try:
        chosen = statistics.area(form.bereich.data)
    except ServiceError as error:
        apply_service_error(form, error)
        return None
    return (span, chosen) if span is not None else None


def _charts(data: dict) -> dict:
    """The page's figures as labelled bars (the same rows fill the tables)."""
    q, m = data["questions"], data["moderation"]
    late = q["unanswered_after_days"]
    share = late["share"]
    return {
        "questions": charts.bars([
            (_("Gestellte Fragen"), q["asked"]), (_("Beantwortet"), q["answered"]),
            (_("Von Fachleuten beantwortet"), q["answered_by_experts"]),
            (_("Von Projektteams beantwortet"), q["answered_by_project_teams"])]),
        "answer_times": charts.bars([
            (_("Erste Antwort: Median"), q["time_to_first_answer"]["median_hours"]),
            (_("Erste Antwort: 90. Perzentil"),
             q["time_to_first_answer"]["percentile_90_hours"]),
            (_("Erste Antwort von Fachleuten: Median"),
             q["time_to_first_expert_answer"]["median_hours"]),
            (_("Erste Antwort von Fachleuten: 90. Perzentil"),
             q["time_to_first_expert_answer"]["percentile_90_hours"])]),
        "unanswered": charts.bars([
            (_("Nach %(days)s Tagen unbeantwortet", days=late["days"]), share),
            (_("Innerhalb von %(days)s Tagen beantwortet", days=late["days"]),
             None if share is None else round(1 - share, 4))], peak=1),
        "me_too": charts.bars([
            (_("Markierungen „Ich habe die gleiche Frage“"), data["me_too"]["marks"]),
            (_("Fragen mit solchen Markierungen"), data["me_too"]["questions"])]),
        "moderation": charts.bars([
            (_("Entscheidungen im Zeitraum"), m["decisions"]),
            (_("Jetzt wartende Einträge"), m["queue_now"]["items"])]),
        "moderation_times": charts.bars([
            (_("Bis zur Entscheidung: Median"), m["time_to_decision"]["median_hours"]),
            (_("Bis zur Entscheidung: 90. Perzentil"),
             m["time_to_decision"]["percentile_90_hours"]),
            (_("Warteschlange jetzt: Median des Alters"), m["queue_now"]["median_age_hours"]),
            (_("Warteschlange jetzt: ältester Eintrag"), m["queue_now"]["oldest_hours"])]),
        "reports": charts.bars([(str(labels.CATEGORIES[ReportCategory(key)]), count)
                                for key, count in data["reports_by_category"].items()]),
    }


@bp.get("")
def overview():
    form = StatisticsForm(request.args)
    choice = _choice(form)
    if choice is None:
        return render_template("admin/statistics.html", form=form, data=None), 400
    span, chosen = choice
    data = statistics.figures(span, chosen)
    if request.args.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["section", "key", "value"])
        writer.writerows(statistics.as_rows(data))
        name = f"statistik-{span.first.isoformat()}-bis-{span.last.isoformat()}.csv"
        return Response(out.getvalue(), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={name}"})
    return render_template("admin/statistics.html", form=form, data=data, span=span,
                           chosen=chosen, charts=_charts(data))
