"""Counters move with atomic SQL in the transaction of the insert."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Board, Thread, User
from forum.services import ServiceError, threads
from tests.factories import make_expert, make_thread, make_topic, make_user


def test_answers_from_two_sessions_with_stale_counts_add_up(app):
    """Two writers that both read answer_count == 0 end at 2: the SQL adds, not Python."""
    topic = make_topic()
    thread = make_thread(topic.board, make_user())
    first, second = make_expert(), make_expert()
    with app.app_context():  # a second request with its own session
        stale_thread = db.session.get(Thread, thread.id)
        other_expert = db.session.get(User, second.id)
        assert stale_thread.answer_count == 0
        with app.app_context():  # a third one answers first
            threads.add_answer(db.session.get(User, first.id),
                               db.session.get(Thread, thread.id), "Erste Antwort")
        assert stale_thread.answer_count == 0  # still the stale value in this session
        threads.add_answer(other_expert, stale_thread, "Zweite Antwort")
    db.session.expire_all()
    counted = db.session.get(Thread, thread.id)
    assert (counted.answer_count, counted.reply_count) == (2, 2)


def test_failed_insert_rolls_back_counter(app, monkeypatch):
    topic = make_topic()
    user = make_user()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", broken)
    with pytest.raises(RuntimeError):
        threads.create_thread(user, topic.board, "Eine Frage mit Titel", "Text")
    monkeypatch.undo()
    db.session.rollback()
    assert db.session.get(Board, topic.board.id).thread_count == 0
    assert db.session.scalars(select(Thread)).all() == []


def test_create_thread_blank_title_refused_before_any_write(app):
    topic = make_topic()
    with pytest.raises(ServiceError) as error:
        threads.create_thread(make_user(), topic.board, "   ", "Text")
    assert error.value.field == "title"
    db.session.rollback()
    assert db.session.get(Board, topic.board.id).thread_count == 0


def test_slugify_german_title():
    assert threads.slugify("Wie führen wir Gleitzeit ein? Größe & Maß") == (
        "wie-fuehren-wir-gleitzeit-ein-groesse-mass")
    assert threads.slugify("???") == "thema"
