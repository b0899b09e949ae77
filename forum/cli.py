"""`flask forum ...`: demo data and accounts."""

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .models import Project, ProjectMember, ProjectRole, SiteRole, TopicField
from .models.expert import today
from .services import ServiceError, accounts, demo, experts

forum_cli = AppGroup("forum", help="Fachdialog commands.")

ROLE_CHOICES = ("admin", "moderator", "expert", "member", "user")


@forum_cli.command("seed-demo")
def seed_demo():
    """Load projects, topic fields, offers, demo accounts and demo threads (idempotent)."""
    click.echo("Demo-Daten werden geladen. Neue Demo-Konten (Passwörter nur jetzt sichtbar):")
    demo.seed(echo=click.echo)
    click.echo("Fertig.")


@forum_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default="user", show_default=True)
@click.option("--project", "project_slug", help="Project slug; required for --role member.")
@click.option("--topic", "topic_slugs", multiple=True,
              help="Topic field slug an expert is verified for; repeatable; required for "
                   "--role expert.")
@click.option("--name", "display_name", required=True,
              help="Public display name (the e-mail address is never shown).")
def create_user(email, role, project_slug, topic_slugs, display_name):
    """Create a confirmed account and print its generated password once.

    --role expert also records a verification for the given topic fields, valid for two
    years, with the command line as its source."""
    project = None
    topics = [db.session.scalar(select(TopicField).where(TopicField.slug == slug))
              for slug in topic_slugs]
    if None in topics:
        raise click.UsageError("Unknown topic field slug in --topic")
    if role == "expert" and not topics:
        raise click.UsageError("--role expert needs at least one --topic SLUG")
    if role == "member" or project_slug:
        if not project_slug:
            raise click.UsageError("--role member needs --project SLUG")
        project = db.session.scalar(select(Project).where(Project.slug == project_slug))
        if project is None:
            raise click.UsageError(f"No project with slug {project_slug!r}")
    site_role = SiteRole.USER if role in ("member", "expert") else SiteRole(role)
    password = secrets.token_urlsafe(12)
    try:
        user = accounts.create_user(email, display_name, password, site_role)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from error
    if project is not None:
        db.session.add(ProjectMember(project_id=project.id, user_id=user.id,
                                     role=ProjectRole.MEMBER))
    if role == "expert":
        experts.verify(None, user, evidence="Über die Kommandozeile angelegt (create-user)",
                       topic_fields=topics, projects=[], valid_from=today(),
                       valid_until=experts.default_until(), commit=False)
    db.session.commit()
    click.echo(f"Konto angelegt: {user.email} ({role}). Passwort: {password}")


def _purge():
    from .services import retention

    done = retention.purge()
    click.echo(f"{done['guest_questions']} unbestätigte Gastfragen gelöscht.")
    click.echo(f"{done['withdrawn']} zurückgezogene Fragen gelöscht.")
    click.echo(f"{done['guests']} Gastzugänge ohne Fragen gelöscht.")
    click.echo(f"{done['accounts']} unbestätigte Konten gelöscht.")
    click.echo(f"{done['outbox']} alte Mails aus dem Postausgang gelöscht.")
    click.echo(f"{done['reporters']} Kontaktangaben zu erledigten Meldungen gelöscht.")
    click.echo(f"{done['tokens']} abgelaufene Entwürfe, Namen und Anmeldungen gelöscht.")
    click.echo(f"{done['form_keys']} alte Formular-Schlüssel gelöscht.")


@forum_cli.command("purge")
def purge():
    """Delete what is no longer needed, by the FORUM_RETENTION_* periods (run daily): guests'
    unconfirmed and withdrawn questions, unconfirmed accounts, old outbox mails, reporters'
    contact once settled, expired drafts, form keys and unused log-in sessions."""
    _purge()


@forum_cli.command("purge-guests")
def purge_guests():
    """The former name of `purge` (kept for existing cron entries): runs the same."""
    _purge()


def _person(email: str):
    from .services.identities import find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException("Zu dieser Adresse gibt es weder Konto noch Gastzugang.")
    return user


