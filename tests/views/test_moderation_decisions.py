"""One decision per item: a decision taken on an older view of a post (another moderator
decided on it, or on its open reports, in between) is refused with what was decided, and
nothing of it is written; statements say "auf eine Meldung hin" whenever an open report
existed. Moderators' edits of somebody else's words are decisions with a reason, a log entry
and a statement with the text before and after. Done as the attacker did it: hand-made POSTs
of two moderators who opened the page at the same time."""

import re
import threading

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Appeal,
    Decision,
    DecisionAction,
    Post,
    PostRevision,
    PostState,
    ProjectRole,
    Report,
    ReportState,
    SiteRole,
    User,
)
from forum.services import counters, reports
from tests.conftest import _client_as, login
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


def _version(client, post_id: int) -> str:
    page = client.get(f"/moderation/beitraege/{post_id}").text
    return re.search(r'name="hide-version" type="hidden" value="(\d+)"', page).group(1)


def _project_setup(app):
    """A post in a project's board with an open report; a project moderator of that project
    and a site moderator, each with a client."""
    project = make_project()
    author = make_user(display_name="Anna Autorin")
    post = make_thread(project.board, author).posts[0]
    make_report(post, email="melder@example.org")
    project_mod = make_user(project=project, project_role=ProjectRole.MODERATOR,
                            display_name="Paula Projektmoderation")
    site_mod = make_user(role=SiteRole.MODERATOR, display_name="Sascha Seitenmoderation")
    return post, [_client_as(app, project_mod), _client_as(app, site_mod)]


def _plain_client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _hide_data(version: str) -> dict:
    return {"hide-version": version, "hide-ground_kind": "rule", "hide-ground": "Regel 2",
            "hide-facts": "Beleidigend.", "hide-reason": "0"}


def _dismiss_data(version: str) -> dict:
    return {"dismiss-version": version, "dismiss-facts": "Zulässige Kritik."}


def test_dismiss_then_hide_on_the_older_view_is_refused_with_what_was_decided(app, smtp_sink):
    post, (project_mod, site_mod) = _project_setup(app)
    seen = _version(site_mod, post.id)  # both open the page before either decides
    assert _version(project_mod, post.id) == seen
    first = project_mod.post(f"/moderation/beitraege/{post.id}/meldungen-erledigen",
                             data=_dismiss_data(seen))
    assert first.status_code == 302
    second = site_mod.post(f"/moderation/beitraege/{post.id}/ausblenden", data=_hide_data(seen),
                           follow_redirects=True)
    assert "bereits bearbeitet" in second.text
    assert "Meldungen geprüft, keine Maßnahme" in second.text  # what was decided
    assert "Paula Projektmoderation" in second.text
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == PostState.PUBLISHED
    actions = db.session.scalars(select(Decision.action).where(Decision.post_id == post.id)).all()
    assert actions == [DecisionAction.DISMISS]
    # the reporter was told "no action", and that stays true
    report = db.session.scalar(select(Report).where(Report.post_id == post.id))
    assert report.state == ReportState.DISMISSED


def test_hide_then_dismiss_on_the_older_view_is_refused_and_reports_follow_the_hide(app):
    post, (project_mod, site_mod) = _project_setup(app)
    seen = _version(project_mod, post.id)
    assert site_mod.post(f"/moderation/beitraege/{post.id}/ausblenden",
                         data=_hide_data(seen)).status_code == 302
    refused = project_mod.post(f"/moderation/beitraege/{post.id}/meldungen-erledigen",
                               data=_dismiss_data(seen), follow_redirects=True)
    assert "bereits bearbeitet" in refused.text and "Ausgeblendet" in refused.text
    db.session.expire_all()
    hide = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    assert hide.action == DecisionAction.HIDE and hide.from_report  # "auf eine Meldung hin"
    report = db.session.scalar(select(Report).where(Report.post_id == post.id))
    assert (report.state, report.decision_id) == (ReportState.ACTIONED, hide.id)


def test_report_filed_after_the_page_was_opened_still_makes_it_a_notice(app, smtp_sink):
    post, (_project_mod, site_mod) = _project_setup(app)
    db.session.execute(Report.__table__.delete())  # start without a report
    db.session.commit()
    seen = _version(site_mod, post.id)
    make_report(post, email="spaet@example.org")  # arrives while the moderator reads
    assert site_mod.post(f"/moderation/beitraege/{post.id}/ausblenden",
                         data=_hide_data(seen)).status_code == 302
    db.session.expire_all()
    hide = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    assert hide.from_report
    statement = next(m for m in smtp_sink[1] if "Begründung" in m["Subject"])
    assert "beruht auf einer Meldung" in statement.get_body(("plain",)).get_content()


