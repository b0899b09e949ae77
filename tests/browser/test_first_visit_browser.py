"""Issue 14 in Chromium: Enter in the ask form sends the question, the text typed as a
visitor comes back after logging in from the ask form, and the unsubscribe page asks first
and stops only the mails. Every page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Project, User, Watch, WatchMode
from forum.services import notifications
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_enter_in_the_ask_form_sends_the_question(page, live, check_axe, log_in, take_time):
    title = "Wie teilen wir Rufbereitschaft fair auf?"
    log_in(page, live.users["asker"])
    page.goto("/fragen/neu")
    board = page.get_by_label("Wo möchten Sie fragen?")
    expect(board.locator("option:checked")).to_have_text("Bitte wählen")
    check_axe(page, "ask form, nothing chosen")
    # Enter without a board: the question is checked, not the "similar questions" step
    page.get_by_label("Ihre Frage in einem Satz").fill(title)
    take_time(page)
    page.get_by_label("Ihre Frage in einem Satz").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie einen Bereich.")
    expect(page.get_by_label("Ihre Frage in einem Satz")).to_have_value(title)
    check_axe(page, "ask form sent with Enter, with errors")
    board.select_option(label="Arbeitszeit und Arbeitsort")
    page.get_by_label("Text").fill("Wir sind ein kleines Team mit Nachtdiensten.")
    take_time(page)
    page.get_by_label("Ihre Frage in einem Satz").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("status").first).to_contain_text("veröffentlicht")
    # the suggestion step is still a button of its own
    page.goto("/fragen/neu")
    page.get_by_label("Ihre Frage in einem Satz").fill("Rufbereitschaft fair teilen")
    page.get_by_role("button", name="Ähnliche Fragen anzeigen").click()
    expect(page.get_by_label("Ihre Frage in einem Satz")).to_have_value(
        "Rufbereitschaft fair teilen")


def test_logging_in_from_the_ask_form_keeps_the_text(page, live, check_axe, take_time):
    title = "Wie dokumentieren wir mobile Arbeit einfach?"
    page.goto("/fragen/neu")
    page.get_by_label("Wo möchten Sie fragen?").select_option(label="Arbeitszeit und Arbeitsort")
    page.get_by_label("Ihre Frage in einem Satz").fill(title)
    page.get_by_label("Text").fill("Bisher nutzen wir Papierlisten.")
    check_axe(page, "guest ask form")
    page.get_by_role("button", name="Sie haben ein Konto? Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    check_axe(page, "log-in page from the ask form")
    page.get_by_label("E-Mail-Adresse").fill(live.users["asker"])
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frage stellen")
    expect(page.get_by_label("Ihre Frage in einem Satz")).to_have_value(title)
    expect(page.get_by_label("Text")).to_have_value("Bisher nutzen wir Papierlisten.")
    expect(page.get_by_label("Wo möchten Sie fragen?").locator("option:checked")).to_have_text(
        "Arbeitszeit und Arbeitsort")
    check_axe(page, "ask form with the text restored")


def test_unsubscribe_page_asks_first_and_stops_only_the_mails(page, live, check_axe, traffic):
    with live.app.app_context():
        reader = db.session.scalar(db.select(User).where(User.email == live.users["author"]))
        project = db.session.get(Project, live.project_id)
        watch = notifications.watch(reader, "project", project.id)
        path, name, watch_id = (f"/abbestellen/{notifications.unsubscribe_token(watch)}",
                                project.name, watch.id)
        db.session.remove()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("E-Mails abbestellen")
    expect(page.get_by_text(f"neue Fragen in „{name}“")).to_be_visible()
    expect(page.get_by_text("Sie erhalten keine")).to_have_count(0)
    check_axe(page, "unsubscribe page")
    page.get_by_role("button", name="Keine E-Mails mehr, nur im Forum").click()
    expect(page.locator("p[role=status]")).to_contain_text(
        f"Sie erhalten keine E-Mails mehr über neue Fragen in „{name}“")
    check_axe(page, "unsubscribed page")
    with live.app.app_context():
        assert db.session.get(Watch, watch_id).mode == WatchMode.SITE
        db.session.remove()
    page.goto("/abbestellen/kaputt")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Abbestell-Link")
    check_axe(page, "broken unsubscribe link")
    # Chromium logs the 404 of the document itself; that one is expected.
    traffic.console_errors[:] = [e for e in traffic.console_errors if "404" not in e]


def _tops(locator) -> list[float]:
    return [round(box["y"]) for box in (item.bounding_box() for item in locator.all()) if box]


def test_layout_at_1280(page, live, log_in):
    # the sort and filter row of a topic page is one row
    page.goto("/themen")
    page.locator("main a[href^='/themen/']").first.click()
    form = page.locator("form.list-options")
    button = form.get_by_role("button", name="Anwenden")
    assert form.bounding_box()["height"] < 2 * button.bounding_box()["height"], \
        form.bounding_box()
    # "Abmelden" does not stand alone on a line of the header, for an expert either
    log_in(page, live.users["expert"])
    items = page.get_by_role("navigation", name="Konto").locator("li")
    tops = _tops(items)
    widths = [round(item.bounding_box()["width"]) for item in items.all()]
    assert tops.count(tops[-1]) >= 2, (tops, widths)
    # "Als hilfreichste Antwort markieren" belongs visibly to its answer
    page.get_by_role("button", name="Abmelden").click()
    log_in(page, live.users["asker"])
    page.goto(live.thread_path)
    mark = page.get_by_role("button", name="Als hilfreichste Antwort markieren").first
    answer = page.locator("article.post-answer").filter(has=mark)
    body = answer.locator(".post-body")
    mark_box, answer_box, body_box = (mark.bounding_box(), answer.bounding_box(),
                                      body.bounding_box())
    assert answer_box["y"] <= mark_box["y"] < body_box["y"], (mark_box, body_box)


def test_changed_pages_pass_axe(page, live, check_axe, log_in, log_out, take_time):
    """The other pages issue 14 changed: the guest's "sent" page with its two forms, the
    asker's waiting question with "Bereich ändern", the revisions diff, the report form."""
    title = "Wo finde ich Beispiele für Jobsharing in Führung?"
    page.goto("/fragen/neu")
    page.get_by_label("Wo möchten Sie fragen?").select_option(label="Arbeitszeit und Arbeitsort")
    page.get_by_label("Ihre Frage in einem Satz").fill(title)
    page.get_by_label("Text").fill("Wir planen eine geteilte Teamleitung.")
    page.get_by_label("Ihr Name").fill("Gerd Gast")
    page.get_by_label("Ihre E-Mail-Adresse").fill("gerd@exampel.org")
    take_time(page)
    page.get_by_role("button", name="Frage absenden").click()
    expect(page.get_by_text("an gerd@exampel.org geschickt")).to_be_visible()
    check_axe(page, "guest question sent, with resend and correct")
    page.get_by_label("Richtige E-Mail-Adresse").fill("kein-at")
    page.get_by_role("button", name="Adresse korrigieren und E-Mail senden").click()
    expect(page.get_by_role("alert")).to_contain_text("gültige E-Mail-Adresse")
    check_axe(page, "correct the address, with an error")
    page.get_by_label("Richtige E-Mail-Adresse").fill("gerd@example.org")
    page.get_by_role("button", name="Adresse korrigieren und E-Mail senden").click()
    expect(page.locator("p[role=status]")).to_contain_text("an gerd@example.org geschickt")
    live.wait_for_mail("gerd@example.org", subject="Bitte bestätigen Sie Ihre Frage")

    # a new person's waiting question: "Bereich ändern"
    log_in(page, live.users["newcomer"])
    page.goto("/fragen/neu")
    page.get_by_label("Wo möchten Sie fragen?").select_option(label="Arbeitszeit und Arbeitsort")
    page.get_by_label("Ihre Frage in einem Satz").fill("Wie teilen zwei Personen eine Leitung?")
    page.get_by_label("Text").fill("Erste Fassung.\nZweite Zeile.")
    take_time(page)
    page.get_by_role("button", name="Frage zur Prüfung senden").click()
    check_axe(page, "waiting question with 'Bereich ändern'")
    page.get_by_label("Bereich Ihrer Frage").select_option(label="Wissen und Qualifizierung")
    page.get_by_role("button", name="Bereich ändern").click()
    expect(page.get_by_text("steht jetzt im Bereich „Wissen und Qualifizierung“")).to_be_visible()
    # an edit, and the page that shows what changed
    page.get_by_role("link", name=re.compile("^Bearbeiten")).first.click()
    page.get_by_label("Text").fill("Erste Fassung.\nZweite Zeile, genauer.")
    page.get_by_role("button", name="Änderung speichern").click()
    page.get_by_role("link", name=re.compile("^Frühere Fassungen")).first.click()
    expect(page.locator(".diff ins")).to_contain_text("Zweite Zeile, genauer.")
    check_axe(page, "revisions with a diff")
    log_out(page)

    # the report form, sent empty: every problem at once, the required choice marked
    page.goto(live.reported_thread_path)
    page.get_by_role("link", name=re.compile("^Beitrag melden")).first.click()
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Was ist das Problem?")
    check_axe(page, "report form with errors")
