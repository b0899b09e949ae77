"""A person's data, driven by the registry in `forum/personal_data.py`: export (DSGVO Art. 15
and 20) and deletion of the account (Art. 17). Retention is `services/retention.py`.

A person is the account plus any guest identity with the same address (a guest question
asked before the account existed, or with an address the account later gave up). Every
table of the registry has an exporter (which rows are the person's) and an eraser (what
deleting the account does to them); `tests/test_personal_data.py` fails when one is missing.
"""

import enum
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ..enums import AuditAction, DeletionMode, PostKind, PostState
from ..extensions import db
from ..models import (
    ApiToken,
    Appeal,
    AuditEntry,
    BarrierReport,
    Board,
    Decision,
    Draft,
    ExpertVerification,
    GuestLink,
    MeToo,
    ModerationNote,
    Notification,
    OutboxMail,
    Post,
    PostRevision,
    PracticeExample,
    ProjectMember,
    ProjectUpdate,
    QueueClaim,
    Report,
    SearchDocument,
    Submission,
    Thread,
    User,
    Watch,
    utcnow,
)
from ..personal_data import BY_TABLE, REGISTRY
from . import rows_changed
from .counters import BOARD_COUNTERS, THREAD_COUNTERS
from .identities import normalise_email

FORMAT = "fachdialog-datenexport/1"


@dataclass
class Person:
    """The rows that stand for one person: the account and guest identities of its address."""

    ids: list[int]
    emails: list[str]
    names: list[str]
    draft_key: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


def person(user: User, draft_key: str | None = None) -> Person:
    address = normalise_email(user.email)
    users = list(db.session.scalars(sa.select(User).where(
        sa.or_(User.id == user.id, sa.func.lower(User.email) == address)).order_by(User.id)))
    names = {u.display_name for u in users}
    names.update(db.session.scalars(sa.select(GuestLink.display_name).where(
        GuestLink.user_id.in_([u.id for u in users]), GuestLink.display_name != "")))
    return Person(ids=[u.id for u in users], emails=sorted({u.email for u in users} | {address}),
                  names=sorted(names), draft_key=draft_key)


def table(name: str) -> sa.Table:
    """The table of a registry entry (tests/test_personal_data.py: every entry has one)."""
    return db.metadata.tables[name]


# --- which rows are the person's ----------------------------------------------------------

def _own_posts(p: Person):
    return sa.select(Post.id).where(Post.author_id.in_(p.ids))


def _audit_about(p: Person) -> sa.ColumnElement[bool]:
    """Audit entries about the person: their account, their verifications, their own steps
    as a guest, on their profile or with their API tokens, and team changes that name them
    (checked exactly in `_audit_rows`, as a name may be part of a longer one)."""
    verifications = sa.select(ExpertVerification.id).where(ExpertVerification.user_id.in_(p.ids))
    own_steps = (AuditAction.GUEST_WITHDRAW, AuditAction.GUEST_CONVERT,
                 AuditAction.EXPERT_PROFILE, AuditAction.TOKEN_CREATE,
                 AuditAction.TOKEN_REVOKE)
    # JSON keeps non-ASCII letters escaped ("M\u00fcller"): look for both spellings
    spellings = {s for name in p.names for s in (name, json.dumps(name)[1:-1])}
    names_them = sa.or_(*(sa.cast(AuditEntry.changes, sa.Text).contains(s)
                          for s in spellings)) if spellings else sa.false()
    return sa.or_(
        (AuditEntry.object_type == "User") & AuditEntry.object_id.in_(p.ids),
        (AuditEntry.object_type == "ExpertVerification")
        & AuditEntry.object_id.in_(verifications),
        AuditEntry.actor_id.in_(p.ids) & AuditEntry.action.in_(own_steps),
        (AuditEntry.action == AuditAction.PROJECT_MEMBER) & names_them)


def _names_member(entry: AuditEntry, names: list[str]) -> bool:
    values = entry.changes.get("member")
    values = values if isinstance(values, list) else [values]
    return any(isinstance(v, str) and (v in names or any(v.startswith(f"{n} (") for n in names))
               for v in values)