# Two requests at the same moment, each on its own connection: rows really committed.
@pytest.mark.committing
def test_concurrent_dismiss_and_hide_exactly_one_decision(app):
    for _ in range(4):
        post, (project_mod, site_mod) = _project_setup(app)
        seen = _version(site_mod, post.id)
        # plain clients: in a thread of its own, each request has its own app context
        project_mod, site_mod = _plain_client(app, project_mod.user), _plain_client(
            app, site_mod.user)
        barrier = threading.Barrier(2)
        results: list = [None, None]

        def act(i, client, url, data, barrier=barrier, results=results):
            barrier.wait()
            results[i] = client.post(url, data=data, follow_redirects=True).text

        workers = [
            threading.Thread(target=act, args=(
                0, project_mod, f"/moderation/beitraege/{post.id}/meldungen-erledigen",
                _dismiss_data(seen))),
            threading.Thread(target=act, args=(
                1, site_mod, f"/moderation/beitraege/{post.id}/ausblenden", _hide_data(seen))),
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
        db.session.expire_all()
        decisions = db.session.scalars(select(Decision).where(Decision.post_id == post.id)).all()
        assert len(decisions) == 1, [d.action for d in decisions]
        assert sum("bereits bearbeitet" in text for text in results) == 1
        report = db.session.scalar(select(Report).where(Report.post_id == post.id))
        if decisions[0].action == DecisionAction.HIDE:
            assert decisions[0].from_report and report.state == ReportState.ACTIONED
            assert db.session.get(Post, post.id).state == PostState.HIDDEN
        else:
            assert report.state == ReportState.DISMISSED
            assert db.session.get(Post, post.id).state == PostState.PUBLISHED
    assert counters.check() == []


def test_hide_with_a_catalogue_text_fills_the_ground(moderator_client):
    reason = make_reason(title="Beleidigung", ground="Dialogregel 2: respektvoll bleiben")
    post = make_thread(make_topic().board, make_user()).posts[0]
    page = moderator_client.get(f"/moderation/beitraege/{post.id}").text
    select_html = page[page.index('id="hide-reason"'):]
    select_html = select_html[:select_html.index("</select>")]
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select_html)
    assert options[0][1] == "Bitte wählen"
    assert not any("selected" in attrs for attrs, _label in options[1:])
    response = moderator_client.post(f"/moderation/beitraege/{post.id}/ausblenden", data={
        "hide-version": "0", "hide-reason": str(reason.id), "hide-facts": "Beleidigt andere."})
    assert response.status_code == 302
    hide = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    assert (hide.ground, hide.reason_id) == ("Dialogregel 2: respektvoll bleiben", reason.id)


def test_hide_without_catalogue_text_or_ground_names_the_missing_field(moderator_client):
    post = make_thread(make_topic().board, make_user()).posts[0]
    response = moderator_client.post(f"/moderation/beitraege/{post.id}/ausblenden", data={
        "hide-version": "0", "hide-reason": "0", "hide-facts": "Beleidigt andere."})
    assert response.status_code == 200
    assert "Bitte wählen Sie eine Grundlage oder einen Textbaustein." in response.text
    assert "Bitte nennen Sie die Regel oder die Rechtsvorschrift." in response.text  # both
    assert "Beleidigt andere." in response.text  # nothing typed is lost
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_reject_and_move_selects_start_on_bitte_waehlen(moderator_client):
    make_reason(title="Werbung")
    thread = make_thread(make_topic().board, make_user())
    make_topic()  # a second board to move to
    post = make_answer(thread, make_expert())
    post.state = PostState.PENDING
    db.session.commit()
    pages = {"reject-reason": f"/moderation/beitraege/{post.id}",
             "move-board": f"/moderation/beitraege/{thread.posts[0].id}"}
    for select_id, url in pages.items():
        page = moderator_client.get(url).text
        options = page[page.index(f'id="{select_id}"'):]
        found = re.findall(r"<option([^>]*)>([^<]*)</option>",
                           options[:options.index("</select>")])
        assert found[0][1] == "Bitte wählen" and 'value=""' in found[0][0], select_id
        assert not any("selected" in attrs for attrs, _label in found[1:]), select_id
    response = moderator_client.post(f"/moderation/beitraege/{post.id}/ablehnen", data={
        "reject-version": "0", "reject-reason": "0", "reject-facts": "Werbung."})
    assert "Bitte wählen Sie einen Grund aus." in response.text
    response = moderator_client.post(f"/moderation/themen/{thread.id}/verschieben",
                                     data={"move-board": "0"})
    assert "Bitte wählen Sie einen Bereich." in response.text
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def _mail_to(smtp_sink, address: str, subject_part: str):
    return [m for m in smtp_sink[1] if m["To"] == address and subject_part in m["Subject"]]


