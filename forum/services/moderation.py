"""Moderation actions as small verb-named functions.

Every state change starts with a conditional UPDATE on the expected state, so that of two
moderators acting at once exactly one wins; the other gets AlreadyHandled and nothing of
theirs is written. Counters follow what is published, in the same transaction."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from .. import permissions
from ..extensions import db
from ..markup import render_markdown
from ..models import (
    PUBLIC_THREAD_STATES,
    RESTRICTING,
    Board,
    Decision,
    DecisionAction,
    GroundKind,
    Post,
    PostKind,
    PostRevision,
    PostState,
    RejectionReason,
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
    answers,
    counters,
    notifications,
    outbox,
    rows_changed,
    statements,
)

ALREADY = _l("Dieser Eintrag wurde bereits bearbeitet. Die Ansicht ist jetzt aktuell.")


# --- building blocks --------------------------------------------------------------------
# Public, because reports.decide_appeal carries out upheld appeals with them. None of them
# checks the rulebook or commits: the action that calls them does both.

def claim(model, obj_id: int, column, expected: tuple, **values) -> None:
    """The first write of every action: change the row only if it is still as expected."""
    result = db.session.execute(
        update(model).where(model.id == obj_id, column.in_(expected)).values(**values)
    )
    if rows_changed(result) != 1:
        db.session.rollback()
        raise AlreadyHandled(ALREADY)


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


def open_reports(post: Post) -> list[Report]:
    """The post's reports still waiting for a decision, oldest first."""
    query = select(Report).where(Report.post_id == post.id, Report.state == ReportState.OPEN)
    return list(db.session.scalars(query.order_by(Report.created_at)))


def record_decision(moderator: User, action: DecisionAction, *, post: Post | None = None,
                    thread: Thread | None = None, reports=(), **fields) -> Decision:
    """The decision a moderator's action leaves behind (flushed, so it has its id)."""
    now = utcnow()
    thread = thread or (post.thread if post is not None else None)
    subject = post or thread
    first_seen = min([r.created_at for r in reports], default=None) or (
        subject.created_at if subject is not None else now)
    decision = Decision(
        moderator_id=moderator.id, action=action, post_id=post.id if post else None,
        thread_id=thread.id if thread else None, board_id=thread.board_id if thread else None,
        author_id=(subject.author_id if subject is not None else None),
        from_report=bool(reports), automated=False, subject_created_at=first_seen,
        created_at=now,
        appeal_until=now + statements.APPEAL_PERIOD if action in RESTRICTING else None,
        **fields,
    )
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


def _publish(post: Post, from_states: tuple) -> None:
    claim(Post, post.id, Post.state, from_states, state=PostState.PUBLISHED)
    count_published(post, +1)
    notifications.notify_published(post)
    count_approved(post.author_id)


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


# --- pending posts ----------------------------------------------------------------------

def approve_post(moderator: User, post: Post, *, body: str | None = None) -> Outcome:
    """Approve a pending post; with `body`, edit it first (the old text kept as a revision)."""
    permissions.check("post.moderate", moderator, post)
    if body is not None and not body.strip():
        raise ServiceError(_l("Bitte geben Sie einen Text ein."), field="body")
    _publish(post, (PostState.PENDING,))
    action = DecisionAction.APPROVE
    if body is not None and body.strip() != post.body_source:
        post.revisions.append(PostRevision(editor_id=moderator.id, body_source=post.body_source,
                                           created_at=utcnow()))
        post.body_source = body.strip()
        post.body_html = render_markdown(post.body_source)
        post.edited_at = utcnow()
        action = DecisionAction.EDIT_APPROVE
    decision = record_decision(moderator, action, post=post)
    mails = author_mail(decision, "approved", _l("Ihr Beitrag ist freigegeben"))
    return finish(decision, mails)


def reject_post(moderator: User, post: Post, *, reason: RejectionReason | None,
                facts: str) -> Outcome:
    permissions.check("post.moderate", moderator, post)
    if reason is None or not reason.active:
        raise ServiceError(_l("Bitte wählen Sie einen Grund aus der Liste."), field="reason")
    require_grounds(reason.ground_kind, reason.ground, facts)
    claim(Post, post.id, Post.state, (PostState.PENDING,), state=PostState.REJECTED)
    if post.kind == PostKind.QUESTION:
        db.session.execute(update(Thread).where(Thread.id == post.thread_id)
                           .values(state=ThreadState.HIDDEN))
    decision = record_decision(moderator, DecisionAction.REJECT, post=post, reason_id=reason.id,
                               ground_kind=reason.ground_kind, ground=reason.ground,
                               facts=facts.strip())
    mails = author_mail(decision, "statement", _l("Begründung: Ihr Beitrag wurde abgelehnt"))
    return finish(decision, mails)


# --- published posts --------------------------------------------------------------------

def hide_post(moderator: User, post: Post, *, ground_kind, ground: str, facts: str) -> Outcome:
    permissions.check("post.moderate", moderator, post)
    require_grounds(ground_kind, ground, facts)
    reports = open_reports(post)
    claim(Post, post.id, Post.state, (PostState.PUBLISHED,), state=PostState.HIDDEN)
    count_published(post, -1)
    answers.clear_if_accepted(post)
    decision = record_decision(moderator, DecisionAction.HIDE, post=post, reports=reports,
                               ground_kind=ground_kind, ground=ground.strip(),
                               facts=facts.strip())
    mails = author_mail(decision, "statement", _l("Begründung: Ihr Beitrag wurde ausgeblendet"))
    mails += settle_reports(reports, decision, ReportState.ACTIONED)
    return finish(decision, mails)