def _audit_rows(p: Person) -> list[int]:
    entries = db.session.scalars(sa.select(AuditEntry).where(_audit_about(p)))
    return [e.id for e in entries
            if e.action != AuditAction.PROJECT_MEMBER or _names_member(e, p.names)]


def _appeals(p: Person) -> sa.ColumnElement[bool]:
    own_decisions = sa.select(Decision.id).where(Decision.author_id.in_(p.ids))
    own_reports = sa.select(Report.id).where(Report.reporter_id.in_(p.ids))
    return sa.or_(Appeal.contact_email.in_(p.emails),
                  ~Appeal.by_reporter & Appeal.decision_id.in_(own_decisions),
                  Appeal.by_reporter & Appeal.report_id.in_(own_reports))


def _login_sessions(p: Person) -> sa.ColumnElement[bool]:
    return table("login_sessions").c.user_id.in_(p.ids)


Selector = Callable[[Person], sa.ColumnElement[bool]]

# table -> the condition that picks the person's rows (the same for export and deletion)
ROWS: dict[str, Selector] = {
    "users": lambda p: User.id.in_(p.ids),
    "login_sessions": _login_sessions,
    "api_tokens": lambda p: ApiToken.user_id.in_(p.ids),
    "threads": lambda p: Thread.author_id.in_(p.ids),
    "posts": lambda p: Post.author_id.in_(p.ids),
    "post_revisions": lambda p: PostRevision.post_id.in_(_own_posts(p)),
    "search_documents": lambda p: SearchDocument.post_id.in_(_own_posts(p)),
    "me_toos": lambda p: MeToo.user_id.in_(p.ids),
    "watches": lambda p: Watch.user_id.in_(p.ids),
    "notifications": lambda p: Notification.user_id.in_(p.ids),
    "outbox": lambda p: sa.func.lower(OutboxMail.recipient).in_(p.emails),
    "drafts": lambda p: Draft.key == p.draft_key if p.draft_key else sa.false(),
    "submissions": lambda p: Submission.user_id.in_(p.ids),
    "guest_links": lambda p: GuestLink.user_id.in_(p.ids),
    "reports": lambda p: Report.reporter_id.in_(p.ids) | Report.reporter_email.in_(p.emails),
    "appeals": _appeals,
    "barrier_reports": lambda p: sa.func.lower(BarrierReport.contact_email).in_(p.emails),
    "moderation_decisions": lambda p: Decision.author_id.in_(p.ids),
    "moderation_notes": lambda p: ModerationNote.author_id.in_(p.ids),
    "queue_claims": lambda p: QueueClaim.moderator_id.in_(p.ids),
    "expert_verifications": lambda p: ExpertVerification.user_id.in_(p.ids),
    "project_members": lambda p: ProjectMember.user_id.in_(p.ids),
    "project_updates": lambda p: ProjectUpdate.author_id.in_(p.ids),
    "practice_examples": lambda p: PracticeExample.contact_id.in_(p.ids),
    "audit_log": lambda p: AuditEntry.id.in_(_audit_rows(p)),
}
EXPORTERS = ROWS


# --- export -----------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def export_user(user: User, draft_key: str | None = None) -> dict:
    """Everything the forum holds about the person, as one JSON-ready dict: per registry
    table the person's rows, without columns that name others (moderators, editors) or
    hold secrets (hashes, tokens)."""
    p = person(user, draft_key)
    tables: dict[str, dict] = {}
    for entry in REGISTRY:
        found = table(entry.table)
        columns = [c for c in found.columns if c.name not in entry.withheld]
        result = db.session.execute(sa.select(*columns).where(ROWS[entry.table](p))
                                    .order_by(*found.primary_key.columns))
        rows = [{k: _plain(v) for k, v in row._mapping.items()}  # noqa: SLF001 (public Row API)
                for row in result]
        tables[entry.table] = {"zweck": str(entry.purpose), "zeilen": rows}
    return {"format": FORMAT, "erstellt": utcnow().isoformat(),
            "person": {"email": p.emails, "anzeigename": p.names}, "tabellen": tables}