def test_moderator_edit_of_a_published_post_is_a_decision_with_before_and_after(
        moderator_client, smtp_sink):
    author = make_user(display_name="Anna Autorin", email="anna@example.org")
    post = make_thread(make_topic().board, author, body="Ruft mich an: 0171 1234567").posts[0]
    url = f"/moderation/beitraege/{post.id}/bearbeiten"
    refused = moderator_client.post(url, data={"edit-version": "0", "edit-body": "Ruft mich an.",
                                               "edit-reason": ""})
    assert refused.status_code == 200 and "Grund der Änderung" in refused.text
    assert "Ruft mich an." in refused.text  # the typed text is kept
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Ruft mich an: 0171 1234567"
    done = moderator_client.post(url, data={
        "edit-version": "0", "edit-body": "Ruft mich an.",
        "edit-reason": "Telefonnummern gehören nicht in öffentliche Beiträge (Regel 5)."})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Ruft mich an."
    decision = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    assert decision.action == DecisionAction.EDIT
    assert (decision.changed_from, decision.changed_to) == ("Ruft mich an: 0171 1234567",
                                                            "Ruft mich an.")
    assert db.session.scalar(select(PostRevision.body_source).where(
        PostRevision.post_id == post.id)) == "Ruft mich an: 0171 1234567"
    [mail] = _mail_to(smtp_sink, "anna@example.org", "bearbeitet")
    body = mail.get_body(("plain",)).get_content()
    assert "0171 1234567" in body and "Ruft mich an." in body and "Regel 5" in body
    assert "/entscheidungen/" in body  # the statement, with the appeal
    log = moderator_client.get("/moderation/protokoll").text
    assert "Beitrag durch die Moderation bearbeitet" in log


def test_upheld_appeal_against_an_edit_restores_the_authors_words(app, moderator_client):
    author = make_user()
    post = make_thread(make_topic().board, author, body="Mein Originaltext.").posts[0]
    moderator_client.post(f"/moderation/beitraege/{post.id}/bearbeiten", data={
        "edit-version": "0", "edit-body": "Geänderter Text.", "edit-reason": "Kürzer."})
    decision = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    appeal = reports.file_appeal(decision, None, "Die Änderung verfälscht meine Aussage.")
    second = make_user(role=SiteRole.MODERATOR)
    reports.decide_appeal(second, db.session.get(Appeal, appeal.id), upheld=True,
                          answer="Die Änderung war nicht nötig.")
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Mein Originaltext."
    assert reports.reversal_of(db.session.get(Decision, decision.id)) is not None


def test_edit_and_approve_needs_a_reason_and_mails_before_and_after(moderator_client,
                                                                     smtp_sink):
    thread = make_thread(make_topic().board, make_user(), title="Wie starten wir?")
    post = make_answer(thread, make_expert(email="neu@example.org"), body="Erste Fasung.")
    post.state = PostState.PENDING  # as an answer of a new account waits for approval
    db.session.commit()
    counters.recount()
    url = f"/moderation/beitraege/{post.id}/freigeben"
    refused = moderator_client.post(url, data={"approve-version": "0", "edit": "1",
                                               "approve-body": "Erste Fassung.",
                                               "approve-reason": ""})
    assert refused.status_code == 200
    assert "Bitte begründen Sie die Änderung" in refused.text
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == PostState.PENDING
    done = moderator_client.post(url, data={"approve-version": "0", "edit": "1",
                                            "approve-body": "Erste Fassung.",
                                            "approve-reason": "Tippfehler."})
    assert done.status_code == 302
    [mail] = _mail_to(smtp_sink, "neu@example.org", "freigegeben")
    body = mail.get_body(("plain",)).get_content()
    assert "Erste Fasung." in body and "Erste Fassung." in body and "Tippfehler." in body


