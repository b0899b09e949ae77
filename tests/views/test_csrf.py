"""Every POST is CSRF-protected; an expired token re-shows the form with what was typed.

Each POST route gets a payload that does change something when CSRF checks are off (proving
the payload is valid), and changes nothing when the token is missing."""

import io
import re
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Anonymous,
    ApiToken,
    Appeal,
    AuditEntry,
    BarrierReport,
    Decision,
    ExpertVerification,
    GroundKind,
    GuestLink,
    ModerationNote,
    Notification,
    Offer,
    Post,
    PostRevision,
    PostState,
    ProjectMember,
    ProjectUpdate,
    QueueClaim,
    RejectionReason,
    Report,
    SitePage,
    SiteRole,
    SiteSetting,
    Thread,
    ThreadState,
    User,
    Watch,
    utcnow,
)
from forum.models.expert import today
from forum.services import (
    accounts,
    answers,
    guests,
    moderation,
    moderation_updates,
    passwords,
    practice,
    statements,
    threads,
    updates,
)
from tests.factories import (
    PASSWORD,
    make_expert,
    make_project,
    make_reason,
    make_report,
    make_thread,
    make_topic,
    make_user,
)

COUNTED = (User, Thread, Post, PostRevision, AuditEntry, Offer, ProjectMember, SitePage,
           Decision, Report, Appeal, RejectionReason, Watch, ProjectUpdate, QueueClaim,
           ModerationNote, BarrierReport, SiteSetting, ApiToken)


def _token(client, url="/konto/anmelden") -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                     client.get(url).text).group(1)


def _log_in(client, user, csrf: bool):
    data = {"email": user.email, "password": PASSWORD}
    if csrf:
        data["csrf_token"] = _token(client)
    client.post("/konto/anmelden", data=data)


def _world():
    admin = make_user(role=SiteRole.ADMIN, display_name="Ada")
    project, topic = make_project(), make_topic()
    thread = make_thread(topic.board, admin)
    member = make_user(email="team@example.org", project=project)
    answer = threads.add_answer(make_expert(), thread, "Antwort für eine "
                                "Nachricht")
    others = make_thread(topic.board, make_expert(), title="Fremde Frage")
    accepted = threads.add_answer(make_expert(), others, "Beste Antwort")
    answers.mark_helpful(others.author, accepted)
    offer = Offer(slug="angebot", name="Angebot", description="Text")
    db.session.add(offer)
    held = make_topic()
    held.board.require_approval = True
    db.session.commit()
    other_mod = make_user(role=SiteRole.MODERATOR)
    pending = make_thread(held.board, member, title="Wartet noch auf Freigabe")
    reported = make_thread(topic.board, member, title="Gemeldetes Thema hier")
    make_report(reported.posts[0])
    hidden = make_thread(topic.board, member, title="Ausgeblendetes Thema")
    hide = moderation.hide_post(other_mod, hidden.posts[0], ground_kind=GroundKind.RULE,
                                ground="Regel 1", facts="Fakten").decision
    locked = make_thread(topic.board, member, title="Geschlossenes Thema")
    lock = moderation.lock_thread(other_mod, locked, ground_kind=GroundKind.RULE,
                                  ground="Regel 1", facts="Fakten").decision
    appeal = Appeal(decision_id=hide.id, text="Bitte prüfen", contact_email=member.email)
    db.session.add(appeal)
    critical = make_thread(topic.board, member, title="Kritischer Beitrag")
    flagged = make_report(critical.posts[0], concerns_threat=True)
    suspended = make_user(display_name="Gesperrt")
    suspended.suspended_until = utcnow() + timedelta(days=3)
    db.session.add(BarrierReport(description="Kontrast", contact_email="b@example.org"))
    db.session.commit()
    return {"admin": admin, "project": project, "topic": topic, "thread": thread,
            "member": member, "offer": offer, "question": thread.posts[0],
            "pending": pending.posts[0], "reported": reported.posts[0],
            "hidden": hidden.posts[0], "locked": locked, "appeal": appeal,
            "flagged": flagged, "suspended": suspended,
            "reason": make_reason(), "other_board": held.board,
            "statement": statements.token_for_author(lock), "answer": answer,
            "others": others, "accepted": accepted,
            "update": updates.publish(admin, project, "Eine Neuigkeit", "Text"),
            "practice": practice.publish(admin, project, practice.Parts(
                "Ein Praxisbeispiel", "So", "Hier", "Gut", "Alles", member.id)),
            **_moderated_updates(member, project, other_mod)}


