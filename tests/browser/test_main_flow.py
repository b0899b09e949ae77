"""The main path as a person walks it: register, confirm by mail, log in, ask (with preview);
the new person's question waits for approval ("Wartet auf Freigabe"), unseen by visitors,
until a moderator approves it from the queue; an expert answers; a visitor reads the answer
with its "Fachperson" badge. Every page on the way is checked with axe-core; start, thread
and queue pages are kept as screenshots."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMAIL = "neue.person@browser.example"
PASSWORD = "ein-langes-passwort-42"
TITLE = "Wie binden wir Beschäftigte früh in neue Arbeitszeitmodelle ein?"
ANSWER = "Mit einer Steuerungsgruppe, in der Beschäftigte von Anfang an mitentscheiden."


def test_register_confirm_ask_approve_answer_read(page, live, check_axe, log_in, log_out,
                                                  screenshots_dir, traffic, take_time):
    # A visitor arrives on the start page.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fachdialog")
    check_axe(page, "start")
    page.screenshot(path=screenshots_dir / "start.png", full_page=True)

    # Registers, first sending the form empty.
    page.get_by_role("navigation", name="Konto").get_by_role("link", name="Registrieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrieren")
    check_axe(page, "register")
    page.get_by_role("button", name="Konto anlegen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    expect(page.get_by_label("E-Mail-Adresse")).to_have_attribute("aria-invalid", "true")
    check_axe(page, "register with errors")
    # The summary's links lead to the fields.
    summary.get_by_role("link", name=re.compile("^Anzeigename")).click()
    expect(page.get_by_label("Anzeigename")).to_be_focused()

    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Anzeigename").fill("Neue Person")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    take_time(page)
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    check_axe(page, "check your mail")

    # Not confirmed yet: logging in does not work.
    page.goto("/konto/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte bestätigen Sie zuerst")
    check_axe(page, "login with error")

    # The confirmation mail arrives over real SMTP and links to the live server.
    mail = live.wait_for_mail(EMAIL)
    body = mail.get_body(("plain",)).get_content()
    match = re.search(r"(http://\S+/konto/bestaetigen/\S+)", body)
    assert match, body
    link = match.group(1)
    assert link.startswith(live.url + "/"), link
    page.goto(link)  # opening the link confirms nothing: a person presses the button
    expect(page.get_by_role("heading", level=1)).to_have_text("E-Mail-Adresse bestätigen")
    check_axe(page, "confirm the address")
    page.get_by_label("Ihr Passwort aus der Registrierung").fill(PASSWORD)
    page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre E-Mail-Adresse ist bestätigt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    check_axe(page, "login after confirmation")

    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Sie sind angemeldet.")
    expect(page.get_by_text("Angemeldet als Neue Person")).to_be_visible()
    check_axe(page, "start, logged in")

    # Asks in a topic field's board, starting from the topic field.
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Themenfelder").click()
    check_axe(page, "topics")
    page.get_by_role("link", name="Arbeitszeit und Arbeitsort").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbeitszeit und Arbeitsort")
    check_axe(page, "topic")
    page.get_by_role("link", name="Frage zu diesem Themenfeld stellen").click()
    board = page.get_by_label("Wo möchten Sie fragen?")
    expect(board.locator("option:checked")).to_have_text("Arbeitszeit und Arbeitsort")
    check_axe(page, "ask")
    page.get_by_label("Ihre Frage in einem Satz").fill(TITLE)
    page.get_by_label("Text").fill("Wir wollen **alle Beteiligten** mitnehmen. Wie?")
    take_time(page)  # the preview, too, passes the spam defence's minimum fill time
    page.get_by_role("button", name="Vorschau").click()
    preview = page.get_by_role("region", name="Vorschau")
    expect(preview.locator("strong")).to_have_text("alle Beteiligten")
    expect(page.get_by_label("Ihre Frage in einem Satz")).to_have_value(TITLE)
    check_axe(page, "ask with preview")
    # a new person is told before sending that the question is checked first
    expect(page.get_by_text("vor der Veröffentlichung vom Moderationsteam geprüft")).to_be_visible()
    page.get_by_role("button", name="Frage zur Prüfung senden").click()

    # A new person's first question waits for approval; the asker is told so, on the thread
    # page and in "Meine Beiträge".
    expect(page.get_by_role("status").first).to_contain_text(
        "Ihre Frage wartet auf Freigabe durch das Moderationsteam")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    question = page.locator(".post-question")
    expect(question.locator(".post-body strong")).to_have_text("alle Beteiligten")
    expect(question.locator(".badge-pending")).to_have_text("Wartet auf Freigabe")
    check_axe(page, "own pending thread")
    thread_url = page.url
    thread_path = thread_url.removeprefix(live.url)
    page.get_by_role("navigation", name="Konto").get_by_role("link", name="Meine Beiträge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Beiträge")
    waiting = page.get_by_role("region", name="Nicht öffentliche Beiträge").get_by_role(
        "listitem").filter(has_text=TITLE)
    expect(waiting).to_contain_text("Wartet auf Freigabe")
    check_axe(page, "my posts with a pending one")
    log_out(page)

    # Nobody else sees it: not on the start page, not at its address.
    page.goto("/")
    expect(page.locator("main")).not_to_contain_text(TITLE)
    response = page.goto(thread_path)
    assert response.status == 404
    # Chromium logs the 404 of the document itself; that one is expected.
    traffic.console_errors[:] = [e for e in traffic.console_errors if "404" not in e]

    # A moderator approves it from the queue, unchanged.
    log_in(page, live.users["moderator"])
    page.get_by_role("navigation", name="Konto").get_by_role(
        "link", name=re.compile(r"^Moderation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation: Warteschlange")
    pending = page.get_by_role("region", name=re.compile("Beiträge, die auf Freigabe warten"))
    pending.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beitrag moderieren")
    expect(page.locator("article.post")).to_contain_text("Wartet auf Freigabe")
    page.get_by_role("button", name="Unverändert freigeben").click()
    expect(page.get_by_role("status")).to_contain_text("Die Entscheidung ist gespeichert.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation: Warteschlange")
    expect(page.get_by_role("link", name=re.compile(re.escape(TITLE)))).to_have_count(0)
    log_out(page)

    # The asker hears of it by mail.
    approved = live.wait_for_mail(EMAIL, subject="Ihr Beitrag ist freigegeben")
    assert thread_path in approved.get_body(("plain",)).get_content()

    # An expert answers.
    log_in(page, live.users["expert"])
    page.goto(thread_url)
    check_axe(page, "thread as expert")
    page.get_by_label("Text").fill(ANSWER)
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihr Beitrag ist veröffentlicht.")
    check_axe(page, "thread after answering")
    log_out(page)

    # A visitor finds the question on the start page and reads the answer, marked as coming
    # from an expert.
    page.goto("/")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".post-question .badge-pending")).to_have_count(0)
    answers = page.get_by_role("region", name="Antworten und Rückfragen")
    answer = answers.get_by_role("article").filter(has_text=ANSWER)
    expect(answer).to_have_count(1)
    expect(answer.locator(".badge-role")).to_have_text("Fachperson")
    expect(answer).to_contain_text("Dr. Browser Fachperson")
    expect(page.get_by_role("button", name="Antwort veröffentlichen")).to_have_count(0)
    check_axe(page, "thread as visitor")
    page.screenshot(path=screenshots_dir / "thread.png", full_page=True)
