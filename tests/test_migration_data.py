"""Migrations never lose a row: for every revision in history, a database filled at that
revision keeps every row and every relation (non-null foreign key) through the upgrade to
head, through one step down and up again, and (filled at head) all the way down to base.

The filling is generic: the schema is reflected at that revision and every table gets a few
rows, in foreign-key order, with values made from each column's type, enum values taken from
the revision sources, and every nullable foreign key set so that the relations exist. On
SQLite this is what catches table rebuilds (batch mode) that fire ON DELETE CASCADE / SET
NULL; on PostgreSQL the same test runs with FORUM_TEST_DATABASE_URL."""

import ast
import graphlib
import sqlite3
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from tests.conftest import PG_URL, fresh_database, make_app

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
SCRIPTS = list(reversed(list(ScriptDirectory(str(MIGRATIONS)).walk_revisions())))  # base first
REVISIONS = [script.revision for script in SCRIPTS]
HEAD = REVISIONS[-1]
ROWS = 3

# What each revision's downgrade deliberately removes, with the rows and values in it: the
# tables and columns the revision added. Anything else that disappears is a bug. A new
# revision adds its entry here.
DOWNGRADE_DROPS = {
    "66481c795798": ("the initial schema: downgrading to base removes every table", {
        "offers", "projects", "sectors", "site_pages", "topic_fields", "users", "audit_log",
        "boards", "project_members", "project_sectors", "project_topic_fields", "threads",
        "posts", "post_revisions"}),
    "f41d6f7a0f70": ("drafts kept across log-in did not exist before", {"drafts"}),
    "0a9db8837152": ("moderation (reports, decisions, appeals, pre-moderation) did not exist", {
        "rejection_reasons", "moderation_decisions", "reports", "appeals",
        "boards.require_approval", "posts.merged_from_title", "threads.locked",
        "threads.merged_into_id", "users.approved_post_count"}),
    "3af8b9b2e20e": ("notifications, watches and the mail outbox did not exist", {
        "watches", "notifications", "outbox"}),
    "cf568d31402a": ("the search index did not exist (it is rebuilt from posts on upgrade)", {
        "search_documents"}),
    "07e11a2e8407": ("helpful answer and 'same question' did not exist", {
        "me_toos", "threads.accepted_post_id", "threads.me_too_count"}),
    "5f691d2b80bd": ("project updates did not exist", {"project_updates", "threads.update_id"}),
    "ffc6ce13383b": ("escalation did not exist", {
        "boards.escalate_after_days", "threads.escalated_at"}),
    "1e28aed1749a": ("verifications become the expert site role again; guests and profile "
                     "settings did not exist", {
        "expert_verifications", "verification_projects", "verification_topic_fields",
        "guest_links", "users.is_guest", "users.profile_public", "users.show_organisation",
        "users.show_expertise"}),
    "0d96bec54f8a": ("one-time keys of creating forms did not exist (kept a day anyway)", {
        "submissions"}),
    "cf064dff5b68": ("log-in sessions did not exist (everybody logs in again)", {
        "login_sessions"}),
    "990d99a658ff": ("account measures, queue claims, internal notes, the art. 18 record and "
                     "decision versions did not exist", {
        "queue_claims", "moderation_notes", "posts.decision_version", "users.suspended_until",
        "users.blocked_at", "moderation_decisions.measure_until",
        "moderation_decisions.changed_from", "moderation_decisions.changed_to",
        "reports.concerns_threat", "reports.authorities_notified_at",
        "reports.authorities_notified_by_id"}),
    "716a32a5c71b": ("updates were neither reported nor moderated (reports about updates go)", {
        "project_updates.hidden_at", "project_updates.decision_version", "reports.update_id",
        "moderation_decisions.update_id"}),
    "b7e13a11d0c5": ("operator facts and barrier reports did not exist", {
        "site_settings", "barrier_reports"}),
    "4b7e2c9d1a53": ("search documents kept title and body stems in one field, without "
                     "compound parts", {"search_documents.title_stems", "search_documents.parts"}),
    "a3c58e1f7d26": ("there were no practice examples (they stay as news, without their parts)", {
        "practice_examples", "project_updates.kind"}),
    "5e0a9c2d7b14": ("the page cache's generation counter did not exist (caches start anew)", {
        "site_generation"}),
    "d4e5a9c0b1f2": ("personal access tokens of the API did not exist (their owners make new "
                     "ones)", {"api_tokens"}),
    "c5d2e8f41b97": ("indexes only: the rows stay as they are", set()),
    "e8b1f3a6c2d9": ("indexes only: the rows stay as they are", set()),
    "f2a7c4e9b318": ("an index only: the rows stay as they are", set()),
}
# What an upgrade deliberately removes (a table or column dropped on purpose, with why).
UPGRADE_DROPS: dict[str, tuple[str, set[str]]] = {}