def _moderated_updates(member, project, moderator) -> dict:
    """Updates of the team (the admin moderates them: nobody moderates their own)."""
    hidden = updates.publish(member, project, "Ausgeblendete Neuigkeit", "Text")
    moderation_updates.hide_update(moderator, hidden, ground_kind=GroundKind.RULE,
                                   ground="Regel 1", facts="Fakten")
    reported = updates.publish(member, project, "Gemeldete Neuigkeit", "Text")
    db.session.add(Report(update_id=reported.id, category="spam", explanation="x",
                          good_faith=True))
    db.session.commit()
    return {"hidden_update": hidden, "reported_update": reported}


@pytest.fixture
def app_config(tmp_path):
    return {"MEDIA_DIR": str(tmp_path)}  # the sign-language upload writes there


# route name, needs admin log-in, function(world) -> (url, data)
ROUTES = [
    ("language", False, lambda w: ("/sprache", {"locale": "en"})),
    ("register", False, lambda w: ("/konto/registrieren", {
        "email": "neu@example.org", "display_name": "Neu", "password": "ein-langes-passwort",
        "password_confirm": "ein-langes-passwort"})),
    ("resend", False, lambda w: ("/konto/bestaetigung-erneut", {"email": "offen@example.org"})),
    ("login", False, lambda w: ("/konto/anmelden", {"email": w["admin"].email,
                                                    "password": PASSWORD})),
    ("confirm", False, lambda w: (f"/konto/bestaetigen/{_confirm_token()}",
                                  {"password": PASSWORD})),
    ("forgot", False, lambda w: ("/konto/passwort-vergessen", {"email": w["member"].email})),
    ("reset", False, lambda w: (f"/konto/passwort-neu/{passwords.reset_token(w['member'])}", {
        "password": "Kaffeetasse-Nordwind-Lampe",
        "password_confirm": "Kaffeetasse-Nordwind-Lampe"})),
    ("logout", True, lambda w: ("/konto/abmelden", {})),
    ("settings_name", True, lambda w: ("/konto/einstellungen/name",
                                       {"name-display_name": "Ada Neu"})),
    ("settings_language", True, lambda w: ("/konto/einstellungen/sprache",
                                           {"language-locale": "en"})),
    ("settings_email", True, lambda w: ("/konto/einstellungen/adresse", {
        "email-email": "ada-neu@example.org", "email-current_password": PASSWORD})),
    ("settings_email_confirm", False, lambda w: (
        f"/konto/adresse-bestaetigen/{accounts.email_change_token(w['member'], 'x@example.org')}",
        {})),
    ("settings_password", True, lambda w: ("/konto/einstellungen/passwort", {
        "password-current_password": PASSWORD,
        "password-new_password": "Kaffeetasse-Nordwind-Lampe",
        "password-new_password_confirm": "Kaffeetasse-Nordwind-Lampe"})),
    ("logout_everywhere", True, lambda w: ("/konto/einstellungen/ueberall-abmelden", {})),
    ("token_create", True, lambda w: ("/konto/einstellungen/api-schluessel",
                                      {"token-name": "Website", "token-write": "y"})),
    ("token_revoke", True, lambda w: (f"/konto/einstellungen/api-schluessel/{_token_id(w)}"
                                      "/widerrufen", {})),
    ("ask", True, lambda w: ("/fragen/neu", {"board": w["topic"].board.id,
                                             "title": "Eine neue Frage hier", "body": "Text"})),
    ("answer", True, lambda w: (f"/fragen/{w['thread'].id}-{w['thread'].slug}",
                                {"body": "Antwort"})),
    ("edit", True, lambda w: (f"/beitraege/{w['question'].id}/bearbeiten",
                              {"title": "Geänderter Titel hier", "body": "Neu"})),
    ("project_new", True, lambda w: ("/admin/projekte", {"name": "P", "slug": "p-neu"})),
    ("project_edit", True, lambda w: (f"/admin/projekte/{w['project'].id}", {
        "name": "Anders", "description": "D", "status": "running", "escalate_after_days": "5"})),
    ("member_add", True, lambda w: (f"/admin/projekte/{w['project'].id}/mitglieder",
                                    {"member-email": w["admin"].email, "member-role": "lead"})),
    ("member_remove", True, lambda w: (
        f"/admin/projekte/{w['project'].id}/mitglieder/{w['member'].id}/entfernen", {})),
    ("topic_edit", True, lambda w: (f"/admin/themen/{w['topic'].id}",
                                    {"name": "Anders", "description": "D",
                                     "escalate_after_days": "5"})),
    ("offer_new", True, lambda w: ("/admin/angebote/neu", {
        "name": "N", "slug": "neu", "description": "D"})),
    ("offer_edit", True, lambda w: (f"/admin/angebote/{w['offer'].id}", {
        "name": "Anders", "slug": "angebot", "description": "D"})),
    ("offer_delete", True, lambda w: (f"/admin/angebote/{w['offer'].id}/loeschen", {})),
    ("page_edit", True, lambda w: ("/admin/seiten/dialogregeln", {"title": "I", "body": "B"})),
    ("barrier_report", False, lambda w: ("/barriere-melden", {"description": "Zu klein"})),
    ("barrier_answer", True, lambda w: (f"/admin/barrieren/{_barrier(w)}", {"answer": "A"})),
    ("barrier_close", True, lambda w: (f"/admin/barrieren/{_barrier(w)}/abschliessen", {})),
    ("site_facts", True, lambda w: ("/admin/angaben", {"operator_name": "Amt"})),
    ("sign_video", True, lambda w: ("/admin/gebaerdensprache", {
        "video": (io.BytesIO(b"v"), "dgs.webm"),
        "captions": (io.BytesIO(b"WEBVTT\n"), "dgs.vtt"), "transcript": "T"})),
    ("role_edit", True, lambda w: (f"/admin/nutzende/{w['member'].id}",
                                   {"site_role": "moderator"})),
    ("report", False, lambda w: (f"/beitraege/{w['question'].id}/melden", {
        "category": "spam", "explanation": "Werbung", "good_faith": "y"})),
    ("update_report", False, lambda w: (f"/neuigkeiten/{w['update'].id}/melden", {
        "category": "spam", "explanation": "Werbung", "good_faith": "y"})),
    ("update_hide", True, lambda w: (
        f"/moderation/neuigkeiten/{w['reported_update'].id}/ausblenden", {
        "hide-ground_kind": "rule", "hide-ground": "R", "hide-facts": "F"})),
    ("update_restore", True, lambda w: (
        f"/moderation/neuigkeiten/{w['hidden_update'].id}/wiederherstellen",
        {"restore-facts": "F", "restore-version": "1"})),
    ("update_dismiss", True, lambda w: (
        f"/moderation/neuigkeiten/{w['reported_update'].id}/meldungen-erledigen",
        {"dismiss-facts": "F"})),
    ("appeal_file", False, lambda w: (f"/entscheidungen/{w['statement']}",
                                      {"text": "Das war falsch."})),
    ("approve", True, lambda w: (f"/moderation/beitraege/{w['pending'].id}/freigeben",
                                 {"approve-body": "x"})),
    ("reject", True, lambda w: (f"/moderation/beitraege/{w['pending'].id}/ablehnen",
                                {"reject-reason": w["reason"].id, "reject-facts": "F"})),
    ("hide", True, lambda w: (f"/moderation/beitraege/{w['reported'].id}/ausblenden", {
        "hide-ground_kind": "rule", "hide-ground": "R", "hide-facts": "F"})),
    ("restore", True, lambda w: (f"/moderation/beitraege/{w['hidden'].id}/wiederherstellen",
                                 {"restore-facts": "F", "restore-version": "1"})),
    ("dismiss", True, lambda w: (
        f"/moderation/beitraege/{w['reported'].id}/meldungen-erledigen",
        {"dismiss-facts": "F"})),
    # (the admin's own thread is not the admin's to moderate: "others" is somebody else's)
    ("lock", True, lambda w: (f"/moderation/themen/{w['others'].id}/schliessen", {
        "lock-ground_kind": "rule", "lock-ground": "R", "lock-facts": "F"})),
    ("unlock", True, lambda w: (f"/moderation/themen/{w['locked'].id}/oeffnen", {})),
    ("move", True, lambda w: (f"/moderation/themen/{w['others'].id}/verschieben",
                              {"move-board": w["other_board"].id})),
    ("merge", True, lambda w: (f"/moderation/themen/{w['locked'].id}/zusammenfuehren",
                               {"merge-target": w["others"].id})),
    ("appeal_decide", True, lambda w: (f"/moderation/beschwerden/{w['appeal'].id}",
                                       {"upheld": "no", "answer": "Bleibt."})),
    ("bulk", True, lambda w: ("/moderation/sammelentscheidung", {
        "action": "approve", "post": str(w["pending"].id)})),
    ("mod_edit", True, lambda w: (f"/moderation/beitraege/{w['reported'].id}/bearbeiten", {
        "edit-body": "Neu gefasst.", "edit-reason": "Grund."})),
    ("claim", True, lambda w: (f"/moderation/beitraege/{w['reported'].id}/uebernehmen", {})),
    ("item_note", True, lambda w: (f"/moderation/beschwerden/{w['appeal'].id}/notiz",
                                   {"note-body": "Notiz"})),
    ("authorities", True, lambda w: (f"/moderation/meldungen/{w['flagged'].id}/behoerden",
                                     {})),
    ("measure", True, lambda w: (f"/moderation/konten/{w['member'].id}/massnahme", {
        "measure-action": "warn", "measure-ground_kind": "rule", "measure-ground": "R",
        "measure-facts": "F"})),
    ("measure_lift", True, lambda w: (f"/moderation/konten/{w['suspended'].id}/aufheben",
                                      {"lift-facts": "F"})),
    ("measure_request", True, lambda w: (f"/moderation/konten/{w['member'].id}/antrag",
                                         {"request-text": "Bitte sperren."})),
    ("account_note", True, lambda w: (f"/moderation/konten/{w['member'].id}/notiz",
                                      {"note-body": "Notiz"})),
    ("reason_new", True, lambda w: ("/admin/gruende/neu", {
        "title": "T", "ground_kind": "rule", "ground": "G"})),
    ("notes_read", True, lambda w: ("/konto/benachrichtigungen/gelesen", {})),
    ("watch_settings", True, lambda w: ("/konto/benachrichtigungen/einstellungen", {
        f"remove-{_admin_watch(w)}": "1"})),
    ("watch_toggle", True, lambda w: ("/beobachten", {"kind": "project",
                                                       "target": w["project"].id})),
    ("helpful", True, lambda w: (f"/beitraege/{w['answer'].id}/hilfreich", {})),
    ("unhelpful", True, lambda w: (f"/beitraege/{w['accepted'].id}/hilfreich-entfernen", {})),
    ("me_too", True, lambda w: (f"/fragen/{w['others'].id}/gleiche-frage", {})),
    ("move_own", True, lambda w: (f"/fragen/{_own_pending(w)}/bereich",
                                  {"board": w["other_board"].id})),
    ("team_add", True, lambda w: (f"/projekte/{w['project'].slug}/team",
                                  {"email": w["admin"].email})),
    ("team_remove", True, lambda w: (
        f"/projekte/{w['project'].slug}/team/{w['member'].id}/entfernen", {})),
    ("update_new", True, lambda w: (f"/projekte/{w['project'].slug}/neuigkeiten/neu",
                                    {"title": "Neue Neuigkeit", "body": "Text"})),
    ("update_edit", True, lambda w: (
        f"/projekte/{w['project'].slug}/neuigkeiten/{w['update'].id}/bearbeiten",
        {"title": "Geänderte Neuigkeit", "body": "Text"})),
    ("practice_new", True, lambda w: (f"/projekte/{w['project'].slug}/praxisbeispiele/neu", {
        "title": "Neues Praxisbeispiel", "setting": "Hier", "body": "So", "outcome": "Gut",
        "lessons": "Alles", "contact": w["member"].id})),
    ("practice_edit", True, lambda w: (f"/praxisbeispiele/{w['practice'].id}/bearbeiten", {
        "title": "Geändertes Praxisbeispiel", "setting": "Hier", "body": "So",
        "outcome": "Gut", "lessons": "Alles", "contact": w["member"].id})),
    ("expert_verify", True, lambda w: ("/admin/fachleute", {
        "email": w["member"].email, "evidence": "Leitet ein Institut",
        "topic_fields": [w["topic"].id], "valid_from": today().isoformat(),
        "valid_until": (today() + timedelta(days=30)).isoformat()})),
    ("expert_revoke", True, lambda w: (
        f"/admin/fachleute/{_verification(w)}/widerrufen",
        {f"revoke-{_verification(w)}-reason": "Stelle gewechselt"})),
    ("expert_profile", True, lambda w: (_expert_admin(w), {
        "profile_public": "y", "organisation": "Institut"})),
    ("guest_ask", False, lambda w: ("/fragen/neu", {
        "board": w["topic"].board.id, "title": "Eine Frage als Gast", "body": "Text",
        "display_name": "Gast Person", "email": "gast@example.org"})),
    ("guest_confirm", False, lambda w: (
        f"/gast/bestaetigen/{guests.token(_guest(w, confirmed=False), guests.CONFIRM)}", {})),
    ("guest_followup", False, lambda w: (f"/gast/{guests.token(_guest(w))}",
                                         {"body": "Eine Rückfrage"})),
    ("guest_helpful", False, lambda w: (
        f"/gast/{guests.token(_guest(w))}/hilfreich/{_guest_answer(w)}", {})),
    ("guest_unhelpful", False, lambda w: (
        f"/gast/{guests.token(_guest(w))}/hilfreich-entfernen/{_guest_answer(w, mark=True)}",
        {})),
    ("guest_renew", False, lambda w: (f"/gast/{guests.token(_guest(w))}/neuer-link", {})),
    ("guest_withdraw", False, lambda w: (f"/gast/{guests.token(_guest(w))}/zurueckziehen",
                                         {})),
    ("guest_convert", False, lambda w: (f"/gast/{guests.token(_guest(w))}/konto", {
        "display_name": "Gast Person", "password": PASSWORD, "password_confirm": PASSWORD})),
    ("guest_links", False, lambda w: ("/gast/link-anfordern", {
        "email": _guest(w).user.email})),
    ("guest_account_setup", False, lambda w: (
        f"/gast/konto-anlegen/{guests.account_token(_guest(w).user)}", {
            "display_name": "Gast Person", "password": PASSWORD,
            "password_confirm": PASSWORD})),
    ("privacy_delete", True, lambda w: ("/konto/loeschen", {
        "mode": "anonymise", "password": PASSWORD})),
]


