"""The building blocks of every moderation decision, public for the services that decide
(`moderation` on posts and threads, `reports` on appeals, `measures` on accounts).

None of them checks the rulebook or commits: the action that calls them does both, in one
transaction. An action takes its post first (`take`), changes state only from the expected
state (`claim`), records the decision, settles the open reports with it, and finishes by
queueing its mails and committing (`finish`)."""

from flask_babel import format_datetime, gettext, lazy_gettext as _l
from sqlalchemy import select, update

from .. import permissions
from ..extensions import db
from ..labels import ACTIONS
from ..markup import render_markdown
from ..models import (
    RESTRICTING,
    Board,
    Decision,
    DecisionAction,
    GroundKind,
    Post,
    PostKind,
    PostRevision,
    PostState,
    ProjectUpdate,
    Report,
    ReportState,
    Thread,
    ThreadState,
    User,
    utcnow,
)
from . import (
    AlreadyHandled,
    Mail,
    Outcome,
    ServiceError,
    counters,
    outbox,
    rows_changed,
    statements,
)

ALREADY = _l("Dieser Eintrag wurde bereits bearbeitet. Die Ansicht ist jetzt aktuell.")

def claim(model, obj_id: int, column, expected: tuple, **values) -> None:
    """A write of every action: change the row only if it is still as expected."""
    result = db.session.execute(
        update(model).where(model.id == obj_id, column.in_(expected)).values(**values)
    )
    if rows_changed(result) != 1:
        db.session.rollback()
        raise already_handled(obj_id if model is Post else None)


Subject = Post | ProjectUpdate  # what moderators decide on, besides threads and accounts


def take(subject: Subject, seen_version: int | None) -> None:
    """The first write of every decision on a post or update: raise its decision version,
    but only from the version the moderator's page showed (`seen_version`; None: whatever it
    is now). Of two moderators deciding on one post, or on its open reports, the second
    waits for the first's row lock and then finds another version: they get AlreadyHandled
    with what was decided, and nothing of theirs is written."""
    model = type(subject)
    condition = [model.id == subject.id]
    if seen_version is not None:
        condition.append(model.decision_version == seen_version)
    result = db.session.execute(update(model).where(*condition).values(
        decision_version=model.decision_version + 1))
    if rows_changed(result) != 1:
        subject_id = subject.id
        db.session.rollback()
        raise already_handled(subject_id, by_update=model is ProjectUpdate)


def latest_decision(subject_id: int, by_update: bool = False) -> Decision | None:
    column = Decision.update_id if by_update else Decision.post_id
    return db.session.scalar(select(Decision).where(column == subject_id)
                             .order_by(Decision.id.desc()).limit(1))


def already_handled(subject_id: int | None, by_update: bool = False) -> AlreadyHandled:
    """'bereits bearbeitet', with what was decided on the post (or update) when there is a
    decision."""
    decided = latest_decision(subject_id, by_update) if subject_id is not None else None
    if decided is None:
        return AlreadyHandled(ALREADY)
    who = decided.moderator.display_name if decided.moderator else "–"
    return AlreadyHandled(gettext(
        "Dieser Eintrag wurde bereits bearbeitet: %(action)s am %(when)s (%(who)s). Ihre "
        "Entscheidung wurde nicht gespeichert; die Ansicht ist jetzt aktuell.",
        action=str(ACTIONS[decided.action]), when=format_datetime(decided.created_at, "short"),
        who=who), decision=decided)


def require_grounds(ground_kind, ground: str, facts: str) -> None:
    if ground_kind not in (GroundKind.RULE, GroundKind.LAW):
        raise ServiceError(_l("Bitte wählen Sie, ob eine Dialogregel oder ein Gesetz verletzt "
                              "ist."), field="ground_kind")
    if not ground.strip():
        raise ServiceError(_l("Bitte nennen Sie die Regel oder die Rechtsvorschrift."),
                           field="ground")
    if not facts.strip():
        raise ServiceError(_l("Bitte beschreiben Sie die Tatsachen, auf die Sie die "
                              "Entscheidung stützen."), field="facts")


