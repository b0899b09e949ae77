"""Open data: every public piece of the dialogue as JSON and as CSV files (in a zip), with
the licence the operator set (`OPEN_DATA_LICENCE`, `OPEN_DATA_LICENCE_URL`), written by
`flask forum open-data-export` from a timer into `OPEN_DATA_DIR` and offered on /offene-daten.

What is public is what a visitor without an account sees, decided by the rulebook's filters
for a visitor: projects, topic fields, the published questions (open or answered) and their
published posts, with dates, the "same question" count, the helpful answer and the badges the
pages show (services/badges.py). People appear only by the display name the page shows:
"Gelöschtes Konto" for a deleted or anonymised account, an expert's organisation only with
the expert's consent; no e-mail address, no account id, no profile that is not listed.
Nothing pending, hidden, rejected, withdrawn or merged is written, nor a post with a report
of child sexual abuse or of a threat (those are for site moderators to judge first), nor
project updates.

Each file is written to a temporary file in the same directory and renamed over the old one
only when complete, so a download never sees half a file; `manifest.json` (date, licence,
files) is renamed last. Threads are read in batches by id, so memory stays flat however many
there are.
"""

import csv
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..enums import PostKind, PostState
from ..extensions import db
from ..mails import external_url
from ..models import Anonymous, Board, Post, Project, Thread, TopicField, User, utcnow
from ..models.expert import ExpertVerification
from ..permissions import listed_threads, visible_posts
from ..permissions.scope import site_only_post_ids
from .badges import Badge, author_badge

JSON_NAME = "fachdialog-offene-daten.json"
ZIP_NAME = "fachdialog-offene-daten-csv.zip"
MANIFEST = "manifest.json"
BATCH = 500  # threads a batch

PROJECT_FIELDS = ["slug", "name", "url", "lead_organisation", "partners", "period", "status",
                  "topic_fields", "sectors", "website", "description"]
TOPIC_FIELDS = ["slug", "name", "url", "description"]
QUESTION_FIELDS = ["id", "url", "title", "board_kind", "board_slug", "state", "locked",
                   "created_at", "last_activity_at", "same_question_count", "answer_count",
                   "helpful_answer_id", "demo"]
POST_FIELDS = ["id", "question_id", "kind", "created_at", "edited_at", "author",
               "badge_kind", "badge", "organisation", "helpful_answer", "removed", "text"]


def directory() -> Path:
    return Path(current_app.config["OPEN_DATA_DIR"])


def licence() -> dict:
    """The licence as the operator set it, with the statement the files carry."""
    name = current_app.config["OPEN_DATA_LICENCE"]
    url = current_app.config["OPEN_DATA_LICENCE_URL"]
    site = current_app.config["SITE_NAME"]
    statement = (_("Die Daten des %(site)s stehen unter der Lizenz %(licence)s (%(url)s). "
                   "Bitte nennen Sie als Quelle: %(site)s, %(base)s.", site=site,
                   licence=name, url=url, base=current_app.config["BASE_URL"])
                 if url else
                 _("Die Daten des %(site)s stehen unter der Lizenz %(licence)s. Bitte nennen "
                   "Sie als Quelle: %(site)s, %(base)s.", site=site, licence=name,
                   base=current_app.config["BASE_URL"]))
    return {"name": name, "url": url, "statement": statement}


