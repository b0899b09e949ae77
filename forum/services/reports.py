"""Notices about posts (Meldungen) and appeals (Beschwerden) against decisions."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound

from .. import permissions
from ..extensions import db
from ..models import (
    ACCOUNT_MEASURES,
    Appeal,
    AppealState,
    Board,
    Decision,
    DecisionAction,
    GroundKind,
    Post,
    PostState,
    ProjectUpdate,
    Report,
    ReportCategory,
    ReportState,
    Thread,
    User,
    utcnow,
)
from . import (
    AlreadyHandled,
    InputErrors,
    Mail,
    Outcome,
    ServiceError,
    answers,
    decisions,
    measures,
    moderation_updates,
    once,
    outbox,
    rows_changed,
    statements,
)
from .identities import normalise_email


def post_to_report(user, post_id: int) -> Post:
    """A published post in a thread the user may see, with thread, board and project; any
    other id is a 404, whether it exists or not."""
    visible = select(Thread.id).where(permissions.visible_threads(user))
    post = db.session.scalar(
        select(Post).where(Post.id == post_id, Post.thread_id.in_(visible),
                           Post.state == PostState.PUBLISHED)
        .options(joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.project)))
    if post is None:
        raise NotFound()
    permissions.check("post.report", user, post)
    return post


def update_to_report(user, update_id: int) -> ProjectUpdate:
    """A public project update; any other id is a 404."""
    found = db.session.scalar(select(ProjectUpdate).where(ProjectUpdate.id == update_id)
                              .options(joinedload(ProjectUpdate.project)))
    if found is None or not found.is_public:
        raise NotFound()
    permissions.check("update.report", user, found)
    return found


def report_problems(*, category: ReportCategory | None, ground: str, explanation: str,
                    name: str, email: str, concerns_child_abuse: bool,
                    good_faith: bool) -> list[ServiceError]:
    """Everything to fix in a report, all at once (not one message per sending). `name` and
    `email` are what the report will carry (an account's own when logged in)."""
    problems = []
    if category in (ReportCategory.ILLEGAL, ReportCategory.RULES) and not ground.strip():
        problems.append(ServiceError(
            _l("Bitte nennen Sie das Gesetz oder die Dialogregel, gegen die der Beitrag "
               "verstößt."), field="ground"))
    if not explanation.strip():
        problems.append(ServiceError(_l("Bitte erklären Sie, warum Sie den Beitrag melden."),
                                     field="explanation"))
    if category == ReportCategory.ILLEGAL and not concerns_child_abuse:
        if not name.strip():
            problems.append(ServiceError(
                _l("Bei rechtswidrigen Inhalten brauchen wir Ihren Namen."), field="name"))
        if not email:
            problems.append(ServiceError(_l("Bei rechtswidrigen Inhalten brauchen wir Ihre "
                                            "E-Mail-Adresse."), field="email"))
    if not good_faith:
        problems.append(ServiceError(_l("Bitte bestätigen Sie, dass Ihre Angaben nach bestem "
                                        "Wissen richtig und vollständig sind."),
                                     field="good_faith"))
    return problems


def file_report(user, post: Post | ProjectUpdate, *, category: ReportCategory, ground: str,
                explanation: str,
                name: str, email: str, concerns_child_abuse: bool, good_faith: bool,
                concerns_threat: bool = False, locale: str | None = None,
                once_key: str | None = None) -> tuple[Report, list[Mail]]:
    """Record a report (once per form: see services.once); reports of the same post are
    grouped in the queue."""
    about_update = isinstance(post, ProjectUpdate)
    permissions.check("update.report" if about_update else "post.report", user, post)
    key = once.begin(once_key, user, "report")
    if user.is_authenticated:
        name, email = name or user.display_name, email or user.email
    email = normalise_email(email)
    problems = report_problems(category=category, ground=ground, explanation=explanation,
                               name=name, email=email,
                               concerns_child_abuse=concerns_child_abuse, good_faith=good_faith)
    if problems:
        raise InputErrors(problems)
    report = Report(
        post_id=None if about_update else post.id,
        update_id=post.id if about_update else None, category=category, ground=ground.strip(),
        explanation=explanation.strip(), reporter_id=user.id if user.is_authenticated else None,
        reporter_name=name.strip(), reporter_email=email,
        concerns_child_abuse=concerns_child_abuse, concerns_threat=bool(concerns_threat),
        good_faith=good_faith, created_at=utcnow(),
        locale=locale,
    )
    db.session.add(report)
    mails = []
    if email:
        mails.append(Mail(to=email, template="report_received", locale=locale,
                          subject=_l("Ihre Meldung ist eingegangen"),
                          context={"report": report}))
        outbox.enqueue(mails[0])
    once.commit(key, report)
    return report, mails


def reversal_of(decision: Decision) -> Decision | None:
    return statements.reversal_of(decision)


def can_appeal(decision: Decision, report: Report | None) -> bool:
    """Authors appeal restrictions within the period; reporters appeal 'no action'; nobody
    appeals a decision that was already reversed."""
    if report is not None:
        allowed = decision.action == DecisionAction.DISMISS and bool(report.reporter_email)
    else:
        allowed = decision.restricts and decision.appeal_until is not None and (
            utcnow() <= decision.appeal_until)
    return (allowed and existing_appeal(decision, report) is None
            and statements.reversal_of(decision) is None)


def existing_appeal(decision: Decision, report: Report | None) -> Appeal | None:
    """The appeal this person already filed against the decision (one each)."""
    same_person = Appeal.report_id == report.id if report else Appeal.report_id.is_(None)
    return db.session.scalar(select(Appeal).where(Appeal.decision_id == decision.id,
                                                  same_person))


def file_appeal(decision: Decision, report: Report | None, text: str,
                locale: str | None = None, once_key: str | None = None) -> Appeal:
    """An appeal from the statement page; whoever holds the signed link may file it."""
    key = once.begin(once_key, None, "appeal")
    if not text.strip():
        raise ServiceError(_l("Bitte begründen Sie Ihre Beschwerde."), field="text")
    if not can_appeal(decision, report):
        raise ServiceError(_l("Gegen diese Entscheidung ist keine Beschwerde (mehr) möglich "
                              "oder Ihre Beschwerde liegt bereits vor."))
    if report is not None:
        email = report.reporter_email
    else:
        author = db.session.get(User, decision.author_id) if decision.author_id else None
        email = author.email if author else ""
    appeal = Appeal(decision_id=decision.id, by_reporter=report is not None,
                    report_id=report.id if report else None, text=text.strip(),
                    contact_email=email, locale=locale, created_at=utcnow())
    db.session.add(appeal)
    if email:
        outbox.enqueue(Mail(to=email, template="appeal_received", locale=locale,
                            subject=_l("Ihre Beschwerde ist eingegangen"),
                            context={"appeal": appeal, "decision": decision}))
    once.commit(key, appeal)
    return appeal


def decide_appeal(moderator: User, appeal: Appeal, *, upheld: bool, answer: str,
                  ground_kind=None, ground: str = "", facts: str = "") -> Outcome:
    """A second moderator answers. Upheld author appeals restore at once; an upheld reporter
    appeal hides the post (with grounds, and a statement to its author)."""
    permissions.check("appeal.decide", moderator, appeal)
    if not answer.strip():
        raise ServiceError(_l("Bitte begründen Sie Ihre Entscheidung."), field="answer")
    decision = appeal.decision
    if upheld and appeal.by_reporter:
        decisions.require_grounds(ground_kind, ground, facts)
    result = db.session.execute(
        update(Appeal).where(Appeal.id == appeal.id, Appeal.state == AppealState.OPEN).values(
            state=AppealState.UPHELD if upheld else AppealState.REJECTED,
            answer=answer.strip(), decided_by_id=moderator.id, decided_at=utcnow())
    )
    if rows_changed(result) != 1:
        db.session.rollback()
        raise AlreadyHandled(decisions.ALREADY)
    mails: list[Mail] = []
    if upheld:
        mails += _carry_out(moderator, appeal, decision, ground_kind, ground, facts)
    verdict = decisions.record_decision(
        moderator, DecisionAction.APPEAL_UPHELD if upheld else DecisionAction.APPEAL_REJECTED,
        post=decision.post, thread=decision.thread, update=decision.update,
        facts=answer.strip(), author_id=decision.author_id,
        detail=f"appeal {appeal.id} against decision {decision.id}")
    db.session.execute(update(Appeal).where(Appeal.id == appeal.id)
                       .values(verdict_id=verdict.id))
    if appeal.contact_email:
        mails.append(Mail(to=appeal.contact_email, template="appeal_answer",
                          locale=appeal.locale, subject=_l("Antwort auf Ihre Beschwerde"),
                          context={"appeal": appeal, "upheld": upheld,
                                   "answer": answer.strip()}))
    return decisions.finish(verdict, mails)


def _carry_out(moderator, appeal, decision, ground_kind, ground, facts) -> list[Mail]:
    post, thread = decision.post, decision.thread
    if appeal.by_reporter and decision.update is not None:
        return moderation_updates.hide_for_appeal(
            moderator, decision.update, ground_kind=GroundKind(ground_kind), ground=ground,
            facts=facts)
    if appeal.by_reporter:
        if post is None or post.state != PostState.PUBLISHED:
            return []
        decisions.take(post, None)
        decisions.claim(Post, post.id, Post.state, (PostState.PUBLISHED,),
                        state=PostState.HIDDEN)
        decisions.count_published(post, -1)
        answers.clear_if_accepted(post)
        later_reports = decisions.open_reports(post)
        hidden = decisions.record_decision(
            moderator, DecisionAction.HIDE, post=post, reports=later_reports,
            ground_kind=GroundKind(ground_kind), ground=ground.strip(), facts=facts.strip())
        mails = decisions.author_mail(hidden, "statement",
                                      _l("Begründung: Ihr Beitrag wurde ausgeblendet"))
        return mails + decisions.settle_reports(later_reports, hidden, ReportState.ACTIONED)
    if decision.update is not None:
        moderation_updates.show_for_appeal(decision.update)
    elif decision.action in ACCOUNT_MEASURES:
        measures.lift_for_appeal(decision)
    elif decision.action == DecisionAction.LOCK and thread is not None and thread.locked:
        decisions.claim(type(thread), thread.id, type(thread).locked, (True,), locked=False)
    elif decision.action in (DecisionAction.EDIT, DecisionAction.EDIT_APPROVE) and post:
        decisions.take(post, None)
        decisions.undo_edit(moderator, post, decision)
    elif post is not None and post.state in (PostState.REJECTED, PostState.HIDDEN):
        decisions.take(post, None)
        decisions.republish(post)
    return []
