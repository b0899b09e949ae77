"""The admin audit log: one append-only row per change, written in the change's transaction."""

from ..enums import AuditAction
from ..extensions import db
from ..models import AuditEntry


def record(actor, action: AuditAction, obj, summary: str = "",
           changes: dict | None = None) -> None:
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
        if _plain(old) != _plain(new):
            changes[name] = [_plain(old), _plain(new)]
            setattr(obj, name, new)
    return changes


def _plain(value):
    """A comparable, JSON-ready form: related objects by slug, in a stable order."""
    if isinstance(value, list) and value and hasattr(value[0], "slug"):
        return sorted(v.slug for v in value)
    if isinstance(value, list):
        return list(value)
    return getattr(value, "value", value)