# --- deletion ---------------------------------------------------------------------------

def _recount(thread_ids: set[int]) -> None:
    """Counters and pointers of the threads (and their boards) the deletion touched."""
    if not thread_ids:
        return
    boards = sa.select(Thread.board_id).where(Thread.id.in_(thread_ids))
    board_ids = set(db.session.scalars(boards))
    for column, expected in THREAD_COUNTERS.items():
        db.session.execute(sa.update(Thread).where(Thread.id.in_(thread_ids))
                           .values({column: expected}),
                           execution_options={"synchronize_session": False})
    for column, expected in BOARD_COUNTERS.items():
        db.session.execute(sa.update(Board).where(Board.id.in_(board_ids))
                           .values({column: expected}),
                           execution_options={"synchronize_session": False})


def _erase_content(p: Person, mode: DeletionMode) -> set[int]:
    """Posts, threads, revisions and index entries as the person chose; returns the threads
    whose counters need recounting."""
    touched = set(db.session.scalars(sa.select(Post.thread_id).where(ROWS["posts"](p))))
    touched |= set(db.session.scalars(sa.select(MeToo.thread_id).where(ROWS["me_toos"](p))))
    own_threads = set(db.session.scalars(sa.select(Thread.id).where(ROWS["threads"](p))))
    if mode == DeletionMode.ANONYMISE:
        db.session.execute(sa.update(Post).where(ROWS["posts"](p)).values(author_id=None))
        db.session.execute(sa.update(Thread).where(ROWS["threads"](p)).values(author_id=None))
        db.session.execute(sa.update(PostRevision).where(PostRevision.editor_id.in_(p.ids))
                           .values(editor_id=None))
        p.counts["posts"] = len(touched)
        return touched
    others = (sa.select(Post.id).where(Post.thread_id == Thread.id,
                                       Post.author_id.is_(None) | Post.author_id.not_in(p.ids))
              .exists())
    answered = set(db.session.scalars(sa.select(Thread.id).where(ROWS["threads"](p), others)))
    # their question in a thread others answered stays as a placeholder without text
    questions = sa.select(Post.id).where(Post.thread_id.in_(answered),
                                         Post.kind == PostKind.QUESTION, ROWS["posts"](p))
    placeholders = list(db.session.scalars(questions))
    db.session.execute(sa.delete(SearchDocument).where(SearchDocument.post_id.in_(placeholders)))
    db.session.execute(sa.delete(PostRevision).where(PostRevision.post_id.in_(placeholders)))
    db.session.execute(sa.update(Post).where(Post.id.in_(placeholders)).values(
        state=PostState.REMOVED, body_source="", body_html="", author_id=None, edited_at=None))
    db.session.execute(sa.update(Thread).where(Thread.id.in_(answered)).values(author_id=None))
    # everything else they wrote goes, and their threads nobody else wrote in
    removed = rows_changed(db.session.execute(
        sa.delete(Post).where(ROWS["posts"](p)).execution_options(synchronize_session=False)))
    alone = own_threads - answered
    db.session.execute(sa.update(Thread).where(Thread.merged_into_id.in_(alone))
                       .values(merged_into_id=None))
    db.session.execute(sa.delete(Thread).where(Thread.id.in_(alone))
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.update(PostRevision).where(PostRevision.editor_id.in_(p.ids))
                       .values(editor_id=None))
    p.counts.update(posts=removed + len(placeholders), threads=len(alone))
    return (touched - alone) | answered


def _delete_rows(name: str) -> Callable[[Person], None]:
    def erase(p: Person) -> None:
        db.session.execute(sa.delete(table(name)).where(ROWS[name](p))
                           .execution_options(synchronize_session=False))
    return erase


