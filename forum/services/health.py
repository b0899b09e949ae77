"""What a load balancer and a monitor ask of one node (/healthz): is the database reachable,
and is the mail outbox keeping up. Figures only: no address, subject or error text."""

from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import OutboxMail, utcnow

# The backlog is counted up to this many mails, so the check stays cheap when a mail server
# has been down for days; more is reported as this number with `backlog_capped`.
BACKLOG_CAP = 10_000


@dataclass
class Health:
    database: bool
    backlog: int | None = None  # unsent mails still to be tried (failed ones not counted)
    backlog_capped: bool = False
    oldest_unsent_seconds: int | None = None  # age of the oldest of them; None when none
    outbox_max_age: int = 0

    @property
    def outbox_ok(self) -> bool:
        return self.database and (self.oldest_unsent_seconds is None
                                  or self.oldest_unsent_seconds <= self.outbox_max_age)

    @property
    def status(self) -> str:
        """The status: "ok"; "degraded" (the database answers, mail waits too long);
        "unavailable" (no database)."""
        if not self.database:
            return "unavailable"
        return "ok" if self.outbox_ok else "degraded"

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "database": "ok" if self.database else "unreachable",
            "outbox": {
                "backlog": self.backlog,
                "backlog_capped": self.backlog_capped,
                "oldest_unsent_seconds": self.oldest_unsent_seconds,
                "max_age_seconds": self.outbox_max_age,
                "ok": self.outbox_ok,
            },
        }


def check(outbox_max_age: int) -> Health:
    """Ask the database; never raises for a database that is down or refuses."""
    try:
        db.session.execute(text("SELECT 1"))
        unsent = (OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None))
        backlog = db.session.scalar(select(func.count()).select_from(
            select(OutboxMail.id).where(*unsent).limit(BACKLOG_CAP).subquery())) or 0
        oldest = db.session.scalar(select(func.min(OutboxMail.created_at)).where(*unsent))
    except SQLAlchemyError:
        with suppress(SQLAlchemyError):  # the connection may be gone for good
            db.session.rollback()
        return Health(database=False, outbox_max_age=outbox_max_age)
    db.session.rollback()  # read only: end the transaction, hold no snapshot or lock
    age = None if oldest is None else max(0, int((utcnow() - oldest).total_seconds()))
    return Health(database=True, backlog=backlog, backlog_capped=backlog >= BACKLOG_CAP,
                  oldest_unsent_seconds=age, outbox_max_age=outbox_max_age)