def _guest(world, confirmed=True) -> GuestLink:
    """A guest's question in the topic field: confirmed and approved, or just asked."""
    if "guest" not in world:
        link = guests.ask(Anonymous(), world["topic"].board, "Gast Person", "gast@example.org",
                          "Frage eines Gastes", "Text")
        if confirmed:
            guests.confirm(link)
            moderation.approve_post(world["admin"], link.thread.posts[0])
        world["guest"] = link
    return world["guest"]


def _guest_answer(world, mark=False) -> int:
    link = _guest(world)
    answer = threads.add_answer(make_expert(), link.thread, "Antwort an den Gast")
    if mark:
        answers.mark_helpful(None, answer, link=link)
    return answer.id


def _barrier(world) -> int:
    return db.session.scalar(select(BarrierReport.id))


def _confirm_token() -> str:
    """The confirmation link of the unconfirmed account every run makes (its password is
    the factories' PASSWORD)."""
    user = db.session.scalar(select(User).where(User.email == "offen@example.org"))
    return accounts.make_confirm_token(user, current_app.config["SECRET_KEY"])


def _verification(world) -> int:
    return db.session.scalar(select(ExpertVerification.id).order_by(ExpertVerification.id))


def _expert_admin(world) -> str:
    """Make the logged-in admin an expert in force, whose profile settings the row changes."""
    db.session.add(ExpertVerification(
        user_id=world["admin"].id, evidence="Test", valid_from=today(),
        valid_until=today() + timedelta(days=30)))
    db.session.commit()
    return "/konto/einstellungen"