# CHECK constraints generic values cannot satisfy: exactly one of these nullable foreign
# keys is set per row (row i sets the (i mod n)-th). Every reflected CHECK must be listed,
# so a new one makes this test say so instead of failing with an IntegrityError.
ONE_OF = {
    "ck_boards_one_owner": ("boards", ("project_id", "topic_field_id")),
    "ck_watches_one_target": ("watches", ("thread_id", "project_id", "topic_field_id")),
}


def _enum_values() -> dict[tuple[str, str], list[str]]:
    """(table, column) -> allowed values, read from sa.Enum(...) in every revision source
    (enums are stored as short strings; there are no CHECK constraints to reflect them)."""
    found = {}

    def enum_of(column_call):
        for arg in column_call.args[1:]:
            if isinstance(arg, ast.Call) and getattr(arg.func, "attr", None) == "Enum":
                return [a.value for a in arg.args if isinstance(a, ast.Constant)]
        return None

    def visit(node, table):
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") in (
                        "batch_alter_table", "create_table") and call.args:
                    table = call.args[0].value
        if isinstance(node, ast.Call):
            if getattr(node.func, "attr", "") == "create_table" and node.args:
                table = node.args[0].value
            if getattr(node.func, "attr", "") == "Column" and node.args and table:
                values = enum_of(node)
                if values:
                    found[(table, node.args[0].value)] = values
        for child in ast.iter_child_nodes(node):
            visit(child, table)

    for script in SCRIPTS:
        visit(ast.parse(Path(script.path).read_text()), None)
    return found


ENUMS = _enum_values()


def _reflect(conn) -> sa.MetaData:
    """The app's tables; alembic's version table and SQLite's FTS5 tables (search_fts and
    its shadow tables, kept up to date by triggers) are not data of their own."""
    metadata = sa.MetaData()
    metadata.reflect(conn, only=lambda name, _m: name != "alembic_version"
                     and not name.startswith("search_fts"))
    return metadata


def _value(table: sa.Table, column: sa.Column, i: int):
    enum = ENUMS.get((table.name, column.name))
    if enum:
        return enum[i % len(enum)]
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return i % 2 == 0
    if isinstance(kind, sa.Integer):
        return i + 1
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=i)
    if isinstance(kind, sa.Date):
        return date(2026, 1, 1) + timedelta(days=i)
    if isinstance(kind, sa.JSON):
        return {"row": i, "items": [i]}
    if isinstance(kind, sa.String):
        if kind.length is None:  # Text: something the search index can stem
            return f"Pflegekräfte im Überblick {table.name} {column.name} {i}"
        return f"{i}-{table.name}-{column.name}"[:kind.length]  # unique per row
    raise AssertionError(f"no value for {table.name}.{column.name} of type {kind!r}")


def _single_fk(column: sa.Column) -> sa.ForeignKey | None:
    fks = list(column.foreign_keys)
    assert len(fks) <= 1, f"{column.table.name}.{column.name}: several foreign keys"
    return fks[0] if fks else None


def fill(conn) -> None:
    """A few rows in every table, every relation set."""
    metadata = _reflect(conn)
    inspector = sa.inspect(conn)
    one_of = {}  # table -> columns of which exactly one is set per row
    for table in metadata.tables.values():
        for check in inspector.get_check_constraints(table.name):
            assert check["name"] in ONE_OF, (
                f"CHECK {check['name']} on {table.name}: add how to satisfy it to ONE_OF")
            assert ONE_OF[check["name"]][0] == table.name
            one_of[table.name] = ONE_OF[check["name"]][1]

    # Insert order: a table after the targets of its NOT NULL and one-of foreign keys; the
    # other nullable foreign keys (cycles, self references) are set afterwards by UPDATE.
    graph = {}
    for name, table in sorted(metadata.tables.items()):
        graph[name] = {
            _single_fk(c).column.table.name for c in table.columns
            if _single_fk(c) is not None and (not c.nullable or c.name in one_of.get(name, ()))
            and _single_fk(c).column.table.name != name}
    keys: dict[str, list[tuple]] = {}  # table -> primary keys of its rows, in row order
    later = []
    for name in graphlib.TopologicalSorter(graph).static_order():
        table = metadata.tables[name]
        pk = list(table.primary_key.columns)
        auto_pk = len(pk) == 1 and isinstance(pk[0].type, sa.Integer) and (
            _single_fk(pk[0]) is None)
        for i in range(ROWS):
            row = {}
            for column in table.columns:
                if column.computed is not None or (auto_pk and column is pk[0]):
                    continue
                fk = _single_fk(column)
                if fk is None:
                    row[column.name] = _value(table, column, i)
                    continue
                group = one_of.get(name, ())
                if column.name in group and group[i % len(group)] != column.name:
                    row[column.name] = None
                elif fk.column.table.name in keys:
                    row[column.name] = _target(keys, fk, i)
                else:
                    assert column.nullable, f"{name}.{column.name} before its target"
                    row[column.name] = None
                    later.append((table, column, i))
            result = conn.execute(table.insert().values(row))
            keys.setdefault(name, []).append(
                tuple(result.inserted_primary_key) if auto_pk else tuple(
                    row[c.name] for c in pk))
    for table, column, i in later:
        pk = list(table.primary_key.columns)
        where = [c == v for c, v in zip(pk, keys[table.name][i], strict=True)]
        value = _target(keys, _single_fk(column), i)
        conn.execute(table.update().where(*where).values({column.name: value}))


