"""A seeded set of questions, answers, "same question" marks, decisions, reports and waiting
items with known times, for the operator's statistics (tests/services/test_statistics.py,
tests/views/test_statistics_page.py).

The period is March 2026 in German time; "now" is 15 April 2026, 12:00 UTC. A question at
28 February 23:30 UTC is already 1 March in Berlin (in), one at 31 March 22:30 UTC is already
1 April (out). Project P (tagged with topic field T1) and topic fields T1 and T2 have boards.

The first answers come after 1, 2, 10, -, 130, 3, 6 and 8 hours (questions q1 to q8):
sorted 1, 2, 3, 6, 8, 10, 130: median 6, 90th percentile at position 5.4: 10 + 0.4 * 120 = 58.
Expert answers: q1 after 4 h, q3 after 10 h, q6 after 20 h (the answer after 3 h in q6 is by an
expert verified only from 20 March): median 10, 90th percentile 10 + 0.8 * 10 = 18.
"""

from datetime import UTC, date, datetime, timedelta

from forum.enums import (
    AppealState,
    DecisionAction,
    PostKind,
    PostState,
    ProjectRole,
    ReportCategory,
    ReportState,
    ThreadState,
)
from forum.extensions import db
from forum.models import (
    Appeal,
    Decision,
    ExpertVerification,
    MeToo,
    Post,
    ProjectMember,
    Report,
    Thread,
)
from tests.factories import make_project, make_topic, make_user

FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)
NOW = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def _post(thread, author, kind, when, state=PostState.PUBLISHED) -> Post:
    post = Post(thread_id=thread.id, author_id=author.id if author else None, kind=kind,
                state=state, body_source="Text.", body_html="<p>Text.</p>", created_at=when)
    db.session.add(post)
    return post