def _erase_notes(p: Person) -> None:
    """Internal notes the person wrote, notes about their account, and notes whose post is
    gone with it (notes on posts kept anonymised stay with those posts)."""
    about = (ModerationNote.item_kind.in_(("account", "request"))
             & ModerationNote.item_id.in_(p.ids))
    gone = ((ModerationNote.item_kind == "post")
            & ModerationNote.item_id.not_in(sa.select(Post.id)))
    db.session.execute(sa.delete(ModerationNote).where(ROWS["moderation_notes"](p) | about
                                                        | gone)
                       .execution_options(synchronize_session=False))


def _clear_reports(p: Person) -> None:
    db.session.execute(sa.update(Report).where(ROWS["reports"](p)).values(
        reporter_id=None, reporter_name="", reporter_email=""))


def _clear_appeals(p: Person) -> None:
    db.session.execute(sa.update(Appeal).where(Appeal.contact_email.in_(p.emails))
                       .values(contact_email=""))


def _clear_barrier_reports(p: Person) -> None:
    db.session.execute(sa.update(BarrierReport).where(ROWS["barrier_reports"](p))
                       .values(contact_name="", contact_email="")
                       .execution_options(synchronize_session=False))


def _clear_audit(p: Person) -> None:
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.id.in_(_audit_rows(p)))
                       .values(summary="", changes={}))


def _by_foreign_key(p: Person) -> None:
    """Rows kept without the person: the link goes with the account (ON DELETE SET NULL)."""


# table -> what deleting the account does (content tables are done first, by mode)
ERASERS: dict[str, Callable[[Person], None]] = {
    "users": _delete_rows("users"),
    "login_sessions": _delete_rows("login_sessions"),
    "api_tokens": _delete_rows("api_tokens"),  # revoked with the account
    "threads": _by_foreign_key, "posts": _by_foreign_key,  # _erase_content, by mode
    "post_revisions": _by_foreign_key, "search_documents": _by_foreign_key,
    "me_toos": _delete_rows("me_toos"),
    "watches": _delete_rows("watches"),
    "notifications": _delete_rows("notifications"),
    "outbox": _delete_rows("outbox"),
    "drafts": _delete_rows("drafts"),
    "submissions": _delete_rows("submissions"),
    "guest_links": _delete_rows("guest_links"),
    "reports": _clear_reports,
    "appeals": _clear_appeals,
    "barrier_reports": _clear_barrier_reports,
    "moderation_decisions": _by_foreign_key,  # append-only; author_id goes with the account
    "moderation_notes": _erase_notes,
    "queue_claims": _delete_rows("queue_claims"),
    "expert_verifications": _delete_rows("expert_verifications"),
    "project_members": _delete_rows("project_members"),
    "project_updates": _by_foreign_key,
    "practice_examples": _by_foreign_key,  # contact_id goes with the account
    "audit_log": _clear_audit,
}
# the audit entries first (they are found through the verifications), the account rows last
# (the others are found through them)
ORDER = ["audit_log", *(name for name in BY_TABLE if name not in ("audit_log", "users")),
         "users"]


def erase_person(p: Person, mode: DeletionMode) -> None:
    """Delete everything of the person (in the caller's transaction): content by `mode`, then
    each registry table by its eraser, the account rows last."""
    touched = _erase_content(p, mode)
    for name in ORDER:
        ERASERS[name](p)
    _recount(touched)


def delete_user(actor: User | None, user: User, mode: DeletionMode,
                draft_key: str | None = None) -> dict[str, int]:
    """Delete the account (and guest identities of its address). `actor` is the person
    themself (the view checked the password) or None for the operator's command. The audit
    entry names no personal data: only who acted (the operator, or the person, not linked),
    the mode and the counts. Returns the counts."""
    p = person(user, draft_key)
    by_self = actor is not None and actor.id in p.ids
    erase_person(p, mode)
    db.session.add(AuditEntry(
        actor_id=None if by_self or actor is None else actor.id,
        action=AuditAction.USER_DELETE, object_type="User", object_id=None, summary="",
        changes={"mode": mode.value, "by": "self" if by_self else "operator",
                 "posts": p.counts.get("posts", 0), "threads": p.counts.get("threads", 0)}))
    db.session.commit()
    db.session.expire_all()
    return p.counts
