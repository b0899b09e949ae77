"""Pre-moderation and the moderation actions, on the service layer."""

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from forum.extensions import db
from forum.models import (
    Board,
    Decision,
    DecisionAction,
    GroundKind,
    Post,
    PostRevision,
    PostState,
    ProjectRole,
    ReportState,
    SiteRole,
    Thread,
    ThreadState,
    User,
)
from forum.services import AlreadyHandled, ServiceError, moderation, threads
from tests.factories import (
    make_expert,
    make_project,
    make_reason,
    make_report,
    make_thread,
    make_topic,
    make_user,
)


@pytest.fixture
def app_config():
    return {"PREMODERATION_THRESHOLD": 1}


@pytest.fixture
def mod(app):
    return make_user(role=SiteRole.MODERATOR)


def _fresh(model, obj_id):
    db.session.expire_all()
    return db.session.get(model, obj_id)


def test_new_user_question_waits_and_is_not_counted(app):
    topic = make_topic()
    thread = make_thread(topic.board, make_user())
    assert thread.state == ThreadState.PENDING
    assert thread.posts[0].state == PostState.PENDING
    assert _fresh(Board, topic.board.id).thread_count == 0


@pytest.mark.parametrize("kind", ["expert", "team", "moderator"])
def test_trusted_authors_post_directly(app, kind):
    project = make_project()
    author = {"expert": lambda: make_expert(),
              "team": lambda: make_user(project=project),
              "moderator": lambda: make_user(role=SiteRole.MODERATOR)}[kind]()
    thread = make_thread(project.board, author)
    assert thread.state == ThreadState.OPEN
    assert _fresh(Board, project.board.id).thread_count == 1


def test_board_set_to_approve_all_holds_even_experts(app):
    topic = make_topic()
    topic.board.require_approval = True
    db.session.commit()
    assert make_thread(topic.board, make_expert()).state == (
        ThreadState.PENDING)
    assert make_thread(topic.board, make_user(role=SiteRole.MODERATOR)).state == (
        ThreadState.OPEN)


def test_approve_question_publishes_counts_and_trusts_author(app, mod):
    topic = make_topic()
    author = make_user()
    thread = make_thread(topic.board, author)
    outcome = moderation.approve_post(mod, thread.posts[0])
    assert outcome.decision.action == DecisionAction.APPROVE
    assert _fresh(Thread, thread.id).state == ThreadState.OPEN
    assert _fresh(Board, topic.board.id).thread_count == 1
    assert _fresh(User, author.id).approved_post_count == 1
    assert [m.to for m in outcome.mails] == [author.email]
    # after one approved post the threshold (1) is reached: the next post is direct
    assert make_thread(topic.board, _fresh(User, author.id), title="Zweite Frage hier").state \
        == ThreadState.OPEN


def test_approve_answer_updates_thread_counters(app, mod):
    project = make_project()
    thread = make_thread(project.board, make_expert())
    newcomer = make_user(project=project)
    newcomer_thread_board = project.board
    newcomer_thread_board.require_approval = True
    db.session.commit()
    pending = threads.add_answer(newcomer, thread, "Hallo aus dem Projektteam")
    assert pending.state == PostState.PENDING
    assert _fresh(Thread, thread.id).answer_count == 0
    moderation.approve_post(mod, pending)
    assert _fresh(Thread, thread.id).answer_count == 1


def test_edit_and_approve_keeps_revision_by_moderator(app, mod):
    thread = make_thread(make_topic().board, make_user(), body="Orginal mit Tippfehler")
    with pytest.raises(ServiceError) as missing:  # an edit of the author's words needs a reason
        moderation.approve_post(mod, thread.posts[0], body="Original ohne Tippfehler")
    assert missing.value.field == "reason"
    assert _fresh(Post, thread.posts[0].id).state == PostState.PENDING
    outcome = moderation.approve_post(mod, thread.posts[0], body="Original ohne Tippfehler",
                                      reason="Tippfehler im ersten Wort.")
    assert outcome.decision.action == DecisionAction.EDIT_APPROVE
    assert (outcome.decision.changed_from, outcome.decision.changed_to) == (
        "Orginal mit Tippfehler", "Original ohne Tippfehler")
    revision = db.session.scalar(select(PostRevision))
    assert (revision.body_source, revision.editor_id) == ("Orginal mit Tippfehler", mod.id)
    assert _fresh(Post, thread.posts[0].id).body_source == "Original ohne Tippfehler"


def test_reject_needs_catalogue_reason_and_facts_then_restore(app, mod):
    thread = make_thread(make_topic().board, make_user())
    question = thread.posts[0]
    with pytest.raises(ServiceError) as missing:
        moderation.reject_post(mod, question, reason=None, facts="x")
    assert missing.value.field == "reason"
    reason = make_reason()
    with pytest.raises(ServiceError) as no_facts:
        moderation.reject_post(mod, question, reason=reason, facts="  ")
    assert no_facts.value.field == "facts"
    outcome = moderation.reject_post(mod, question, reason=reason, facts="Enthält Werbung.")
    decision = outcome.decision
    assert (decision.ground_kind, decision.ground) == (GroundKind.RULE, reason.ground)
    assert decision.appeal_until is not None and not decision.automated
    assert (decision.appeal_until - decision.created_at).days >= 182
    assert _fresh(Thread, thread.id).state == ThreadState.HIDDEN
    moderation.restore_post(mod, _fresh(Post, question.id))
    assert _fresh(Post, question.id).state == PostState.PUBLISHED
    assert _fresh(Thread, thread.id).state == ThreadState.OPEN