@forum_cli.command("export-user")
@click.argument("email")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the JSON here (default: standard output).")
def export_user(email, output):
    """Everything the forum holds about the person with EMAIL (account or guest), as the JSON
    file the person downloads (DSGVO Art. 15 and 20), for a request that came by letter."""
    import json

    from .services import privacy

    data = json.dumps(privacy.export_user(_person(email)), ensure_ascii=False, indent=2)
    if output:
        Path(output).write_text(data + "\n", encoding="utf-8")
        click.echo(f"Datenauskunft geschrieben: {output}", err=True)
    else:
        click.echo(data)


@forum_cli.command("dsa-export")
@click.option("--from", "first", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day of the period (YYYY-MM-DD, German time).")
@click.option("--to", "last", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last day of the period, included.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the JSON lines here (default: standard output).")
def dsa_export(first, last, output):
    """Every statement of reasons decided in the period, one JSON object a line, in the
    field structure of the EU's DSA Transparency Database (art. 24(5))."""
    import json

    from .services import dsa_export as export, transparency

    try:
        span = transparency.period(first.date(), last.date())
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from error
    records = list(export.statements(span))
    for record in records:
        if problems := export.problems(record):
            raise click.ClickException(f"{record['puid']}: " + "; ".join(problems))
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    if output:
        Path(output).write_text(lines, encoding="utf-8")
        click.echo(f"{len(records)} Begründungen geschrieben: {output}", err=True)
    else:
        click.echo(lines, nl=False)


@forum_cli.command("open-data-export")
def open_data_export():
    """Write the open data (every public project, topic field, question and answer as JSON
    and as CSV files in a zip, with the licence) for /offene-daten; run it from a timer."""
    from .services import open_data

    manifest = open_data.export()
    counts = manifest["counts"]
    click.echo(f"Offene Daten geschrieben nach {open_data.directory()}: "
               f"{counts['questions']} Fragen, {counts['posts']} Beiträge, "
               f"{counts['projects']} Projekte, {counts['topic_fields']} Themenfelder.",
               err=True)


@forum_cli.command("delete-user")
@click.argument("email")
@click.option("--anonymise", "mode", flag_value="anonymise",
              help="Posts stay, shown as 'Gelöschtes Konto'.")
@click.option("--remove", "mode", flag_value="remove",
              help="Posts go; questions others answered stay as a removed placeholder.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_user(email, mode, yes):
    """Delete the account (and guest identity) with EMAIL on the person's request; the audit
    log records the deletion without personal data."""
    from .enums import DeletionMode
    from .services import privacy

    if mode is None:
        raise click.UsageError("Bitte --anonymise oder --remove angeben.")
    user = _person(email)
    if not yes:
        click.confirm(f"Konto {email} endgültig löschen ({mode})?", abort=True)
    counts = privacy.delete_user(None, user, DeletionMode(mode))
    click.echo(f"Gelöscht. Beiträge: {counts.get('posts', 0)}, "
               f"Themen: {counts.get('threads', 0)}.")


@forum_cli.command("remind")
@click.option("--hours", default=24, show_default=True, help="Remind of items older than this.")
def remind(hours):
    """Mail every moderator whose queue has items waiting longer than --hours."""
    from datetime import timedelta

    from flask_babel import lazy_gettext as _l

    from .services import Mail, outbox, queue

    queued = 0
    for user in queue.moderators():
        counts = queue.counts(user, older_than=timedelta(hours=hours))
        if counts["total"]:
            outbox.enqueue(Mail(to=user.email, template="remind", locale=user.locale,
                                subject=_l("Erinnerung: Einträge warten in der Moderation"),
                                context={"user": user, "counts": counts}))
            queued += 1
    db.session.commit()
    click.echo(f"{queued} Erinnerung(en) in den Postausgang gelegt.")


@forum_cli.command("escalate")
def escalate():
    """Escalate questions unanswered for longer than their board allows (idempotent)."""
    from .services import escalation

    click.echo(f"{escalation.escalate()} Frage(n) eskaliert.")


def _reindex():
    import time

    from sqlalchemy import func, select

    from .models import Post
    from .services import search

    total = db.session.scalar(select(func.count()).select_from(Post))
    started = time.perf_counter()
    with click.progressbar(length=total, label="Suchindex") as bar:
        done = search.reindex(progress=bar.update)
    took = time.perf_counter() - started
    click.echo(f"{done} Beiträge indexiert in {took:.0f} s "
               f"({done / took if took else 0:.0f} Beiträge pro Sekunde).")


@forum_cli.command("reindex")
def reindex():
    """Rebuild the search index from all posts, with a progress bar (in batches: the forum
    keeps running); reports posts per second."""
    _reindex()


@forum_cli.command("seed-bench")
@click.option("--questions", default=100_000, show_default=True, help="Questions to add.")
@click.option("--posts", default=1_000_000, show_default=True,
              help="Posts to add in all, questions included.")
@click.option("--pending", default=1_000, show_default=True,
              help="Posts waiting for approval among them.")
@click.option("--force", is_flag=True,
              help="Also on a database that holds more than demo content.")
def seed_bench(questions, posts, pending, force):
    """Fill the database with synthetic German questions and answers for benchmarks
    (bench/scale.py), then rebuild the search index. Only for a database of its own."""
    import time

    from .services import bench_data

    started = time.perf_counter()
    try:
        bench_data.check_target(questions, posts, force=force)
        with click.progressbar(length=posts, label="Beiträge") as bar:
            seeded = bench_data.seed(questions, posts, pending=pending, force=force,
                                     progress=bar.update)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"{seeded.questions} Fragen, {seeded.posts} Beiträge ({seeded.pending} "
               f"warten auf Freigabe) von {seeded.users} Personen in "
               f"{time.perf_counter() - started:.0f} s angelegt.")
    _reindex()


@forum_cli.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False))
def backup(target):
    """Write a consistent copy of the SQLite database while the forum keeps running (SQLite's
    online backup); default: instance/backups/forum-<UTC time>.db. On PostgreSQL use pg_dump."""
    import sqlite3
    from datetime import UTC, datetime

    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(
            "Nur für SQLite-Dateien. PostgreSQL sichern Sie mit pg_dump (siehe README).")
    source_path = Path(url.database)
    if target is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = source_path.parent / "backups" / f"{source_path.stem}-{stamp}.db"
    target = Path(target)
    if target.exists():
        raise click.ClickException(f"{target} gibt es schon; bitte ein anderes Ziel wählen.")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # a consistent snapshot, even while others write
    finally:
        copy.close()
        source.close()
    click.echo(f"Sicherung geschrieben: {target}")