def open_reports(subject: Subject, moderator: User | None = None) -> list[Report]:
    """The reports of a post (or update) still waiting for a decision, oldest first; with
    `moderator`, only those the moderator handles (some stay open for site moderators)."""
    about = (Report.update_id == subject.id if isinstance(subject, ProjectUpdate)
             else Report.post_id == subject.id)
    query = select(Report).where(about, Report.state == ReportState.OPEN)
    if moderator is not None:
        query = query.where(permissions.handled_reports(moderator))
    return list(db.session.scalars(query.order_by(Report.created_at)))


def record_decision(moderator: User, action: DecisionAction, *, post: Post | None = None,
                    thread: Thread | None = None, update: ProjectUpdate | None = None,
                    reports=(), **fields) -> Decision:
    """The decision a moderator's action leaves behind (flushed, so it has its id). `fields`
    add to or override the columns (an account measure names the account as author_id)."""
    now = utcnow()
    thread = thread or (post.thread if post is not None else None)
    subject: Post | Thread | ProjectUpdate | None = post or thread or update
    first_seen = min([r.created_at for r in reports], default=None) or (
        subject.created_at if subject is not None else now)
    columns = dict(
        moderator_id=moderator.id, action=action, post_id=post.id if post else None,
        thread_id=thread.id if thread else None,
        board_id=thread.board_id if thread else (update.project.board.id if update else None),
        update_id=update.id if update else None,
        author_id=(subject.author_id if subject is not None else None),
        from_report=bool(reports), automated=False, subject_created_at=first_seen,
        created_at=now,
        appeal_until=now + statements.APPEAL_PERIOD if action in RESTRICTING else None,
    )
    decision = Decision(**(columns | fields))
    db.session.add(decision)
    db.session.flush()
    return decision


def settle_reports(reports: list[Report], decision: Decision, state: ReportState) -> list[Mail]:
    """Close the reports with this decision; raises AlreadyHandled when another moderator
    closed them first."""
    mails = []
    settled = 0
    for report in reports:
        result = db.session.execute(
            update(Report).where(Report.id == report.id, Report.state == ReportState.OPEN)
            .values(state=state, decision_id=decision.id)
        )
        settled += rows_changed(result)
        if rows_changed(result) and report.reporter_email:
            mails.append(Mail(
                to=report.reporter_email, template="report_outcome", locale=report.locale,
                subject=_l("Ergebnis Ihrer Meldung an den Fachdialog"),
                context={"decision": decision, "report": report,
                         "token": statements.token_for_reporter(decision, report)},
            ))
    if reports and not settled:
        db.session.rollback()
        raise AlreadyHandled(ALREADY)
    return mails


def author_mail(decision: Decision, template: str, subject) -> list[Mail]:
    """The statement of reasons (or good news) for the author; none for a deleted author."""
    author = db.session.get(User, decision.author_id) if decision.author_id else None
    if author is None:
        return []
    return [Mail(to=author.email, template=template, subject=subject, locale=author.locale,
                 context={"decision": decision, "user": author,
                          "token": statements.token_for_author(decision)})]


def count_published(post: Post, sign: int, leaving: ThreadState = ThreadState.HIDDEN) -> None:
    """Counters and thread state when a post enters (+1) or leaves (-1) the public."""
    now = utcnow()
    thread = post.thread
    if post.kind == PostKind.QUESTION:
        state = ThreadState.OPEN if sign > 0 else leaving
        db.session.execute(update(Thread).where(Thread.id == thread.id).values(state=state))
        db.session.execute(update(Board).where(Board.id == thread.board_id)
                           .values(thread_count=Board.thread_count + sign))
        if sign > 0:
            counters.advance_activity(Board, thread.board_id, now)
        return
    answer = sign if post.kind == PostKind.ANSWER else 0
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(
        reply_count=Thread.reply_count + sign, answer_count=Thread.answer_count + answer))
    if sign > 0:
        counters.advance_activity(Thread, thread.id, now)


