"""A seeded set of notices, decisions and appeals with known counts and times, for the
transparency figures and the DSA export (tests/services/test_transparency_figures.py,
tests/views/test_transparency_page.py).

The period is 1 March to 30 April 2026 in German time. Two decisions sit just either side of
its ends: 28 February 23:30 UTC is already 1 March in Berlin (in), 30 April 22:30 UTC is
already 1 May (out).
"""

from datetime import UTC, date, datetime, timedelta

from forum.enums import AppealState, DecisionAction, GroundKind, ReportCategory
from forum.extensions import db
from forum.models import Appeal, Decision, Report
from tests.factories import make_thread, make_topic, make_user

A = DecisionAction
FIRST, LAST = date(2026, 3, 1), date(2026, 4, 30)
POSTED = datetime(2026, 2, 20, 10, 0, tzinfo=UTC)
ACCOUNT_OPENED = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# (name, when, action, ground kind, on a notice, hours since the notice or the post, target)
DECISIONS = [
    ("approve_edge", datetime(2026, 2, 28, 23, 30, tzinfo=UTC), A.APPROVE, None, False, 1,
     "post"),
    ("hide_law", at(3, 2), A.HIDE, GroundKind.LAW, True, 2, "post"),
    ("hide_rule", at(3, 5), A.HIDE, GroundKind.RULE, True, 4, "post"),
    ("reject", at(3, 9), A.REJECT, GroundKind.RULE, False, 1, "post"),
    ("approve", at(3, 20), A.APPROVE, None, False, 3, "post"),
    ("dismiss", at(4, 2), A.DISMISS, None, True, 11, "post"),
    ("lock", at(4, 3), A.LOCK, GroundKind.RULE, False, 30, "thread"),
    ("suspend", at(4, 6), A.SUSPEND, GroundKind.RULE, False, 5, "account"),
    ("block", at(4, 7), A.BLOCK, GroundKind.LAW, False, 5, "account"),
    ("warn", at(4, 8), A.WARN, GroundKind.RULE, False, 5, "account"),
    ("lift", at(4, 9), A.LIFT, None, False, 5, "account"),
    ("edit", at(4, 10), A.EDIT, GroundKind.RULE, True, 20, "post"),
    ("verdict", at(4, 11), A.APPEAL_UPHELD, None, False, 1, "post"),  # counted as an appeal
    ("hide_after", datetime(2026, 4, 30, 22, 30, tzinfo=UTC), A.HIDE, GroundKind.RULE, True,
     1, "post"),
    ("hide_before", at(2, 27), A.HIDE, GroundKind.RULE, False, 1, "post"),
]
# what the figures must say about the seed
IN_PERIOD = 12
BY_ACTION = {"approve": 2, "hide": 2, "reject": 1, "dismiss": 1, "lock": 1, "suspend": 1,
             "block": 1, "warn": 1, "lift": 1, "edit": 1}
HOURS_FROM_NOTICE = [2, 4, 11, 20]  # median 7.5, 90th percentile 11 + 0.7 * (20 - 11) = 17.3
EXPORTED = {"hide_law", "hide_rule", "reject", "lock", "suspend", "block", "edit"}


def seed() -> dict:
    """The rows; returns the decisions by name and the seeded post, thread and account."""
    thread = make_thread(make_topic().board, make_user())
    post = thread.posts[0]
    post.created_at = POSTED
    thread.created_at = POSTED - timedelta(days=1)
    member = make_user()
    member.created_at = ACCOUNT_OPENED
    moderator = make_user(role="moderator")
    decisions = {}
    for name, when, action, ground_kind, on_notice, hours, target in DECISIONS:
        decisions[name] = Decision(
            moderator_id=moderator.id, action=action,
            post_id=post.id if target == "post" else None,
            thread_id=thread.id if target in ("post", "thread") else None,
            author_id=member.id if target == "account" else post.author_id,
            ground_kind=ground_kind,
            ground={GroundKind.LAW: "§ 185 StGB", GroundKind.RULE: "Dialogregel 2"}.get(
                ground_kind, ""),
            facts=f"Tatsachen zu {name}." if ground_kind else "",
            from_report=on_notice, automated=False,
            subject_created_at=when - timedelta(hours=hours), created_at=when,
            measure_until=when + timedelta(days=7) if action == A.SUSPEND else None)
        db.session.add(decisions[name])
    notices = [(ReportCategory.ILLEGAL, at(3, 1)), (ReportCategory.RULES, at(3, 4)),
               (ReportCategory.RULES, at(4, 1)), (ReportCategory.SPAM, at(4, 2)),
               (ReportCategory.OTHER, at(4, 30, 21)),  # 23:00 in Berlin: still in
               (ReportCategory.ILLEGAL, at(2, 28, 12))]  # before the period
    for category, when in notices:
        db.session.add(Report(post_id=post.id, category=category, explanation="Meldung.",
                              created_at=when))
    db.session.flush()
    appeals = [
        (decisions["hide_law"], False, AppealState.UPHELD, at(4, 1, 10), at(4, 1, 16)),
        (decisions["dismiss"], True, AppealState.REJECTED, at(4, 3, 10), at(4, 3, 22)),
        (decisions["suspend"], False, AppealState.OPEN, at(4, 7, 10), None),
        (decisions["hide_before"], False, AppealState.UPHELD, at(2, 27, 13), at(2, 27, 14)),
    ]
    for decision, by_reporter, state, filed, decided in appeals:
        db.session.add(Appeal(decision_id=decision.id, by_reporter=by_reporter, text="Bitte.",
                              state=state, created_at=filed, decided_at=decided))
    db.session.commit()
    return {"decisions": decisions, "post": post, "thread": thread, "member": member}
