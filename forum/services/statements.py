"""Links to a decision's statement of reasons: signed, so they work without an account."""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Appeal, AppealState, Decision, DecisionAction, Report

APPEAL_PERIOD = timedelta(days=183)  # at least six months (DSA Art. 20)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="statement")


def token_for_author(decision: Decision) -> str:
    return _serializer().dumps({"d": decision.id})


def token_for_reporter(decision: Decision, report: Report) -> str:
    return _serializer().dumps({"d": decision.id, "r": report.id})


def read_token(token: str) -> tuple[Decision, Report | None] | None:
    """The decision and, for a reporter's link, their report; None for a bad link."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    decision = db.session.get(Decision, data.get("d"))
    if decision is None:
        return None
    report = None
    if "r" in data:
        report = db.session.get(Report, data["r"])
        if report is None or report.decision_id != decision.id:
            return None
    return decision, report


def reversal_of(decision: Decision) -> Decision | None:
    """The later decision that undid this one, read from the append-only log (one query):
    a RESTORE of the same post after a HIDE or REJECT, an UNLOCK of the same thread after a
    LOCK, or the verdict of an upheld appeal against it. None while the decision stands.

    Ids order the log: a decision that undoes another can only be recorded after the state
    change it undoes (services.moderation.claim), so it has the higher id."""
    undone = Decision.id.in_(select(Appeal.verdict_id).where(
        Appeal.decision_id == decision.id, Appeal.state == AppealState.UPHELD,
        Appeal.verdict_id.is_not(None)))
    later: ColumnElement[bool] = false()
    if decision.action == DecisionAction.HIDE and decision.update_id:
        later = and_(Decision.action == DecisionAction.RESTORE,
                     Decision.update_id == decision.update_id)
    elif decision.action in (DecisionAction.HIDE, DecisionAction.REJECT) and decision.post_id:
        later = and_(Decision.action == DecisionAction.RESTORE,
                     Decision.post_id == decision.post_id)
    elif decision.action in (DecisionAction.SUSPEND, DecisionAction.BLOCK) and (
            decision.author_id):
        # a lift ends this measure only while it is the one in force: no later measure came
        # between, and a suspension had not run out
        between = aliased(Decision)
        newer_measure = exists().where(
            between.author_id == decision.author_id, between.id > decision.id,
            between.id < Decision.id,
            between.action.in_((DecisionAction.SUSPEND, DecisionAction.BLOCK)))
        later = and_(Decision.action == DecisionAction.LIFT,
                     Decision.author_id == decision.author_id, ~newer_measure)
        if decision.measure_until is not None:
            later = and_(later, Decision.created_at < decision.measure_until)
    elif decision.action == DecisionAction.LOCK and decision.thread_id:
        later = and_(Decision.action == DecisionAction.UNLOCK,
                     Decision.thread_id == decision.thread_id)
    query = (select(Decision).where(Decision.id > decision.id, or_(undone, later))
             .order_by(Decision.id).limit(1))
    return db.session.scalar(query)
