"""The transparency report for a period (DSA arts. 15 and 24) as a page, CSV and JSON, and
every statement of reasons of the period for the EU's DSA Transparency Database (JSON lines).
Site moderators and admins only (rule "transparency.view")."""

import csv
import io
import json
from datetime import date, datetime

from flask import Blueprint, Response, render_template, request
from flask_babel import format_date
from flask_login import login_required

from ..forms.transparency import PeriodForm
from ..services import ServiceError, dsa_export, transparency as report
from . import apply_service_error, require

bp = Blueprint("transparency", __name__, url_prefix="/moderation/transparenz")

# the chart's drawing area, in SVG user units
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 640, 240, 16, 40


@bp.before_request
@login_required
def _site_moderators_only():
    require("transparency.view")


def _period(form: PeriodForm) -> report.Period | None:
    """The period asked for; None (with the message next to its field) when it is refused.
    Without any date, the year so far."""
    if "von" not in request.args and "bis" not in request.args:
        span = report.default_period(datetime.now(report.zone()).date())
        form.von.data, form.bis.data = span.first, span.last
        return span
    if not form.validate():
        return None
    try:
        return report.period(form.von.data, form.bis.data)
    except ServiceError as error:
        apply_service_error(form, error)
        return None


def _month(key: str, pattern: str) -> str:
    """"2026-03" as the page's language names the month ("März 2026", "Mär 26")."""
    year, month = key.split("-")
    return format_date(date(int(year), int(month), 1), pattern)


def chart(per_month: dict[str, int]) -> dict:
    """Bars of decisions per month, laid out for the template's SVG, with the months' names
    for the axis and the table."""
    peak = max(per_month.values(), default=0)
    slot = CHART_WIDTH / max(len(per_month), 1)
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    label_every = max(1, round(len(per_month) / 12))  # at most about twelve month labels
    bars = []
    for i, (month, count) in enumerate(per_month.items()):
        height = plot * count / peak if peak else 0
        bars.append({"month": _month(month, "LLLL yyyy"), "short": _month(month, "LLL yy"),
                     "count": count, "x": round(i * slot + slot * 0.15, 2),
                     "width": round(slot * 0.7, 2), "height": round(height, 2),
                     "y": round(CHART_TOP + plot - height, 2),
                     "label_x": round(i * slot + slot / 2, 2),
                     "labelled": i % label_every == 0})
    return {"bars": bars, "peak": peak, "width": CHART_WIDTH, "height": CHART_HEIGHT,
            "baseline": CHART_HEIGHT - CHART_BOTTOM,
            "months": {bar["month"]: bar["count"] for bar in bars}}


def _download(body: str, mimetype: str, name: str, suffix: str,
              span: report.Period) -> Response:
    filename = f"{name}-{span.first.isoformat()}-bis-{span.last.isoformat()}.{suffix}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={filename}"})


@bp.get("")
def report_page():
    form = PeriodForm(request.args)
    span = _period(form)
    if span is None:
        return render_template("moderation/transparency.html", form=form, data=None), 400
    data = report.figures(span)
    export = request.args.get("format")
    if export == "json":
        return _download(json.dumps(data, indent=2, ensure_ascii=False), "application/json",
                         "transparenz", "json", span)
    if export == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["section", "key", "value"])
        writer.writerows(report.as_rows(data))
        return _download(out.getvalue(), "text/csv", "transparenz", "csv", span)
    return render_template("moderation/transparency.html", form=form, data=data, span=span,
                           chart=chart(data["decisions"]["per_month"]))


@bp.get("/begruendungen")
def statements():
    """Every statement of reasons of the period, one JSON object a line."""
    form = PeriodForm(request.args)
    span = _period(form)
    if span is None:
        return render_template("moderation/transparency.html", form=form, data=None), 400
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n"
                    for record in dsa_export.statements(span))
    return _download(lines, "application/jsonl", "begruendungen", "jsonl",
                     span)
