"""Edge cases of moderation: races, moved threads, later reports, edits of new users."""

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Appeal,
    Board,
    Decision,
    GroundKind,
    Post,
    PostState,
    ProjectRole,
    Report,
    ReportState,
    SiteRole,
    Thread,
    ThreadState,
)
from forum.services import AlreadyHandled, moderation, reports
from tests.conftest import login
from tests.factories import (
    make_expert,
    make_project,
    make_report,
    make_thread,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.usefixtures("smtp_sink")  # every test sends through the sink


@pytest.fixture
def app_config():
    return {"PREMODERATION_THRESHOLD": 1}


def _mod():
    return make_user(role=SiteRole.MODERATOR)


def test_second_dismissal_of_the_same_reports_is_already_handled(app):
    post = make_thread(make_topic().board, make_expert()).posts[0]
    make_report(post)
    with app.app_context():  # the second moderator's request, loaded before the first acts
        stale = db.session.get(Post, post.id)
        other = db.session.merge(_mod())
        moderation.dismiss_reports(_mod(), post, facts="Zulässig.")
        with pytest.raises(AlreadyHandled):
            moderation.dismiss_reports(other, stale, facts="Auch zulässig.")
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 1


def test_upheld_reporter_appeal_settles_reports_filed_after_the_dismissal(app, smtp_sink):
    post = make_thread(make_topic().board, make_expert()).posts[0]
    first = make_report(post, email="erste@example.org")
    dismissal = moderation.dismiss_reports(_mod(), post, facts="Zulässig.").decision
    later = make_report(post, email="zweite@example.org")
    appeal = reports.file_appeal(dismissal, db.session.get(Report, first.id), "Doch nicht!")
    moderation_b = _mod()
    reports.decide_appeal(moderation_b, appeal, upheld=True, answer="Stimmt.",
                          ground_kind=GroundKind.LAW, ground="§ 185 StGB", facts="Beleidigung.")
    assert db.session.get(Post, post.id).state == PostState.HIDDEN
    assert db.session.get(Report, later.id).state == ReportState.ACTIONED
    assert "zweite@example.org" in [m["To"] for m in smtp_sink[1]]


def test_appeal_follows_a_moved_thread_to_its_new_moderators(client):
    old, new = make_project(), make_project()
    new_mod = make_user(project=new, project_role=ProjectRole.MODERATOR)
    old_mod = make_user(project=old, project_role=ProjectRole.MODERATOR)
    thread = make_thread(old.board, make_expert())
    lock = moderation.lock_thread(_mod(), thread, ground_kind=GroundKind.RULE, ground="R",
                                  facts="F").decision
    appeal = reports.file_appeal(lock, None, "Bitte wieder öffnen.")
    moderation.move_thread(_mod(), db.session.get(Thread, thread.id),
                           db.session.get(Board, new.board.id))
    login(client, old_mod)
    assert client.get(f"/moderation/beschwerden/{appeal.id}").status_code == 404
    client.post("/konto/abmelden")
    login(client, new_mod)
    assert thread.title in client.get("/moderation").text
    client.post(f"/moderation/beschwerden/{appeal.id}", data={"upheld": "yes",
                                                              "answer": "Wird geöffnet."})
    assert not db.session.get(Thread, thread.id).locked


def test_merge_into_unknown_thread_number_explains_and_keeps_input(client):
    thread = make_thread(make_topic().board, make_expert())
    login(client, _mod())
    response = client.post(f"/moderation/themen/{thread.id}/zusammenfuehren",
                           data={"merge-target": "9999"})
    assert "gibt es in Ihren Bereichen nicht" in response.text
    assert 'value="9999"' in response.text


def test_actions_on_a_merged_thread_are_404(client):
    topic = make_topic()
    target = make_thread(topic.board, make_expert(), title="Ziel hier")
    source = make_thread(topic.board, make_expert(), title="Quelle hier")
    moderation.merge_threads(_mod(), source, target)
    login(client, _mod())
    assert client.post(f"/moderation/themen/{source.id}/schliessen", data={
        "lock-ground_kind": "rule", "lock-ground": "R", "lock-facts": "F"}).status_code == 404
    assert db.session.get(Board, topic.board.id).thread_count == 1


def test_invalid_reporter_address_is_refused_next_to_the_field(client):
    post = make_thread(make_topic().board, make_expert()).posts[0]
    response = client.post(f"/beitraege/{post.id}/melden", data={
        "category": "spam", "explanation": "Werbung", "email": "kein-mail", "good_faith": "y"})
    assert "gültige E-Mail-Adresse" in response.text and 'value="kein-mail"' in response.text
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_english_reporter_gets_english_outcome(client, smtp_sink):
    post = make_thread(make_topic().board, make_expert()).posts[0]
    client.post("/sprache", data={"locale": "en"})
    client.post(f"/beitraege/{post.id}/melden", data={
        "category": "spam", "explanation": "Ads", "email": "reader@example.org",
        "good_faith": "y"})
    moderation.dismiss_reports(_mod(), db.session.get(Post, post.id), facts="Fine.")
    subjects = [m["Subject"] for m in smtp_sink[1] if m["To"] == "reader@example.org"]
    assert len(subjects) == 2 and "received your report" in subjects[0]
    assert subjects[1] == "Outcome of your report to Fachdialog"


def test_edit_by_new_user_goes_back_to_review_and_obeys_link_limit(client):
    topic = make_topic()
    author = make_user()
    thread = make_thread(topic.board, author, title="Frage eines neuen Kontos")
    moderation.approve_post(_mod(), thread.posts[0])  # approved once: 1 of 2 needed below
    app_threshold = 2
    client.application.config["PREMODERATION_THRESHOLD"] = app_threshold
    login(client, author)
    question = thread.posts[0]
    links = "[a](https://a.example) [b](https://b.example) [c](https://c.example)"
    response = client.post(f"/beitraege/{question.id}/bearbeiten",
                           data={"title": "Frage eines neuen Kontos", "body": links})
    assert "höchstens 2 Links" in response.text
    client.post(f"/beitraege/{question.id}/bearbeiten",
                data={"title": "Frage eines neuen Kontos", "body": "Neuer Text"})
    assert db.session.get(Post, question.id).state == PostState.PENDING
    assert db.session.get(Thread, thread.id).state == ThreadState.PENDING
    assert db.session.get(Board, topic.board.id).thread_count == 0


def test_decisions_cannot_be_deleted(app):
    thread = make_thread(make_topic().board, make_user())
    decision = moderation.approve_post(_mod(), thread.posts[0]).decision
    db.session.delete(decision)
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_unlock_button_works_with_its_rendered_token(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    thread = make_thread(make_topic().board, make_expert())
    moderator = _mod()
    moderation.lock_thread(moderator, thread, ground_kind=GroundKind.RULE, ground="R",
                           facts="F")
    page = client.get("/konto/anmelden").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/konto/anmelden", data={"email": moderator.email,
                                        "password": "correct-horse-battery",
                                        "csrf_token": token})
    page = client.get(f"/moderation/beitraege/{thread.posts[0].id}").text
    form = page[page.index('action="/moderation/themen/'):]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client.post(f"/moderation/themen/{thread.id}/oeffnen", data={"csrf_token": token})
    assert not db.session.get(Thread, thread.id).locked
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 0
