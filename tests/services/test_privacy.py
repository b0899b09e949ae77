"""Export and deletion by the personal-data registry: one person's data in every place the
registry lists (as an account and as a guest with the same address), another person's data
beside it. After deletion and the retention run, no text column of any table names the
person; the export holds every registry entry and nothing of the other person."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.enums import (
    AppealState,
    AuditAction,
    DecisionAction,
    DeletionMode,
    PostState,
    ReportState,
    ThreadState,
)
from forum.extensions import db
from forum.models import (
    Appeal,
    BarrierReport,
    Decision,
    Draft,
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
    Submission,
    Thread,
    UpdateKind,
    User,
    Watch,
    utcnow,
)
from forum.personal_data import REGISTRY
from forum.services import audit, counters, privacy, retention, threads, tokens
from tests.factories import make_answer, make_expert, make_project, make_thread, make_user

NAME, EMAIL, GUEST_NAME = "Annegret Beispielfrau", "annegret@example.org", "Anne als Gast"
OTHER_NAME, OTHER_EMAIL = "Bernd Zweitmann", "bernd@example.org"
TEXT_TYPES = (sa.String, sa.Text, sa.JSON)


def _fill(name, email, guest_name, project, other=None):
    """One person's data in every table of the registry; returns the account."""
    user = make_expert(display_name=name, email=email, organisation="Werkstatt Nord",
                       expertise="Arbeitszeit", projects=[project])
    twin = User(email=email.upper(), display_name=guest_name, password_hash="", is_guest=True,
                email_confirmed_at=utcnow())
    db.session.add(twin)
    db.session.add(ProjectMember(project_id=project.id, user_id=user.id))
    db.session.commit()
    board = project.board
    asked = make_thread(board, user, title="Wie planen Teams Schichten?")
    alone = make_thread(board, user, title="Hilft ein Zeitkonto?")
    answered_by = other or make_expert()
    make_answer(asked, answered_by)
    theirs = make_thread(board, answered_by, title="Was bringt Gleitzeit?")
    answer = make_answer(theirs, user, body="Bei uns hat es geholfen.")
    question = asked.posts[0]
    db.session.add(PostRevision(post_id=question.id, editor_id=user.id,
                                body_source="Erste Fassung der Frage", title="Erster Titel"))
    guest_thread = threads.new_question(twin, board, "Eine Frage als Gast", "Wie geht das?",
                                        state=ThreadState.PENDING)
    db.session.add(GuestLink(thread_id=guest_thread.id, user_id=twin.id, display_name=guest_name,
                             expires_at=utcnow() + timedelta(days=30)))
    db.session.add(MeToo(user_id=user.id, thread_id=theirs.id))
    watch = Watch(user_id=user.id, thread_id=theirs.id)
    db.session.add(watch)
    db.session.flush()
    db.session.add(Notification(user_id=user.id, watch_id=watch.id, thread_id=theirs.id,
                                post_id=theirs.posts[0].id))
    db.session.add_all([
        OutboxMail(recipient=email, subject="Neue Antwort", template="notification",
                   context={"name": name}),
        OutboxMail(recipient=email.upper(), subject="Ihr Link", template="guest_link",
                   context={"name": guest_name}, sent_at=utcnow()),
    ])
    db.session.add(Submission(key=f"k-{user.id}", user_id=user.id, kind="thread",
                              object_id=asked.id))
    db.session.add(Report(post_id=theirs.posts[0].id, category="rules", explanation="Unsachlich",
                          reporter_id=user.id, reporter_name=name, reporter_email=email,
                          good_faith=True))
    db.session.add(Report(post_id=theirs.posts[0].id, category="spam", explanation="Werbung",
                          reporter_name=guest_name, reporter_email=email, good_faith=True,
                          state=ReportState.DISMISSED))
    decision = Decision(action=DecisionAction.HIDE, post_id=answer.id, thread_id=theirs.id,
                        author_id=user.id, moderator_id=answered_by.id, ground="Regel 2",
                        facts="Der Beitrag war unsachlich.")
    db.session.add(decision)
    db.session.flush()
    db.session.add(Appeal(decision_id=decision.id, text="Ich widerspreche.", contact_email=email,
                          state=AppealState.REJECTED, answer="Bleibt so.", decided_at=utcnow()))
    db.session.add(ModerationNote(item_kind="post", item_id=answer.id, author_id=user.id,
                                  body=f"Notiz von {name}"))
    db.session.add(QueueClaim(item_kind="post", item_id=answer.id + 10_000 * (other is None),
                              moderator_id=user.id))
    db.session.add(BarrierReport(description="Kontrast zu schwach", contact_name=name,
                                 contact_email=email.upper()))
    db.session.add(ProjectUpdate(project_id=project.id, author_id=user.id, title="Neu",
                                 slug="neu", body_source="Neuigkeit", body_html="<p>N</p>"))
    # a practice example of the project naming the person as its contact
    db.session.add(ProjectUpdate(
        project_id=project.id, title="Beispiel", slug="beispiel", kind=UpdateKind.PRACTICE,
        body_source="So", body_html="<p>So</p>", practice=PracticeExample(
            setting_source="Hier", setting_html="<p>Hier</p>", outcome_source="Gut",
            outcome_html="<p>Gut</p>", lessons_source="Alles", lessons_html="<p>Alles</p>",
            contact_id=user.id)))
    verification = user.verifications[0]
    verification.evidence = f"Urkunde von {name}"
    audit.record(None, AuditAction.EXPERT_VERIFY, verification, f"{name}: alle Themen")
    audit.record(user, AuditAction.EXPERT_PROFILE, user, name, {"profile_public": [False, True]})
    audit.record(None, AuditAction.USER_ROLE, user, name, {"site_role": ["user", "moderator"]})
    audit.record(None, AuditAction.PROJECT_MEMBER, project, project.name,
                 {"member": [None, f"{name} (member)"]})
    audit.record(twin, AuditAction.GUEST_WITHDRAW, guest_thread, guest_thread.title)
    sessions = privacy.table("login_sessions")
    if sessions is not None:
        db.session.execute(sessions.insert().values(user_id=user.id, token_hash=f"h{user.id}",
                                                    created_at=utcnow(), last_used_at=utcnow()))
    tokens.create(user, f"Schlüssel von {name}", ["read"])  # its name and the audit entry
    db.session.commit()
    return user, alone


