"""Transparency figures for a period (DSA arts. 15 and 24): notices, decisions, the time from
notice to decision, account measures, appeals and the use of automated means, for the page,
the CSV and the JSON download.

A period is a range of whole days in the site's time zone (`BABEL_DEFAULT_TIMEZONE`), both
ends included. "Decisions" are the moderators' decisions on content and accounts; the
answers to appeals (`APPEAL_UPHELD`, `APPEAL_REJECTED`) are counted under appeals only, so
each decision section adds up to the same total.
"""

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import get_timezone, lazy_gettext as _l

from ..enums import ACCOUNT_MEASURES, AppealState, DecisionAction, GroundKind, ReportCategory
from ..extensions import db
from ..models import Appeal, Decision, Report
from . import ServiceError

APPEAL_VERDICTS = (DecisionAction.APPEAL_UPHELD, DecisionAction.APPEAL_REJECTED)
DECISION_ACTIONS = tuple(a for a in DecisionAction if a not in APPEAL_VERDICTS)
# the ground a notice names, by its category: spam breaks the dialogue rules; "other" names none
NOTICE_GROUNDS = {ReportCategory.ILLEGAL: GroundKind.LAW, ReportCategory.RULES: GroundKind.RULE,
                  ReportCategory.SPAM: GroundKind.RULE}
UNSPECIFIED = "unspecified"  # a notice of the category "other"
NO_GROUND = "none"  # a decision that restricts nothing names no ground (approve, restore, ...)
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(9998, 12, 31)
LONGEST = 366 * 10  # days


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        """The first moment of the first day, in UTC."""
        return _midnight(self.first)

    @property
    def end(self) -> datetime:
        """The first moment after the last day, in UTC."""
        return _midnight(self.last + timedelta(days=1))

    def months(self) -> list[str]:
        """Every month the period touches, as YYYY-MM."""
        year, month, found = self.first.year, self.first.month, []
        while (year, month) <= (self.last.year, self.last.month):
            found.append(f"{year:04d}-{month:02d}")
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return found


def zone() -> ZoneInfo:
    """The site's time zone (Flask-Babel hands out a pytz zone, which cannot be given to
    datetime() directly)."""
    return ZoneInfo(str(get_timezone()))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone()).astimezone(UTC)


def period(first: date | None, last: date | None) -> Period:
    """The period from `first` to `last` (both included); refuses what makes no report."""
    if first is None:
        raise ServiceError(_l("Bitte geben Sie den ersten Tag des Zeitraums an."), field="von")
    if last is None:
        raise ServiceError(_l("Bitte geben Sie den letzten Tag des Zeitraums an."), field="bis")
    for day, field in ((first, "von"), (last, "bis")):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ServiceError(_l("Bitte wählen Sie einen Tag zwischen dem 1. Januar 2000 und "
                                 "dem 31. Dezember 9998."),
                               field=field)
    if last < first:
        raise ServiceError(_l("Der letzte Tag liegt vor dem ersten. Bitte tauschen Sie die "
                              "Angaben oder korrigieren Sie eine davon."), field="bis")
    if (last - first).days >= LONGEST:
        raise ServiceError(_l("Bitte wählen Sie einen Zeitraum von höchstens zehn Jahren."),
                           field="bis")
    return Period(first, last)


def default_period(today: date) -> Period:
    """From the first of January to today."""
    return Period(today.replace(month=1, day=1), today)


def _hours(pairs) -> list[float]:
    return sorted((later - earlier).total_seconds() / 3600 for earlier, later in pairs)


def _median(hours: list[float]) -> float | None:
    return round(statistics.median(hours), 2) if hours else None


def percentile_90(hours: list[float]) -> float | None:
    """The 90th percentile, interpolated between the nearest values (the inclusive method:
    the smallest value is the 0th percentile, the largest the 100th)."""
    if len(hours) < 2:
        return round(hours[0], 2) if hours else None
    return round(statistics.quantiles(hours, n=10, method="inclusive")[-1], 2)


