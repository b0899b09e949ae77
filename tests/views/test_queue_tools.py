"""The tools moderators of Discourse and Stack Exchange take for granted: what an item is
about (post, thread, board, the report's details, the author's history), filters with a
count per filter, claiming an item ("Ich bearbeite das", visible to others, expiring after
30 minutes), internal notes never shown to the people concerned, bulk approve and reject,
and reports of child sexual abuse or of a threat to life that only site moderators see, with
the art. 18 record."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum.extensions import db
from forum.models import (
    Decision,
    Post,
    PostState,
    ProjectRole,
    QueueClaim,
    Report,
    ReportCategory,
    SiteRole,
    utcnow,
)
from forum.services import queue
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


def _pending_answer(thread, body="Eine wartende Antwort.", author=None):
    post = make_answer(thread, author or make_expert(), body=body)
    post.state = PostState.PENDING
    db.session.commit()
    return post


def test_item_page_shows_report_details_reporter_contact_and_author_history(
        moderator_client):
    author = make_user(display_name="Berta Beispiel")
    post = make_thread(make_topic().board, author, title="Dienstpläne digital?").posts[0]
    author.approved_post_count = 12
    db.session.commit()
    make_report(post, email="melder@example.org", reporter_name="Max Melder",
                category=ReportCategory.ILLEGAL, ground="§ 185 StGB",
                explanation="Beleidigt eine Kollegin.")
    page = moderator_client.get(f"/moderation/beitraege/{post.id}").text
    for text in ("Dienstpläne digital?", "Rechtswidriger Inhalt", "§ 185 StGB",
                 "Beleidigt eine Kollegin.", "Max Melder", "melder@example.org",
                 "Berta Beispiel", "12 freigegebene Beiträge", "keine früheren Maßnahmen"):
        assert text in page, text
    assert f'href="/moderation/konten/{author.id}"' in page


def test_filters_narrow_the_queue_and_count_per_value(moderator_client):
    care, crafts = make_topic(name="Pflege"), make_topic(name="Handwerk")
    question = make_thread(care.board, make_user(), title="Pflegefrage")
    _pending_answer(question, "Antwort in der Pflege.")
    other = make_thread(crafts.board, make_user(), title="Handwerksfrage")
    make_report(other.posts[0], category=ReportCategory.SPAM)
    page = moderator_client.get("/moderation").text
    assert "Antwort (1)" in page and "Frage (1)" in page
    assert "Spam oder Werbung (1)" in page
    only_spam = moderator_client.get("/moderation?kategorie=spam").text
    assert "Handwerksfrage" in only_spam and "Antwort in der Pflege." not in only_spam
    only_care = moderator_client.get(f"/moderation?bereich={care.board.id}").text
    assert "Antwort in der Pflege." in only_care and "Handwerksfrage" not in only_care
    old = moderator_client.get("/moderation?alter=7").text
    assert "Antwort in der Pflege." not in old and "Handwerksfrage" not in old
    garbage = moderator_client.get("/moderation?alter=x&art=%00&bereich=-1&kategorie=zz")
    assert garbage.status_code in (200, 400)


def test_claim_is_visible_to_others_refused_to_them_and_expires(app, moderator_client):
    post = make_thread(make_topic().board, make_user()).posts[0]
    make_report(post)
    other = _client_as(app, make_user(role=SiteRole.MODERATOR, display_name="Otto Zweit"))
    assert moderator_client.post(f"/moderation/beitraege/{post.id}/uebernehmen"
                                 ).status_code == 302
    assert "Mo Moderation bearbeitet das" in other.get("/moderation").text
    assert "Mo Moderation bearbeitet diesen Eintrag seit" in other.get(
        f"/moderation/beitraege/{post.id}").text
    refused = other.post(f"/moderation/beitraege/{post.id}/uebernehmen", follow_redirects=True)
    assert "Mo Moderation bearbeitet diesen Eintrag bereits." in refused.text
    assert db.session.scalar(select(QueueClaim.moderator_id)) == moderator_client.user.id
    db.session.execute(update(QueueClaim).values(claimed_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    assert "bearbeitet das" not in other.get("/moderation").text
    other.post(f"/moderation/beitraege/{post.id}/uebernehmen")
    assert db.session.scalar(select(QueueClaim.moderator_id)) == other.user.id
    other.post(f"/moderation/beitraege/{post.id}/uebernehmen", data={"release": "1"})
    assert db.session.scalar(select(func.count()).select_from(QueueClaim)) == 0


def test_claiming_outside_ones_scope_is_a_404(app):
    project = make_project()
    post = make_thread(make_topic().board, make_user()).posts[0]
    project_mod = _client_as(app, make_user(project=project,
                                            project_role=ProjectRole.MODERATOR))
    assert project_mod.post(f"/moderation/beitraege/{post.id}/uebernehmen").status_code == 404
    assert project_mod.post(f"/moderation/beitraege/{post.id}/notiz",
                            data={"note-body": "x"}).status_code == 404


def test_internal_notes_reach_moderators_never_the_statement(app, moderator_client, smtp_sink):
    author = make_user(email="autor@example.org")
    post = make_thread(make_topic().board, author).posts[0]
    moderator_client.post(f"/moderation/beitraege/{post.id}/notiz",
                          data={"note-body": "Vorsicht: Autor droht mit Anwalt."})
    other = _client_as(app, make_user(role=SiteRole.MODERATOR))
    assert "Vorsicht: Autor droht mit Anwalt." in other.get(
        f"/moderation/beitraege/{post.id}").text
    other.post(f"/moderation/beitraege/{post.id}/ausblenden", data={
        "hide-version": "0", "hide-reason": "0", "hide-ground_kind": "rule",
        "hide-ground": "Regel 2", "hide-facts": "Unsachlich."})
    decision = db.session.scalar(select(Decision))
    assert "Anwalt" not in other.get(f"/moderation/entscheidungen/{decision.id}").text
    for mail in smtp_sink[1]:
        assert "Anwalt" not in mail.get_body(("plain",)).get_content()


def test_bulk_approve_and_bulk_reject_with_one_reason(moderator_client, smtp_sink):
    thread = make_thread(make_topic().board, make_user())
    first, second, third = (_pending_answer(thread, f"Antwort {i}.") for i in range(3))
    approved = moderator_client.post("/moderation/sammelentscheidung", data={
        "action": "approve", "post": [str(first.id), str(second.id)], "reason": "0"},
        follow_redirects=True)
    assert "2 Beiträge entschieden." in approved.text
    missing = moderator_client.post("/moderation/sammelentscheidung", data={
        "action": "reject", "post": [str(third.id)], "reason": "0", "facts": ""})
    assert "Bitte wählen Sie einen Grund aus der Liste." in missing.text
    reason = make_reason()
    moderator_client.post("/moderation/sammelentscheidung", data={
        "action": "reject", "post": [str(third.id), "999999", "abc"], "reason": str(reason.id),
        "facts": "Reine Werbung."})
    db.session.expire_all()
    states = [db.session.get(Post, p.id).state for p in (first, second, third)]
    assert states == [PostState.PUBLISHED, PostState.PUBLISHED, PostState.REJECTED]
    none = moderator_client.post("/moderation/sammelentscheidung", data={"action": "approve"},
                                 follow_redirects=True)
    assert "Bitte wählen Sie mindestens einen wartenden Beitrag." in none.text


def test_child_abuse_and_threat_reports_go_to_site_moderators_only(app, moderator_client):
    project = make_project()
    post = make_thread(project.board, make_user(), title="Heikler Beitrag").posts[0]
    flagged = make_report(post, concerns_child_abuse=True)
    threat = make_thread(project.board, make_user(), title="Drohung").posts[0]
    make_report(threat, concerns_threat=True)
    project_mod = _client_as(app, make_user(project=project,
                                            project_role=ProjectRole.MODERATOR))
    queue_page = project_mod.get("/moderation").text
    assert "Heikler Beitrag" not in queue_page and "Drohung" not in queue_page
    assert queue.counts(project_mod.user)["reports"] == 0
    assert "betrifft Kindesmissbrauch" not in project_mod.get(
        f"/moderation/beitraege/{post.id}").text
    assert project_mod.post(f"/moderation/meldungen/{flagged.id}/behoerden").status_code == 404
    site_queue = moderator_client.get("/moderation").text
    assert "Heikler Beitrag" in site_queue and "Drohung" in site_queue
    page = moderator_client.get(f"/moderation/beitraege/{post.id}").text
    assert "betrifft Kindesmissbrauch" in page and "Art. 18 DSA" in page
    moderator_client.post(f"/moderation/meldungen/{flagged.id}/behoerden")
    db.session.expire_all()
    record = db.session.get(Report, flagged.id)
    assert record.authorities_notified_at is not None
    assert record.authorities_notified_by_id == moderator_client.user.id
    again = moderator_client.post(f"/moderation/meldungen/{flagged.id}/behoerden",
                                  follow_redirects=True)
    assert "bereits vermerkt" in again.text
    assert "An Strafverfolgungsbehörden gemeldet am" in again.text


def test_report_form_offers_the_threat_flag(client):
    post = make_thread(make_topic().board, make_user()).posts[0]
    page = client.get(f"/beitraege/{post.id}/melden").text
    assert "Gefahr für das Leben oder die Sicherheit" in page