def _draft(name):
    draft = Draft(key=f"entwurf-{name[:5]}", path="/fragen/neu",
                  fields={"title": f"Entwurf von {name}"})
    db.session.add(draft)
    db.session.commit()
    return draft.key


def _hits(*needles: str) -> list[str]:
    """Every text column of every table whose value contains one of the needles."""
    spellings = {s.lower() for n in needles for s in (n, json.dumps(n)[1:-1])}
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, TEXT_TYPES) or isinstance(column.type, sa.Enum):
                continue
            text = sa.func.lower(sa.cast(column, sa.Text))
            for needle in spellings:
                count = db.session.scalar(sa.select(sa.func.count()).select_from(table)
                                          .where(text.contains(needle)))
                if count:
                    found.append(f"{table.name}.{column.name}: {needle}")
    return found


@pytest.fixture
def people(app):
    project = make_project()
    other, _ = _fill(OTHER_NAME, OTHER_EMAIL, "Bernd als Gast", project)
    user, alone = _fill(NAME, EMAIL, GUEST_NAME, project, other=other)
    counters.recount()  # the rows above were added directly, beside the services' counters
    return user, other, alone, _draft(NAME), _draft(OTHER_NAME)


def test_export_every_registry_entry_and_nobody_else(people):
    user, _other, _alone, draft_key, _ = people
    data = privacy.export_user(user, draft_key=draft_key)
    tables = data["tabellen"]
    empty = [entry.table for entry in REGISTRY
             if privacy.table(entry.table) is not None and not tables[entry.table]["zeilen"]]
    assert set(tables) == {entry.table for entry in REGISTRY}
    assert empty == []
    text = json.dumps(data, ensure_ascii=False)
    assert NAME in text and EMAIL in text and GUEST_NAME in text
    for needle in (OTHER_NAME, OTHER_EMAIL, "Bernd als Gast", "Bernd"):
        assert needle.lower() not in text.lower()
    assert "password_hash" not in text and "moderator_id" not in text


@pytest.mark.parametrize("mode", list(DeletionMode))
def test_delete_then_retention_leave_no_trace(people, mode):
    user, other, alone, draft_key, _ = people
    assert _hits(NAME, EMAIL, GUEST_NAME)
    privacy.delete_user(user, user, mode, draft_key=draft_key)
    retention.purge(now=utcnow())
    assert _hits(NAME, EMAIL, GUEST_NAME) == []
    # the other person is untouched, and every counter still holds
    assert _hits(OTHER_NAME, OTHER_EMAIL)
    assert db.session.get(User, other.id) is not None
    assert counters.check() == []
    # decisions stay (DSA), without the person
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)
                             .where(Decision.facts == "Der Beitrag war unsachlich.")) == 2
    entry = db.session.scalars(sa.select(privacy.AuditEntry).where(
        privacy.AuditEntry.action == AuditAction.USER_DELETE)).one()
    assert entry.actor_id is None and entry.summary == "" and entry.changes["mode"] == mode


