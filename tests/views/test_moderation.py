"""Queue, actions, reports, statements, appeals, log, transparency and reminders, through
HTTP, with mail read from a real SMTP server."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Appeal,
    AppealState,
    Decision,
    Post,
    PostState,
    ProjectRole,
    Report,
    SiteRole,
    Thread,
)
from forum.services import threads
from tests.conftest import login
from tests.factories import (
    make_expert,
    make_project,
    make_reason,
    make_report,
    make_thread,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.usefixtures("smtp_sink")  # every test sends through the sink


@pytest.fixture
def app_config():
    return {"PREMODERATION_THRESHOLD": 1}


@pytest.fixture
def mails(smtp_sink):
    return smtp_sink[1]


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def _statement_path(message) -> str:
    return re.search(r"http://localhost(/entscheidungen/\S+)", _body(message)).group(1)


def test_pending_question_visible_to_author_only_until_approved(client, mails):
    topic = make_topic()
    author = make_user(display_name="Neu Hier")
    login(client, author)
    response = client.post("/fragen/neu", data={"board": topic.board.id,
                                                "title": "Eine ganz neue Frage", "body": "?"},
                           follow_redirects=True)
    assert "wartet auf Freigabe" in response.text and "Wartet auf Freigabe" in response.text
    thread = db.session.scalar(select(Thread))
    assert "Eine ganz neue Frage" in client.get("/konto/beitraege").text
    client.post("/konto/abmelden")
    assert client.get(f"/fragen/{thread.id}-{thread.slug}").status_code == 404
    assert "Eine ganz neue Frage" not in client.get("/").text
    assert "Eine ganz neue Frage" not in client.get(f"/themen/{topic.slug}").text

    login(client, make_user(role=SiteRole.MODERATOR))
    queue = client.get("/moderation").text
    assert "Eine ganz neue Frage" in queue and "1 wartet" in client.get("/").text
    post = db.session.scalar(select(Post))
    client.post(f"/moderation/beitraege/{post.id}/freigeben", data={"approve-body": "?"})
    client.post("/konto/abmelden")
    assert "Eine ganz neue Frage" in client.get("/").text
    assert len(mails) == 1 and mails[0]["To"] == author.email
    assert "freigegeben" in mails[0]["Subject"]


def test_reject_with_reason_sends_statement_and_author_appeals(client, mails):
    reason = make_reason()
    author = make_user()
    thread = make_thread(make_topic().board, author)
    first, second = make_user(role=SiteRole.MODERATOR), make_user(role=SiteRole.MODERATOR)
    login(client, first)
    response = client.post(f"/moderation/beitraege/{thread.posts[0].id}/ablehnen",
                           data={"reject-reason": reason.id, "reject-facts": ""})
    assert "Bitte füllen Sie dieses Feld aus" in response.text  # facts are required
    client.post(f"/moderation/beitraege/{thread.posts[0].id}/ablehnen",
                data={"reject-reason": reason.id, "reject-facts": "Link zu einem Shop."})
    statement = mails[-1]
    assert statement["To"] == author.email and "abgelehnt" in statement["Subject"]
    text = _body(statement)
    for expected in ("Dialogregel 3: keine Werbung", "Link zu einem Shop.",
                     "keine automatisierten Mittel", "Beschwerde", "ohne Meldung"):
        assert expected in text
    client.post("/konto/abmelden")

    page = client.get(_statement_path(statement)).text  # works without logging in
    assert "Beschwerde möglich bis" in page and "Link zu einem Shop." in page
    client.post(_statement_path(statement), data={"text": "Das war kein Shop."})
    appeal = db.session.scalar(select(Appeal))
    assert appeal.state == AppealState.OPEN
    assert "Ihre Beschwerde vom" in client.get(_statement_path(statement)).text

    login(client, first)  # the first moderator may not decide the appeal
    assert client.post(f"/moderation/beschwerden/{appeal.id}",
                       data={"upheld": "yes", "answer": "x"}).status_code == 403
    client.post("/konto/abmelden")
    login(client, second)
    client.post(f"/moderation/beschwerden/{appeal.id}",
                data={"upheld": "yes", "answer": "Sie haben recht."})
    assert db.session.get(Post, thread.posts[0].id).state == PostState.PUBLISHED
    assert mails[-1]["To"] == author.email and "abgeholfen" in _body(mails[-1])
    assert db.session.get(Appeal, appeal.id).state == AppealState.UPHELD


def test_guest_report_grouped_acknowledged_and_dismissal_appealable(client, mails):
    thread = make_thread(make_topic().board, make_expert())
    post = thread.posts[0]
    form = client.get(f"/beitraege/{post.id}/melden").text
    assert "Beitrag melden" in form
    response = client.post(f"/beitraege/{post.id}/melden", data={
        "category": "illegal", "ground": "", "explanation": "Strafbar.", "name": "",
        "email": "", "good_faith": "y"})
    assert "das Gesetz oder die Dialogregel" in response.text
    assert '<input checked id="category-0" name="category"' in response.text  # kept
    response = client.post(f"/beitraege/{post.id}/melden", data={
        "category": "illegal", "ground": "§ 130 StGB", "explanation": "Strafbar.",
        "name": "", "email": "", "good_faith": "y"})
    assert "brauchen wir Ihren Namen" in response.text
    client.post(f"/beitraege/{post.id}/melden", data={
        "category": "illegal", "ground": "§ 130 StGB", "explanation": "Strafbar.",
        "name": "Gisela Gast", "email": "gast@example.org", "good_faith": "y"})
    client.post(f"/beitraege/{post.id}/melden", data={
        "category": "spam", "explanation": "Werbung.", "good_faith": "y"})
    assert db.session.scalar(select(func.count()).select_from(Report)) == 2
    assert [m["To"] for m in mails] == ["gast@example.org"]

    moderator = make_user(role=SiteRole.MODERATOR)
    login(client, moderator)
    queue = client.get("/moderation").text
    assert "2 Meldungen" in queue
    client.post(f"/moderation/beitraege/{post.id}/meldungen-erledigen",
                data={"dismiss-facts": "Zulässige Meinungsäußerung."})
    outcome = mails[-1]
    assert outcome["To"] == "gast@example.org"
    client.post("/konto/abmelden")
    path = _statement_path(outcome)
    assert "Zulässige Meinungsäußerung." in client.get(path).text
    client.post(path, data={"text": "Doch strafbar."})
    appeal = db.session.scalar(select(Appeal))
    assert appeal.by_reporter

    other = make_user(role=SiteRole.MODERATOR)
    login(client, other)
    response = client.post(f"/moderation/beschwerden/{appeal.id}",
                           data={"upheld": "yes", "answer": "Stimmt."})
    assert "Regel oder die Rechtsvorschrift" in response.text or "Grundlage" in response.text
    client.post(f"/moderation/beschwerden/{appeal.id}", data={
        "upheld": "yes", "answer": "Stimmt.", "ground_kind": "law", "ground": "§ 130 StGB",
        "facts": "Volksverhetzende Aussage."})
    assert db.session.get(Post, post.id).state == PostState.HIDDEN
    assert {m["To"] for m in mails[-2:]} == {thread.author.email, "gast@example.org"}


@pytest.mark.parametrize("path,data", [
    ("/moderation/beitraege/{post}", None),
    ("/moderation/beitraege/{post}/freigeben", {"approve-body": "x"}),
    ("/moderation/beitraege/{post}/ablehnen", {"reject-reason": "1", "reject-facts": "x"}),
    ("/moderation/beitraege/{post}/ausblenden", {"hide-ground_kind": "rule",
                                                 "hide-ground": "x", "hide-facts": "y"}),
    ("/moderation/beitraege/{post}/wiederherstellen", {"restore-facts": "x"}),
    ("/moderation/beitraege/{post}/meldungen-erledigen", {"dismiss-facts": "x"}),
    ("/moderation/themen/{thread}/schliessen", {"lock-ground_kind": "rule",
                                                "lock-ground": "x", "lock-facts": "y"}),
    ("/moderation/themen/{thread}/oeffnen", {}),
    ("/moderation/themen/{thread}/verschieben", {"move-board": "1"}),
    ("/moderation/themen/{thread}/zusammenfuehren", {"merge-target": "1"}),
    ("/moderation/beschwerden/{appeal}", {"upheld": "yes", "answer": "x"}),
])
def test_project_moderator_gets_404_outside_scope_for_every_action(client, path, data):
    project, other = make_project(), make_project()
    login(client, make_user(project=project, project_role=ProjectRole.MODERATOR))
    outside = make_thread(other.board, make_user())
    make_reason()
    decider = make_user(role=SiteRole.MODERATOR)
    from forum.services import moderation

    decision = moderation.lock_thread(decider, outside, ground_kind="rule", ground="x",
                                      facts="y").decision
    appeal = Appeal(decision_id=decision.id, text="Bitte", contact_email="a@example.org")
    db.session.add(appeal)
    db.session.commit()
    url = path.format(post=outside.posts[0].id, thread=outside.id, appeal=appeal.id)
    response = client.get(url) if data is None else client.post(url, data=data)
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 1


def test_queue_forbidden_for_non_moderators(expert_client):
    assert expert_client.get("/moderation").status_code == 403


def test_project_moderator_sees_only_own_scope_in_queue(client):
    project, other = make_project(), make_project()
    login(client, make_user(project=project, project_role=ProjectRole.MODERATOR))
    make_thread(project.board, make_user(), title="Frage im eigenen Projekt")
    make_thread(other.board, make_user(), title="Frage im fremden Projekt")
    queue = client.get("/moderation").text
    assert "Frage im eigenen Projekt" in queue and "Frage im fremden Projekt" not in queue


def test_log_filters_and_transparency_exports(client):
    moderator = make_user(role=SiteRole.MODERATOR, display_name="Mona Mod")
    login(client, moderator)
    reason = make_reason()
    topic = make_topic()
    approved = make_thread(topic.board, make_user(), title="Wird freigegeben")
    rejected = make_thread(topic.board, make_user(), title="Wird abgelehnt")
    reported = make_thread(topic.board, make_expert(), title="Gemeldet")
    make_report(reported.posts[0])
    client.post(f"/moderation/beitraege/{approved.posts[0].id}/freigeben",
                data={"approve-body": "x"})
    client.post(f"/moderation/beitraege/{rejected.posts[0].id}/ablehnen",
                data={"reject-reason": reason.id, "reject-facts": "Werbung."})
    log = client.get("/moderation/protokoll?aktion=reject").text
    assert "Wird abgelehnt" in log and "Wird freigegeben" not in log and "Mona Mod" in log
    assert "Wird freigegeben" in client.get("/moderation/protokoll").text
    data = client.get("/moderation/transparenz?format=json").get_json()
    assert data["decisions"]["total"] == 2
    by_action = data["decisions"]["by_action"]
    assert by_action["approve"] == by_action["reject"] == 1
    assert data["notices"]["by_category"]["rules"] == 1
    assert data["automated_means"]["decision"] == 0
    rows = list(csv.reader(io.StringIO(client.get("/moderation/transparenz?format=csv").text)))
    assert rows[0] == ["section", "key", "value"]
    assert ["decisions.by_action", "reject", "1"] in rows
    assert "Transparenzbericht" in client.get("/moderation/transparenz").text


def test_transparency_only_for_site_moderators(client):
    login(client, make_user(project=make_project(), project_role=ProjectRole.MODERATOR))
    assert client.get("/moderation/transparenz").status_code == 403


def test_remind_mails_moderators_of_items_older_than_a_day(app, runner, mails):
    from datetime import timedelta

    from forum.models import utcnow

    moderator = make_user(role=SiteRole.MODERATOR)
    project = make_project()
    project_mod = make_user(project=project, project_role=ProjectRole.MODERATOR)
    old = make_thread(make_topic().board, make_user())
    old.posts[0].created_at = utcnow() - timedelta(hours=30)
    db.session.commit()
    make_thread(project.board, make_user())  # fresh: no reminder for the project moderator
    result = runner.invoke(args=["forum", "remind"])
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in mails] == [moderator.email]
    assert "Beiträge zur Freigabe: 1" in _body(mails[0])
    assert project_mod.email not in [m["To"] for m in mails]


def test_reasons_catalogue_managed_by_admin(client):
    login(client, make_user(role=SiteRole.ADMIN))
    client.post("/admin/gruende/neu", data={"title": "Beleidigung", "ground_kind": "rule",
                                            "ground": "Dialogregel 2", "explanation": "E",
                                            "active": "y"})
    assert "Beleidigung" in client.get("/admin/gruende").text
    from forum.models import RejectionReason

    reason = db.session.scalar(select(RejectionReason))
    client.post(f"/admin/gruende/{reason.id}", data={"title": "Beleidigung", "ground_kind":
                                                     "rule", "ground": "Dialogregel 2"})
    assert db.session.get(RejectionReason, reason.id).active is False


def test_followup_of_new_user_waits_and_own_edit_allowed(client):
    expert = make_expert()
    thread = make_thread(make_topic().board, expert)
    newcomer = make_user()
    newcomer_post = threads.add_answer(make_expert(), thread, "Antwort")
    assert newcomer_post.state == PostState.PUBLISHED
    login(client, newcomer)
    assert "Beitrag melden" in client.get(f"/fragen/{thread.id}-{thread.slug}").text


def test_author_follows_own_rejected_question_from_my_posts(client):
    author = make_user()
    thread = make_thread(make_topic().board, author, title="Abgelehnte eigene Frage")
    from forum.services import moderation

    moderation.reject_post(make_user(role=SiteRole.MODERATOR), thread.posts[0],
                           reason=make_reason(), facts="Werbung.")
    login(client, author)
    assert f"/fragen/{thread.id}-" in client.get("/konto/beitraege").text
    page = client.get(f"/fragen/{thread.id}-{thread.slug}")
    assert page.status_code == 200 and "nicht öffentlich" in page.text
    client.post("/konto/abmelden")
    assert client.get(f"/fragen/{thread.id}-{thread.slug}").status_code == 404