def _target(keys, fk: sa.ForeignKey, i: int):
    """The referenced value for row i: row i of the target table (row i+1 for a table that
    refers to itself, so no row points to itself)."""
    target = fk.column.table
    pk = [c.name for c in target.primary_key.columns]
    assert pk == [fk.column.name], f"{fk.target_fullname} is not the target's primary key"
    rows = keys[target.name]
    index = (i + 1) % len(rows) if fk.parent.table is target else i % len(rows)
    return rows[index][0]


def snapshot(engine_or_conn) -> dict:
    """Per table: its columns, its rows (primary keys) and, per foreign key column, how many
    rows have it set (the relations)."""
    @contextmanager
    def connected():
        if isinstance(engine_or_conn, sa.engine.Engine):
            with engine_or_conn.connect() as conn:
                yield conn
        else:
            yield engine_or_conn

    result = {}
    with connected() as conn:
        metadata = _reflect(conn)
        for name, table in metadata.tables.items():
            pk = list(table.primary_key.columns) or list(table.columns)
            result[name] = {
                "columns": {c.name for c in table.columns},
                "rows": sorted(tuple(str(v) for v in row)
                               for row in conn.execute(sa.select(*pk))),
                "relations": {c.name: conn.scalar(sa.select(sa.func.count(c)))
                              for c in table.columns if c.foreign_keys},
            }
    return result


def vanished(before: dict, after: dict) -> set[str]:
    gone = set(before) - set(after)
    for name in set(before) & set(after):
        gone |= {f"{name}.{c}" for c in before[name]["columns"] - after[name]["columns"]}
    return gone


def losses(before: dict, after: dict, dropped: set[str]) -> list[str]:
    """What is lost between two snapshots, leaving aside the tables and columns in
    `dropped`: tables, columns, rows (by primary key) and relations (set foreign keys)."""
    lost = []
    for name, table in before.items():
        if name in dropped:
            continue
        if name not in after:
            lost.append(f"{name}: table gone")
            continue
        now = after[name]
        if now["rows"] != table["rows"]:
            lost.append(f"{name}: {len(table['rows'])} rows -> {len(now['rows'])}"
                        + ("" if len(now["rows"]) != len(table["rows"]) else " (others)"))
        for column in sorted(table["columns"] - now["columns"] - {
                d.split(".", 1)[1] for d in dropped if d.startswith(f"{name}.")}):
            lost.append(f"{name}.{column}: column gone")
        for column, count in table["relations"].items():
            if f"{name}.{column}" not in dropped and column in now["columns"] and (
                    now["relations"][column] != count):
                lost.append(f"{name}.{column}: set in {count} rows -> "
                            f"{now['relations'][column]}")
    return lost


def assert_kept(before: dict, after: dict, allowed_drops: set[str], what: str) -> None:
    """Every table and column that still exists has the same rows and relations; what is
    gone is exactly what was deliberately dropped; no batch leftovers."""
    assert [n for n in after if n.startswith("_alembic_tmp")] == [], what
    assert losses(before, after, allowed_drops) == [], what
    assert vanished(before, after) == allowed_drops, what


def _drops(drops: dict, revisions) -> set[str]:
    return set().union(*(drops[r][1] for r in revisions if r in drops))


def _backups(url: str, revision: str = "") -> list[Path]:
    path = Path(sa.make_url(url).database)
    return sorted(path.parent.glob(f"{path.name}.backup-{revision}*"))