def test_restoring_a_hidden_post_tells_the_reporter(moderator_client, smtp_sink):
    post = make_thread(make_topic().board, make_user()).posts[0]
    make_report(post, email="melderin@example.org")
    moderator_client.post(f"/moderation/beitraege/{post.id}/ausblenden", data=_hide_data("0"))
    moderator_client.post(f"/moderation/beitraege/{post.id}/wiederherstellen",
                          data={"restore-version": "1", "restore-facts": "Doch zulässig."})
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == PostState.PUBLISHED
    [mail] = _mail_to(smtp_sink, "melderin@example.org", "wieder sichtbar")
    body = mail.get_body(("plain",)).get_content()
    assert "Doch zulässig." in body and "Betroffener Beitrag" in body


def test_appeal_receipt_and_report_mails_name_the_post(moderator_client, smtp_sink):
    author = make_user(email="autorin@example.org")
    post = make_thread(make_topic().board, author, title="Schichtplanung in der Pflege",
                       body="Unser Dienstplan ist digital.").posts[0]
    make_report(post, email="melder2@example.org")
    moderator_client.post(f"/moderation/beitraege/{post.id}/ausblenden", data=_hide_data("0"))
    decision = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    reports.file_appeal(decision, None, "Das war sachlich.")
    [receipt] = _mail_to(smtp_sink, "autorin@example.org", "Beschwerde ist eingegangen")
    [outcome] = _mail_to(smtp_sink, "melder2@example.org", "Ergebnis")
    for mail in (receipt, outcome):
        body = mail.get_body(("plain",)).get_content()
        assert "Schichtplanung in der Pflege" in body and "Unser Dienstplan ist digital." in body


def test_log_links_decision_to_post_and_statement_and_keeps_former_moderators(
        app, moderator_client):
    former = make_user(role=SiteRole.MODERATOR, display_name="Frida Früher")
    post = make_thread(make_topic().board, make_user()).posts[0]
    client = _client_as(app, former)
    client.post(f"/moderation/beitraege/{post.id}/ausblenden", data=_hide_data("0"))
    db.session.get(User, former.id).site_role = SiteRole.USER  # no longer a moderator
    db.session.commit()
    decision = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    log = moderator_client.get("/moderation/protokoll").text
    assert f'href="/moderation/beitraege/{post.id}"' in log
    assert f'href="/moderation/entscheidungen/{decision.id}"' in log
    assert "Frida Früher" in log[log.index('id="person"'):]
    statement = moderator_client.get(f"/moderation/entscheidungen/{decision.id}")
    assert statement.status_code == 200 and "Beleidigend." in statement.text
    filtered = moderator_client.get(f"/moderation/protokoll?person={former.id}").text
    assert "Beleidigend." in filtered


def test_the_public_edit_page_does_not_let_moderators_change_others_words(moderator_client):
    author = make_user()
    thread = make_thread(make_topic().board, author, body="Mein Text.")
    post = thread.posts[0]
    page = moderator_client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert f'href="/beitraege/{post.id}/bearbeiten"' not in page
    assert f'href="/moderation/beitraege/{post.id}"' in page
    refused = moderator_client.post(f"/beitraege/{post.id}/bearbeiten",
                                    data={"body": "Still geändert.", "title": thread.title})
    assert refused.status_code == 403 and "Moderationsseite" in refused.text
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Mein Text."
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_moderator_retitles_a_question_and_an_upheld_appeal_restores_it(moderator_client):
    author = make_user(email="fragende@example.org")
    thread = make_thread(make_topic().board, author, title="Wer kennt Max Mustermann?",
                         body="Er arbeitet bei uns.")
    post = thread.posts[0]
    moderator_client.post(f"/moderation/beitraege/{post.id}/bearbeiten", data={
        "edit-version": "0", "edit-title": "Wer kennt eine Kollegin?",
        "edit-body": "Sie arbeitet bei uns.", "edit-reason": "Keine Namen Dritter (Regel 5)."})
    db.session.expire_all()
    assert db.session.get(Post, post.id).thread.title == "Wer kennt eine Kollegin?"
    decision = db.session.scalar(select(Decision).where(Decision.post_id == post.id))
    assert "Wer kennt Max Mustermann?" in decision.changed_from
    revisions = moderator_client.get(f"/beitraege/{post.id}/versionen")
    assert revisions.status_code == 200 and "Er arbeitet bei uns." in revisions.text
    appeal = reports.file_appeal(decision, None, "Der Name war öffentlich bekannt.")
    reports.decide_appeal(make_user(role=SiteRole.MODERATOR),
                          db.session.get(Appeal, appeal.id), upheld=True, answer="Stimmt.")
    db.session.expire_all()
    restored = db.session.get(Post, post.id)
    assert (restored.thread.title, restored.body_source) == ("Wer kennt Max Mustermann?",
                                                             "Er arbeitet bei uns.")
