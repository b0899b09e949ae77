"""Barriere melden end to end: an admin enters the accessibility contact, a visitor without
an account reports a barrier, the contact receives the case and the visitor the
acknowledgement over real SMTP, an admin answers (mailed) and closes the case."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CONTACT = "barrierefreiheit@browser.example"
VISITOR = "besucherin@browser.example"


def test_visitor_reports_a_barrier_admin_answers_and_closes(page, live, log_in, log_out,
                                                            check_axe):
    log_in(page, live.users["admin"])
    page.goto("/admin/angaben")
    page.get_by_label("E-Mail-Adresse für Barrierefreiheit").fill(CONTACT)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Angaben sind gespeichert.")).to_be_visible()
    log_out(page)

    # the visitor finds the form from the footer, without an account
    page.goto("/")
    page.get_by_role("navigation", name="Rechtliches und Service").get_by_role(
        "link", name="Barriere melden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Barriere melden")
    expect(page.get_by_text("Mauerstraße 53, 10117 Berlin")).to_be_visible()
    check_axe(page, "Barriere melden")
    page.get_by_label("Was funktioniert nicht?").fill(
        "Im Formular „Frage stellen“ liest mein Screenreader die Fehlermeldung nicht vor.")
    page.get_by_label("Wo ist die Barriere?").fill("/fragen/neu")
    page.get_by_label("Ihre E-Mail-Adresse").fill(VISITOR)
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Meldung")
    check_axe(page, "Barriere gemeldet")

    case_mail = live.wait_for_mail(CONTACT, "Neue Meldung einer Barriere")
    case_text = case_mail.get_body(("plain",)).get_content()
    assert "liest mein Screenreader die Fehlermeldung nicht vor" in case_text
    case_link = next(word for word in case_text.split() if "/admin/barrieren/" in word)
    acknowledgement = live.wait_for_mail(VISITOR, "eingegangen")
    assert "Schlichtungsverfahren" in acknowledgement.get_body(("plain",)).get_content()

    # the admin follows the link in the mail, answers and closes the case
    log_in(page, live.users["admin"])
    page.goto("/admin/barrieren")
    expect(page.get_by_role("table")).to_contain_text("offen")
    check_axe(page, "Fälle")
    page.goto(case_link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Barriere")
    check_axe(page, "Fall")
    page.get_by_label("Antwort an die meldende Person").fill(
        "Danke! Die Fehlermeldung ist jetzt als Hinweis mit role=alert ausgezeichnet.")
    page.get_by_role("button", name="Antwort per E-Mail senden").click()
    expect(page.get_by_text("Die Antwort ist gespeichert")).to_be_visible()
    answer = live.wait_for_mail(VISITOR, "Antwort auf Ihre Meldung")
    assert "als Hinweis mit role=alert" in answer.get_body(("plain",)).get_content()
    page.get_by_role("button", name="Fall abschließen").click()
    expect(page.get_by_text("Der Fall ist abgeschlossen.")).to_be_visible()
    page.goto("/admin/barrieren?status=closed")
    expect(page.get_by_role("table")).to_contain_text("abgeschlossen")
