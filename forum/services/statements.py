"""Links to a decision's statement of reasons: signed, so they work without an account."""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..models import Decision, Report

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
