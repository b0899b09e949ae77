"""Moderation as the people involved walk it, in a real browser against the live server.

- A new person's question waits for approval; a moderator rejects it with a reason from the
  catalogue; the author reads the statement of reasons and sees the rejection in "Meine
  Beiträge". (Approval from the queue is walked in test_main_flow.py.)
- A guest reports a published post; the reporter gets an acknowledgement; moderator A hides the
  post with a rule and the facts; the author gets the statement of reasons by mail, opens it
  without logging in and appeals; moderator A may not decide the appeal, moderator B upholds
  it; the post is public again; the appellant gets the answer, the reporter got the outcome.
- Every moderation page, in each of its states, has zero axe-core WCAG 2.1 A/AA violations.
"""

import re

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from tests.factories import make_user

pytestmark = pytest.mark.browser

REPORTED_TITLE = "Sind Großraumbüros für alle das Richtige?"
REPORTED_TEXT = "Wer das anders sieht, hat keine Ahnung von Arbeit."
REPORTER = "meldende.person@browser.example"
RULE = "Dialogregel 2: respektvoll bleiben"
CATALOGUE_GROUND = "Dialogregeln, Regel 1: sachlich und respektvoll bleiben"  # "Beleidigung"
FACTS = "Der Beitrag spricht allen Andersdenkenden pauschal die Sachkenntnis ab."
APPEAL = "Das war zugespitzt, aber keine Herabsetzung einzelner Personen."
ANSWER = "Nach nochmaliger Prüfung ist die Äußerung noch von der Dialogregel gedeckt."

STATEMENT_LINK = re.compile(r"(http://\S+/entscheidungen/\S+)")