def test_delete_remove_keeps_answered_thread_with_placeholder(people):
    user, _other, alone, draft_key, _ = people
    asked = db.session.scalar(sa.select(Thread).where(Thread.title == "Wie planen Teams "
                                                                      "Schichten?",
                                                      Thread.author_id == user.id))
    alone_id, asked_id = alone.id, asked.id
    privacy.delete_user(None, user, DeletionMode.REMOVE)
    db.session.expire_all()
    assert db.session.get(Thread, alone_id) is None
    kept = db.session.get(Thread, asked_id)
    question = kept.posts[0]
    assert (question.state, question.body_source, question.author_id) == (
        PostState.REMOVED, "", None)
    assert len(kept.posts) == 2 and kept.state == ThreadState.OPEN


def test_delete_anonymise_keeps_posts_without_author(people):
    user, _other, alone, _draft_key, _ = people
    post_ids = list(db.session.scalars(sa.select(Post.id).where(Post.author_id == user.id)))
    alone_id = alone.id
    privacy.delete_user(None, user, DeletionMode.ANONYMISE)
    db.session.expire_all()
    posts = [db.session.get(Post, i) for i in post_ids]
    assert all(p is not None and p.author_id is None for p in posts)
    assert db.session.get(Thread, alone_id).author_id is None


def test_removed_question_shows_placeholder(people, client):
    user, _other, _alone, _draft_key, _ = people
    asked = db.session.scalar(sa.select(Thread).where(Thread.author_id == user.id,
                                                      Thread.title == "Wie planen Teams "
                                                                     "Schichten?"))
    privacy.delete_user(None, user, DeletionMode.REMOVE)
    page = client.get(f"/fragen/{asked.id}-{asked.slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Diese Frage wurde von ihrer Verfasserin oder ihrem Verfasser gelöscht." in html
    assert "Gelöschtes Konto" in html


def test_retention_outbox_reporters_unconfirmed(app):
    now = utcnow()
    old = now - timedelta(days=400)
    stale = make_user(confirmed=False, email="nie@example.org", display_name="Nie Bestaetigt")
    stale.created_at = old
    stale_id = stale.id
    db.session.add_all([
        OutboxMail(recipient="a@example.org", subject="s", template="t", sent_at=old),
        OutboxMail(recipient="b@example.org", subject="s", template="t", failed_at=old),
        OutboxMail(recipient="c@example.org", subject="s", template="t", sent_at=now),
        OutboxMail(recipient="nie@example.org", subject="Bestätigen", template="confirm"),
    ])
    db.session.commit()
    done = retention.purge(now=now)
    assert done["outbox"] == 2 and done["accounts"] == 1
    assert set(db.session.scalars(sa.select(OutboxMail.recipient))) == {"c@example.org"}
    assert db.session.get(User, stale_id) is None


def test_retention_ends_expired_claims_and_notes_whose_item_is_gone(app):
    now = utcnow()
    moderator = make_user(display_name="Moderation")
    thread = make_thread(make_project().board, moderator)
    post_id = thread.posts[0].id
    db.session.add_all([
        QueueClaim(item_kind="post", item_id=post_id, moderator_id=moderator.id,
                   claimed_at=now - timedelta(minutes=31)),
        QueueClaim(item_kind="appeal", item_id=1, moderator_id=moderator.id, claimed_at=now),
        ModerationNote(item_kind="post", item_id=post_id, author_id=moderator.id, body="bleibt"),
        ModerationNote(item_kind="post", item_id=post_id + 999, author_id=moderator.id,
                       body="Beitrag gelöscht"),
        ModerationNote(item_kind="account", item_id=moderator.id + 999,
                       author_id=moderator.id, body="Konto gelöscht"),
    ])
    db.session.commit()
    done = retention.purge(now=now)
    assert done["moderation"] == 3
    assert list(db.session.scalars(sa.select(ModerationNote.body))) == ["bleibt"]
    assert list(db.session.scalars(sa.select(QueueClaim.item_kind))) == ["appeal"]


def test_cli_export_and_delete_user(people, runner, tmp_path):
    user, *_ = people
    target = tmp_path / "auskunft.json"
    result = runner.invoke(args=["forum", "export-user", EMAIL.upper(), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["person"]["email"] == [EMAIL.upper(), EMAIL]
    refused = runner.invoke(args=["forum", "delete-user", EMAIL, "--yes"])
    assert refused.exit_code != 0
    result = runner.invoke(args=["forum", "delete-user", EMAIL, "--anonymise", "--yes"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["forum", "export-user", EMAIL]).exit_code != 0
    assert runner.invoke(args=["forum", "purge"]).exit_code == 0
    assert runner.invoke(args=["forum", "purge-guests"]).exit_code == 0