def _own_pending(world) -> int:
    """A question of the logged-in admin that waits for approval, which its asker moves."""
    thread = make_thread(world["topic"].board, world["admin"], title="Eigene wartende Frage")
    thread.state, thread.posts[0].state = ThreadState.PENDING, PostState.PENDING
    db.session.commit()
    return thread.id


def _token_id(world) -> int:
    """An access token of the logged-in admin, which the row revokes."""
    from forum.services import tokens

    return tokens.create(world["admin"], "Alt", ["read"]).token.id


def _admin_watch(world) -> int:
    return db.session.scalar(select(Watch.id).where(Watch.user_id == world["admin"].id))


def _snapshot(client, mails):
    page = client.get("/").text
    counts = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED)
    values = tuple(db.session.scalars(select(User.site_role).order_by(User.id)))
    values += tuple(db.session.execute(select(
        User.email, User.display_name, User.locale, User.password_hash,
        User.email_confirmed_at).order_by(User.id)))
    titles = tuple(db.session.execute(
        select(Thread.title, Thread.locked, Thread.board_id, Thread.state).order_by(Thread.id)))
    values += tuple(db.session.scalars(select(Post.state).order_by(Post.id)))
    values += tuple(db.session.scalars(select(Post.body_source).order_by(Post.id)))
    values += tuple(db.session.execute(select(User.suspended_until, User.blocked_at)
                                       .order_by(User.id)))
    values += tuple(db.session.scalars(select(Report.authorities_notified_at)
                                       .order_by(Report.id)))
    values += tuple(db.session.scalars(select(Report.state).order_by(Report.id)))
    values += tuple(db.session.scalars(select(ProjectUpdate.hidden_at)
                                       .order_by(ProjectUpdate.id)))
    values += tuple(db.session.scalars(select(Notification.read_at).order_by(Notification.id)))
    values += tuple(db.session.execute(select(Thread.accepted_post_id, Thread.me_too_count)
                                       .order_by(Thread.id)))
    values += tuple(db.session.scalars(select(ProjectUpdate.title).order_by(ProjectUpdate.id)))
    values += tuple(db.session.execute(select(BarrierReport.state, BarrierReport.answer)
                                       .order_by(BarrierReport.id)))
    values += tuple(db.session.execute(select(SiteSetting.key, SiteSetting.value)
                                       .order_by(SiteSetting.key)))
    return counts, values, titles, len(mails), "Angemeldet als" in page, '<html lang="en">' in page