def body_of(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def statement_link(live, mail) -> str:
    match = STATEMENT_LINK.search(body_of(mail))
    assert match, body_of(mail)
    link = match.group(1)
    assert link.startswith(live.url + "/"), link
    return link


def open_queue(page):
    page.get_by_role("navigation", name="Konto").get_by_role(
        "link", name=re.compile(r"^Moderation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation: Warteschlange")


def queue_section(page, name: str):
    return page.get_by_role("region", name=re.compile("^" + re.escape(name)))


def drop_expected_status(traffic, status: int) -> None:
    """Chromium logs the error status of a document itself; a test expecting one removes it."""
    traffic.console_errors[:] = [e for e in traffic.console_errors
                                 if f"status of {status}" not in e]


# --- (a) a new person's question, rejected with a reason from the catalogue -------------------

def test_new_question_waits_and_is_rejected_with_a_reason(page, live, check_axe, log_in,
                                                          log_out, take_time, traffic):
    title = "Lohnt sich ein Besuch in jedem Experimentierraum?"
    with live.app.app_context():  # a person of this test's own: nobody approved anything yet
        newcomer = make_user(display_name="Browser Erstfragende",
                             email="erstfragende@browser.example").email
        db.session.remove()

    # A new person asks; the question waits for approval.
    log_in(page, newcomer)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Frage stellen").click()
    page.get_by_label("Wo möchten Sie fragen?").select_option(label="Arbeitszeit und Arbeitsort")
    page.get_by_label("Ihre Frage in einem Satz").fill(title)
    page.get_by_label("Text").fill("Ich würde gern alle besuchen. Wer kommt mit?")
    take_time(page)
    page.get_by_role("button", name="Frage zur Prüfung senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".post-question .badge-pending")).to_have_text("Wartet auf Freigabe")
    thread_path = page.url.removeprefix(live.url)
    log_out(page)

    # Visitors do not see it.
    assert page.goto(thread_path).status == 404
    drop_expected_status(traffic, 404)

    # A moderator sees it in the queue (the navigation counts it) and rejects it.
    log_in(page, live.users["moderator"])
    expect(page.get_by_role("navigation", name="Konto").get_by_role(
        "link", name=re.compile(r"^Moderation"))).to_contain_text(re.compile(r"\d+ warte"))
    open_queue(page)
    queue_section(page, "Beiträge, die auf Freigabe warten").get_by_role(
        "link", name=re.compile(re.escape(title))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beitrag moderieren")
    check_axe(page, "moderation: pending post")

    reject = page.get_by_role("form", name="Ablehnen")
    reject.get_by_role("button", name="Ablehnen und Begründung senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    reject = page.get_by_role("form", name="Ablehnen")
    expect(reject.get_by_label("Tatsachen und Umstände")).to_have_attribute("aria-invalid", "true")
    check_axe(page, "moderation: reject with errors")
    reject.get_by_label("Grund").select_option(label="Kein Bezug zum Dialog")
    reject.get_by_label("Tatsachen und Umstände").fill("Die Frage sucht Reisebegleitung.")
    reject.get_by_role("button", name="Ablehnen und Begründung senden").click()
    expect(page.get_by_role("status")).to_contain_text("Die Entscheidung ist gespeichert.")
    expect(page.get_by_role("link", name=re.compile(re.escape(title)))).to_have_count(0)
    log_out(page)

    # The author's statement of reasons names the catalogue's rule and its explanation.
    mail = live.wait_for_mail(newcomer, subject="Ihr Beitrag wurde abgelehnt")
    text = body_of(mail)
    assert "Dialogregel 3" in text and "Die Frage sucht Reisebegleitung." in text, text
    assert "keine automatisierten Mittel" in text, text
    page.goto(statement_link(live, mail))
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Abgelehnt")
    expect(facts).to_contain_text("Dialogregel 3 (Dialogregeln)")
    expect(facts).to_contain_text("Beiträge müssen zum Thema des Bereichs passen.")
    expect(facts).to_contain_text(
        "Die Entscheidung beruht auf einer Prüfung durch das Moderationsteam ohne Meldung.")

    # "Meine Beiträge" lists it as rejected, with the way to the statement.
    log_in(page, newcomer)
    page.get_by_role("navigation", name="Konto").get_by_role("link", name="Meine Beiträge").click()
    expect(page.get_by_role("region", name="Nicht öffentliche Beiträge").get_by_role(
        "listitem").filter(has_text=title)).to_contain_text("Abgelehnt")
    decisions = page.get_by_role("region", name=re.compile("^Entscheidungen des Moderationsteams"))
    expect(decisions.get_by_role("link", name="Begründung lesen und Beschwerde einlegen")
           ).to_have_count(1)
    check_axe(page, "my posts with a rejected one")


# --- (b) report, hide with reasons, appeal, second moderator upholds --------------------------

def test_report_hide_appeal_uphold(page, live, check_axe, log_in, log_out, traffic,
                                   screenshots_dir):
    author = live.users["author"]

    # A guest reads the thread and reports its question.
    page.goto(live.reported_thread_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(REPORTED_TITLE)
    page.get_by_role("link", name=re.compile("^Beitrag melden")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beitrag melden")
    expect(page.locator("blockquote")).to_contain_text(REPORTED_TEXT)
    check_axe(page, "report form")

    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    expect(page.get_by_label("Warum melden Sie den Beitrag?")).to_have_attribute(
        "aria-invalid", "true")
    check_axe(page, "report form with errors")

    page.get_by_role("group", name="Was ist das Problem?").get_by_label(
        re.compile("^Verstoß gegen die Dialogregeln")).check()
    page.get_by_label("Welches Gesetz oder welche Dialogregel?").fill(RULE)
    page.get_by_label("Warum melden Sie den Beitrag?").fill(
        "Der Beitrag wertet alle ab, die eine andere Meinung haben.")
    page.get_by_label("Ihr Name").fill("Meldende Person")
    page.get_by_label("Ihre E-Mail-Adresse").fill(REPORTER)
    page.get_by_label(re.compile("^Ich bin in gutem Glauben")).check()
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Meldung")
    expect(page.locator("main")).to_contain_text("Eingangsbestätigung")
    check_axe(page, "report thanks")

    received = live.wait_for_mail(REPORTER, subject="Ihre Meldung ist eingegangen")
    assert "Verstoß gegen die Dialogregeln" in body_of(received), body_of(received)

    # Moderator A finds the reported post in the queue and hides it, first forgetting the
    # grounds.
    log_in(page, live.users["moderator"])
    open_queue(page)
    reported = queue_section(page, "Gemeldete Beiträge")
    item = reported.get_by_role("listitem").filter(has_text=REPORTED_TITLE)
    expect(item).to_contain_text(re.compile(r"\d+ Meldung"))  # the keyboard walk may report too
    check_axe(page, "queue with items")
    page.screenshot(path=screenshots_dir / "moderation-queue.png", full_page=True)
    item.get_by_role("link", name=re.compile(re.escape(REPORTED_TITLE))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beitrag moderieren")
    reports_region = page.get_by_role("region", name="Meldungen zu diesem Beitrag")
    expect(reports_region).to_contain_text(RULE)
    expect(reports_region).to_contain_text("Meldende Person")
    expect(reports_region).to_contain_text(REPORTER)
    expect(page.get_by_role("region", name="Wer den Beitrag geschrieben hat")).to_contain_text(
        "Browser Autorin")

    # A claims the item: B would see who handles it.
    page.get_by_role("button", name="Ich bearbeite das").click()
    expect(page.get_by_role("status")).to_contain_text("Sie bearbeiten diesen Eintrag jetzt")
    expect(page.get_by_role("region", name="Wer bearbeitet das?")).to_contain_text(
        "Sie bearbeiten diesen Eintrag seit")
    check_axe(page, "moderation: reported post, claimed")

    hide = page.get_by_role("form", name="Ausblenden")
    hide.get_by_role("button", name="Ausblenden und Begründung senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    hide = page.get_by_role("form", name="Ausblenden")
    expect(hide.get_by_label("Regel oder Rechtsvorschrift")).to_have_attribute(
        "aria-invalid", "true")
    expect(hide.get_by_label("Tatsachen und Umstände")).to_have_attribute("aria-invalid", "true")
    check_axe(page, "moderation: hide with errors")
    hide.get_by_label("Textbaustein").select_option(label="Beleidigung")
    hide.get_by_label("Tatsachen und Umstände").fill(FACTS)
    hide.get_by_role("button", name="Ausblenden und Begründung senden").click()
    expect(page.get_by_role("status")).to_contain_text("Die Entscheidung ist gespeichert.")
    expect(queue_section(page, "Gemeldete Beiträge").get_by_role(
        "link", name=REPORTED_TITLE)).to_have_count(0)
    log_out(page)

    # The post is gone from public view.
    assert page.goto(live.reported_thread_path).status == 404
    drop_expected_status(traffic, 404)

    # The reporter hears the outcome; the author gets the statement of reasons.
    outcome = live.wait_for_mail(REPORTER, subject="Ergebnis Ihrer Meldung")
    assert "Ausgeblendet" in body_of(outcome), body_of(outcome)
    reporter_link = statement_link(live, outcome)
    statement = live.wait_for_mail(author, subject="Ihr Beitrag wurde ausgeblendet")
    text = body_of(statement)
    for expected in (CATALOGUE_GROUND, FACTS, REPORTED_TEXT, "beruht auf einer Meldung",
                     "keine automatisierten Mittel", "kostenlos Beschwerde einlegen"):
        assert expected in text, f"{expected!r} missing in:\n{text}"

    # The author opens the statement (no login needed) and appeals, first sending nothing.
    link = statement_link(live, statement)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Begründung der Entscheidung")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Ausgeblendet")
    expect(facts).to_contain_text(REPORTED_TITLE)
    expect(facts).to_contain_text(f"{CATALOGUE_GROUND} (Dialogregeln)")
    expect(facts).to_contain_text(FACTS)
    expect(facts).to_contain_text("Die Entscheidung beruht auf einer Meldung.")
    expect(facts).to_contain_text("keine automatisierten Mittel")
    expect(facts).to_contain_text("Beschwerde möglich bis")
    check_axe(page, "statement with appeal form")
    page.screenshot(path=screenshots_dir / "statement.png", full_page=True)

    page.get_by_role("button", name="Beschwerde einlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "statement, appeal with errors")
    page.get_by_label("Ihre Beschwerde").fill(APPEAL)
    page.get_by_role("button", name="Beschwerde einlegen").click()
    expect(page.get_by_role("status").filter(has_text="Ihre Beschwerde ist eingegangen")
           ).to_be_visible()
    expect(page.get_by_role("button", name="Beschwerde einlegen")).to_have_count(0)
    check_axe(page, "statement after appeal sent")
    page.goto(link)
    expect(page.get_by_role("region", name="Beschwerde einlegen")).to_contain_text(
        re.compile(r"Ihre Beschwerde vom .*: offen\."))
    expect(page.get_by_role("button", name="Beschwerde einlegen")).to_have_count(0)

    # Moderator A made the decision and may not decide the appeal: it is not in A's queue,
    # and its address (taken from moderator B's queue) shows why instead of a form.
    log_in(page, live.users["moderator2"])
    open_queue(page)
    appeal_href = queue_section(page, "Beschwerden").get_by_role("listitem").filter(
        has_text=REPORTED_TITLE).get_by_role("link").first.get_attribute("href")
    log_out(page)
    log_in(page, live.users["moderator"])
    open_queue(page)
    expect(queue_section(page, "Beschwerden").get_by_role("listitem").filter(
        has_text=REPORTED_TITLE)).to_have_count(0)
    page.goto(appeal_href)
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschwerde entscheiden")
    expect(page.locator("main")).to_contain_text("entscheidet eine andere Person")
    expect(page.get_by_role("button", name="Entscheidung speichern")).to_have_count(0)
    log_out(page)

    # Moderator B upholds it, first forgetting the reasons.
    log_in(page, live.users["moderator2"])
    open_queue(page)
    item = queue_section(page, "Beschwerden").get_by_role("listitem").filter(
        has_text=REPORTED_TITLE)
    expect(item).not_to_contain_text("eine andere Person muss entscheiden")
    item.get_by_role("link", name=re.compile("^Beschwerde gegen: Ausgeblendet")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschwerde entscheiden")
    expect(page.locator("dl.facts")).to_contain_text(APPEAL)
    check_axe(page, "appeal decision")
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "appeal decision with errors")
    page.get_by_role("group", name="Entscheidung").get_by_label(
        "Der Beschwerde wird abgeholfen").check()
    page.get_by_label("Begründung für die beschwerdeführende Person").fill(ANSWER)
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Die Beschwerde ist entschieden.")
    expect(queue_section(page, "Beschwerden").get_by_role(
        "link", name=re.compile(re.escape(REPORTED_TITLE)))).to_have_count(0)

    # The log shows both decisions.
    page.get_by_role("navigation", name="Moderation").get_by_role(
        "link", name="Protokoll").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderationsprotokoll")
    log_rows = page.get_by_role("table").get_by_role("row").filter(has_text=REPORTED_TITLE)
    expect(log_rows.filter(has_text="Beschwerde: abgeholfen")).to_have_count(1)
    expect(log_rows.filter(has_text="Ausgeblendet (nach Meldung)")).to_contain_text(
        "Browser Moderation A")
    check_axe(page, "moderation log")
    page.get_by_label("Aktion").select_option(label="Ausgeblendet")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_role("table").get_by_role("row").filter(
        has_text="Beschwerde: abgeholfen")).to_have_count(0)
    check_axe(page, "moderation log, filtered")
    log_out(page)

    # The post is public again.
    assert page.goto(live.reported_thread_path).status == 200
    expect(page.locator(".post-question .post-body")).to_have_text(REPORTED_TEXT)

    # The appellant gets the answer; the statement page shows it.
    answer = live.wait_for_mail(author, subject="Antwort auf Ihre Beschwerde")
    assert "Der Beschwerde wird abgeholfen" in body_of(answer), body_of(answer)
    assert ANSWER in body_of(answer), body_of(answer)
    page.goto(link)
    expect(page.get_by_role("region", name="Beschwerde einlegen")).to_contain_text(
        f"Antwort: {ANSWER}")
    expect(page.get_by_role("status").filter(has_text="aufgehoben")).to_contain_text(
        re.compile(r"Diese Entscheidung wurde am .* aufgehoben\."))
    check_axe(page, "statement with the appeal decided")

    # The reporter's link shows the decision on the report (no appeal: action was taken).
    page.goto(reporter_link)
    expect(page.locator("main")).to_contain_text("Sie haben am")
    expect(page.locator("dl.facts")).to_contain_text("Ausgeblendet")
    check_axe(page, "statement for the reporter")


# --- (c) an account suspended for seven days cannot post, until the suspension is lifted -----

def test_seven_day_suspension(page, live, check_axe, log_in, log_out, take_time, traffic):
    log_in(page, live.users["moderator"])
    page.goto(f"/moderation/beitraege/{live.question_id}")
    page.get_by_role("region", name="Wer den Beitrag geschrieben hat").get_by_role(
        "link", name="Browser Fragende").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konto: Browser Fragende")
    check_axe(page, "account page")
    measure = page.get_by_role("form", name="Maßnahme treffen")
    measure.get_by_role("group", name="Maßnahme").get_by_label(
        re.compile("^Vorübergehend sperren")).check()
    measure.get_by_role("button", name="Maßnahme treffen und Begründung senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "account page, measure with errors")
    measure = page.get_by_role("form", name="Maßnahme treffen")
    expect(measure.get_by_role("group", name="Maßnahme").get_by_label(
        re.compile("^Vorübergehend sperren"))).to_be_checked()  # nothing chosen is lost
    measure.get_by_label("Dauer der Sperre in Tagen").fill("7")
    measure.get_by_label("Textbaustein").select_option(label="Werbung")
    measure.get_by_label("Tatsachen und Umstände").fill("Drei Beiträge warben für ein Seminar.")
    measure.get_by_role("button", name="Maßnahme treffen und Begründung senden").click()
    expect(page.get_by_role("status")).to_contain_text("Die Maßnahme ist gespeichert")
    expect(page.get_by_role("region", name="Maßnahmen gegen das Konto")).to_contain_text(
        "Konto vorübergehend gesperrt")
    log_out(page)

    mail = live.wait_for_mail(live.users["asker"], subject="vorübergehend gesperrt")
    assert "Drei Beiträge warben für ein Seminar." in body_of(mail), body_of(mail)
    page.goto(statement_link(live, mail))
    expect(page.locator("dl.facts")).to_contain_text("Gilt bis")
    check_axe(page, "statement of an account measure")

    # The account reads, but cannot ask.
    log_in(page, live.users["asker"])
    page.goto(live.thread_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wie testen wir barrierefreie Formulare?")
    page.goto("/fragen/neu")
    page.get_by_label("Wo möchten Sie fragen?").select_option(label="Arbeitszeit und Arbeitsort")
    page.get_by_label("Ihre Frage in einem Satz").fill("Darf ich trotz Sperre fragen?")
    page.get_by_label("Text").fill("Ich versuche es einfach einmal.")
    take_time(page)
    page.get_by_role("button", name=re.compile("^Frage")).last.click()
    expect(page.locator("main")).to_contain_text("gesperrt")
    expect(page.get_by_role("alert")).to_contain_text("gesperrt")
    expect(page.get_by_label("Ihre Frage in einem Satz")).to_have_value(
        "Darf ich trotz Sperre fragen?")  # nothing typed is lost
    check_axe(page, "ask refused while suspended")
    log_out(page)

    # Lifted again (the other browser tests use this account).
    log_in(page, live.users["moderator"])
    page.goto(f"/moderation/beitraege/{live.question_id}")
    page.get_by_role("region", name="Wer den Beitrag geschrieben hat").get_by_role(
        "link", name="Browser Fragende").click()
    lift = page.get_by_role("form", name="Sperre aufheben")
    lift.get_by_label("Warum endet die Sperre?").fill("Test abgeschlossen.")
    lift.get_by_role("button", name="Sperre aufheben").click()
    expect(page.get_by_role("status")).to_contain_text("Die Sperre ist aufgehoben.")
    log_out(page)


# --- the other moderation pages, as their people see them ----------------------------------

def test_empty_queue(page, live, check_axe, log_in, traffic):
    """A project moderator whose board has nothing waiting."""
    log_in(page, live.users["project_moderator"])
    open_queue(page)
    for name, empty in (("Beiträge, die auf Freigabe warten", "Nichts wartet auf Freigabe."),
                        ("Gemeldete Beiträge", "Keine offenen Meldungen."),
                        ("Beschwerden", "Keine offenen Beschwerden.")):
        expect(queue_section(page, name)).to_contain_text(empty)
    check_axe(page, "empty queue")
    # Site-wide pages are not theirs.
    assert page.goto("/moderation/transparenz").status == 403
    drop_expected_status(traffic, 403)


def test_transparency_report(page, live, check_axe, log_in):
    log_in(page, live.users["moderator"])
    page.goto("/moderation")
    page.get_by_role("navigation", name="Moderation").get_by_role(
        "link", name="Transparenzbericht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transparenzbericht")
    expect(page.locator("main")).to_contain_text("Automatisierte Entscheidungen: 0.")
    check_axe(page, "transparency report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Zahlen als CSV").click()
    assert re.fullmatch(r"transparenz-\d{4}-01-01-bis-[-\d]{10}\.csv",
                        download.value.suggested_filename)


def test_my_posts_without_anything(page, live, check_axe, log_in):
    log_in(page, live.users["asker"])
    page.goto("/konto/beitraege")
    expect(page.locator("main")).to_contain_text("Alle Ihre Beiträge sind veröffentlicht.")
    check_axe(page, "my posts, nothing pending")


def test_reason_catalogue(page, live, check_axe, log_in):
    log_in(page, live.users["admin"])
    page.goto("/admin/gruende")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gründe für Ablehnungen")
    check_axe(page, "reason catalogue")
    page.get_by_role("link", name=re.compile(r"^Bearbeiten\s*: Kein Bezug zum Dialog$")).click()
    expect(page.get_by_label("Kurzbezeichnung")).to_have_value("Kein Bezug zum Dialog")
    check_axe(page, "reason edit form")
    page.get_by_label("Kurzbezeichnung").fill("")
    page.get_by_role("button", name=re.compile("Speichern")).click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    check_axe(page, "reason edit form with errors")
    page.goto("/admin/gruende/neu")
    check_axe(page, "new reason form")
