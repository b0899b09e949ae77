"""Figures for the operator (/admin/statistik): how the dialogue goes in a period, for the
whole site or one project or topic field.

Questions are the published threads (open or answered) asked in the period; "answered" means
at least one published answer. An answer counts as an expert's when an expert verification
of its author was in force (not revoked) on the day it was written, and as the project team's
when its author was then a member or lead of the board's project. A topic field covers its
own board and the boards of the projects tagged with it. Moderation counts the decisions
taken in the period (on content in the chosen boards; account measures only without a
choice) and, now, what waits in the queues: pending posts, open reports and open appeals.

Every figure is computed in SQL, in a fixed number of statements whatever the data: the
durations are differences of timestamps in seconds, and medians and 90th percentiles are
interpolated in SQL over a window (the inclusive method, as PostgreSQL's percentile_cont and
`transparency.percentile_90` compute them), so no list of rows is ever read into Python.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..enums import (
    PUBLIC_THREAD_STATES,
    TEAM_ROLES,
    AppealState,
    PostKind,
    PostState,
    ReportCategory,
    ReportState,
)
from ..extensions import db
from ..models import (
    Appeal,
    Board,
    Decision,
    ExpertVerification,
    MeToo,
    Post,
    Project,
    ProjectMember,
    ProjectUpdate,
    Report,
    Thread,
    TopicField,
    project_topic_fields,
    utcnow,
)
from ..models.base import UTCDateTime
from ..permissions import UNMODERATED_STATES
from . import ServiceError
from .transparency import Period

UNANSWERED_DAYS = 5  # "share unanswered after 5 days"
ALL = ""  # the choice "whole site"
NO_SUCH_AREA = _l("Bitte wählen Sie ein Projekt oder Themenfeld aus der Liste.")


@dataclass(frozen=True)
class Area:
    """A project or a topic field the figures are narrowed to; `key` is its choice value."""

    kind: str  # "project" or "topic"
    id: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


def area_choices() -> list[tuple[str, str]]:
    """(value, name) of every project and topic field, for the form's list."""
    projects = db.session.execute(sa.select(Project.id, Project.name).order_by(Project.name))
    topics = db.session.execute(sa.select(TopicField.id, TopicField.name)
                                .order_by(TopicField.position, TopicField.name))
    return ([(f"topic-{i}", str(_l("Themenfeld %(name)s", name=n))) for i, n in topics]
            + [(f"project-{i}", str(_l("Projekt %(name)s", name=n))) for i, n in projects])


def area(key: str | None) -> Area | None:
    """The project or topic field a choice names; None for the whole site."""
    if not key:
        return None
    kind, _sep, number = key.partition("-")
    columns = {"project": (Project.id, Project.name),
               "topic": (TopicField.id, TopicField.name)}.get(kind)
    if columns is None or not number.isascii() or not number.isdigit() or len(number) > 9:
        raise ServiceError(NO_SUCH_AREA, field="bereich")
    name = db.session.scalar(sa.select(columns[1]).where(columns[0] == int(number)))
    if name is None:
        raise ServiceError(NO_SUCH_AREA, field="bereich")
    return Area(kind, int(number), name)


def _boards(chosen: Area | None):
    """Subquery of the ids of the boards the figures cover, or None for all."""
    if chosen is None:
        return None
    if chosen.kind == "project":
        return sa.select(Board.id).where(Board.project_id == chosen.id)
    tagged = sa.select(project_topic_fields.c.project_id).where(
        project_topic_fields.c.topic_field_id == chosen.id)
    return sa.select(Board.id).where((Board.topic_field_id == chosen.id)
                                     | Board.project_id.in_(tagged))


# --- SQL building blocks ------------------------------------------------------------------

def _dialect() -> str:
    return db.session.get_bind().dialect.name


def seconds_between(earlier, later) -> sa.ColumnElement:
    """`later - earlier` in seconds, in SQL (timestamps are stored in UTC)."""
    if _dialect() == "postgresql":
        return sa.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def utc_day(column) -> sa.ColumnElement:
    """The UTC day of a timestamp, comparable with a date column."""
    if _dialect() == "postgresql":
        return sa.cast(sa.func.timezone("UTC", column), sa.Date)
    return sa.func.date(column)


