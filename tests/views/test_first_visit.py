"""Issue 14: the small things a first-time visitor, a guest, an expert and a moderator trip
over (the ask form, the thread page, the wording)."""

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Thread, ThreadState
from tests.conftest import login
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- the ask form -----------------------------------------------------------------------------

def test_ask_form_sends_with_the_first_submit_button(user_client):
    """Enter presses a form's first submit button: it must be the send button (hidden), not
    "Ähnliche Fragen anzeigen"."""
    page = user_client.get("/fragen/neu").text
    form = page[page.index('<form method="post" novalidate class="stack">'):]
    buttons = re.findall(r'<(?:button|input)[^>]*type="submit"[^>]*>', form)
    assert 'name="submit"' in buttons[0], buttons
    assert any('name="suggest"' in b for b in buttons[1:])


def test_ask_board_select_starts_on_bitte_waehlen(user_client):
    topic = make_topic()
    page = user_client.get("/fragen/neu").text
    assert '<option selected value="">Bitte wählen</option>' in page
    assert f'<option selected value="{topic.board.id}">' not in page
    # sent without choosing: a clear message next to the field, and nothing saved
    response = user_client.post("/fragen/neu", data={
        "board": "", "title": "Wie führen wir Gleitzeit ein?", "body": "Text"})
    assert "Bitte wählen Sie einen Bereich." in response.text
    assert "Not a valid choice" not in response.text
    assert _count(Thread) == 0


def test_ask_board_preselected_by_the_page(user_client):
    topic = make_topic()
    page = user_client.get(f"/fragen/neu?bereich={topic.board.id}").text
    assert f'<option selected value="{topic.board.id}">' in page
    assert '<option selected value="">' not in page


def test_new_user_is_told_the_question_is_checked_first(client, app):
    app.config["PREMODERATION_THRESHOLD"] = 1
    make_topic()
    login(client, make_user())
    page = client.get("/fragen/neu").text
    assert "vor der Veröffentlichung vom Moderationsteam geprüft" in page
    assert 'value="Frage zur Prüfung senden"' in page
    assert "Frage veröffentlichen" not in page


def test_established_user_and_expert_publish_directly(client, app):
    app.config["PREMODERATION_THRESHOLD"] = 1
    make_topic()
    login(client, make_user(approved_post_count=1))
    page = client.get("/fragen/neu").text
    assert 'value="Frage veröffentlichen"' in page and "geprüft" not in page
    client.post("/konto/abmelden")
    login(client, make_expert())
    assert 'value="Frage veröffentlichen"' in client.get("/fragen/neu").text


def test_guest_is_told_the_question_is_checked_after_confirming(client):
    page = client.get("/fragen/neu").text
    assert "Nach Ihrer Bestätigung prüft das Moderationsteam die Frage" in page