class _Routes:
    def run(self, client, smtp_sink, name, as_admin, payload, csrf):
        world = _world()
        make_user(email="offen@example.org", confirmed=False)
        if as_admin:
            _log_in(client, world["admin"], csrf)
            assert "Angemeldet als" in client.get("/").text
        url, data = payload(world)
        before = _snapshot(client, smtp_sink[1])
        response = client.post(url, data=data)
        assert response.status_code in (200, 302), (name, response.status_code)
        return before, _snapshot(client, smtp_sink[1])


@pytest.mark.usefixtures("smtp_sink")
class TestWithoutChecks(_Routes):
    @pytest.mark.parametrize("name,as_admin,payload", ROUTES, ids=[r[0] for r in ROUTES])
    def test_payload_is_valid_and_changes_something(self, client, smtp_sink, name, as_admin,
                                                    payload):
        before, after = self.run(client, smtp_sink, name, as_admin, payload, csrf=False)
        assert before != after, name


@pytest.mark.usefixtures("smtp_sink")
class TestWithChecks(_Routes):
    @pytest.fixture
    def app_config(self, tmp_path):
        return {"WTF_CSRF_ENABLED": True, "MEDIA_DIR": str(tmp_path)}

    @pytest.mark.parametrize("name,as_admin,payload", ROUTES, ids=[r[0] for r in ROUTES])
    def test_missing_token_changes_nothing(self, client, smtp_sink, name, as_admin, payload):
        before, after = self.run(client, smtp_sink, name, as_admin, payload, csrf=True)
        assert before == after, name

    def test_every_post_route_is_in_the_table(self, app):
        posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
        assert len(posts) == len({"pages.set_language", "auth.register", "auth.resend",
                                  "auth.confirm", "auth.forgot", "auth.reset",
                                  "auth.login", "auth.logout", "threads.ask", "threads.detail",
                                  "threads.edit", "admin.project_list", "admin.project_edit",
                                  "admin.member_add", "admin.member_remove", "admin.topic_edit",
                                  "admin.offer_edit", "admin.offer_delete", "admin.page_edit",
                                  "admin.user_edit", "reports.report", "reports.statement",
                                  "moderation.approve", "moderation.reject", "moderation.hide",
                                  "moderation.restore", "moderation.dismiss",
                                  "moderation.lock", "moderation.unlock", "moderation.move",
                                  "moderation.merge", "moderation.appeal_detail",
                                  "moderation.bulk", "moderation.edit", "moderation.claim",
                                  "moderation.note", "moderation.authorities",
                                  "moderation_accounts.measure", "moderation_accounts.lift",
                                  "moderation_accounts.request_measure",
                                  "moderation_accounts.note", "reports.report_update",
                                  "moderation_updates.hide", "moderation_updates.restore",
                                  "moderation_updates.dismiss",
                                  "admin.reason_edit", "notifications.mark_read",
                                  "notifications.settings", "notifications.toggle_watch",
                                  # authorised by its signed link, for one-click mail clients:
                                  "notifications.unsubscribe", "threads.mark_helpful",
                                  "threads.unmark_helpful", "threads.me_too",
                                  "threads.move_own",
                                  "projects.update_new", "projects.update_edit",
                                  "practice.new", "practice.edit",
                                  "projects.team", "projects.team_remove",
                                  "admin.expert_list", "admin.expert_revoke",
                                  "account.settings", "account.change_name",
                                  "account.change_language", "account.change_email",
                                  "account.email_confirm", "account.change_password",
                                  "account.logout_everywhere", "guests.confirm", "guests.personal",
                                  "guests.mark_helpful", "guests.unmark_helpful",
                                  "guests.renew", "guests.withdraw", "guests.convert",
                                  "guests.request_link", "guests.account_setup",
                                  "privacy.delete",
                                  "accessibility.barrier_report",
                                  "accessibility_admin.barrier_case",
                                  "accessibility_admin.barrier_close",
                                  "accessibility_admin.facts",
                                  "accessibility_admin.sign_video",
                                  # need the session of the guest who asked: their
                                  # token checks are in tests/views/test_first_visit.py
                                  "guests.resend_confirmation", "guests.correct_address",
                                  # changes nothing (a download); its token is tested in
                                  # tests/views/test_privacy_pages.py
                                  "privacy.export",
                                  "account.create_token", "account.revoke_token",
                                  # JSON, not forms: a cookie session needs X-CSRFToken,
                                  # tests/views/test_api.py (a token needs none)
                                  "api.ask", "api.answer", "api.followup"}), \
            sorted(posts)

    def test_answer_with_expired_token_keeps_text_and_explains(self, client):
        expert = make_expert()
        thread = make_thread(make_topic().board, make_user())
        _log_in(client, expert, csrf=True)
        response = client.post(f"/fragen/{thread.id}-{thread.slug}",
                               data={"body": "Meine lange Antwort", "csrf_token": "abgelaufen"})
        assert response.status_code == 200
        assert "Meine lange Antwort" in response.text
        assert "Ihre Eingaben sind erhalten" in response.text
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1

    def test_expired_token_on_a_button_says_so(self, client):
        user = make_user()
        _log_in(client, user, csrf=True)
        response = client.post("/konto/abmelden", data={"csrf_token": "alt"},
                               follow_redirects=True)
        assert "Formular abgelaufen" in response.text and "Angemeldet als" in response.text
