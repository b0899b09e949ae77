"""The whole guest dialogue in Chromium: a visitor asks without an account and confirms from
the mail, a moderator approves, an expert of the topic field finds the question in the list
of open questions and answers, and the guest marks the answer helpful through the personal
link. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GUEST = "gast@browser.example"
TITLE = "Wie verteilen wir Homeoffice-Tage gerecht im Team?"
ANSWER = "Bewährt hat sich ein **Wochenplan**, den das Team selbst aushandelt."


def _link(message, pattern: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(pattern, body).group(1)


def test_guest_asks_confirms_gets_an_answer_and_marks_it_helpful(
        page, check_axe, live, log_in, log_out, take_time, traffic, screenshots_dir):
    # A visitor asks in a topic field, with name and e-mail address.
    page.goto("/fragen/neu")
    check_axe(page, "ask form for guests")
    page.get_by_label("Wo möchten Sie fragen?").select_option(label="Arbeitszeit und Arbeitsort")
    page.get_by_label("Ihre Frage in einem Satz").fill(TITLE)
    page.get_by_label("Text").fill("Wir sind zwölf Leute und haben nur acht Schreibtische.")
    page.get_by_label("Ihr Name").fill("Gabi Gast")
    page.get_by_label("Ihre E-Mail-Adresse").fill("keine-adresse")
    take_time(page)
    page.get_by_role("button", name="Frage absenden").click()
    expect(page.get_by_role("alert")).to_contain_text("gültige E-Mail-Adresse")
    expect(page.get_by_label("Ihre Frage in einem Satz")).to_have_value(TITLE)
    check_axe(page, "ask form for guests with errors")
    page.get_by_label("Ihre E-Mail-Adresse").fill(GUEST)
    page.get_by_role("button", name="Frage absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte bestätigen Sie Ihre Frage")
    check_axe(page, "guest question sent")

    # The confirmation link from the mail; the button sends the question into moderation.
    confirm = live.wait_for_mail(GUEST, subject="Bitte bestätigen Sie Ihre Frage")
    page.goto(_link(confirm, r"(http://127\.0\.0\.1:\d+/gast/bestaetigen/\S+)"))
    check_axe(page, "confirm page")
    page.get_by_role("button", name="Frage bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status").first).to_contain_text("wartet nun auf Freigabe")
    check_axe(page, "personal page, pending")
    mail = live.wait_for_mail(GUEST, subject="Ihr persönlicher Link")
    personal = _link(mail, r"(http://127\.0\.0\.1:\d+/gast/[^/\s]+)\s")

    # A moderator approves it from the queue.
    log_in(page, live.users["moderator"])
    page.goto("/moderation")
    pending = page.get_by_role("region", name=re.compile("Beiträge, die auf Freigabe warten"))
    pending.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    expect(page.locator("article.post")).to_contain_text("Gabi Gast")
    expect(page.locator("main")).not_to_contain_text(GUEST)
    page.get_by_role("button", name="Unverändert freigeben").click()
    expect(page.get_by_role("status")).to_contain_text("Die Entscheidung ist gespeichert.")
    log_out(page)

    # The demo expert, verified for every topic field, finds it among the open questions.
    log_in(page, "fachperson@demo.fachdialog.example",
           live.demo_passwords["fachperson@demo.fachdialog.example"])
    page.get_by_role("link", name="Offene Fragen in meinen Themen").click()
    page.get_by_role("link", name=TITLE).click()
    check_axe(page, "guest thread as expert")
    page.get_by_label("Text").fill(ANSWER)
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihr Beitrag ist veröffentlicht.")
    log_out(page)

    # The guest hears of the answer and marks it helpful through the personal link.
    live.wait_for_mail(GUEST, subject="Neue Antwort")
    page.goto(personal)
    answer = page.locator("article.post-answer")
    expect(answer.locator("strong")).to_have_text("Wochenplan")
    check_axe(page, "personal page with an answer")
    page.get_by_role("button", name=re.compile("Als hilfreichste Antwort markieren")).click()
    expect(page.get_by_role("status")).to_contain_text("als hilfreichste markiert")
    expect(page.locator(".thread-meta")).to_contain_text("beantwortet")
    check_axe(page, "personal page, answered")
    page.screenshot(path=screenshots_dir / "guest-personal-page.png", full_page=True)

    # The public thread shows it answered, with the guest's name and never the address.
    page.get_by_role("link", name="Öffentliche Seite dieser Frage").click()
    expect(page.get_by_role("heading", name="Hilfreichste Antwort")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Gabi Gast")
    expect(page.locator("main")).not_to_contain_text(GUEST)

    # The guest withdraws nothing but renews the link: the old one stops working.
    page.goto(personal)
    page.get_by_role("button", name="Diesen Link sperren und einen neuen senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuer Link unterwegs")
    assert page.goto(personal).status == 404
    check_axe(page, "invalid link page")
    traffic.console_errors[:] = [e for e in traffic.console_errors if "404" not in e]


def test_guest_pages_for_account_link_request_and_withdrawal(page, check_axe, live,
                                                            take_time):
    email = "zweiter-gast@browser.example"
    title = "Gibt es Vorlagen für Dienstvereinbarungen zur Telearbeit?"
    page.goto("/fragen/neu")
    page.get_by_label("Wo möchten Sie fragen?").select_option(label="Arbeitszeit und Arbeitsort")
    page.get_by_label("Ihre Frage in einem Satz").fill(title)
    page.get_by_label("Text").fill("Wir fangen gerade erst an.")
    page.get_by_label("Ihr Name").fill("Zweiter Gast")
    page.get_by_label("Ihre E-Mail-Adresse").fill(email)
    take_time(page)
    page.get_by_role("button", name="Frage absenden").click()
    confirm = live.wait_for_mail(email, subject="Bitte bestätigen Sie Ihre Frage")
    page.goto(_link(confirm, r"(http://127\.0\.0\.1:\d+/gast/bestaetigen/\S+)"))
    page.get_by_role("button", name="Frage bestätigen").click()
    personal = page.url

    page.get_by_role("link", name="Ein Konto anlegen, dem diese Frage gehört").click()
    check_axe(page, "turn guest into account")
    page.get_by_label("Passwort", exact=True).fill("kurz")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("mindestens 10 Zeichen")
    expect(page.get_by_label("Anzeigename")).to_have_value("Zweiter Gast")
    check_axe(page, "turn guest into account, with errors")

    page.goto("/gast/link-anfordern")
    check_axe(page, "request new links")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("button", name="Neue Links senden").click()
    expect(page.get_by_text("neue persönliche Links")).to_be_visible()
    check_axe(page, "new links sent")

    page.goto(personal)
    page.get_by_role("link", name="Frage zurückziehen").click()
    check_axe(page, "withdraw question")
    page.get_by_role("button", name="Frage endgültig zurückziehen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frage zurückgezogen")
    check_axe(page, "question withdrawn")