def _quantiles(values: sa.Subquery) -> sa.Select:
    """Count, median and 90th percentile of the column `v` of `values` (NULLs left out),
    linearly interpolated between the neighbouring values: the value at position
    (n - 1) * p of the sorted list, counted from 0."""
    ranked = sa.select(
        values.c.v,
        sa.func.row_number().over(order_by=values.c.v).label("rn"),
        sa.func.count().over().label("n"),
    ).where(values.c.v.is_not(None)).subquery()

    def at(tenths: int):
        steps = (ranked.c.n - 1) * tenths  # the position times ten, a whole number
        index, fraction = steps // 10, (steps % 10) / 10.0
        return sa.func.sum(sa.case(
            (ranked.c.rn == index + 1, ranked.c.v * (1 - fraction)),
            (ranked.c.rn == index + 2, ranked.c.v * fraction), else_=0))

    return sa.select(sa.func.count(ranked.c.v), at(5), at(9), sa.func.max(ranked.c.v))


def _hours(seconds) -> float | None:
    return None if seconds is None else round(float(seconds) / 3600, 2)


def _spread(row) -> dict:
    return {"count": row[0], "median_hours": _hours(row[1]) if row[0] else None,
            "percentile_90_hours": _hours(row[2]) if row[0] else None}


# --- the figures --------------------------------------------------------------------------

def _question_rows(span: Period, boards) -> sa.CTE:
    """One row per question asked in the period: its age at the first answer, at the first
    expert answer (seconds, NULL without one) and whether the project team answered.
    One pass of joins grouped by question (no subquery per question): its published answers,
    each with the expert verification in force on its day and its author's membership in the
    question's project, if any (several matches repeat an answer, which min and max ignore)."""
    answers = sa.orm.aliased(Post)
    verification = sa.orm.aliased(ExpertVerification)
    member = sa.orm.aliased(ProjectMember)
    conditions = [Thread.created_at >= span.start, Thread.created_at < span.end,
                  Thread.state.in_(PUBLIC_THREAD_STATES)]
    if boards is not None:
        conditions.append(Thread.board_id.in_(boards))
    joined = (sa.select(Thread.created_at.label("asked_at"),
                        sa.func.min(answers.created_at).label("first_answer"),
                        sa.func.min(sa.case((verification.id.is_not(None), answers.created_at)))
                        .label("first_expert"),
                        sa.func.max(sa.case((member.user_id.is_not(None), 1), else_=0))
                        .label("team"))
              .select_from(Thread)
              .join(Board, Board.id == Thread.board_id)
              .outerjoin(answers, (answers.thread_id == Thread.id)
                         & (answers.kind == PostKind.ANSWER)
                         & (answers.state == PostState.PUBLISHED))
              .outerjoin(verification, (verification.user_id == answers.author_id)
                         & (verification.valid_from <= utc_day(answers.created_at))
                         & (verification.valid_until >= utc_day(answers.created_at))
                         & (verification.revoked_at.is_(None)
                            | (verification.revoked_at > answers.created_at)))
              .outerjoin(member, (member.user_id == answers.author_id)
                         & (member.project_id == Board.project_id)
                         & member.role.in_(TEAM_ROLES)
                         & (member.created_at <= answers.created_at))
              .where(*conditions)
              .group_by(Thread.id, Thread.created_at)).subquery()
    return sa.select(joined.c.asked_at,
                     seconds_between(joined.c.asked_at, joined.c.first_answer).label("answer"),
                     seconds_between(joined.c.asked_at, joined.c.first_expert).label("expert"),
                     joined.c.team).cte("questions")