@forum_cli.command("check")
def check():
    """Verify every counter and pointer (reply, answer, same-question and board counts,
    approved posts, helpful mark, last activity); exits 1 if any differs."""
    from .services import counters

    mismatches = counters.check()
    for mismatch in mismatches:
        click.echo(str(mismatch))
    if mismatches:
        raise click.ClickException(
            f"{len(mismatches)} Abweichung(en). `flask forum recount` repariert sie.")
    click.echo("Alle Zähler stimmen.")


@forum_cli.command("recount")
def recount():
    """Repair every counter and pointer from the rows themselves (safe to run any time)."""
    from .services import counters

    click.echo(f"{counters.recount()} Wert(e) korrigiert.")


@forum_cli.command("remind-experts")
def remind_experts():
    """Mail experts whose verification ends within 30 days, once each (run daily)."""
    click.echo(f"{experts.remind_expiring()} Fachperson(en) erinnert.")


@forum_cli.command("digest")
def digest():
    """Queue the daily digest mail for everyone who chose it (run once a day)."""
    from .services import notifications

    click.echo(f"{notifications.send_digests()} Übersicht(en) in den Postausgang gelegt.")


@forum_cli.group("outbox")
def outbox_cli():
    """The mail outbox."""


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between rounds.")
def outbox_run(once, interval):
    """Send due mails (retrying with back-off); runs until stopped unless --once."""
    from . import mails

    if once:
        click.echo(f"{mails.run_once()} Mail(s) versendet.")
    else:
        click.echo("Postausgang läuft. Beenden mit Strg+C.")
        mails.run_forever(interval)


@forum_cli.command("fill-german-catalogue")
def fill_german_catalogue():
    """The source strings are German: copy each new msgid into the German catalogue."""
    from babel.messages.pofile import read_po, write_po

    path = Path(current_app.root_path).parent / "translations/de/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="de")
    filled = 0
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=76)
    click.echo(f"{filled} German entries filled.")


def register(app: Flask) -> None:
    app.cli.add_command(forum_cli)