def count_approved(user_id: int | None) -> None:
    """One more approved post for the author (pre-moderation ends at the threshold)."""
    if user_id is not None:
        db.session.execute(update(User).where(User.id == user_id)
                           .values(approved_post_count=User.approved_post_count + 1))


def finish(decision: Decision, mails: list[Mail]) -> Outcome:
    """Queue the mails in the decision's transaction, then commit both together."""
    for mail in mails:
        outbox.enqueue(mail)
    db.session.commit()
    return Outcome(decision, mails)


def return_to_review(post: Post) -> None:
    """An edit by an author whose posts need approval puts the post back in the queue (part
    of the edit's transaction; no decision is recorded, nothing is mailed)."""
    claim(Post, post.id, Post.state, (PostState.PUBLISHED,), state=PostState.PENDING)
    count_published(post, -1, leaving=ThreadState.PENDING)


def reporter_mails_on_restore(restored: Decision) -> list[Mail]:
    """A hidden post is public again: whoever reported it, with an address, learns so (the
    reports the hiding settled)."""
    same = (Decision.update_id == restored.update_id if restored.update_id is not None
            else Decision.post_id == restored.post_id)
    hidden = db.session.scalar(
        select(Decision.id).where(same, Decision.action == DecisionAction.HIDE,
                                  Decision.id < restored.id)
        .order_by(Decision.id.desc()).limit(1))
    if hidden is None:
        return []
    reports = db.session.scalars(select(Report).where(Report.decision_id == hidden,
                                                      Report.reporter_email != ""))
    return [Mail(to=report.reporter_email, template="report_restored", locale=report.locale,
                 subject=_l("Ein von Ihnen gemeldeter Beitrag ist wieder sichtbar"),
                 context={"decision": restored, "report": report,
                          "token": statements.token_for_reporter(restored, report)})
            for report in reports]


def change_text(moderator: User, post: Post, body: str,
                title: str | None = None) -> tuple[str, str] | None:
    """Replace the post's text, and with `title` its question's title (the old ones kept as
    a revision); (text before, text after) or None when nothing changed."""
    body = body.strip()
    retitled = title is not None and title != post.thread.title
    if body == post.body_source and not retitled:
        return None
    before = post.body_source
    now = utcnow()
    post.revisions.append(PostRevision(editor_id=moderator.id, body_source=before,
                                       title=post.thread.title if retitled else None,
                                       created_at=now))
    if retitled and title is not None:
        post.thread.title = title
    post.body_source = body
    post.body_html = render_markdown(body)
    post.edited_at = now
    return before, body


def republish(post: Post) -> None:
    """A rejected or hidden post is public again (a restoring decision's change, without the
    decision: the caller records one)."""
    was_rejected = post.state == PostState.REJECTED
    claim(Post, post.id, Post.state, (PostState.REJECTED, PostState.HIDDEN),
          state=PostState.PUBLISHED)
    count_published(post, +1)
    if was_rejected:
        count_approved(post.author_id)


def undo_edit(moderator: User, post: Post, edit: Decision) -> None:
    """An upheld appeal against a moderator's edit brings back the author's words (text and
    title, from the revision the edit left), unless the post was edited again since."""
    if post.edited_at is not None and post.edited_at > edit.created_at:
        return
    revision = db.session.scalar(
        select(PostRevision).where(PostRevision.post_id == post.id,
                                   PostRevision.editor_id == edit.moderator_id,
                                   PostRevision.created_at <= edit.created_at)
        .order_by(PostRevision.id.desc()).limit(1))
    if revision is not None:
        change_text(moderator, post, revision.body_source, title=revision.title)