def latest() -> dict | None:
    """The manifest of the last export (date, licence, files), or None if there is none."""
    try:
        manifest = json.loads((directory() / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    manifest["exported_at"] = datetime.fromisoformat(manifest["exported_at"])
    return manifest


def file_path(name: str) -> Path | None:
    """A file of the last export by its name; None for anything else."""
    if name not in (JSON_NAME, ZIP_NAME):
        return None
    path = directory() / name
    return path if path.is_file() else None


# --- reading what is public ---------------------------------------------------------------

def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _topic_fields() -> list[dict]:
    topics = db.session.scalars(sa.select(TopicField).order_by(TopicField.position,
                                                               TopicField.name))
    return [{"slug": t.slug, "name": t.name, "url": external_url("topics.detail", slug=t.slug),
             "description": t.description} for t in topics]


def _projects() -> list[dict]:
    projects = db.session.scalars(sa.select(Project).order_by(Project.name).options(
        selectinload(Project.topic_fields), selectinload(Project.sectors)))
    return [{"slug": p.slug, "name": p.name, "url": external_url("projects.detail", slug=p.slug),
             "lead_organisation": p.lead_organisation, "partners": list(p.partners or []),
             "period": p.period, "status": p.status.value,
             "topic_fields": [t.slug for t in p.topic_fields],
             "sectors": [s.name for s in p.sectors], "website": p.website,
             "description": p.description} for p in projects]


def _boards() -> dict[int, Board]:
    boards = db.session.scalars(sa.select(Board).options(
        selectinload(Board.project).selectinload(Project.topic_fields),
        selectinload(Board.topic_field)))
    return {b.id: b for b in boards}


def _authors(ids: set[int], known: dict[int, User]) -> None:
    """Load the accounts not yet known, with what their badges need, in a few statements."""
    wanted = ids - known.keys()
    if not wanted:
        return
    users = db.session.scalars(sa.select(User).where(User.id.in_(wanted)).options(
        selectinload(User.memberships),
        selectinload(User.verifications).selectinload(ExpertVerification.topic_fields),
        selectinload(User.verifications).selectinload(ExpertVerification.projects)))
    known.update((u.id, u) for u in users)


def _public_posts(thread_ids: list[int]):
    visitor = Anonymous()
    return db.session.execute(
        sa.select(Post.id, Post.thread_id, Post.author_id, Post.kind, Post.state,
                  Post.body_source, Post.created_at, Post.edited_at)
        .where(Post.thread_id.in_(thread_ids), visible_posts(visitor),
               Post.id.not_in(site_only_post_ids()))
        .order_by(Post.thread_id, Post.id)).all()


def questions() -> Iterator[dict]:
    """Every public question with its public posts, oldest first, read in batches."""
    visitor = Anonymous()
    boards = _boards()
    # the accounts that wrote public posts (loaded once each) and their badges per board
    authors: dict[int, User] = {}
    badges: dict[tuple, Badge | None] = {}
    after = 0
    while True:
        threads = db.session.execute(
            sa.select(Thread.id, Thread.board_id, Thread.title, Thread.slug, Thread.state,
                      Thread.locked, Thread.created_at, Thread.last_activity_at,
                      Thread.me_too_count, Thread.accepted_post_id, Thread.is_demo)
            .where(listed_threads(visitor), Thread.id > after)
            .order_by(Thread.id).limit(BATCH)).all()
        if not threads:
            return
        after = threads[-1].id
        posts = _public_posts([t.id for t in threads])
        _authors({p.author_id for p in posts if p.author_id is not None}, authors)
        by_thread: dict[int, list] = {}
        for post in posts:
            by_thread.setdefault(post.thread_id, []).append(post)
        for thread in threads:
            shown = by_thread.get(thread.id, [])
            if not shown or shown[0].kind != PostKind.QUESTION:
                continue  # no public question to show
            yield _question(thread, shown, boards[thread.board_id], authors, badges)


def _question(thread, posts, board: Board, authors: dict[int, User], badges: dict) -> dict:
    ids = {p.id for p in posts}
    helpful = thread.accepted_post_id if thread.accepted_post_id in ids else None
    owner = board.project or board.topic_field
    return {
        "id": thread.id,
        "url": external_url("threads.detail", thread_id=thread.id, slug=thread.slug),
        "title": thread.title,
        "board_kind": "project" if board.project_id else "topic_field",
        "board_slug": owner.slug,
        "state": thread.state.value,
        "locked": thread.locked,
        "created_at": _iso(thread.created_at),
        "last_activity_at": _iso(thread.last_activity_at),
        "same_question_count": thread.me_too_count,
        "answer_count": sum(p.kind == PostKind.ANSWER for p in posts),
        "helpful_answer_id": helpful,
        "demo": thread.is_demo,
        "posts": [_post(p, thread.id, board, authors, badges, helpful) for p in posts],
    }


def _post(post, question_id: int, board: Board, authors: dict[int, User], badges: dict,
          helpful: int | None) -> dict:
    author = authors.get(post.author_id) if post.author_id is not None else None
    removed = post.state == PostState.REMOVED
    answer = post.kind == PostKind.ANSWER
    key = (post.author_id, board.id, answer)
    if removed:
        badge = None
    elif key in badges:
        badge = badges[key]
    else:
        badge = badges[key] = author_badge(author, board, answer=answer)
    return {
        "id": post.id, "question_id": question_id, "kind": post.kind.value,
        "created_at": _iso(post.created_at), "edited_at": _iso(post.edited_at),
        "author": author.display_name if author is not None else _("Gelöschtes Konto"),
        "badge_kind": badge.kind if badge else None,
        "badge": badge.label if badge else None,
        "organisation": badge.organisation if badge and badge.organisation else None,
        "helpful_answer": post.id == helpful,
        "removed": removed,
        "text": "" if removed else post.body_source,
    }


# --- writing ------------------------------------------------------------------------------

@contextmanager
def _replacing(target: Path, mode: str = "w"):
    """A temporary file beside `target`, renamed over it when the block ends without error
    (and removed when it fails)."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=".tmp")
    text = "b" not in mode
    try:
        with open(handle, mode, encoding="utf-8" if text else None,
                  newline="" if text else None) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _cell(value) -> str:
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _csv(rows: list[dict], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(fields)
    writer.writerows([_cell(row[f]) for f in fields] for row in rows)
    return out.getvalue()


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def _write_json_head(out, head: dict) -> None:
    out.write("{\n")
    for key, value in head.items():
        out.write(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")


def export(now: datetime | None = None) -> dict:
    """Write the JSON file, the zip of CSV files and the manifest; returns the manifest.
    Questions and posts go to the JSON file and to CSV files on disk as they are read; the
    CSV files are then packed into the zip."""
    now = now or utcnow()
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    terms = licence()
    head = {"title": _("%(site)s: offene Daten", site=current_app.config["SITE_NAME"]),
            "source": current_app.config["BASE_URL"], "exported_at": _iso(now),
            "licence": terms}
    topics, projects = _topic_fields(), _projects()
    counts = {"topic_fields": len(topics), "projects": len(projects), "questions": 0,
              "posts": 0}
    with tempfile.TemporaryDirectory(dir=folder, prefix=".csv-") as work:
        question_path, post_path = Path(work, "fragen.csv"), Path(work, "beitraege.csv")
        with (_replacing(folder / JSON_NAME) as out,
              question_path.open("w", encoding="utf-8", newline="") as question_file,
              post_path.open("w", encoding="utf-8", newline="") as post_file):
            question_csv, post_csv = csv.writer(question_file), csv.writer(post_file)
            question_csv.writerow(QUESTION_FIELDS)
            post_csv.writerow(POST_FIELDS)
            _write_json_head(out, head)
            out.write(f' "topic_fields": {json.dumps(topics, ensure_ascii=False)},\n')
            out.write(f' "projects": {json.dumps(projects, ensure_ascii=False)},\n')
            out.write(' "questions": [')
            for question in questions():
                out.write(("\n  " if not counts["questions"] else ",\n  ")
                          + json.dumps(question, ensure_ascii=False))
                counts["questions"] += 1
                counts["posts"] += len(question["posts"])
                question_csv.writerow([_cell(question[f]) for f in QUESTION_FIELDS])
                post_csv.writerows([_cell(post[f]) for f in POST_FIELDS]
                                   for post in question["posts"])
            out.write("\n ]\n}\n")
        readme = "\n\n".join([
            head["title"], terms["statement"], _("Stand: %(when)s (UTC)", when=_iso(now)),
            _("Dateien: themenfelder.csv, projekte.csv, fragen.csv, beitraege.csv (UTF-8, "
              "Komma als Trennzeichen; Listen mit Semikolon getrennt). Die Beiträge gehören "
              "über question_id zu ihrer Frage.")]) + "\n"
        with (_replacing(folder / ZIP_NAME, "wb") as out,
              zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive):
            archive.comment = terms["statement"].encode("utf-8")[:65535]
            archive.writestr("LIZENZ.txt", readme)
            archive.writestr("themenfelder.csv", _csv(topics, TOPIC_FIELDS))
            archive.writestr("projekte.csv", _csv(projects, PROJECT_FIELDS))
            archive.write(question_path, "fragen.csv")
            archive.write(post_path, "beitraege.csv")
    manifest = {
        "exported_at": _iso(now), "licence": terms, "counts": counts,
        "files": {name: {"bytes": (folder / name).stat().st_size,
                         "sha256": _digest(folder / name)}
                  for name in (JSON_NAME, ZIP_NAME)},
    }
    with _replacing(folder / MANIFEST) as out:
        json.dump(manifest, out, ensure_ascii=False, indent=1)
    return manifest
