"""Measures against accounts (DSA art. 23, and plain spam): site moderators warn, suspend for
a period or block an account or a guest's address, each with a statement of reasons and an
appeal; a suspended account reads but does not post, report or mail; its pending posts can
be rejected in the same step; project moderators only request; the admin user page shows the
account's decisions, reports and measures."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Appeal,
    Decision,
    DecisionAction,
    ModerationNote,
    Post,
    PostState,
    ProjectRole,
    SiteRole,
    User,
    utcnow,
)
from forum.services import reports
from tests.conftest import _client_as
from tests.factories import (
    make_answer,
    make_expert,
    make_project,
    make_reason,
    make_report,
    make_thread,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.usefixtures("smtp_sink")


def _suspend(client, user, days="7", **extra):
    data = {"measure-action": "suspend", "measure-days": days, "measure-reason": "0",
            "measure-ground_kind": "rule", "measure-ground": "Regel 4: keine Werbung",
            "measure-facts": "Wiederholt Werbung für einen Kurs gepostet."} | extra
    return client.post(f"/moderation/konten/{user.id}/massnahme", data=data)


def _measures(user):
    return db.session.scalars(select(Decision).where(
        Decision.author_id == user.id, Decision.post_id.is_(None))).all()


def test_seven_day_suspension_reads_but_cannot_post_or_report(app, moderator_client,
                                                              smtp_sink):
    topic = make_topic()
    someone = make_user(display_name="Sepp Spam", email="sepp@example.org")
    thread = make_thread(topic.board, make_user())
    response = _suspend(moderator_client, someone)
    assert response.status_code == 302
    [measure] = _measures(someone)
    assert measure.action == DecisionAction.SUSPEND
    until = db.session.get(User, someone.id).suspended_until
    assert timedelta(days=6, hours=23) < until - utcnow() <= timedelta(days=7)
    [mail] = [m for m in smtp_sink[1] if m["To"] == "sepp@example.org"]
    body = mail.get_body(("plain",)).get_content()
    assert "vorübergehend gesperrt" in body and "Beschwerde" in body and "Regel 4" in body
    user = _client_as(app, someone)
    assert user.get(f"/fragen/{thread.id}-{thread.slug}").status_code == 200  # reads
    asked = user.post("/fragen/neu", data={"board": topic.board.id, "title": "Neue Frage?",
                                           "body": "Ich möchte etwas fragen."})
    assert "gesperrt" in asked.text
    reported = user.post(f"/beitraege/{thread.posts[0].id}/melden",
                         data={"category": "spam", "explanation": "x", "good_faith": "y"})
    assert reported.status_code == 403 and "gesperrt" in reported.text
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_measure_form_errors_name_the_field_and_write_nothing(moderator_client):
    someone = make_user()
    response = _suspend(moderator_client, someone, days="")
    assert response.status_code == 200
    assert "Bitte geben Sie eine Dauer von 1 bis 365 Tagen an." in response.text
    assert "Wiederholt Werbung für einen Kurs gepostet." in response.text  # kept
    assert _measures(someone) == []
    assert db.session.get(User, someone.id).suspended_until is None


def test_block_with_pending_posts_rejected_in_one_step(moderator_client, smtp_sink):
    spammer = make_expert(email="spam@example.org")
    thread = make_thread(make_topic().board, make_user())
    pending = [make_answer(thread, spammer, body=f"Kauft Kurs {i}!") for i in range(2)]
    for post in pending:
        post.state = PostState.PENDING
    db.session.commit()
    response = moderator_client.post(f"/moderation/konten/{spammer.id}/massnahme", data={
        "measure-action": "block", "measure-reason": str(make_reason().id),
        "measure-facts": "Nur Werbung.", "measure-reject_pending": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, spammer.id).blocked_at is not None
    states = {db.session.get(Post, p.id).state for p in pending}
    assert states == {PostState.REJECTED}
    rejects = db.session.scalar(select(func.count()).select_from(Decision).where(
        Decision.action == DecisionAction.REJECT))
    assert rejects == 2


def test_blocked_guest_address_cannot_ask_again(app, moderator_client):
    topic = make_topic()
    guest = make_user(is_guest=True, email="gast@example.org", display_name="Gast G")
    moderator_client.post(f"/moderation/konten/{guest.id}/massnahme", data={
        "measure-action": "block", "measure-reason": "0", "measure-ground_kind": "law",
        "measure-ground": "§ 185 StGB", "measure-facts": "Beleidigungen."})
    visitor = app.test_client()
    page = visitor.get(f"/fragen/neu?bereich={topic.board.id}")
    assert page.status_code == 200
    threads_before = db.session.scalar(select(func.count()).select_from(Post))
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', page.text)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page.text)
    data = {"board": topic.board.id, "title": "Noch eine Frage von mir?",
            "body": "Ich frage noch einmal etwas.", "display_name": "Gast G",
            "email": "gast@example.org", "privacy": "y"}
    if once:
        data["once"] = once.group(1)
    if started:
        data["started"] = started.group(1)
    answer = visitor.post("/fragen/neu", data=data)
    assert "gesperrt" in answer.text
    assert db.session.scalar(select(func.count()).select_from(Post)) == threads_before


def test_project_moderator_requests_site_moderator_decides(app, moderator_client):
    project = make_project()
    author = make_user(display_name="Rita Rüpel")
    make_thread(project.board, author)
    project_mod = _client_as(app, make_user(project=project,
                                            project_role=ProjectRole.MODERATOR))
    page = project_mod.get(f"/moderation/konten/{author.id}")
    assert page.status_code == 200 and "Maßnahme beantragen" in page.text
    assert 'name="measure-action"' not in page.text
    refused = _suspend(project_mod, author)
    assert refused.status_code == 403
    assert _measures(author) == []
    project_mod.post(f"/moderation/konten/{author.id}/antrag",
                     data={"request-text": "Bitte sieben Tage sperren: dritte Beleidigung."})
    queue = moderator_client.get("/moderation").text
    assert "Anträge auf Maßnahmen" in queue and "Rita Rüpel" in queue
    _suspend(moderator_client, author)
    assert "Rita Rüpel" not in moderator_client.get("/moderation").text.split(
        "Anträge auf Maßnahmen")[1].split("</section>")[0]
    assert db.session.scalar(select(func.count()).select_from(ModerationNote)) == 1


def test_project_moderator_sees_only_authors_in_their_boards(app):
    project = make_project()
    outsider = make_user()
    make_thread(make_topic().board, outsider)
    project_mod = _client_as(app, make_user(project=project,
                                            project_role=ProjectRole.MODERATOR))
    assert project_mod.get(f"/moderation/konten/{outsider.id}").status_code == 404


def test_no_measure_against_oneself_or_an_admin(moderator_client):
    admin = make_user(role=SiteRole.ADMIN)
    assert _suspend(moderator_client, admin).status_code == 403
    assert _suspend(moderator_client, moderator_client.user).status_code == 403
    assert _measures(admin) == []


def test_lift_ends_the_suspension_and_the_statement_shows_it(app, moderator_client):
    someone = make_user()
    _suspend(moderator_client, someone)
    missing = moderator_client.post(f"/moderation/konten/{someone.id}/aufheben",
                                    data={"lift-facts": ""})
    assert missing.status_code == 200 and "Pflichtfeld" in missing.text
    moderator_client.post(f"/moderation/konten/{someone.id}/aufheben",
                          data={"lift-facts": "Einsicht gezeigt."})
    db.session.expire_all()
    assert db.session.get(User, someone.id).suspended_until is None
    suspension = next(d for d in _measures(someone) if d.action == DecisionAction.SUSPEND)
    assert reports.reversal_of(suspension) is not None
    assert not reports.can_appeal(suspension, None)


def test_upheld_appeal_against_a_suspension_lifts_it(moderator_client):
    someone = make_user()
    _suspend(moderator_client, someone)
    [suspension] = _measures(someone)
    appeal = reports.file_appeal(suspension, None, "Das war keine Werbung.")
    second = make_user(role=SiteRole.MODERATOR)
    queue_page = _client_as(moderator_client.application, second).get("/moderation").text
    assert "Konto vorübergehend gesperrt" in queue_page  # the appeal reaches site moderators
    reports.decide_appeal(second, db.session.get(Appeal, appeal.id), upheld=True,
                          answer="Es war ein Hinweis auf eine eigene Studie.")
    db.session.expire_all()
    assert db.session.get(User, someone.id).suspended_until is None


def test_admin_user_page_shows_decisions_reports_and_measures(admin_client, moderator_client):
    someone = make_user(display_name="Hanna Hinweis")
    post = make_thread(make_topic().board, someone, title="Eine Frage zur Schichtplanung").posts[0]
    moderator_client.post(f"/moderation/beitraege/{post.id}/ausblenden", data={
        "hide-version": "0", "hide-reason": "0", "hide-ground_kind": "rule",
        "hide-ground": "Regel 2", "hide-facts": "Unsachlich."})
    other = make_thread(make_topic().board, make_user(), title="Fremde Frage").posts[0]
    make_report(other, reporter_id=someone.id)
    _suspend(moderator_client, someone)
    page = admin_client.get(f"/admin/nutzende/{someone.id}").text
    assert "Konto vorübergehend gesperrt" in page
    assert "Eine Frage zur Schichtplanung" in page and "Ausgeblendet" in page
    assert "Fremde Frage" in page
