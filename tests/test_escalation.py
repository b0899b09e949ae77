"""`flask forum escalate`: unanswered questions reach moderators and watching experts once."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Board, ProjectRole, SiteRole, Thread, utcnow
from forum.services import notifications, threads
from tests.conftest import login
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")  # every test sends through the sink


def _age(thread, days):
    db.session.get(Thread, thread.id).created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def test_escalate_notifies_scope_moderators_and_field_experts_once(app, runner, smtp_sink):
    topic = make_topic()
    project = make_project(topics=[topic])
    site_mod = make_user(role=SiteRole.MODERATOR)
    project_mod = make_user(project=project, project_role=ProjectRole.MODERATOR)
    other_mod = make_user(project=make_project(), project_role=ProjectRole.MODERATOR)
    expert = make_expert()
    notifications.watch(expert, "topic_field", topic.id)
    old = make_thread(project.board, make_expert(), title="Alte Frage hier")
    fresh = make_thread(project.board, make_expert(), title="Frische Frage")
    answered = make_thread(project.board, make_expert(), title="Beantwortet")
    threads.add_answer(make_expert(), answered, "Antwort")
    _age(old, 6)
    _age(answered, 6)
    _age(fresh, 2)
    result = runner.invoke(args=["forum", "escalate"])
    assert result.exit_code == 0 and "1 Frage(n)" in result.output
    recipients = sorted(m["To"] for m in smtp_sink[1]
                        if m["Subject"].startswith("Seit Tagen ohne Antwort"))
    assert recipients == sorted([site_mod.email, project_mod.email, expert.email])
    assert other_mod.email not in recipients
    assert db.session.get(Thread, old.id).escalated_at is not None
    before = len(smtp_sink[1])
    runner.invoke(args=["forum", "escalate"])  # idempotent
    assert len(smtp_sink[1]) == before


def test_board_setting_changes_the_limit_and_queue_marks_escalated(client, runner):
    topic = make_topic()
    board = db.session.get(Board, topic.board.id)
    board.escalate_after_days = 10
    db.session.commit()
    thread = make_thread(topic.board, make_expert(), title="Zehn-Tage-Frage")
    _age(thread, 6)
    runner.invoke(args=["forum", "escalate"])
    assert db.session.get(Thread, thread.id).escalated_at is None
    _age(thread, 11)
    runner.invoke(args=["forum", "escalate"])
    assert db.session.scalar(select(Thread.escalated_at)) is not None
    login(client, make_user(role=SiteRole.MODERATOR))
    queue = client.get("/moderation").text
    assert "Eskalierte Fragen ohne Antwort (1)" in queue and "Zehn-Tage-Frage" in queue


def test_admin_sets_escalation_days_with_validation(client):
    topic = make_topic()
    login(client, make_user(role=SiteRole.ADMIN))
    response = client.post(f"/admin/themen/{topic.id}", data={
        "name": topic.name, "description": "", "escalate_after_days": "0"})
    assert "Zahl von 1 bis 60" in response.text
    client.post(f"/admin/themen/{topic.id}", data={
        "name": topic.name, "description": "", "escalate_after_days": "3"})
    assert db.session.get(Board, topic.board.id).escalate_after_days == 3


def test_expert_sees_open_questions_of_watched_fields_oldest_first(client):
    topic = make_topic()
    tagged = make_project(topics=[topic])
    expert = make_expert()
    notifications.watch(expert, "topic_field", topic.id)
    make_thread(topic.board, make_expert(), title="Neuere offene Frage")
    older = make_thread(tagged.board, make_expert(), title="Ältere offene Frage")
    _age(older, 3)
    make_thread(make_topic().board, make_expert(), title="Frage anderswo")
    login(client, expert)
    page = client.get("/konto/offene-fragen").text
    assert page.index("Ältere offene Frage") < page.index("Neuere offene Frage")
    assert "Frage anderswo" not in page
    assert 'href="/konto/offene-fragen"' in client.get("/").text


def test_escalation_reaches_experts_verified_for_the_field_while_in_force(app, runner,
                                                                          smtp_sink):
    topic = make_topic()
    project = make_project(topics=[topic])
    by_topic = make_expert(topics=[topic])
    by_project = make_expert(projects=[project])
    elsewhere = make_expert(topics=[make_topic()])
    expired = make_expert(topics=[topic], valid_from=utcnow().date() - timedelta(days=800),
                          valid_until=utcnow().date() - timedelta(days=1))
    watching_former = make_user()  # watches, but is no expert: not an expert's mail
    notifications.watch(watching_former, "topic_field", topic.id)
    old = make_thread(project.board, make_user(), title="Lange offene Frage")
    _age(old, 6)
    runner.invoke(args=["forum", "escalate"])
    recipients = {m["To"] for m in smtp_sink[1]
                  if m["Subject"].startswith("Seit Tagen ohne Antwort")}
    assert {by_topic.email, by_project.email} <= recipients
    assert not recipients & {elsewhere.email, expired.email, watching_former.email}


def test_open_questions_list_covers_the_verified_fields_without_watching(client):
    topic = make_topic()
    project = make_project()
    expert = make_expert(topics=[topic], projects=[project])
    make_thread(topic.board, make_user(), title="Frage im Themenfeld")
    make_thread(project.board, make_user(), title="Frage im Projekt")
    make_thread(make_topic().board, make_user(), title="Frage anderswo")
    login(client, expert)
    page = client.get("/konto/offene-fragen").text
    assert "Frage im Themenfeld" in page and "Frage im Projekt" in page
    assert "Frage anderswo" not in page


def test_escalation_reaches_the_project_team(app, runner, smtp_sink):
    """Issue 14: the team of the project asked hears of its unanswered question too."""
    project = make_project()
    lead = make_user(email="leitung@example.org", project=project, project_role=ProjectRole.LEAD)
    member = make_user(email="team@example.org", project=project)
    outsider = make_user(email="anderes-team@example.org", project=make_project())
    old = make_thread(project.board, make_expert(),
                      title="Niemand antwortet hier")
    _age(old, 6)
    runner.invoke(args=["forum", "escalate"])
    recipients = {m["To"] for m in smtp_sink[1]
                  if m["Subject"].startswith("Seit Tagen ohne Antwort")}
    assert {lead.email, member.email} <= recipients
    assert outsider.email not in recipients