def seed() -> dict:
    t1, t2 = make_topic(name="Arbeitszeit"), make_topic(name="Gesundheit")
    project = make_project(topics=[t1], name="Agile Pflege")
    asker, community, other = make_user(), make_user(), make_user()
    moderator = make_user(role="moderator")
    expert = make_user(display_name="Dr. Expertin")
    late_expert = make_user(display_name="Dr. Spät")
    db.session.add_all([
        ExpertVerification(user_id=expert.id, evidence="Test", valid_from=date(2026, 1, 1),
                           valid_until=date(2027, 12, 31)),
        ExpertVerification(user_id=late_expert.id, evidence="Test",
                           valid_from=date(2026, 3, 20), valid_until=date(2027, 12, 31)),
        # revoked before the answers: never counts
        ExpertVerification(user_id=community.id, evidence="Test", valid_from=date(2026, 1, 1),
                           valid_until=date(2027, 12, 31), revoked_at=at(2, 1)),
    ])
    member = make_user(display_name="Team Pflege")
    db.session.add(ProjectMember(project_id=project.id, user_id=member.id,
                                 role=ProjectRole.MEMBER, created_at=at(1, 1)))
    db.session.flush()

    boards = {"P": project.board, "T1": t1.board, "T2": t2.board}
    # name: (asked at, board, state, [(hours after, author, state)])
    A, PUB = PostKind.ANSWER, PostState.PUBLISHED
    questions = {
        "q1": (at(3, 2), "P", ThreadState.OPEN, [(1, community, PUB), (4, expert, PUB)]),
        "q2": (at(3, 3), "P", ThreadState.ANSWERED, [(2, member, PUB)]),
        "q3": (at(3, 5), "T1", ThreadState.OPEN, [(10, expert, PUB)]),
        "q4": (at(3, 6), "T2", ThreadState.OPEN, []),
        # the project's team member answering outside the project: not a team answer
        "q5": (at(3, 7), "T2", ThreadState.OPEN, [(130, community, PUB), (140, member, PUB)]),
        "q6": (at(3, 10), "T1", ThreadState.OPEN, [(3, late_expert, PUB), (20, expert, PUB)]),
        "q7": (at(3, 12), "P", ThreadState.OPEN, [(1, expert, PostState.HIDDEN),
                                                   (2, community, PostState.PENDING),
                                                   (6, member, PUB)]),
        "q8": (datetime(2026, 2, 28, 23, 30, tzinfo=UTC), "T2", ThreadState.OPEN,
               [(8, community, PUB)]),
        "after": (datetime(2026, 3, 31, 22, 30, tzinfo=UTC), "T2", ThreadState.OPEN,
                  [(1, community, PUB)]),
        "hidden": (at(3, 15), "T2", ThreadState.HIDDEN, [(1, community, PUB)]),
        "pending": (at(4, 15, 0), "T2", ThreadState.PENDING, []),
    }
    threads = {}
    for name, (asked, board, state, answers) in questions.items():
        thread = Thread(board_id=boards[board].id, author_id=asker.id, title=f"Frage {name}",
                        slug=name, state=state, created_at=asked, last_activity_at=asked)
        db.session.add(thread)
        db.session.flush()
        _post(thread, asker, PostKind.QUESTION, asked,
              PostState.PENDING if state == ThreadState.PENDING else PostState.PUBLISHED)
        for hours, author, post_state in answers:
            _post(thread, author, A, asked + timedelta(hours=hours), post_state)
        threads[name] = thread
    db.session.flush()

    # "Ich habe die gleiche Frage": three marks on two questions in March, one in April
    for thread, user, when in ((threads["q1"], other, at(3, 3)),
                               (threads["q1"], community, at(3, 4)),
                               (threads["q3"], other, at(3, 6)),
                               (threads["q5"], other, at(4, 2))):
        db.session.add(MeToo(thread_id=thread.id, user_id=user.id, created_at=when))

    # decisions: 2, 4, 10 and 24 hours after their subject; one without a subject time;
    # one after the period
    A_ = DecisionAction
    decided = [(at(3, 4), 2, A_.APPROVE, "P"), (at(3, 8), 4, A_.HIDE, "T2"),
               (at(3, 9), 10, A_.REJECT, "P"), (at(3, 20), 24, A_.APPROVE, "T1"),
               (at(3, 21), None, A_.WARN, None),
               (datetime(2026, 3, 31, 22, 30, tzinfo=UTC), 1, A_.APPROVE, "T2")]
    decisions = []
    for when, hours, action, board in decided:
        decision = Decision(
            moderator_id=moderator.id, action=action,
            board_id=boards[board].id if board else None,
            author_id=asker.id, from_report=False, automated=False, created_at=when,
            subject_created_at=when - timedelta(hours=hours) if hours else None)
        db.session.add(decision)
        decisions.append(decision)
    db.session.flush()

    db.session.refresh(threads["q1"])
    q1_answer = threads["q1"].posts[1]
    reported = [(ReportCategory.ILLEGAL, at(3, 2, 12), ReportState.ACTIONED, threads["q1"]),
                (ReportCategory.RULES, at(3, 3, 12), ReportState.DISMISSED, threads["q1"]),
                (ReportCategory.RULES, at(3, 13), ReportState.DISMISSED, threads["q5"]),
                (ReportCategory.OTHER, at(3, 14), ReportState.DISMISSED, threads["q5"]),
                (ReportCategory.SPAM, at(2, 27), ReportState.DISMISSED, threads["q5"]),
                # waiting now, 24 hours
                (ReportCategory.SPAM, at(4, 14, 12), ReportState.OPEN, threads["q1"])]
    for category, when, state, thread in reported:
        db.session.refresh(thread)
        post = q1_answer if thread is threads["q1"] else thread.posts[0]
        db.session.add(Report(post_id=post.id, category=category, explanation="Meldung.",
                              state=state, created_at=when))
    # waiting now: the pending question (12 hours), the report above (24 hours), an open
    # appeal (72 hours) about the hiding in T2, and a decided one
    db.session.add(Appeal(decision_id=decisions[1].id, text="Bitte.", state=AppealState.OPEN,
                          created_at=at(4, 12, 12)))
    db.session.add(Appeal(decision_id=decisions[2].id, text="Bitte.",
                          state=AppealState.REJECTED, created_at=at(3, 10),
                          decided_at=at(3, 11)))
    db.session.commit()
    return {"threads": threads, "project": project, "t1": t1, "t2": t2}
