"""/healthz for load balancers and monitors: JSON figures, no personal data, no session."""

from flask import Blueprint, current_app, jsonify, request

from .. import ratelimits
from ..services import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@ratelimits.exempt
def healthz():
    """200 while this node can serve (its database answers), 503 when it cannot. A mail
    backlog older than HEALTH_OUTBOX_MAX_AGE shows as "degraded" but stays 200: every node
    shares the one outbox, so a 503 would take them all out of the load balancer for a mail
    server's fault. `?strict` answers 503 for that too, for a monitor that reads only codes."""
    found = health.check(current_app.config["HEALTH_OUTBOX_MAX_AGE"])
    failing = not found.database or ("strict" in request.args and found.status != "ok")
    response = jsonify(found.as_json())
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response
