"""Findings of the outside review of issue 12 (moderation that holds in every case): each test
is a hand-made attack or misuse that the code should refuse but does not. They fail until
the finding is fixed."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Decision,
    DecisionAction,
    GroundKind,
    Post,
    PostState,
    ProjectRole,
    Report,
    SiteRole,
    User,
    utcnow,
)
from tests.conftest import _client_as
from tests.factories import make_project, make_report, make_thread, make_topic, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")


def _measure(client, user, action="block", days="", **extra):
    data = {"measure-action": action, "measure-days": days, "measure-reason": "0",
            "measure-ground_kind": "rule", "measure-ground": "Regel 4",
            "measure-facts": "Wiederholt beleidigt."} | extra
    return client.post(f"/moderation/konten/{user.id}/massnahme", data=data)


def _hide_data(version="0"):
    return {"hide-version": version, "hide-reason": "0", "hide-ground_kind": "rule",
            "hide-ground": "Regel 2", "hide-facts": "Beleidigend."}


def test_project_moderator_account_page_leaks_child_abuse_reports(app):
    """A project moderator opens the account page of an author in their board
    (/moderation/konten/<id>). The page lists every report that account filed, across the
    whole site, including a report flagged as child sexual abuse material about a post in
    another project, with its thread title. Such reports are for site moderators only
    (issue 12: 'never to project moderators')."""
    project = make_project()
    author = make_user(display_name="Melde Mensch")
    make_thread(project.board, author, title="Harmlose Frage im Projekt")
    elsewhere = make_thread(make_topic().board, make_user(),
                            title="Geheimer Kinderschutzfall").posts[0]
    make_report(elsewhere, reporter_id=author.id, concerns_child_abuse=True)
    project_mod = _client_as(app, make_user(project=project,
                                            project_role=ProjectRole.MODERATOR))
    page = project_mod.get(f"/moderation/konten/{author.id}")
    assert page.status_code == 200
    assert "Geheimer Kinderschutzfall" not in page.text


def test_blocked_site_moderator_keeps_moderating(app, moderator_client, admin_client):
    """A site moderator is blocked. The blocked moderator 'can read but not write', yet
    still hides other people's posts: moderation is writing, and a blocked account still
    decides (and could block the colleague back). is_site_moderator/moderates_board ignore
    the restriction. (Fixed: measures against moderators are for admins, and a blocked or
    suspended moderator moderates nothing.)"""
    other_mod = make_user(role=SiteRole.MODERATOR)
    assert _measure(moderator_client, other_mod).status_code == 403  # not among colleagues
    assert _measure(admin_client, other_mod).status_code == 302
    assert db.session.get(User, other_mod.id).blocked_at is not None
    post = make_thread(make_topic().board, make_user()).posts[0]
    blocked = _client_as(app, other_mod)
    blocked.post(f"/moderation/beitraege/{post.id}/ausblenden", data=_hide_data())
    assert db.session.get(Post, post.id).state == PostState.PUBLISHED
    assert db.session.scalar(select(func.count()).select_from(Decision).where(
        Decision.moderator_id == other_mod.id)) == 0


def test_moderator_restores_own_hidden_post(app, moderator_client):
    """A site moderator's own answer is hidden by a colleague. Instead of appealing (which,
    rightly, another person decides), the author simply POSTs to
    /moderation/beitraege/<id>/wiederherstellen on their own post and reverses the decision
    about their own content. The same goes for dismissing reports about one's own post.
    Issue 12: 'Nobody decides ... in which they are the author'."""
    author_mod = make_user(role=SiteRole.MODERATOR)
    post = make_thread(make_topic().board, author_mod).posts[0]
    moderator_client.post(f"/moderation/beitraege/{post.id}/ausblenden", data=_hide_data())
    assert db.session.get(Post, post.id).state == PostState.HIDDEN
    version = str(db.session.get(Post, post.id).decision_version)
    own = _client_as(app, author_mod)
    own.post(f"/moderation/beitraege/{post.id}/wiederherstellen",
             data={"restore-version": version, "restore-facts": "War doch in Ordnung."})
    assert db.session.get(Post, post.id).state == PostState.HIDDEN


def test_internal_note_on_account_becomes_a_measure_request(moderator_client):
    """A site moderator writes a plain internal note on an account page
    (/moderation/konten/<id>/notiz: 'Hat sich entschuldigt'). The queue then lists the
    account under 'Anträge auf Maßnahmen' as if a measure had been requested: open_requests
    counts every account note as a request. The same path lets a project moderator put a
    'request' against an account that account.measure_request refuses (an admin)."""
    someone = make_user(display_name="Nora Notiz")
    moderator_client.post(f"/moderation/konten/{someone.id}/notiz",
                          data={"note-body": "Hat sich per Mail entschuldigt."})
    queue_page = moderator_client.get("/moderation").text
    requests = queue_page.split("Anträge auf Maßnahmen")
    assert len(requests) == 1 or "Nora Notiz" not in requests[1].split("</section>")[0]



def test_edit_and_approve_promises_an_appeal_that_cannot_be_filed(moderator_client,
                                                                  smtp_sink):
    """A moderator changes a pending answer before approving it (edit-and-approve, issue 12:
    'Both are decisions'). The author's mail says 'Sie können bis zum  kostenlos Beschwerde
    ... einlegen' (empty date) and links the statement, but EDIT_APPROVE is not in
    RESTRICTING: appeal_until stays None, the statement page offers no appeal and
    file_appeal refuses. The DSA export (EXPORTED) leaves the decision out as well."""
    from forum.services import counters, dsa_export, reports
    from forum.services.transparency import period, zone
    from tests.factories import make_answer, make_expert

    thread = make_thread(make_topic().board, make_user())
    post = make_answer(thread, make_expert(email="geaendert@example.org"),
                       body="Ruft mich an: 0170 1234567.")
    post.state = PostState.PENDING
    db.session.commit()
    counters.recount()
    moderator_client.post(f"/moderation/beitraege/{post.id}/freigeben", data={
        "approve-version": "0", "edit": "1", "approve-body": "Ruft mich an.",
        "approve-reason": "Telefonnummern gehören nicht in öffentliche Beiträge."})
    decision = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    assert decision.action == DecisionAction.EDIT_APPROVE
    [mail] = [m for m in smtp_sink[1] if m["To"] == "geaendert@example.org"]
    assert "Beschwerde" in mail.get_body(("plain",)).get_content()
    assert decision.appeal_until is not None
    assert reports.can_appeal(decision, None)
    today = datetime.now(zone()).date()  # the site's day, as the report counts days
    exported = [r["puid"] for r in dsa_export.statements(period(today, today))]
    assert f"{dsa_export.PUID_PREFIX}{decision.id}" in exported


def test_decision_without_the_seen_version_skips_the_stale_view_check(app, moderator_client):
    """Moderator A settles the reports of a post with 'keine Maßnahme'. Moderator B, whose
    page was opened before, hides the post with a hand-made POST that leaves out
    'hide-version' (or sends 'x'): seen_version() turns it into None and take() then skips
    the version check, so the contradicting second decision is accepted instead of
    'bereits bearbeitet'."""
    post = make_thread(make_topic().board, make_user()).posts[0]
    make_report(post)
    moderator_client.post(f"/moderation/beitraege/{post.id}/meldungen-erledigen",
                          data={"dismiss-version": "0", "dismiss-facts": "Zulässig."})
    assert db.session.get(Post, post.id).decision_version == 1
    second = _client_as(app, make_user(role=SiteRole.MODERATOR))
    data = _hide_data()
    del data["hide-version"]
    second.post(f"/moderation/beitraege/{post.id}/ausblenden", data=data)
    assert db.session.get(Post, post.id).state == PostState.PUBLISHED


def test_project_moderator_decides_the_appeal_about_a_child_abuse_report(app):
    """Somebody reports a post in a project's board as child sexual abuse material; a site
    moderator settles it with 'keine Maßnahme'; the reporter appeals from the statement
    link. The appeal lands in the project moderator's queue and the project moderator can
    uphold it (hiding the post): check_appeal_view/appeals_in_scope look only at the board,
    not at handled_reports, so a child-abuse case reaches a project moderator after all."""
    from forum.services import moderation, queue, reports

    project = make_project()
    post = make_thread(project.board, make_user(), title="Heikles Foto").posts[0]
    flagged = make_report(post, email="hinweis@example.org", concerns_child_abuse=True)
    site_mod = make_user(role=SiteRole.MODERATOR)
    decision = moderation.dismiss_reports(site_mod, post, facts="Kein Missbrauch.").decision
    appeal = reports.file_appeal(decision, db.session.get(Report, flagged.id),
                                 "Doch, bitte noch einmal prüfen.")
    project_mod_user = make_user(project=project, project_role=ProjectRole.MODERATOR)
    project_mod = _client_as(app, project_mod_user)
    assert appeal.id not in [a.id for a in queue.open_appeals(project_mod_user).items]
    assert project_mod.get(f"/moderation/beschwerden/{appeal.id}").status_code == 404


def test_blocked_account_renames_itself(app, moderator_client):
    """A spammer's account is blocked ('can read but not write'). Its published posts stay
    up under its display name. The spammer then changes the display name in the settings
    (/konto/einstellungen/name) to an advertisement, which now shows beside every one of its
    posts: change_display_name asks no rule (account.write)."""
    spammer = make_user(display_name="Sam Spam")
    make_thread(make_topic().board, spammer)
    _measure(moderator_client, spammer)
    assert db.session.get(User, spammer.id).blocked_at is not None
    blocked = _client_as(app, spammer)
    blocked.post("/konto/einstellungen/name",
                 data={"name-display_name": "Billige Kurse bei kurs-example"})
    assert db.session.get(User, spammer.id).display_name == "Sam Spam"


def test_blocked_guest_address_still_marks_the_helpful_answer(app, client, moderator_client):
    """A guest's address is blocked. Through the personal link of an earlier question the
    guest can still mark (and unmark) the helpful answer, which changes the thread's state
    for everyone: check_guest_accept, unlike check_guest_followup, does not ask
    account.write."""
    from forum.enums import ThreadState
    from forum.models import GuestLink, Thread
    from forum.services import guests, moderation, threads
    from tests.factories import make_expert

    topic = make_topic()
    link = guests.ask(None, topic.board, "Gerd Gast", "gerd@example.org",
                      "Wie plane ich Schichten fair?", "Wir suchen ein faires Verfahren.")
    link = db.session.get(GuestLink, link.id)
    guests.confirm(link)
    thread = db.session.get(Thread, link.thread_id)
    moderation.approve_post(make_user(role=SiteRole.MODERATOR), thread.posts[0])
    answer = threads.add_answer(make_expert(), db.session.get(Thread, thread.id),
                                "So geht es am besten.")
    guest = db.session.get(User, link.user_id)
    _measure(moderator_client, guest)
    assert db.session.get(User, guest.id).blocked_at is not None
    token = guests.token(db.session.get(GuestLink, link.id))
    client.post(f"/gast/{token}/hilfreich/{answer.id}")
    thread = db.session.get(Thread, thread.id)
    assert thread.accepted_post_id is None and thread.state == ThreadState.OPEN


def test_replayed_measure_form_records_two_suspensions(moderator_client, smtp_sink):
    """A careless moderator double-clicks 'Maßnahme treffen' (or two moderators suspend
    the same account at the same moment): take_measure has neither a once-key nor a
    conditional update on the account's state, so the account gets two suspension
    decisions, two statements of reasons and two appealable decisions, and the
    transparency report counts two measures for one act."""
    someone = make_user(email="doppelt@example.org")
    data = {"measure-action": "suspend", "measure-days": "7", "measure-reason": "0",
            "measure-ground_kind": "rule", "measure-ground": "Regel 4",
            "measure-facts": "Werbung."}
    moderator_client.post(f"/moderation/konten/{someone.id}/massnahme", data=data)
    moderator_client.post(f"/moderation/konten/{someone.id}/massnahme", data=data)
    suspensions = db.session.scalar(select(func.count()).select_from(Decision).where(
        Decision.author_id == someone.id, Decision.action == DecisionAction.SUSPEND))
    assert suspensions == 1


def test_party_to_an_appeal_reads_the_deciders_internal_notes(app, moderator_client):
    """Moderator A's own post is hidden by moderator B; A appeals. A may not decide the
    appeal (rightly), but A still opens /moderation/beschwerden/<id> and reads the internal
    notes the deciding colleagues leave on it ('Autor ist Kollege, bitte streng prüfen'),
    and can add notes of their own to steer them. The same holds for a moderator's own
    account page (/moderation/konten/<own id>): internal notes and requests about oneself.
    scoped.appeal only asks appeal.view, which ignores conflicts."""
    from forum.services import moderation, queue_tools, reports

    author_mod = make_user(role=SiteRole.MODERATOR)
    post = make_thread(make_topic().board, author_mod).posts[0]
    decision = moderation.hide_post(moderator_client.user, post,
                                    ground_kind=GroundKind.RULE,
                                    ground="Regel 2", facts="Beleidigend.").decision
    appeal = reports.file_appeal(db.session.get(Decision, decision.id), None, "Unfair!")
    third = make_user(role=SiteRole.MODERATOR)
    queue_tools.add_note(third, queue_tools.APPEAL, appeal.id,
                         "Autor ist Kollege, bitte streng prüfen.")
    own = _client_as(app, author_mod)
    page = own.get(f"/moderation/beschwerden/{appeal.id}")
    assert "Autor ist Kollege" not in page.text


def test_upheld_appeal_against_a_block_also_ends_an_earlier_suspension(moderator_client):
    """An account is suspended for 30 days (decision S); the next day it is blocked
    (decision B). The person appeals only the block, and a second moderator upholds it.
    lift_for_appeal clears suspended_until and blocked_at alike, so the 30-day suspension,
    which nobody appealed or lifted and whose statement still says 'gilt bis ...', silently
    ends as well."""
    from forum.models import Appeal
    from forum.services import measures, reports

    someone = make_user()
    moderator = moderator_client.user
    measures.take_measure(moderator, someone, DecisionAction.SUSPEND, ground_kind=GroundKind.RULE,
                          ground="Regel 4", facts="Werbung.", days=30)
    block = measures.take_measure(moderator, db.session.get(User, someone.id),
                                  DecisionAction.BLOCK, ground_kind=GroundKind.RULE,
                                  ground="Regel 4", facts="Noch mehr Werbung.").decision
    appeal = reports.file_appeal(db.session.get(Decision, block.id), None,
                                 "Die Sperrung ist zu hart.")
    reports.decide_appeal(make_user(role=SiteRole.MODERATOR), db.session.get(Appeal, appeal.id),
                          upheld=True, answer="Die Sperrung war unverhältnismäßig.")
    db.session.expire_all()
    account = db.session.get(User, someone.id)
    assert account.blocked_at is None
    assert account.suspended_until is not None and account.suspended_until > utcnow()


def test_project_moderator_log_shows_decisions_on_child_abuse_reports(app):
    """A child-abuse report about a post in a project's board is settled by a site moderator
    ('Kein Missbrauch erkennbar, Bild geprüft'). The project moderator never saw the report,
    but the decision log (/moderation/protokoll) and the decision page
    (/moderation/entscheidungen/<id>) show the decision with its facts and 'beruht auf einer
    Meldung': the log scope (_in_log_scope, scoped.decision) looks only at the board, not at
    handled_reports."""
    from forum.services import moderation

    project = make_project()
    post = make_thread(project.board, make_user(), title="Foto vom Ausflug").posts[0]
    make_report(post, concerns_child_abuse=True)
    decision = moderation.dismiss_reports(make_user(role=SiteRole.MODERATOR), post,
                                          facts="Kein Missbrauch erkennbar, Bild geprüft.").decision
    project_mod = _client_as(app, make_user(project=project,
                                            project_role=ProjectRole.MODERATOR))
    assert "Kein Missbrauch erkennbar" not in project_mod.get("/moderation/protokoll").text
    assert project_mod.get(f"/moderation/entscheidungen/{decision.id}").status_code == 404


def test_moderator_edit_of_a_reported_post_says_without_a_report(moderator_client):
    """Somebody reports an answer for a telephone number of a third person. A moderator
    answers the report by editing the number out (/moderation/beitraege/<id>/bearbeiten).
    edit_post records the decision with reports=(): the author's statement says 'ohne
    Meldung' although an open report existed (issue 12: 'auf eine Meldung hin whenever an
    open report existed', art. 17(3)(b) DSA), the source_type in the DSA export is
    SOURCE_VOLUNTARY, and the report stays open (the reporter hears nothing)."""
    post = make_thread(make_topic().board, make_user(),
                       body="Ruft Frau Meier an: 0170 1234567.").posts[0]
    report = make_report(post, explanation="Private Telefonnummer einer Dritten.")
    moderator_client.post(f"/moderation/beitraege/{post.id}/bearbeiten", data={
        "edit-version": "0", "edit-body": "Ruft Frau Meier an.",
        "edit-reason": "Private Telefonnummern gehören nicht in Beiträge."})
    decision = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    assert decision is not None and decision.action == DecisionAction.EDIT
    assert decision.from_report
    assert db.session.get(Report, report.id).decision_id == decision.id


def test_internal_notes_about_an_account_outlive_its_deletion(moderator_client):
    """Moderators keep internal notes on an account ('Rita beleidigt seit Wochen Kolleginnen,
    Arbeitgeber: ...'). The person deletes the account (DSGVO art. 17). privacy.py erases
    only the notes a person wrote (ModerationNote.author_id), so the notes about the deleted
    account stay in the database for ever, though the privacy register promises 'solange
    der Beitrag besteht, zu dem sie gehört'; the same happens to notes on a post removed
    with the account."""
    from forum.enums import DeletionMode
    from forum.models import ModerationNote
    from forum.services import measures, privacy, queue_tools

    rita = make_user(display_name="Rita Rüpel")
    post = make_thread(make_topic().board, rita).posts[0]
    queue_tools.add_note(moderator_client.user, measures.ACCOUNT_ITEM, rita.id,
                         "Rita beleidigt seit Wochen Kolleginnen.")
    queue_tools.add_note(moderator_client.user, queue_tools.POST, post.id,
                         "Rita schreibt hier über ihren Arbeitgeber.")
    privacy.delete_user(rita, db.session.get(User, rita.id), DeletionMode.REMOVE)
    left = db.session.scalars(select(ModerationNote.body)).all()
    assert not [body for body in left if "Rita" in body]


def test_project_moderator_restores_a_post_hidden_on_a_child_abuse_report(app):
    """A post in a project's board is reported as child sexual abuse material; a site
    moderator hides it (and passes it on under art. 18). The project moderator, who is
    never shown the report, opens the post in their board and restores it with one POST to
    /moderation/beitraege/<id>/wiederherstellen: the material is public again and the
    reporter is told. check_post_moderate looks only at the board."""
    from forum.services import moderation

    project = make_project()
    post = make_thread(project.board, make_user(), title="Ausflugsfotos").posts[0]
    make_report(post, concerns_child_abuse=True)
    moderation.hide_post(make_user(role=SiteRole.MODERATOR), post, ground_kind=GroundKind.LAW,
                         ground="§ 184b StGB", facts="Darstellung von Kindesmissbrauch.")
    project_mod = _client_as(app, make_user(project=project,
                                            project_role=ProjectRole.MODERATOR))
    version = str(db.session.get(Post, post.id).decision_version)
    project_mod.post(f"/moderation/beitraege/{post.id}/wiederherstellen",
                     data={"restore-version": version, "restore-facts": "Sieht harmlos aus."})
    assert db.session.get(Post, post.id).state == PostState.HIDDEN


def test_lifting_a_later_block_marks_an_expired_suspension_as_reversed(moderator_client):
    """An account served a 3-day suspension in full. Weeks later it is blocked, and the
    block is lifted. statements.reversal_of takes any later LIFT as the reversal of every
    earlier suspension: the old suspension's statement now says 'aufgehoben am ...' and
    can_appeal refuses an appeal against it, although it was never reversed and its appeal
    period (six months, art. 20 DSA) is still running."""
    from datetime import timedelta

    from forum.services import measures, reports

    someone = make_user()
    moderator = moderator_client.user
    suspension = measures.take_measure(
        moderator, someone, DecisionAction.SUSPEND, ground_kind=GroundKind.RULE,
        ground="Regel 4", facts="Werbung.", days=3).decision
    db.session.get(User, someone.id).suspended_until = utcnow() - timedelta(days=1)
    db.session.commit()
    measures.take_measure(moderator, db.session.get(User, someone.id), DecisionAction.BLOCK,
                          ground_kind=GroundKind.RULE, ground="Regel 4", facts="Wieder Werbung.")
    measures.lift(moderator, db.session.get(User, someone.id), note="Versehen, falsches Konto.")
    suspension = db.session.get(Decision, suspension.id)
    assert reports.reversal_of(suspension) is None
    assert reports.can_appeal(suspension, None)


def test_dsa_export_files_child_abuse_decisions_as_speech(moderator_client):
    """A post is reported as child sexual abuse material and hidden on that report under
    § 184b StGB. The DSA Transparency Database export files the statement under
    STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH (CATEGORY maps every law-based decision
    there), although the report carries concerns_child_abuse and the schema has
    STATEMENT_CATEGORY_PROTECTION_OF_MINORS; the same for threats
    (STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY). The operator submits wrong figures to
    the EU."""
    from forum.services import dsa_export, moderation
    from forum.services.transparency import period, zone

    post = make_thread(make_topic().board, make_user()).posts[0]
    make_report(post, concerns_child_abuse=True)
    decision = moderation.hide_post(moderator_client.user, post, ground_kind=GroundKind.LAW,
                                    ground="§ 184b StGB",
                                    facts="Darstellung von Kindesmissbrauch.").decision
    today = datetime.now(zone()).date()  # the site's day, as the report counts days
    [record] = [r for r in dsa_export.statements(period(today, today))
                if r["puid"] == f"{dsa_export.PUID_PREFIX}{decision.id}"]
    assert record["category"] == "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"


def test_blocked_guest_address_asks_again_through_the_address_correction(moderator_client):
    """A guest's address is blocked, and asking with it is refused. The guest asks with any
    other address instead and then uses 'Adresse korrigieren' (guests.correct_address) to
    move the waiting question to the blocked address; confirming it from there puts the
    question into the queue as the blocked guest. correct_address asks no account.write
    (ask() does)."""
    from forum.enums import ThreadState
    from forum.models import GuestLink, Thread
    from forum.permissions import Denied
    from forum.services import ServiceError, guests

    topic = make_topic()
    blocked_guest = make_user(is_guest=True, email="gesperrt@example.org",
                              display_name="Gesperrter Gast")
    _measure(moderator_client, blocked_guest)
    assert db.session.get(User, blocked_guest.id).blocked_at is not None
    link = guests.ask(None, topic.board, "Gesperrter Gast", "umweg@example.org",
                      "Noch eine Frage von mir?", "Ich frage über einen Umweg.")
    try:
        fresh = guests.correct_address(db.session.get(GuestLink, link.id),
                                       "gesperrt@example.org")
    except (Denied, ServiceError):
        return  # refused (next to the address field): what should happen
    guests.confirm(db.session.get(GuestLink, fresh.id))
    thread = db.session.get(Thread, fresh.thread_id)
    assert not (thread.author_id == blocked_guest.id and thread.state == ThreadState.PENDING)


def test_threat_report_about_a_project_update_has_no_art_18_step(moderator_client):
    """Someone reports a project update ('Neuigkeit') and ticks 'Gefahr für Leib und Leben'
    (the update report form offers both flags). The site moderator's update page
    (/moderation/neuigkeiten/<id>) shows neither the flag nor the art. 18 button, and the
    hand-made POST /moderation/meldungen/<report>/behoerden answers 404, because
    scoped.report joins Report.post, which an update report does not have: the record of
    passing it to law enforcement cannot be made."""
    from forum.models import ReportCategory
    from forum.services import updates

    project = make_project()
    lead = make_user(project=project, project_role=ProjectRole.LEAD)
    item = updates.publish(lead, project, "Sommerfest", "Wir feiern am Freitag.")
    report = Report(update_id=item.id, category=ReportCategory.ILLEGAL, ground="§ 241 StGB",
                    explanation="Droht mit einem Anschlag auf das Fest.",
                    reporter_email="hinweis@example.org", good_faith=True,
                    concerns_threat=True, created_at=utcnow())
    db.session.add(report)
    db.session.commit()
    page = moderator_client.get(f"/moderation/neuigkeiten/{item.id}").text
    assert "Art. 18" in page
    moderator_client.post(f"/moderation/meldungen/{report.id}/behoerden")
    assert db.session.get(Report, report.id).authorities_notified_at is not None
