import logging
import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime
from logging.config import fileConfig
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

from alembic import context
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import event
from sqlalchemy.types import TypeDecorator

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# (keeping the loggers that exist already: the app's own, when migrations run inside it)
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger('alembic.env')


def get_engine():
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace(
            '%', '%%')
    except AttributeError:
        return str(get_engine().url).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())
target_db = current_app.extensions['migrate'].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def include_name(name, type_, parent_names):
    """The search index's FTS5 tables (SQLite) and expression index (PostgreSQL) are made by
    DDL outside the models (forum/models/search.py); autogenerate leaves them alone."""
    if name and (name.startswith("search_fts") or name == "ix_search_documents_tsv"):
        return False
    if type_ == "column" and name == "tsv" and parent_names.get("table_name") == (
            "search_documents"):
        return False
    return True


def render_item(type_, obj, autogen_context):
    """New revisions import nothing from `forum` (a migration is frozen history): a column
    type of the app's own (forum.models.base.UTCDateTime) is written as the plain SQLAlchemy
    type it stores as, which gives the same schema."""
    if type_ == "type" and isinstance(obj, TypeDecorator) and (
            type(obj).__module__.split(".")[0] == "forum"):
        return f"sa.{obj.impl!r}"
    return False


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    # One transaction for all steps: an upgrade is all or nothing, and on SQLite the foreign
    # key check below sees the result of every step before anything is committed.
    options = dict(conf_args, transaction_per_migration=False)
    # Batch operations in every new revision, whichever database autogenerate ran against:
    # on SQLite they rebuild the table, elsewhere they are plain ALTERs.
    options.setdefault("render_as_batch", True)

    with get_engine().connect() as connection:
        if connection.dialect.name != "sqlite":
            context.configure(connection=connection, target_metadata=get_metadata(),
                              include_name=include_name, render_item=render_item, **options)
            with context.begin_transaction():
                context.run_migrations()
            return

        with sqlite_without_foreign_keys(connection):
            # SQLite's DDL is transactional; alembic only assumes it is not.
            context.configure(connection=connection, target_metadata=get_metadata(),
                              include_name=include_name, render_item=render_item,
                              transactional_ddl=True, **options)
            plan = watch_plan(context.get_context(), connection)
            with context.begin_transaction():
                context.run_migrations()
                if plan.migrates:
                    check_foreign_keys(connection)


@contextmanager
def sqlite_without_foreign_keys(connection):
    """Run the migrations on SQLite with foreign keys off, in one real transaction.

    SQLite cannot alter most of a table, so batch operations rebuild it: copy to
    _alembic_tmp_<table>, DROP the table, rename the copy. The app switches foreign keys on
    for every connection (forum/__init__.py); with them on, that DROP first deletes every
    row, ON DELETE CASCADE empties the referring tables and ON DELETE SET NULL clears their
    references (posts, threads, watches, project members ... were lost this way). SQLite's
    own procedure for schema changes (https://www.sqlite.org/lang_altertable.html, "making
    other kinds of table schema changes") is: foreign keys off, which only works outside a
    transaction; BEGIN; the changes; PRAGMA foreign_key_check; COMMIT.

    The driver's implicit transactions are switched off meanwhile (it would only BEGIN
    before INSERT/UPDATE/DELETE and run DDL outside any transaction); BEGIN IMMEDIATE is
    sent whenever SQLAlchemy begins, so a failing step rolls back everything. Everything
    is set back before the connection returns to the pool."""
    raw = connection.connection.driver_connection
    isolation_level = raw.isolation_level
    foreign_keys = raw.execute("PRAGMA foreign_keys").fetchone()[0]
    raw.isolation_level = None
    raw.execute("PRAGMA foreign_keys=OFF")
    if raw.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise CommandError("SQLite foreign keys could not be switched off (is a transaction "
                           "open?); not migrating, since table rebuilds would cascade.")

    def begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(connection, "begin", begin)
    try:
        yield
    finally:
        event.remove(connection, "begin", begin)
        if connection.in_transaction():
            connection.rollback()
        raw.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        raw.isolation_level = isolation_level


def check_foreign_keys(connection):
    """With foreign keys off nothing stops a step from leaving rows that point nowhere:
    refuse to commit them."""
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if violations:
        sample = ", ".join(f"{table} row {rowid} -> {parent}"
                           for table, rowid, parent, _fk in violations[:5])
        raise CommandError(
            f"After the migration, {len(violations)} rows refer to rows that do not exist "
            f"({sample}): rolled back, the database is unchanged. If they were there before, "
            "repair them first (PRAGMA foreign_key_check lists them).")


def watch_plan(migration_context, connection):
    """What the command will run: whether it migrates at all (only then is the foreign key
    check worth its time) and whether it upgrades; before an upgrade changes a SQLite file
    that holds data, the file is copied next to itself (see write_backup).

    This is known only from the command's work function, which alembic calls once, with the
    current heads, right before the first step; it is wrapped here. At that moment the
    migration's transaction has changed nothing yet, and the copy is read through a
    connection of its own, so it holds the committed state."""
    plan = SimpleNamespace(migrates=True)
    raw = connection.connection.driver_connection  # (not through SQLAlchemy: no BEGIN yet)
    path = next((row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main"),
                "")  # "" for :memory: and temporary databases: nothing to keep
    work = getattr(migration_context, "_migrations_fn", None)
    if work is None:
        logger.warning("Cannot tell what this command will run; no backup is written.")
        return plan

    def planned(heads, ctx):
        steps = list(work(heads, ctx))
        plan.migrates = any(step.info.is_migration for step in steps)
        if path and any(step.info.is_upgrade and step.info.is_migration for step in steps):
            write_backup(path, heads)
        return steps

    migration_context._migrations_fn = planned
    return plan


def write_backup(path, heads):
    """Copy a SQLite file that holds data (rows in any table) with sqlite3's online backup
    API to <file>.backup-<from revision>-<UTC time> and say where it is."""
    source = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=30)
    try:
        tables = [row[0] for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
        if not any(source.execute(
                'SELECT EXISTS (SELECT 1 FROM "{}")'.format(name.replace('"', '""')))
                .fetchone()[0] for name in tables):
            return  # an empty database: nothing to lose
        revision = "+".join(sorted(heads)) or "base"
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(f"{path}.backup-{revision}-{stamp}")
        number = 2
        while target.exists():
            target = Path(f"{path}.backup-{revision}-{stamp}-{number}")
            number += 1
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    logger.info("Backup of the database before the upgrade: %s", target)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
