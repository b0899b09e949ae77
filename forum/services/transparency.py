"""Transparency figures for a period (DSA Art. 15): reports, actions, appeals, time taken."""

import statistics
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Appeal, Decision, DecisionAction, Report


def figures(start: datetime, end: datetime) -> dict:
    def grouped(column, model, date_column):
        query = (sa.select(column, sa.func.count()).select_from(model)
                 .where(date_column >= start, date_column < end).group_by(column))
        return {str(getattr(key, "value", key)): n for key, n in db.session.execute(query)}

    durations = db.session.execute(
        sa.select(Decision.subject_created_at, Decision.created_at).where(
            Decision.created_at >= start, Decision.created_at < end,
            Decision.subject_created_at.is_not(None),
            Decision.action.not_in((DecisionAction.APPEAL_UPHELD,
                                    DecisionAction.APPEAL_REJECTED))))
    hours = [(decided - seen).total_seconds() / 3600 for seen, decided in durations
             if seen is not None]  # none is: the query skips them; this tells the type checker
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "reports_by_category": grouped(Report.category, Report, Report.created_at),
        "actions_by_type": grouped(Decision.action, Decision, Decision.created_at),
        "appeals_by_outcome": grouped(Appeal.state, Appeal, Appeal.created_at),
        "decisions_automated": 0,
        "median_hours_to_decision": round(statistics.median(hours), 2) if hours else None,
    }


def as_rows(data: dict) -> list[tuple[str, str, object]]:
    rows = [("period", "start", data["period"]["start"]), ("period", "end", data["period"]["end"])]
    for section in ("reports_by_category", "actions_by_type", "appeals_by_outcome"):
        rows += [(section, key, value) for key, value in sorted(data[section].items())]
    rows.append(("decisions", "automated", data["decisions_automated"]))
    rows.append(("decisions", "median_hours_to_decision", data["median_hours_to_decision"]))
    return rows