def restore_post(moderator: User, post: Post, *, note: str = "") -> Outcome:
    """Undo a rejection or hiding: the post is published again."""
    permissions.check("post.moderate", moderator, post)
    republish(post)
    decision = record_decision(moderator, DecisionAction.RESTORE, post=post, facts=note.strip())
    mails = author_mail(decision, "restored", _l("Ihr Beitrag ist wieder sichtbar"))
    return finish(decision, mails)


def republish(post: Post) -> None:
    """A rejected or hidden post is public again (restore_post's change, without the
    decision: the caller records one)."""
    was_rejected = post.state == PostState.REJECTED
    claim(Post, post.id, Post.state, (PostState.REJECTED, PostState.HIDDEN),
          state=PostState.PUBLISHED)
    count_published(post, +1)
    if was_rejected:
        count_approved(post.author_id)


def dismiss_reports(moderator: User, post: Post, *, facts: str) -> Outcome:
    """The reports of a post were checked and lead to no action."""
    permissions.check("post.moderate", moderator, post)
    if not facts.strip():
        raise ServiceError(_l("Bitte begründen Sie kurz, warum nichts zu tun ist."),
                           field="facts")
    reports = open_reports(post)
    if not reports:
        raise AlreadyHandled(ALREADY)
    decision = record_decision(moderator, DecisionAction.DISMISS, post=post, reports=reports,
                               facts=facts.strip())
    mails = settle_reports(reports, decision, ReportState.DISMISSED)
    return finish(decision, mails)


# --- threads ----------------------------------------------------------------------------

def lock_thread(moderator: User, thread: Thread, *, ground_kind, ground: str,
                facts: str) -> Outcome:
    permissions.check("thread.moderate", moderator, thread)
    require_grounds(ground_kind, ground, facts)
    claim(Thread, thread.id, Thread.locked, (False,), locked=True)
    decision = record_decision(moderator, DecisionAction.LOCK, thread=thread,
                               ground_kind=ground_kind, ground=ground.strip(),
                               facts=facts.strip())
    mails = author_mail(decision, "statement", _l("Begründung: Ihr Thema wurde geschlossen"))
    return finish(decision, mails)


def unlock_thread(moderator: User, thread: Thread) -> Outcome:
    permissions.check("thread.moderate", moderator, thread)
    claim(Thread, thread.id, Thread.locked, (True,), locked=False)
    decision = record_decision(moderator, DecisionAction.UNLOCK, thread=thread)
    return finish(decision, [])


def move_thread(moderator: User, thread: Thread, board: Board) -> Outcome:
    permissions.check("thread.moderate", moderator, thread)
    if not permissions.moderates_board(moderator, board):
        raise ServiceError(_l("Dorthin dürfen Sie nicht verschieben."), field="board")
    if board.id == thread.board_id:
        raise ServiceError(_l("Das Thema ist bereits dort."), field="board")
    old_board_id = thread.board_id
    claim(Thread, thread.id, Thread.board_id, (old_board_id,), board_id=board.id)
    if thread.state in PUBLIC_THREAD_STATES:
        db.session.execute(update(Board).where(Board.id == old_board_id)
                           .values(thread_count=Board.thread_count - 1))
        db.session.execute(update(Board).where(Board.id == board.id)
                           .values(thread_count=Board.thread_count + 1))
    decision = record_decision(moderator, DecisionAction.MOVE, thread=thread,
                               detail=f"board {old_board_id} -> {board.id}")
    return finish(decision, [])


def merge_threads(moderator: User, source: Thread, target: Thread) -> Outcome:
    """Move every post of `source` into `target`; the source's address then leads there."""
    permissions.check("thread.moderate", moderator, source)
    permissions.check("thread.moderate", moderator, target)
    if source.id == target.id or target.state not in (
            ThreadState.PENDING, ThreadState.OPEN, ThreadState.ANSWERED, ThreadState.HIDDEN):
        raise ServiceError(_l("Bitte wählen Sie ein anderes, bestehendes Thema."),
                           field="target")
    was_listed = source.state in (ThreadState.OPEN, ThreadState.ANSWERED)
    claim(Thread, source.id, Thread.state,
          (ThreadState.OPEN, ThreadState.ANSWERED, ThreadState.PENDING, ThreadState.HIDDEN),
          state=ThreadState.MERGED, merged_into_id=target.id, accepted_post_id=None)
    published = {PostKind.ANSWER: 0, "replies": 0}
    for post in source.posts:
        if post.kind == PostKind.QUESTION:
            post.kind = PostKind.FOLLOWUP
            post.merged_from_title = source.title
        if post.state == PostState.PUBLISHED:
            published["replies"] += 1
            published[PostKind.ANSWER] += post.kind == PostKind.ANSWER
        post.thread_id = target.id
    db.session.execute(
        update(Thread).where(Thread.id == target.id).values(
            reply_count=Thread.reply_count + published["replies"],
            answer_count=Thread.answer_count + published[PostKind.ANSWER],
        )
    )
    counters.advance_activity(Thread, target.id, utcnow())
    if was_listed:
        db.session.execute(update(Board).where(Board.id == source.board_id)
                           .values(thread_count=Board.thread_count - 1))
    decision = record_decision(moderator, DecisionAction.MERGE, thread=source,
                               detail=f"thread {source.id} -> {target.id}")
    return finish(decision, [])