def test_every_revision_has_its_downgrade_drops_listed():
    assert set(DOWNGRADE_DROPS) == set(REVISIONS)


@pytest.mark.parametrize("revision", REVISIONS)
def test_upgrade_of_database_filled_at_revision_keeps_rows_and_relations(
        revision, tmp_path_factory):
    with fresh_database(tmp_path_factory, "forum_migdata") as url:
        app = make_app(url)
        with app.app_context():
            from forum.extensions import db

            try:
                _upgrade_keeps_everything(db.engine, url, revision)
            finally:
                db.engine.dispose()


def _upgrade_keeps_everything(engine, url: str, revision: str) -> None:
    sqlite = not PG_URL
    upgrade(revision=revision)
    if sqlite:
        assert _backups(url) == [], "an empty database needs no backup"
    with engine.begin() as conn:
        fill(conn)
    filled = snapshot(engine)
    assert all(t["rows"] for t in filled.values()), "every table has rows"
    assert all(n for t in filled.values() for n in t["relations"].values()), "relations"

    upgrade()
    at_head = snapshot(engine)
    later = REVISIONS[REVISIONS.index(revision) + 1:]
    assert_kept(filled, at_head, _drops(UPGRADE_DROPS, later), f"upgrade {revision} -> head")

    if sqlite:
        with engine.connect() as conn:  # the migration's connection is the app's again
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        backups = _backups(url, revision)
        if revision == HEAD:
            assert backups == [], "nothing to upgrade, no backup"
        else:
            assert len(backups) == 1, "one backup before the upgrade of a filled database"
            backup = sa.create_engine(f"sqlite:///{backups[0]}")
            with backup.connect() as conn:
                assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == (
                    revision)
                assert snapshot(conn) == filled
            backup.dispose()
        backup_count = len(_backups(url))

    # One step down and up again: only what the head revision's downgrade drops is lost.
    downgrade(revision="-1")
    if sqlite:
        assert len(_backups(url)) == backup_count, "a downgrade writes no backup"
    upgrade()
    _assert_cycle_kept(at_head, snapshot(engine), revision)
    if sqlite:
        assert len(_backups(url, REVISIONS[-2])) == 1 + (revision == REVISIONS[-2])

    if revision == HEAD:  # the fullest database walks all the way down to base
        for step in reversed(REVISIONS):
            before = snapshot(engine)
            downgrade(revision="-1")
            assert_kept(before, snapshot(engine), DOWNGRADE_DROPS[step][1], f"downgrade {step}")
        assert snapshot(engine) == {}


def _assert_cycle_kept(at_head: dict, cycled: dict, revision: str) -> None:
    """After one step down and up the schema is the same, and only what the head
    revision's downgrade drops has lost its rows."""
    what = f"filled at {revision}: downgrade -1 and upgrade"
    assert {n: t["columns"] for n, t in cycled.items()} == (
        {n: t["columns"] for n, t in at_head.items()}), what
    assert losses(at_head, cycled, DOWNGRADE_DROPS[HEAD][1]) == [], what


@pytest.mark.skipif(bool(PG_URL), reason="SQLite runs migrations with foreign keys off")
def test_upgrade_leaving_rows_that_point_nowhere_is_rolled_back_and_exits_non_zero(
        tmp_path_factory):
    """With foreign keys off during the migrations, the foreign key check before COMMIT is
    what refuses broken references; everything, DDL included, rolls back."""
    from flask_migrate.cli import db as db_command

    revision = "0a9db8837152"
    with fresh_database(tmp_path_factory, "forum_migcheck") as url:
        app = make_app(url)
        with app.app_context():
            from forum.extensions import db

            upgrade(revision=revision)
            with db.engine.begin() as conn:
                fill(conn)
            raw = sqlite3.connect(sa.make_url(url).database)
            raw.execute("PRAGMA foreign_keys=OFF")
            raw.execute("UPDATE posts SET thread_id = 999999 WHERE id = "
                        "(SELECT min(id) FROM posts)")
            raw.commit()
            raw.close()
            before = snapshot(db.engine)

            result = app.test_cli_runner().invoke(db_command, ["upgrade"])

            assert result.exit_code == 1
            assert "1 rows refer to rows that do not exist (posts row" in result.output
            assert "rolled back, the database is unchanged" in result.output
            with db.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == (
                    revision)
            assert snapshot(db.engine) == before  # no new table, no _alembic_tmp_ left
            backups = _backups(url, revision)
            assert len(backups) == 1
            assert f"Backup of the database before the upgrade: {backups[0]}" in result.output
            db.engine.dispose()