def test_log_in_from_the_guest_ask_form_keeps_the_text(client):
    topic = make_topic()
    user = make_user()
    response = client.post("/fragen/neu", data={
        "board": topic.board.id, "title": "Mein Titel der Frage", "body": "Mein Fragetext",
        "display_name": "", "email": "", "anmelden": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/konto/anmelden?next=/fragen/neu")
    assert _count(Thread) == 0
    login(client, user)
    form = client.get("/fragen/neu").text
    assert 'value="Mein Titel der Frage"' in form and "Mein Fragetext" in form
    assert f'<option selected value="{topic.board.id}">' in form


# --- moving one's own waiting question --------------------------------------------------------

def _pending_question(client, app, board):
    app.config["PREMODERATION_THRESHOLD"] = 1
    response = client.post("/fragen/neu", data={
        "board": board.id, "title": "Wie führen wir Gleitzeit ein?", "body": "Text"})
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread.state == ThreadState.PENDING
    return thread


def test_asker_moves_own_pending_question_to_another_board(client, app):
    wrong, right = make_topic(name="Falsches Feld"), make_project(name="Richtiges Projekt")
    login(client, make_user())
    thread = _pending_question(client, app, wrong.board)
    page = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Bereich ändern" in page
    response = client.post(f"/fragen/{thread.id}/bereich", data={"board": right.board.id})
    assert response.status_code == 302
    db.session.refresh(thread)
    assert thread.board_id == right.board.id and thread.state == ThreadState.PENDING
    assert "Richtiges Projekt" in client.get(response.headers["Location"]).text


def test_moving_is_only_for_the_asker_and_only_while_pending(client, app, moderator_client):
    topic, other = make_topic(), make_topic()
    login(client, make_user())
    thread = _pending_question(client, app, topic.board)
    # a moderator moves threads through moderation, not through the asker's form
    page = moderator_client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Bereich ändern" not in page
    assert moderator_client.post(f"/fragen/{thread.id}/bereich",
                                 data={"board": other.board.id}).status_code == 403
    thread.state = ThreadState.OPEN
    thread.posts[0].state = thread.posts[0].state.PUBLISHED
    db.session.commit()
    assert "Bereich ändern" not in client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert client.post(f"/fragen/{thread.id}/bereich",
                       data={"board": other.board.id}).status_code == 403
    db.session.refresh(thread)
    assert thread.board_id == topic.board.id


# --- the thread page --------------------------------------------------------------------------

def test_only_answer_marked_helpful_does_not_say_no_answers(client):
    from forum.services import answers, threads

    asker = make_user()
    thread = make_thread(make_topic().board, asker)
    answer = threads.add_answer(make_expert(), thread, "Die einzige Antwort")
    answers.mark_helpful(asker, answer)
    page = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Hilfreichste Antwort" in page
    assert "Noch keine Antworten" not in page
    assert "Keine weiteren Antworten." in page


def test_me_too_says_what_happened_and_a_second_press_changes_nothing(client):
    thread = make_thread(make_topic().board, make_user())
    url = f"/fragen/{thread.id}-{thread.slug}"
    login(client, make_user())
    assert 'name="setzen" value="1"' in client.get(url).text
    for _press in range(2):  # the same button twice (a double click, a reload)
        response = client.post(f"/fragen/{thread.id}/gleiche-frage", data={"setzen": "1"})
        page = client.get(response.headers["Location"]).text
        assert "Vermerkt: Sie haben die gleiche Frage." in page
        db.session.refresh(thread)
        assert thread.me_too_count == 1
    assert "Angabe „gleiche Frage“ zurücknehmen" in page and 'name="setzen" value="0"' in page
    response = client.post(f"/fragen/{thread.id}/gleiche-frage", data={"setzen": "0"})
    page = client.get(response.headers["Location"]).text
    assert "Zurückgenommen" in page and ">Ich habe die gleiche Frage</button>" in page
    db.session.refresh(thread)
    assert thread.me_too_count == 0


# --- words and punctuation --------------------------------------------------------------------

def test_a_question_asked_today_is_unanswered_since_today(client):
    topic = make_topic()
    make_thread(topic.board, make_user(), title="Heute gestellte Frage hier")
    page = client.get(f"/themen/{topic.slug}").text
    assert "seit heute ohne Antwort" in page
    assert "seit 0 Tagen" not in page


def test_edit_and_report_forms_have_no_doubled_punctuation(client):
    author = make_user()
    thread = make_thread(make_topic().board, author, title="Wie gelingt mobiles Arbeiten?")
    question = thread.posts[0]
    report = client.get(f"/beitraege/{question.id}/melden").text
    assert "?</a>:" not in report and "?</a>." not in report
    sent = client.post(f"/beitraege/{question.id}/melden", data={}).text
    assert "?:" not in sent and ".:" not in sent
    login(client, author)
    edit = client.get(f"/beitraege/{question.id}/bearbeiten").text
    assert "?</a>." not in edit and "?</a>:" not in edit


def test_a_question_is_called_frage_not_thema(user_client):
    thread = make_thread(make_topic().board, make_user())
    page = user_client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Frage beobachten" in page and "Thema beobachten" not in page


# --- titles, slugs and addresses --------------------------------------------------------------

def test_title_is_not_cut_by_the_browser_and_the_limit_is_said(user_client):
    page = user_client.get("/fragen/neu").text
    title_input = re.search(r'<input[^>]*id="title"[^>]*>', page).group(0)
    assert "maxlength" not in title_input and 'data-zeichen-max="200"' in title_input
    assert "Höchstens 200 Zeichen." in page and 'id="title-zaehler"' in page
    assert "js/counter.js" in page
    topic = make_topic()
    too_long = "Wie " + "sehr " * 50 + "lang?"
    response = user_client.post("/fragen/neu", data={
        "board": topic.board.id, "title": too_long, "body": "Text"})
    assert "Der Titel muss 8 bis 200 Zeichen lang sein." in response.text
    assert f'value="{too_long}"' in response.text  # the whole title is kept to shorten
    assert _count(Thread) == 0


def test_slug_is_cut_between_words():
    from forum.services.threads import slugify

    slug = slugify("Wie gestalten wir Arbeitszeitmodelle für Beschäftigte in "
                   "Schichtbetrieben gerecht und familienfreundlich?")
    assert len(slug) <= 60
    assert slug == "wie-gestalten-wir-arbeitszeitmodelle-fuer-beschaeftigte-in"
    assert slugify("a" * 80) == "a" * 60


def test_question_address_without_slug_redirects(client):
    thread = make_thread(make_topic().board, make_user())
    response = client.get(f"/fragen/{thread.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/fragen/{thread.id}-{thread.slug}")
    assert client.get("/fragen/999999").status_code == 404


# --- links and revisions ----------------------------------------------------------------------

def test_bare_addresses_become_links_only_with_a_scheme():
    from forum.markup import render_markdown

    html = render_markdown("Siehe https://www.bmas.de/arbeit?x=1. Und datei.py oder 2.de")
    assert ('<a href="https://www.bmas.de/arbeit?x=1" rel="nofollow noopener noreferrer ugc">'
            "https://www.bmas.de/arbeit?x=1</a>.") in html
    assert "datei.py" in html and 'href="http://datei.py"' not in html
    assert html.count("<a ") == 1
    assert "<a " not in render_markdown("`https://example.de` im Code")
    assert 'href="javascript' not in render_markdown("javascript:alert(1) https://x.de")


def test_revisions_page_shows_what_changed_escaped(client):
    from forum.services import threads

    author = make_user()
    thread = make_thread(make_topic().board, author, title="Wie gelingt mobiles Arbeiten?",
                         body="Erste Zeile\nZweite Zeile\nDritte Zeile")
    question = thread.posts[0]
    threads.edit_post(author, question, "Erste Zeile\nZweite <b>Zeile</b> neu\nDritte Zeile",
                      title="Wie gelingt mobiles Arbeiten gut?")
    login(client, author)
    page = client.get(f"/beitraege/{question.id}/versionen").text
    assert '<span class="visually-hidden">entfernt: </span>− Zweite Zeile</del>' in page
    assert "+ Zweite &lt;b&gt;Zeile&lt;/b&gt; neu</ins>" in page  # typed HTML stays text
    assert "<b>Zeile</b>" not in page
    assert "<del>Wie gelingt mobiles Arbeiten?</del> → <ins>Wie gelingt mobiles Arbeiten gut?" \
        "</ins>" in page


def test_diff_folds_long_unchanged_stretches():
    from forum.services.revisions import diff_lines

    before = "\n".join(f"Zeile {n}" for n in range(20))
    after = before.replace("Zeile 10", "Zeile zehn")
    kinds = [line.kind for line in diff_lines(before, after)]
    assert kinds == ["gap", "same", "same", "removed", "added", "same", "same", "gap"]


# --- the report form --------------------------------------------------------------------------

def _question(author=None):
    thread = make_thread(make_topic().board, author or make_user(),
                         title="Wie gelingt mobiles Arbeiten?")
    return thread.posts[0]


def test_report_form_says_every_problem_at_once(client):
    question = _question()
    page = client.post(f"/beitraege/{question.id}/melden",
                       data={"category": "illegal", "ground": "", "explanation": ""}).text
    assert 'id="explanation-fehler"' in page  # the form's own "required"
    for message in ("Bitte nennen Sie das Gesetz oder die Dialogregel",
                    "Bei rechtswidrigen Inhalten brauchen wir Ihren Namen",
                    "Bei rechtswidrigen Inhalten brauchen wir Ihre E-Mail-Adresse",
                    "Bitte bestätigen Sie, dass Ihre Angaben"):
        assert message in page, message


def test_report_form_marks_its_required_choice(client):
    page = client.get(f"/beitraege/{_question().id}/melden").text
    legend = re.search(r"<legend>Was ist das Problem\?[^<]*(<span[^>]*>[^<]*</span>)?", page)
    assert legend and "Pflichtfeld" in legend.group(0)


def test_report_form_of_logged_in_user_says_nothing_about_name_and_address(user_client):
    question = _question()
    page = user_client.get(f"/beitraege/{question.id}/melden").text
    assert 'name="email"' not in page
    assert "dann sind Name und E-Mail freiwillig" not in page
    assert "Ein Konto brauchen Sie dafür nicht" not in page
    sent = user_client.post(f"/beitraege/{question.id}/melden", data={
        "category": "illegal", "ground": "§ 185 StGB", "explanation": "Beleidigung"}).text
    assert "brauchen wir Ihren Namen" not in sent and "brauchen wir Ihre E-Mail" not in sent
    assert "Bitte bestätigen Sie, dass Ihre Angaben" in sent


# --- after sending: registration and a guest's question ---------------------------------------

def test_registering_redirects_so_a_reload_sends_nothing_again(client, smtp_sink):
    response = client.post("/konto/registrieren", data={
        "email": "neu@example.org", "display_name": "Neue Person",
        "password": "ein-langes-passwort", "password_confirm": "ein-langes-passwort"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/konto/registriert"
    page = client.get("/konto/registriert").text
    assert "Bitte prüfen Sie Ihr Postfach" in page and "an neu@example.org geschickt" in page
    assert len(smtp_sink[1]) == 1


def _guest_asks(client, email="gast@exampel.org"):
    topic = make_topic()
    response = client.post("/fragen/neu", data={
        "board": topic.board.id, "title": "Wie plane ich Schichten fair?", "body": "Text",
        "display_name": "Gast Person", "email": email})
    assert response.headers["Location"] == "/gast/gesendet"
    return topic


def test_guest_sees_the_address_and_can_resend(client, smtp_sink):
    _guest_asks(client)
    page = client.get("/gast/gesendet").text
    assert "an gast@exampel.org geschickt" in page
    assert "E-Mail noch einmal senden" in page and "Adresse korrigieren" in page
    response = client.post("/gast/gesendet/erneut")
    assert "noch einmal an gast@exampel.org" in client.get(response.headers["Location"]).text
    mails = [m for m in smtp_sink[1] if m["To"] == "gast@exampel.org"]
    assert len(mails) == 2


def test_guest_corrects_a_mistyped_address(client, smtp_sink):
    from forum.models import GuestLink
    from forum.services import guests

    _guest_asks(client)
    first = db.session.scalar(select(GuestLink))
    refused = client.post("/gast/gesendet/adresse", data={"email": "kein-at"})
    assert refused.status_code == 200 and "gültige E-Mail-Adresse" in refused.text
    response = client.post("/gast/gesendet/adresse", data={"email": "gast@example.org"})
    page = client.get(response.headers["Location"]).text
    assert "Die Adresse ist korrigiert" in page and "an gast@example.org geschickt" in page
    db.session.refresh(first)
    assert first.revoked_at is not None  # the link sent to the wrong address stops
    fresh = db.session.scalar(select(GuestLink).where(GuestLink.revoked_at.is_(None)))
    assert fresh.user.email == "gast@example.org"
    assert fresh.thread.author_id == fresh.user_id == fresh.thread.posts[0].author_id
    assert [m["To"] for m in smtp_sink[1]] == ["gast@exampel.org", "gast@example.org"]
    assert guests.confirm(fresh)
    # confirmed: nothing is left to resend or correct
    assert "Adresse korrigieren" not in client.get("/gast/gesendet").text


def test_resend_and_correct_need_the_csrf_token(client, app, smtp_sink):
    _guest_asks(client)
    app.config["WTF_CSRF_ENABLED"] = True
    client.post("/gast/gesendet/erneut")
    refused = client.post("/gast/gesendet/adresse", data={"email": "gast@example.org"})
    assert "Das Formular war zu lange geöffnet" in refused.text
    assert [m["To"] for m in smtp_sink[1]] == ["gast@exampel.org"]


# --- mails ------------------------------------------------------------------------------------

# Flask-Mail's own header encoding turned this into "Zukun ftswerkstättenfürBeschäftigte"
LONG_TITLE = ("Welche Erfahrungen gibt es mit Zukunftswerkstätten für Beschäftigte in kleinen "
              "und mittleren Unternehmen?")


def test_long_subject_with_umlauts_arrives_whole(app, smtp_sink):
    from forum.services import threads

    asker = make_user(email="fragende@example.org")
    thread = threads.create_thread(asker, make_topic().board, LONG_TITLE, "Text")
    threads.add_answer(make_expert(display_name="Dr. Erika Fachperson"), thread, "Antwort")
    mails = [m for m in smtp_sink[1] if m["To"] == "fragende@example.org"]
    assert mails, [m["Subject"] for m in smtp_sink[1]]
    subject = str(mails[0]["Subject"])
    assert subject == f"Neue Antwort auf die Frage: {LONG_TITLE}", subject
    raw = mails[0].as_string()
    assert all(len(line) <= 998 for line in raw.splitlines())


@pytest.mark.parametrize("subject", [
    "Neue Frage in Arbeitszeit und Arbeitsort: Wie haben die Zukunftswerkstätten in der "
    "Metallindustrie Design Thinking eingeführt?",
    "Übergänge für alle", "ä ö ü  zwei Leerzeichen", "Nur ASCII " * 20, "Ä" * 200 + " x"])
def test_subjects_fold_and_come_back_whole(subject):
    from email import message_from_bytes
    from email.message import EmailMessage
    from email.policy import default

    from forum.mails import SMTP_POLICY

    message = EmailMessage(policy=SMTP_POLICY)
    message["Subject"] = subject
    message.set_content("Text")
    raw = message.as_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    assert str(message_from_bytes(raw, policy=default)["Subject"]) == subject


def test_mails_to_a_guest_lead_to_their_personal_page_and_say_who_answered(app, smtp_sink):
    from forum.models import Anonymous, SiteRole
    from forum.services import guests, moderation, threads

    topic = make_topic()
    link = guests.ask(Anonymous(), topic.board, "Gast Person", "gast@example.org",
                      "Wie plane ich Schichten fair?", "Text")
    guests.confirm(link)
    moderation.approve_post(make_user(role=SiteRole.MODERATOR), link.thread.posts[0])
    threads.add_answer(make_expert(display_name="Dr. Erika Fachperson"), link.thread,
                       "Mit einem **Dienstplan**, den alle mitgestalten.")
    to_guest = {m["Subject"]: m.get_body(("plain",)).get_content()
                for m in smtp_sink[1] if m["To"] == "gast@example.org"}
    approved = to_guest["Ihr Beitrag ist freigegeben"]
    answered = to_guest["Neue Antwort auf die Frage: Wie plane ich Schichten fair?"]
    for body in (approved, answered):
        assert "http://localhost/gast/" in body, body
        assert "/fragen/" not in body, body
    assert "Dr. Erika Fachperson schreibt:" in answered
    assert "„Mit einem Dienstplan, den alle mitgestalten.“" in answered


def test_notification_to_an_account_links_the_public_page_with_an_excerpt(app, smtp_sink):
    from forum.services import threads

    asker = make_user(email="fragende@example.org")
    thread = threads.create_thread(asker, make_topic().board, "Wie plane ich Schichten?", "T")
    threads.add_answer(make_expert(display_name="Dr. Erika Fachperson"), thread, "Gemeinsam.")
    body = next(m for m in smtp_sink[1] if m["To"] == "fragende@example.org"
                ).get_body(("plain",)).get_content()
    assert f"/fragen/{thread.id}-{thread.slug}" in body
    assert "Dr. Erika Fachperson schreibt:" in body and "„Gemeinsam.“" in body


def test_mail_footers_link_settings_only_for_accounts(client, smtp_sink):
    from forum.models import Anonymous
    from forum.services import guests

    question = _question()
    client.post(f"/beitraege/{question.id}/melden", data={
        "category": "spam", "explanation": "Werbung", "good_faith": "y",
        "email": "melder@example.org"})
    guests.ask(Anonymous(), make_topic().board, "Gast Person", "gast@example.org",
               "Wie plane ich Schichten fair?", "Text")
    bodies = {m["To"]: m.get_body(("plain",)).get_content() for m in smtp_sink[1]}
    assert "/konto/benachrichtigungen" not in bodies["melder@example.org"]
    assert "/gast/" not in bodies["melder@example.org"].split("-- ")[-1]
    assert "/konto/benachrichtigungen" not in bodies["gast@example.org"]
    assert "/gast/link-anfordern" in bodies["gast@example.org"]


# --- unsubscribing ----------------------------------------------------------------------------

def _unsubscribe_path(message) -> str:
    return re.search(r"<http://localhost(/abbestellen/\S+)>",
                     message["List-Unsubscribe"]).group(1)


def test_unsubscribe_asks_first_says_what_stops_and_stops_only_the_mails(client, smtp_sink):
    from forum.models import Notification, Watch, WatchMode
    from forum.services import notifications

    project = make_project(name="Zukunft & Arbeit")
    reader = make_user(email="leserin@example.org")
    notifications.watch(reader, "project", project.id)
    make_thread(project.board, make_expert(), title="Erste Frage im Projekt")
    path = _unsubscribe_path(smtp_sink[1][0])
    page = client.get(path).text
    assert "Sie erhalten keine" not in page  # nothing has happened yet
    assert "neue Fragen in „Zukunft &amp; Arbeit“" in page
    assert "Keine E-Mails mehr, nur im Forum" in page and "Gar nicht mehr beobachten" in page
    done = client.post(path, data={"beobachten": "weiter"}).text
    assert "Sie erhalten keine E-Mails mehr über neue Fragen in „Zukunft &amp; Arbeit“" in done
    watch = db.session.scalar(select(Watch).where(Watch.user_id == reader.id))
    assert watch.mode == WatchMode.SITE
    # still watched in the forum: a new question is a notification there, without a mail
    make_thread(project.board, make_expert(), title="Zweite Frage im Projekt")
    assert len([m for m in smtp_sink[1] if m["To"] == reader.email]) == 1
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == reader.id)) == 2
    # the second option ends the watch, and says so
    done = client.post(path, data={"beobachten": "beenden"}).text
    assert "nicht mehr" in done and "beobachten" in done
    assert db.session.scalar(select(Watch).where(Watch.user_id == reader.id)) is None


def test_digest_unsubscribe_names_what_it_reports_and_keeps_the_watches(client, runner):
    from forum.models import Watch, WatchMode
    from forum.services import notifications

    reader = make_user()
    topic = make_topic(name="Arbeitszeit")
    notifications.watch(reader, "topic_field", topic.id, WatchMode.DIGEST)
    token = notifications.digest_unsubscribe_token(reader)
    page = client.get(f"/abbestellen/{token}").text
    assert "Sie erhalten keine tägliche Übersicht mehr" not in page
    assert "neue Fragen in „Arbeitszeit“" in page
    done = client.post(f"/abbestellen/{token}").text
    assert "Sie erhalten keine tägliche Übersicht mehr" in done
    assert db.session.scalars(select(Watch.mode).where(Watch.user_id == reader.id)).all() == [
        WatchMode.SITE]


def test_broken_unsubscribe_and_statement_links_explain_what_to_do(client):
    page = client.get("/abbestellen/kaputt")
    assert page.status_code == 404
    assert "Abbestell-Link funktioniert nicht" in page.text
    assert "/konto/benachrichtigungen/einstellungen" in page.text
    page = client.get("/entscheidungen/kaputt")
    assert page.status_code == 404
    assert "Link zur Begründung funktioniert nicht" in page.text
    assert "Impressum" in page.text


# --- for staff ----------------------------------------------------------------------------------

def test_rejected_question_is_labelled_rejected_not_hidden(client, moderator_client):
    from forum.models import SiteRole
    from forum.services import moderation
    from tests.factories import make_reason

    author = make_user()
    thread = make_thread(make_topic().board, author, title="Eine abgelehnte Frage hier")
    question = thread.posts[0]
    question.state = question.state.PENDING
    thread.state = ThreadState.PENDING
    db.session.commit()
    moderation.reject_post(make_user(role=SiteRole.MODERATOR), question, reason=make_reason(),
                           facts="Kein Bezug")
    page = moderator_client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert '<span class="badge">Abgelehnt</span>' in page
    assert '<span class="badge">Ausgeblendet</span>' not in page


def test_queue_calls_a_followup_a_followup_and_boards_have_no_inner_spaces(moderator_client):
    from forum.services import threads

    project = make_project(name="PFL-EX")
    project.board.require_approval = True
    db.session.commit()
    asker = make_user()
    thread = make_thread(project.board, asker, title="Frage mit Rückfrage hier")
    thread.state = ThreadState.OPEN
    db.session.commit()
    followup = threads.add_followup(asker, thread, "Meine Rückfrage")
    queue = moderator_client.get("/moderation").text
    assert "Rückfrage in: Frage mit Rückfrage hier" in queue
    detail = moderator_client.get(f"/moderation/beitraege/{followup.id}").text
    assert ">PFL-EX</a>)" in detail and "(<a " in detail


def test_answers_without_a_role_say_forumsmitglied_in_german(client):
    from datetime import timedelta

    from forum.models import ExpertVerification
    from forum.models.expert import today
    from tests.factories import make_answer

    thread = make_thread(make_topic().board, make_user())
    former = make_expert(display_name="Ehemals Fachperson")
    make_answer(thread, former)
    verification = db.session.scalar(select(ExpertVerification))
    verification.valid_from = today() - timedelta(days=400)
    verification.valid_until = today() - timedelta(days=1)
    db.session.commit()
    page = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert ">Forumsmitglied<" in page and ">Community<" not in page


def test_project_moderators_are_not_the_team_and_post_as_moderation(client, admin_client):
    from forum.models import ProjectRole
    from tests.factories import make_answer

    project = make_project(name="Werkstatt")
    moderator = make_user(display_name="Paula Projektmoderation", project=project,
                          project_role=ProjectRole.MODERATOR)
    thread = make_thread(project.board, make_user())
    make_answer(thread, moderator)
    admin_page = admin_client.get(f"/admin/projekte/{project.id}").text
    row = admin_page[admin_page.index("Paula Projektmoderation"):][:200]
    assert "Moderation des Projektbereichs" in row and "Mitglied" not in row
    project_page = client.get(f"/projekte/{project.slug}").text
    team = project_page[project_page.index('id="team"'):project_page.index('id="fragen"')]
    assert "Paula Projektmoderation" not in team
    thread_page = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    header = thread_page[thread_page.index("Paula Projektmoderation"):][:300]
    assert "Moderation" in header and "Projektteam" not in header


def test_guests_are_not_listed_as_accounts(admin_client):
    from forum.models import Anonymous
    from forum.services import guests

    make_user(display_name="Konto Person")
    guests.ask(Anonymous(), make_topic().board, "Gast Person", "gast@example.org",
               "Wie plane ich Schichten fair?", "Text")
    page = admin_client.get("/admin/nutzende").text
    assert "Konto Person" in page and "Gast Person" not in page