def _questions(span: Period, boards, now: datetime) -> dict:
    rows = _question_rows(span, boards)
    limit = UNANSWERED_DAYS * 86400
    judged = rows.c.asked_at <= now - timedelta(days=UNANSWERED_DAYS)
    late = judged & (rows.c.answer.is_(None) | (rows.c.answer > limit))
    counts = sa.select(
        sa.func.count(), sa.func.count(rows.c.answer), sa.func.count(rows.c.expert),
        sa.func.coalesce(sa.func.sum(rows.c.team), 0),
        sa.func.coalesce(sa.func.sum(sa.case((judged, 1), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((late, 1), else_=0)), 0)).subquery()
    answer = _quantiles(sa.select(rows.c.answer.label("v")).subquery()).subquery()
    expert = _quantiles(sa.select(rows.c.expert.label("v")).subquery()).subquery()
    # one statement, so the questions' rows are computed once for all three
    row = db.session.execute(sa.select(counts, answer, expert).select_from(
        counts.join(answer, sa.true()).join(expert, sa.true()))).one()
    times = row[6:]
    asked, answered, by_experts, by_teams, judged_count, late_count = (int(v) for v in row[:6])
    return {
        "asked": asked, "answered": answered, "answered_by_experts": by_experts,
        "answered_by_project_teams": by_teams,
        "time_to_first_answer": _spread(times[0:3]),
        "time_to_first_expert_answer": _spread(times[4:7]),
        "unanswered_after_days": {
            "days": UNANSWERED_DAYS, "questions": judged_count, "unanswered": late_count,
            "share": round(late_count / judged_count, 4) if judged_count else None},
    }


def _me_too(span: Period, boards) -> dict:
    conditions = [MeToo.created_at >= span.start, MeToo.created_at < span.end]
    if boards is not None:
        conditions.append(MeToo.thread_id.in_(sa.select(Thread.id).where(
            Thread.board_id.in_(boards))))
    marks, questions = db.session.execute(sa.select(
        sa.func.count(), sa.func.count(sa.distinct(MeToo.thread_id))).where(*conditions)).one()
    return {"marks": marks, "questions": questions}


def _post_in(boards):
    return Post.thread_id.in_(sa.select(Thread.id).where(Thread.board_id.in_(boards)))


def _moderation(span: Period, boards, now: datetime) -> dict:
    in_period = [Decision.created_at >= span.start, Decision.created_at < span.end]
    if boards is not None:
        in_period.append(Decision.board_id.in_(boards))
    decided = _quantiles(sa.select(seconds_between(
        Decision.subject_created_at, Decision.created_at).label("v"))
        .where(*in_period).subquery()).subquery()
    handled, timed, median, p90, _longest = db.session.execute(sa.select(
        sa.select(sa.func.count()).where(*in_period).scalar_subquery(), decided)).one()

    # what waits now: pending posts, open reports (of posts and updates), open appeals
    moment = sa.literal(now, UTCDateTime())
    pending = [Post.state == PostState.PENDING, Post.thread_id.not_in(
        sa.select(Thread.id).where(Thread.state.in_(UNMODERATED_STATES)))]
    reports = [Report.state == ReportState.OPEN]
    appeals = [Appeal.state == AppealState.OPEN]
    if boards is not None:
        pending.append(_post_in(boards))
        projects = sa.select(Board.project_id).where(Board.id.in_(boards))
        reports.append(Report.post_id.in_(sa.select(Post.id).where(_post_in(boards)))
                       | Report.update_id.in_(sa.select(ProjectUpdate.id).where(
                           ProjectUpdate.project_id.in_(projects))))
        appeals.append(Appeal.decision_id.in_(sa.select(Decision.id).where(
            Decision.board_id.in_(boards))))
    waiting = sa.union_all(
        sa.select(Post.created_at.label("since")).where(*pending),
        sa.select(Report.created_at.label("since")).where(*reports),
        sa.select(Appeal.created_at.label("since")).where(*appeals)).subquery()
    ages = sa.select(seconds_between(waiting.c.since, moment).label("v")).subquery()
    waiting_count, median_age, _p90_age, oldest = db.session.execute(_quantiles(ages)).one()
    return {
        "decisions": handled,
        "time_to_decision": _spread((timed, median, p90)),
        "queue_now": {"items": waiting_count, "oldest_hours": _hours(oldest),
                      "median_age_hours": _hours(median_age) if waiting_count else None},
    }


def _reports(span: Period, boards) -> dict[str, int]:
    conditions = [Report.created_at >= span.start, Report.created_at < span.end]
    if boards is not None:
        projects = sa.select(Board.project_id).where(Board.id.in_(boards))
        conditions.append(Report.post_id.in_(sa.select(Post.id).where(_post_in(boards)))
                          | Report.update_id.in_(sa.select(ProjectUpdate.id).where(
                              ProjectUpdate.project_id.in_(projects))))
    counts = dict(db.session.execute(sa.select(Report.category, sa.func.count())
                                     .where(*conditions).group_by(Report.category)).all())
    return {c.value: counts.get(c, 0) for c in ReportCategory}


def figures(span: Period, chosen: Area | None = None, now: datetime | None = None) -> dict:
    """Every figure for the period and area, as plain data (JSON as it stands)."""
    now = now or utcnow()
    boards = _boards(chosen)
    return {
        "period": {"from": span.first.isoformat(), "to": span.last.isoformat()},
        "area": {"kind": chosen.kind, "name": chosen.name} if chosen else None,
        "questions": _questions(span, boards, now),
        "me_too": _me_too(span, boards),
        "moderation": _moderation(span, boards, now),
        "reports_by_category": _reports(span, boards),
    }


def as_rows(data: dict) -> list[tuple[str, str, object]]:
    """The figures as (section, key, value) rows for the CSV, nested sections joined with a
    dot ("questions.time_to_first_answer")."""
    rows: list[tuple[str, str, object]] = []

    def walk(section: str, values: dict) -> None:
        for key, value in values.items():
            if isinstance(value, dict):
                walk(f"{section}.{key}" if section else key, value)
            else:
                rows.append((section, key, "" if value is None else value))

    walk("", {k: v for k, v in data.items() if k != "area"})
    if data["area"]:
        rows.insert(2, ("area", data["area"]["kind"], data["area"]["name"]))
    return rows
