"""The registry of personal data classifies every text column of every table, and every table
that points at a person: a model that gains one fails here until the registry says what it
holds, how long it is kept and how export and deletion treat it."""

import sqlalchemy as sa

from forum.extensions import db
from forum.personal_data import BY_TABLE, NOT_PERSONAL, REGISTRY
from forum.services import privacy

TEXT_TYPES = (sa.String, sa.Text, sa.JSON)


def _text_columns(table: sa.Table) -> set[str]:
    return {column.name for column in table.columns
            if isinstance(column.type, TEXT_TYPES) and not isinstance(column.type, sa.Enum)}


def _points_at_users(table: sa.Table) -> bool:
    return any(fk.column.table.name == "users" for fk in table.foreign_keys)


def test_registry_every_text_column_classified(app):
    unclassified = []
    for table in db.metadata.sorted_tables:
        entry = BY_TABLE.get(table.name)
        known = (set(entry.personal) | entry.not_personal) if entry else set()
        known |= NOT_PERSONAL.get(table.name, frozenset())
        unclassified += [f"{table.name}.{name}" for name in sorted(_text_columns(table) - known)]
    assert unclassified == [], (
        "Add these columns to forum/personal_data.py (REGISTRY or NOT_PERSONAL) and say how "
        "export, deletion and retention treat them")


def test_registry_every_table_pointing_at_people_has_an_entry(app):
    missing = [t.name for t in db.metadata.sorted_tables
               if _points_at_users(t) and t.name not in BY_TABLE]
    assert missing == []


def test_registry_names_only_columns_that_exist(app):
    tables = db.metadata.tables
    for entry in REGISTRY:
        assert entry.table in tables, f"{entry.table} is no table of the models"
        columns = set(tables[entry.table].columns.keys())
        named = set(entry.personal) | entry.not_personal | entry.withheld
        assert named <= columns, f"{entry.table}: {sorted(named - columns)}"
    for name, columns in NOT_PERSONAL.items():
        assert name not in BY_TABLE
        assert columns <= set(tables[name].columns.keys())


def test_registry_every_entry_has_an_exporter_and_an_eraser():
    assert set(privacy.EXPORTERS) == set(BY_TABLE)
    assert set(privacy.ERASERS) == set(BY_TABLE)
