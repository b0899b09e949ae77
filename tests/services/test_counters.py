"""Every denormalised counter and pointer has one definition: `check` finds what differs
from it and `recount` repairs it, on SQLite and PostgreSQL."""

from datetime import timedelta

import sqlalchemy as sa

from forum.enums import GroundKind, ThreadState
from forum.extensions import db
from forum.models import Board, Thread, User
from forum.services import answers, counters, moderation, threads
from tests.factories import make_expert, make_topic, make_user


def _forum():
    """A small forum built through the services, so every counter is kept as in production."""
    topic = make_topic()
    asker, expert, other = make_user(), make_expert(), make_user()
    moderator = make_user(role="moderator")
    thread = threads.create_thread(asker, topic.board, "Wie planen wir Schichten?", "Frage")
    first = threads.add_answer(expert, thread, "Eine Antwort")
    threads.add_answer(expert, thread, "Noch eine Antwort")
    threads.add_followup(asker, thread, "Danke, und wie oft?")
    answers.toggle_me_too(other, thread)
    answers.mark_helpful(asker, first)
    second = threads.create_thread(other, topic.board, "Und die Pausen?", "Frage zwei")
    hidden = threads.add_answer(expert, second, "Wird ausgeblendet")
    moderation.hide_post(moderator, hidden, ground_kind=GroundKind.RULE, ground="Regel 1",
                         facts="Nicht zum Thema.")
    return topic, thread, second, expert


def test_counters_kept_by_the_services_pass_the_check(app):
    _forum()
    assert counters.check() == []


def test_check_finds_and_recount_repairs_every_kind_of_drift(app):
    topic, thread, second, expert = _forum()
    before = db.session.get(Thread, thread.id)
    expected = {"reply": before.reply_count, "answers": before.answer_count,
                "me_too": before.me_too_count, "accepted": before.accepted_post_id,
                "activity": before.last_activity_at}
    db.session.execute(sa.update(Thread).where(Thread.id == thread.id).values(
        reply_count=99, answer_count=0, me_too_count=7,
        last_activity_at=before.last_activity_at - timedelta(days=3)))
    db.session.execute(sa.update(Thread).where(Thread.id == second.id).values(
        accepted_post_id=before.accepted_post_id, state=ThreadState.ANSWERED))
    db.session.execute(sa.update(Board).where(Board.id == topic.board.id)
                       .values(thread_count=0))
    db.session.execute(sa.update(User).where(User.id == expert.id)
                       .values(approved_post_count=0))
    db.session.commit()

    found = {(m.table, m.row_id, m.column) for m in counters.check()}
    assert found == {
        ("threads", thread.id, "reply_count"), ("threads", thread.id, "answer_count"),
        ("threads", thread.id, "me_too_count"), ("threads", thread.id, "last_activity_at"),
        ("threads", second.id, "accepted_post_id"),
        ("boards", topic.board.id, "thread_count"), ("users", expert.id, "approved_post_count"),
    }
    assert counters.recount() >= len(found)
    assert counters.check() == []
    db.session.expire_all()
    repaired = db.session.get(Thread, thread.id)
    assert (repaired.reply_count, repaired.answer_count, repaired.me_too_count,
            repaired.accepted_post_id, repaired.last_activity_at) == (
        expected["reply"], expected["answers"], expected["me_too"], expected["accepted"],
        expected["activity"])
    other = db.session.get(Thread, second.id)
    assert other.accepted_post_id is None and other.state == ThreadState.OPEN
    assert db.session.get(Board, topic.board.id).thread_count == 2
    assert db.session.get(User, expert.id).approved_post_count == 3  # 2 + 1 hidden later


def test_activity_only_moves_forward(app):
    _topic, thread, _second, _expert = _forum()
    latest = db.session.get(Thread, thread.id).last_activity_at
    counters.advance_activity(Thread, thread.id, latest - timedelta(hours=1))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).last_activity_at == latest
    counters.advance_activity(Thread, thread.id, latest + timedelta(hours=1))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).last_activity_at == latest + timedelta(hours=1)


def test_check_and_recount_commands(app, runner):
    topic, thread, _second, _expert = _forum()
    assert runner.invoke(args=["forum", "check"]).exit_code == 0
    db.session.execute(sa.update(Thread).where(Thread.id == thread.id).values(reply_count=42))
    db.session.commit()
    result = runner.invoke(args=["forum", "check"])
    assert result.exit_code == 1 and f"threads {thread.id}: reply_count is 42" in result.output
    assert "1 Wert(e) korrigiert" in runner.invoke(args=["forum", "recount"]).output
    assert runner.invoke(args=["forum", "check"]).exit_code == 0