def test_hide_answer_from_reports_settles_them_and_decrements(app, mod):
    thread = make_thread(make_topic().board, make_expert())
    answer = threads.add_answer(make_expert(), thread, "Antwort")
    reports = [make_report(answer), make_report(answer, email="")]
    outcome = moderation.hide_post(mod, answer, ground_kind=GroundKind.LAW,
                                   ground="§ 185 StGB", facts="Beleidigung einer Person.")
    assert outcome.decision.from_report
    assert {r.state for r in map(lambda r: _fresh(type(r), r.id), reports)} == {
        ReportState.ACTIONED}
    assert sorted(m.template for m in outcome.mails) == ["report_outcome", "statement"]
    assert _fresh(Thread, thread.id).answer_count == 0


def test_hide_requires_ground_and_facts(app, mod):
    thread = make_thread(make_topic().board, make_expert())
    for kwargs, field in (({"ground_kind": None, "ground": "x", "facts": "y"}, "ground_kind"),
                          ({"ground_kind": GroundKind.RULE, "ground": "", "facts": "y"},
                           "ground"),
                          ({"ground_kind": GroundKind.RULE, "ground": "x", "facts": ""},
                           "facts")):
        with pytest.raises(ServiceError) as error:
            moderation.hide_post(mod, thread.posts[0], **kwargs)
        assert error.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_second_decision_on_same_item_is_already_handled(app, mod):
    """Both moderators loaded the pending post; the one who commits second changes nothing."""
    other = make_user(role=SiteRole.MODERATOR)
    thread = make_thread(make_topic().board, make_user())
    question_id = thread.posts[0].id
    with app.app_context():  # the second moderator's request, loaded before the first acts
        stale = db.session.get(Post, question_id)
        other_mod = db.session.get(User, other.id)
        assert stale.state == PostState.PENDING
        with app.app_context():
            moderation.approve_post(db.session.get(User, mod.id),
                                    db.session.get(Post, question_id))
        with pytest.raises(AlreadyHandled):
            moderation.reject_post(other_mod, stale, reason=make_reason(), facts="Zu spät.")
    assert _fresh(Post, question_id).state == PostState.PUBLISHED
    assert _fresh(Board, thread.board_id).thread_count == 1
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 1


def test_lock_and_unlock_thread(app, mod):
    thread = make_thread(make_topic().board, make_expert())
    outcome = moderation.lock_thread(mod, thread, ground_kind=GroundKind.RULE,
                                     ground="Dialogregel 5", facts="Alles gesagt.")
    assert _fresh(Thread, thread.id).locked and outcome.mails[0].template == "statement"
    with pytest.raises(AlreadyHandled):
        moderation.lock_thread(mod, _fresh(Thread, thread.id), ground_kind=GroundKind.RULE,
                               ground="x", facts="y")
    moderation.unlock_thread(mod, _fresh(Thread, thread.id))
    assert not _fresh(Thread, thread.id).locked


def test_move_thread_moves_counts(app, mod):
    topic, other = make_topic(), make_topic()
    thread = make_thread(topic.board, make_expert())
    moderation.move_thread(mod, thread, other.board)
    assert _fresh(Thread, thread.id).board_id == other.board.id
    assert (_fresh(Board, topic.board.id).thread_count,
            _fresh(Board, other.board.id).thread_count) == (0, 1)


def test_merge_threads_moves_posts_and_redirects(app, mod, client):
    topic = make_topic()
    expert = make_expert()
    target = make_thread(topic.board, expert, title="Ziel-Thema mit Titel")
    source = make_thread(topic.board, make_expert(), title="Doppeltes Thema")
    threads.add_answer(expert, source, "Antwort im doppelten Thema")
    moderation.merge_threads(mod, source, target)
    merged = _fresh(Thread, target.id)
    assert (merged.reply_count, merged.answer_count) == (2, 1)
    assert _fresh(Thread, source.id).state == ThreadState.MERGED
    assert _fresh(Board, topic.board.id).thread_count == 1
    response = client.get(f"/fragen/{source.id}-{source.slug}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/fragen/{target.id}-{target.slug}")
    page = client.get(f"/fragen/{target.id}-{target.slug}").text
    assert "Antwort im doppelten Thema" in page and "Doppeltes Thema" in page


def test_project_moderator_cannot_act_outside_scope(app):
    project, other = make_project(), make_project()
    project_mod = make_user(project=project, project_role=ProjectRole.MODERATOR)
    outside = make_thread(other.board, make_user())
    inside = make_thread(project.board, make_user())

    with pytest.raises(NotFound):
        moderation.approve_post(project_mod, outside.posts[0])
    moderation.approve_post(project_mod, inside.posts[0])
    with pytest.raises(ServiceError):
        moderation.move_thread(project_mod, _fresh(Thread, inside.id), other.board)


def test_decisions_are_append_only(app, mod):
    thread = make_thread(make_topic().board, make_user())
    decision = moderation.approve_post(mod, thread.posts[0]).decision
    decision.facts = "geändert"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