def _tally(keys, values) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def figures(span: Period) -> dict:
    """Every figure of the report, as plain data (JSON as it stands)."""
    start, end = span.start, span.end
    site_zone = zone()
    notices = list(db.session.scalars(
        sa.select(Report.category).where(Report.created_at >= start, Report.created_at < end)))
    decisions = db.session.execute(
        sa.select(Decision.action, Decision.ground_kind, Decision.from_report,
                  Decision.automated, Decision.subject_created_at, Decision.created_at)
        .where(Decision.created_at >= start, Decision.created_at < end,
               Decision.action.not_in(APPEAL_VERDICTS))).all()
    appeals = db.session.execute(
        sa.select(Appeal.by_reporter, Appeal.state, Appeal.created_at, Appeal.decided_at)
        .where(Appeal.created_at >= start, Appeal.created_at < end)).all()

    hours = _hours((d.subject_created_at, d.created_at) for d in decisions
                   if d.from_report and d.subject_created_at is not None)
    decided = [a for a in appeals if a.state != AppealState.OPEN]
    appeal_hours = _hours((a.created_at, a.decided_at) for a in decided
                          if a.decided_at is not None)
    upheld = sum(a.state == AppealState.UPHELD for a in decided)
    months = _tally(span.months(), (d.created_at.astimezone(site_zone).strftime("%Y-%m")
                                    for d in decisions))
    return {
        "period": {"from": span.first.isoformat(), "to": span.last.isoformat(),
                   "timezone": str(site_zone)},
        "notices": {
            "total": len(notices),
            "by_category": _tally((c.value for c in ReportCategory),
                                  (c.value for c in notices)),
            "by_ground": _tally((GroundKind.LAW.value, GroundKind.RULE.value, UNSPECIFIED), (
                NOTICE_GROUNDS[c].value if c in NOTICE_GROUNDS else UNSPECIFIED
                for c in notices)),
        },
        "decisions": {
            "total": len(decisions),
            "by_action": _tally((a.value for a in DECISION_ACTIONS),
                                (d.action.value for d in decisions)),
            "by_ground": _tally((GroundKind.LAW.value, GroundKind.RULE.value, NO_GROUND), (
                d.ground_kind.value if d.ground_kind else NO_GROUND for d in decisions)),
            "by_source": _tally(("notice", "own_initiative"), (
                "notice" if d.from_report else "own_initiative" for d in decisions)),
            "per_month": months,
        },
        "time_to_decision_hours": {"decisions": len(hours), "median": _median(hours),
                                   "percentile_90": percentile_90(hours)},
        "account_measures": {
            "total": sum(d.action in ACCOUNT_MEASURES for d in decisions),
            **_tally((a.value for a in (*ACCOUNT_MEASURES, DecisionAction.LIFT)),
                     (d.action.value for d in decisions
                      if d.action in (*ACCOUNT_MEASURES, DecisionAction.LIFT))),
        },
        "appeals": {
            "total": len(appeals),
            "by_basis": _tally(("author", "reporter"), (
                "reporter" if a.by_reporter else "author" for a in appeals)),
            "by_outcome": _tally((s.value for s in AppealState),
                                 (a.state.value for a in appeals)),
            "median_hours": _median(appeal_hours),
            "reversed_share": round(upheld / len(decided), 4) if decided else None,
        },
        "automated_means": {
            "detection": 0,  # nothing finds content by itself: every notice comes from a person
            "decision": sum(bool(d.automated) for d in decisions),
        },
    }


def as_rows(data: dict) -> list[tuple[str, str, object]]:
    """The figures as (section, key, value) rows for the CSV; nested sections are joined with
    a dot ("decisions.by_action")."""
    rows: list[tuple[str, str, object]] = []

    def walk(section: str, values: dict) -> None:
        for key, value in values.items():
            if isinstance(value, dict):
                walk(f"{section}.{key}" if section else key, value)
            else:
                rows.append((section, key, "" if value is None else value))

    walk("", data)
    return rows
