"""What moderators use on queue items besides deciding: claiming an item ("Ich bearbeite
das", visible to the others, expiring after 30 minutes), internal notes (never in statements
or exports), and the art. 18 record that a suspicion went to law enforcement."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from .. import permissions
from ..extensions import db
from ..models import ModerationNote, QueueClaim, Report, User, utcnow
from . import ServiceError, rows_changed

CLAIM_MINUTES = 30
POST, APPEAL = "post", "appeal"
KINDS = (POST, APPEAL)


def _fresh_since():
    return utcnow() - timedelta(minutes=CLAIM_MINUTES)


def claims_on(kind: str, ids) -> dict[int, QueueClaim]:
    """The claims in force on these items (one query), by item id."""
    ids = list(ids)
    if not ids:
        return {}
    query = (sa.select(QueueClaim).where(QueueClaim.item_kind == kind,
                                         QueueClaim.item_id.in_(ids),
                                         QueueClaim.claimed_at > _fresh_since())
             .options(joinedload(QueueClaim.moderator)))
    return {claim.item_id: claim for claim in db.session.scalars(query)}


def claim_item(moderator: User, kind: str, item_id: int) -> QueueClaim:
    """Claim an item the moderator may act on (the caller loaded it through a scoped loader).
    Another moderator's claim in force is refused with who holds it; an expired one is taken
    over; the moderator's own claim is renewed."""
    if kind not in KINDS:
        raise ServiceError(_l("Unbekannter Eintrag."))
    now = utcnow()
    taken = db.session.execute(
        sa.update(QueueClaim).where(
            QueueClaim.item_kind == kind, QueueClaim.item_id == item_id,
            (QueueClaim.moderator_id == moderator.id) | (QueueClaim.claimed_at <= _fresh_since()))
        .values(moderator_id=moderator.id, claimed_at=now))
    if not rows_changed(taken):
        exists = db.session.scalar(sa.select(QueueClaim).where(
            QueueClaim.item_kind == kind, QueueClaim.item_id == item_id))
        if exists is not None:
            db.session.rollback()
            holder = exists.moderator.display_name if exists.moderator else "–"
            raise ServiceError(_l("%(name)s bearbeitet diesen Eintrag bereits.", name=holder))
        db.session.add(QueueClaim(item_kind=kind, item_id=item_id, moderator_id=moderator.id,
                                  claimed_at=now))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # another moderator claimed it in the same moment
        db.session.rollback()
        raise ServiceError(_l("Eine andere Person hat den Eintrag gerade übernommen.")) from None
    return db.session.scalars(sa.select(QueueClaim).where(
        QueueClaim.item_kind == kind, QueueClaim.item_id == item_id)).one()


def release_item(moderator: User, kind: str, item_id: int) -> None:
    db.session.execute(sa.delete(QueueClaim).where(
        QueueClaim.item_kind == kind, QueueClaim.item_id == item_id,
        QueueClaim.moderator_id == moderator.id))
    db.session.commit()


def add_note(moderator: User, kind: str, item_id: int, body: str) -> ModerationNote:
    if kind not in (*KINDS, "account"):
        raise ServiceError(_l("Unbekannter Eintrag."))
    if not body.strip():
        raise ServiceError(_l("Bitte schreiben Sie eine Notiz."), field="body")
    note = ModerationNote(item_kind=kind, item_id=item_id, author_id=moderator.id,
                          body=body.strip(), created_at=utcnow())
    db.session.add(note)
    db.session.commit()
    return note


def notes_on(kind: str | tuple[str, ...], item_id: int) -> list[ModerationNote]:
    kinds = (kind,) if isinstance(kind, str) else kind
    query = (sa.select(ModerationNote).where(ModerationNote.item_kind.in_(kinds),
                                             ModerationNote.item_id == item_id)
             .options(joinedload(ModerationNote.author)).order_by(ModerationNote.id))
    return list(db.session.scalars(query))


def record_authorities_notified(moderator: User, report: Report) -> None:
    """DSA art. 18: the suspicion of a crime threatening life or safety (or child sexual
    abuse) was passed on to law enforcement; record when and by whom, once."""
    permissions.check("report.handle", moderator, report)
    if not (report.concerns_child_abuse or report.concerns_threat):
        raise ServiceError(_l("Diese Meldung betrifft weder Kindesmissbrauch noch eine Gefahr "
                              "für Leib und Leben."))
    done = db.session.execute(sa.update(Report).where(
        Report.id == report.id, Report.authorities_notified_at.is_(None)).values(
        authorities_notified_at=utcnow(), authorities_notified_by_id=moderator.id))
    if not rows_changed(done):
        db.session.rollback()
        raise ServiceError(_l("Die Weitergabe an die Strafverfolgungsbehörden ist bereits "
                              "vermerkt."))
    db.session.commit()
