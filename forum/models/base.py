"""Shared column helpers for the models."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import column_property
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC timestamps on every backend (SQLite keeps no zone itself)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use forum.models.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(enum_cls, **kwargs):
    """Enums stored by value as short strings, the same on SQLite and PostgreSQL."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        **kwargs,
    )


# The columns of `reports` that tell whether a report is for site moderators only (child
# sexual abuse, a threat to life or safety), for the posts' and updates' `site_only`: a
# lightweight table, so that content and update models need not import the moderation models.
_reports = sa.table("reports", sa.column("post_id"), sa.column("update_id"),
                    sa.column("concerns_child_abuse"), sa.column("concerns_threat"))


def site_only_report(subject_column, id_column):
    """Computed in the SELECT that loads the row: has it a report only site moderators
    handle? (The rulebook asks this for every post of a page; no query of its own.)"""
    return column_property(sa.exists().where(
        subject_column(_reports) == id_column,
        _reports.c.concerns_child_abuse | _reports.c.concerns_threat))
