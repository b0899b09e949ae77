"""The admin audit log: one append-only row per change, written in the change's transaction."""

from ..extensions import db
from ..models import AuditEntry


def record(actor, action: str, obj, summary: str = "", changes: dict | None = None) -> None:
    db.session.add(
        AuditEntry(
            actor_id=getattr(actor, "id", None),
            action=action,
            object_type=type(obj).__name__,
            object_id=getattr(obj, "id", None),
            summary=summary[:500],
            changes=changes or {},
        )
    )


def diff(obj, values: dict) -> dict:
    """Apply values to obj and return {field: [old, new]} for what really changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(obj, name, new)
    return changes


def _plain(value):
    if isinstance(value, list):
        return [getattr(v, "slug", v) for v in value]
    return getattr(value, "value", value)
