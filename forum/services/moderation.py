"""Moderation decisions on posts and threads, as small verb-named functions.

Each decision on a post takes the post first (`decisions.take`, from the version the
moderator's page showed), then changes state only from the expected state (`decisions.claim`),
so that of two moderators acting at once, or one acting on an older view, exactly one wins;
the other gets AlreadyHandled with what was decided and nothing of theirs is written.
Counters follow what is published, in the same transaction."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from .. import permissions
from ..extensions import db
from ..models import (
    PUBLIC_THREAD_STATES,
    Board,
    Decision,
    DecisionAction,
    GroundKind,
    Post,
    PostKind,
    PostState,
    RejectionReason,
    ReportState,
    Thread,
    ThreadState,
    User,
    utcnow,
)
from . import AlreadyHandled, Mail, Outcome, ServiceError, answers, counters, notifications
from .decisions import (
    ALREADY,
    author_mail,
    change_text,
    claim,
    count_approved,
    count_published,
    finish,
    open_reports,
    record_decision,
    reporter_mails_on_restore,
    republish,
    require_grounds,
    settle_reports,
    take,
)

__all__ = ["ALREADY", "count_approved", "return_to_review"]


def _publish(post: Post, from_states: tuple) -> None:
    claim(Post, post.id, Post.state, from_states, state=PostState.PUBLISHED)
    count_published(post, +1)
    notifications.notify_published(post)
    count_approved(post.author_id)


def return_to_review(post: Post) -> None:
    """An edit by an author whose posts need approval puts the post back in the queue (part
    of the edit's transaction; no decision is recorded, nothing is mailed)."""
    claim(Post, post.id, Post.state, (PostState.PUBLISHED,), state=PostState.PENDING)
    count_published(post, -1, leaving=ThreadState.PENDING)


def grounds_from(reason: RejectionReason | None, ground_kind, ground: str) -> tuple:
    """A catalogue entry ("Textbaustein") fills in the ground; without one the moderator
    names it."""
    if reason is not None:
        if not reason.active:
            raise ServiceError(_l("Bitte wählen Sie einen Grund aus der Liste."), field="reason")
        return reason.ground_kind, reason.ground, reason.id
    return ground_kind, ground, None


# --- pending posts ----------------------------------------------------------------------

def approve_post(moderator: User, post: Post, *, body: str | None = None, reason: str = "",
                 seen: int | None = None) -> Outcome:
    """Approve a pending post. With a changed `body` it is edited first: a decision of its
    own (EDIT_APPROVE) that needs a reason, keeps the old text as a revision and tells the
    author what was changed, before and after."""
    permissions.check("post.moderate", moderator, post)
    if body is not None and not body.strip():
        raise ServiceError(_l("Bitte geben Sie einen Text ein."), field="body")
    edits = body is not None and body.strip() != post.body_source
    if edits and not reason.strip():
        raise ServiceError(_l("Bitte begründen Sie die Änderung; die Person, die den Beitrag "
                              "geschrieben hat, erhält die Begründung."), field="reason")
    take(post, seen)
    _publish(post, (PostState.PENDING,))
    if not edits or body is None:
        decision = record_decision(moderator, DecisionAction.APPROVE, post=post)
        return finish(decision, author_mail(decision, "approved",
                                            _l("Ihr Beitrag ist freigegeben")))
    before, after = change_text(moderator, post, body) or ("", "")
    decision = record_decision(moderator, DecisionAction.EDIT_APPROVE, post=post,
                               facts=reason.strip(), changed_from=before, changed_to=after)
    return finish(decision, author_mail(decision, "approved",
                                        _l("Ihr Beitrag ist bearbeitet und freigegeben")))


def edit_post(moderator: User, post: Post, *, body: str, reason: str, title: str | None = None,
              seen: int | None = None) -> Outcome:
    """A moderator changes somebody else's published post (and a question's title): a
    decision with a reason, logged, and a statement to the author with the text before and
    after (appealable)."""
    permissions.check("post.moderate", moderator, post)
    if not body.strip():
        raise ServiceError(_l("Bitte geben Sie einen Text ein."), field="body")
    old_title = post.thread.title
    new_title = title.strip() if title is not None and post.kind == PostKind.QUESTION else None
    if new_title is not None and not new_title:
        raise ServiceError(_l("Bitte geben Sie einen Titel ein."), field="title")
    if not reason.strip():
        raise ServiceError(_l("Bitte begründen Sie die Änderung; die Person, die den Beitrag "
                              "geschrieben hat, erhält die Begründung."), field="reason")
    retitled = new_title is not None and new_title != old_title
    if body.strip() == post.body_source and not retitled:
        raise ServiceError(_l("Der Text ist unverändert."), field="body")
    take(post, seen)
    reports = open_reports(post, moderator)
    claim(Post, post.id, Post.state, (PostState.PUBLISHED,), state=PostState.PUBLISHED)
    before, after = change_text(moderator, post, body, title=new_title) or (
        post.body_source, post.body_source)
    if retitled:
        before, after = f"{old_title}\n\n{before}", f"{new_title}\n\n{after}"
    decision = record_decision(moderator, DecisionAction.EDIT, post=post, reports=reports,
                               ground_kind=GroundKind.RULE, facts=reason.strip(),
                               changed_from=before, changed_to=after)
    mails = author_mail(decision, "statement", _l("Begründung: Ihr Beitrag wurde bearbeitet"))
    mails += settle_reports(reports, decision, ReportState.ACTIONED)
    return finish(decision, mails)


def reject_post(moderator: User, post: Post, *, reason: RejectionReason | None,
                facts: str, seen: int | None = None) -> Outcome:
    permissions.check("post.moderate", moderator, post)
    if reason is None or not reason.active:
        raise ServiceError(_l("Bitte wählen Sie einen Grund aus der Liste."), field="reason")
    require_grounds(reason.ground_kind, reason.ground, facts)
    take(post, seen)
    decision, mails = reject_with(moderator, post, ground_kind=reason.ground_kind,
                                  ground=reason.ground, facts=facts.strip(),
                                  reason_id=reason.id)
    return finish(decision, mails)


def reject_with(moderator: User, post: Post, *, ground_kind, ground: str, facts: str,
                reason_id: int | None) -> tuple[Decision, list[Mail]]:
    """Reject a pending post (part of the caller's transaction): its decision and the
    statement for its author."""
    claim(Post, post.id, Post.state, (PostState.PENDING,), state=PostState.REJECTED)
    if post.kind == PostKind.QUESTION:
        db.session.execute(update(Thread).where(Thread.id == post.thread_id)
                           .values(state=ThreadState.HIDDEN))
    decision = record_decision(moderator, DecisionAction.REJECT, post=post, reason_id=reason_id,
                               ground_kind=ground_kind, ground=ground, facts=facts)
    return decision, author_mail(decision, "statement",
                                 _l("Begründung: Ihr Beitrag wurde abgelehnt"))


def bulk_approve(moderator: User, posts: list[Post]) -> tuple[int, int]:
    """Approve several pending posts, each its own decision and transaction; those another
    moderator decided first are skipped. (done, skipped)"""
    done = 0
    for post in posts:
        try:
            approve_post(moderator, post)
        except AlreadyHandled:
            continue
        done += 1
    return done, len(posts) - done


def bulk_reject(moderator: User, posts: list[Post], *, reason: RejectionReason | None,
                facts: str) -> tuple[int, int]:
    """Reject several pending posts with one reason; each author gets a statement."""
    if reason is None or not reason.active:
        raise ServiceError(_l("Bitte wählen Sie einen Grund aus der Liste."), field="reason")
    require_grounds(reason.ground_kind, reason.ground, facts)
    done = 0
    for post in posts:
        try:
            reject_post(moderator, post, reason=reason, facts=facts)
        except AlreadyHandled:
            continue
        done += 1
    return done, len(posts) - done


# --- published posts --------------------------------------------------------------------

def hide_post(moderator: User, post: Post, *, ground_kind=None, ground: str = "",
              facts: str, reason: RejectionReason | None = None,
              seen: int | None = None) -> Outcome:
    """Hide a published post; the open reports at this moment are settled with it (the
    statement then says the decision followed a notice)."""
    permissions.check("post.moderate", moderator, post)
    ground_kind, ground, reason_id = grounds_from(reason, ground_kind, ground)
    require_grounds(ground_kind, ground, facts)
    take(post, seen)
    reports = open_reports(post, moderator)
    claim(Post, post.id, Post.state, (PostState.PUBLISHED,), state=PostState.HIDDEN)
    count_published(post, -1)
    answers.clear_if_accepted(post)
    decision = record_decision(moderator, DecisionAction.HIDE, post=post, reports=reports,
                               ground_kind=ground_kind, ground=ground.strip(),
                               facts=facts.strip(), reason_id=reason_id)
    mails = author_mail(decision, "statement", _l("Begründung: Ihr Beitrag wurde ausgeblendet"))
    mails += settle_reports(reports, decision, ReportState.ACTIONED)
    return finish(decision, mails)


def restore_post(moderator: User, post: Post, *, note: str = "",
                 seen: int | None = None) -> Outcome:
    """Undo a rejection or hiding: the post is published again; the people whose reports
    led to the hiding learn it too."""
    permissions.check("post.moderate", moderator, post)
    take(post, seen)
    republish(post)
    decision = record_decision(moderator, DecisionAction.RESTORE, post=post, facts=note.strip())
    mails = author_mail(decision, "restored", _l("Ihr Beitrag ist wieder sichtbar"))
    mails += reporter_mails_on_restore(decision)
    return finish(decision, mails)


def dismiss_reports(moderator: User, post: Post, *, facts: str,
                    seen: int | None = None) -> Outcome:
    """The reports of a post were checked and lead to no action."""
    permissions.check("post.moderate", moderator, post)
    if not facts.strip():
        raise ServiceError(_l("Bitte begründen Sie kurz, warum nichts zu tun ist."),
                           field="facts")
    take(post, seen)
    reports = open_reports(post, moderator)
    if not reports:
        raise AlreadyHandled(ALREADY)
    decision = record_decision(moderator, DecisionAction.DISMISS, post=post, reports=reports,
                               facts=facts.strip())
    mails = settle_reports(reports, decision, ReportState.DISMISSED)
    return finish(decision, mails)


# --- threads ----------------------------------------------------------------------------

def lock_thread(moderator: User, thread: Thread, *, ground_kind=None, ground: str = "",
                facts: str, reason: RejectionReason | None = None) -> Outcome:
    permissions.check("thread.moderate", moderator, thread)
    ground_kind, ground, reason_id = grounds_from(reason, ground_kind, ground)
    require_grounds(ground_kind, ground, facts)
    claim(Thread, thread.id, Thread.locked, (False,), locked=True)
    decision = record_decision(moderator, DecisionAction.LOCK, thread=thread,
                               ground_kind=ground_kind, ground=ground.strip(),
                               facts=facts.strip(), reason_id=reason_id)
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
