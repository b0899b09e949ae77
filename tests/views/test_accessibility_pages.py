"""The pages BITV 2.0, the BGG and § 5 DDG ask for: Barriere melden as cases, the operator's
facts behind Impressum, Kontakt and the accessibility statement, Leichte Sprache,
Gebärdensprache (the admin's video) and the numbered Dialogregeln."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.enums import BarrierState
from forum.extensions import db
from forum.models import AuditEntry, BarrierReport, SiteSetting
from forum.services import ServiceError, barriers, privacy, retention, site_facts
from tests.factories import make_user

FACTS = {
    "operator_name": "Bundesministerium für Arbeit und Soziales",
    "operator_address": "Wilhelmstraße 49\n10117 Berlin",
    "operator_representative": "vertreten durch die Referatsleitung Zukunft der Arbeit",
    "operator_email": "info@example.bund.de",
    "operator_phone": "030 123456",
    "operator_vat_id": "",
    "accessibility_email": "barrierefrei@example.bund.de",
    "statement_date": "2026-11-02",
}


@pytest.fixture
def app_config(tmp_path):
    return {"MEDIA_DIR": str(tmp_path / "media")}


def _set_facts(admin_client, **extra):
    data = {**FACTS, **extra}
    return admin_client.post("/admin/angaben", data=data)


def test_impressum_and_kontakt_are_written_from_the_admins_facts(admin_client, client):
    assert _set_facts(admin_client).status_code == 302
    imprint = client.get("/impressum").text
    for expected in ("Bundesministerium für Arbeit und Soziales", "Wilhelmstraße 49",
                     "10117 Berlin", "Referatsleitung Zukunft der Arbeit",
                     "mailto:info@example.bund.de", "030 123456", "§ 5",
                     "Keine: der Anbieter hat keine Umsatzsteuer-Identifikationsnummer"):
        assert expected in imprint, expected
    contact = client.get("/kontakt").text
    assert "mailto:barrierefrei@example.bund.de" in contact and "/barriere-melden" in contact
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "site.facts"))
    assert entry.changes["operator_phone"] == ["", "030 123456"]


def test_impressum_says_what_is_missing_instead_of_inventing_it(client):
    text = client.get("/impressum").text
    assert "(noch nicht eingetragen)" in text and "Hier steh" not in text


def test_facts_form_refuses_a_bad_address_next_to_the_field_and_keeps_input(admin_client):
    response = _set_facts(admin_client, accessibility_email="kein-at-zeichen")
    assert response.status_code == 200
    assert 'id="accessibility_email-fehler"' in response.text
    assert "Wilhelmstraße 49" in response.text
    assert db.session.scalar(select(SiteSetting)) is None


def test_accessibility_statement_follows_the_eu_model(admin_client, client):
    _set_facts(admin_client)
    text = client.get("/barrierefreiheit").text
    for heading in ("Stand der Vereinbarkeit mit den Anforderungen",
                    "Nicht barrierefreie Inhalte", "Erstellung dieser Erklärung",
                    "Feedback und Kontakt", "Schlichtungsverfahren"):
        assert f">{heading}</h2>" in text, heading
    assert "teilweise vereinbar" in text and "2. November 2026" in text
    assert "Nu HTML Checker" in text and "axe-core" in text
    assert 'href="/barriere-melden"' in text and "mailto:barrierefrei@example.bund.de" in text
    assert "Mauerstraße 53" in text and "info@schlichtungsstelle-bgg.de" in text
    # without a video the statement names the missing one, with it it does not
    assert "Das Video in Deutscher Gebärdensprache fehlt noch" in text


def test_barrier_report_without_account_becomes_a_case_and_mails(client, admin_client,
                                                                  smtp_sink):
    _set_facts(admin_client)
    page = client.get("/barriere-melden?seite=/projekte").text
    assert "Schlichtungsstelle" in page and "Mauerstraße 53" in page and 'value="/projekte"' in page
    response = client.post("/barriere-melden", data={
        "description": "Der Knopf „Frage senden“ ist mit der Tastatur nicht erreichbar.",
        "location": "/fragen/neu", "name": "Bea Meldend", "email": "bea@example.org"})
    assert response.status_code == 200 and "Eingangsbestätigung" in response.text
    report = db.session.scalar(select(BarrierReport))
    assert (report.state, report.contact_email, report.location) == (
        BarrierState.OPEN, "bea@example.org", "/fragen/neu")
    mails = {m["To"]: m for m in smtp_sink[1]}
    assert set(mails) == {"bea@example.org", "barrierefrei@example.bund.de"}
    assert f"Fall {report.id}" in mails["bea@example.org"].get_body(("plain",)).get_content()
    case_mail = mails["barrierefrei@example.bund.de"].get_body(("plain",)).get_content()
    assert "mit der Tastatur nicht erreichbar" in case_mail
    assert f"/admin/barrieren/{report.id}" in case_mail


def test_barrier_report_without_address_is_a_case_without_acknowledgement(client, smtp_sink):
    response = client.post("/barriere-melden", data={"description": "Kontrast zu schwach."})
    assert response.status_code == 200 and "nicht antworten" in response.text
    assert db.session.scalar(select(BarrierReport)).contact_email == ""
    assert list(smtp_sink[1]) == []  # no address, and no operator contact entered yet


def test_barrier_report_without_description_keeps_input(client):
    response = client.post("/barriere-melden", data={"description": "  ",
                                                      "location": "Startseite"})
    assert response.status_code == 200
    assert 'id="description-fehler"' in response.text and 'value="Startseite"' in response.text
    assert db.session.scalar(select(BarrierReport)) is None


def test_admin_answers_by_mail_and_closes_a_case(client, admin_client, smtp_sink):
    client.post("/barriere-melden", data={"description": "Video ohne Untertitel.",
                                          "email": "cem@example.org"})
    report = db.session.scalar(select(BarrierReport))
    report.created_at -= timedelta(days=3)
    db.session.commit()
    listing = admin_client.get("/admin/barrieren").text
    assert f"Fall {report.id}" in listing and "3 Tage" in listing and "offen" in listing
    assert [m["To"] for m in smtp_sink[1]] == ["cem@example.org"]  # the acknowledgement
    list.clear(smtp_sink[1])
    response = admin_client.post(f"/admin/barrieren/{report.id}",
                                 data={"answer": "Die Untertitel sind ergänzt."})
    assert response.status_code == 302
    [mail] = list(smtp_sink[1])
    assert mail["To"] == "cem@example.org"
    assert "Die Untertitel sind ergänzt." in mail.get_body(("plain",)).get_content()
    admin_client.post(f"/admin/barrieren/{report.id}/abschliessen")
    db.session.refresh(report)
    assert report.state == BarrierState.CLOSED and report.closed_at is not None
    assert "abgeschlossen" in admin_client.get("/admin/barrieren?status=closed").text


def test_barrier_cases_are_for_admins_only(client, user_client, moderator_client):
    client.post("/barriere-melden", data={"description": "x"})
    report = db.session.scalar(select(BarrierReport))
    assert client.get("/admin/barrieren").status_code == 302
    for other in (user_client, moderator_client):
        assert other.get("/admin/barrieren").status_code == 403
        assert other.get(f"/admin/barrieren/{report.id}").status_code == 403
        assert other.post(f"/admin/barrieren/{report.id}/abschliessen").status_code == 403
    assert db.session.get(BarrierReport, report.id).state == BarrierState.OPEN


def test_answer_needs_an_address(client, admin_client):
    client.post("/barriere-melden", data={"description": "ohne Adresse"})
    report = db.session.scalar(select(BarrierReport))
    page = admin_client.get(f"/admin/barrieren/{report.id}").text
    assert "eine Antwort ist nicht möglich" in page
    response = admin_client.post(f"/admin/barrieren/{report.id}", data={"answer": "Hallo"})
    assert "keine E-Mail-Adresse angegeben" in response.text
    assert db.session.get(BarrierReport, report.id).state == BarrierState.OPEN


def test_barrier_contact_is_exported_erased_and_purged(client, app):
    client.post("/barriere-melden", data={"description": "d", "email": "Dora@Example.org",
                                          "name": "Dora"})
    user = make_user(email="dora@example.org")
    exported = privacy.export_user(user)["tabellen"]["barrier_reports"]["zeilen"]
    assert [row["contact_name"] for row in exported] == ["Dora"]
    privacy.erase_person(privacy.person(user), privacy.DeletionMode.ANONYMISE)
    report = db.session.scalar(select(BarrierReport))
    assert (report.contact_name, report.contact_email, report.description) == ("", "", "d")
    other = BarrierReport(description="e", contact_email="eve@example.org",
                          state=BarrierState.CLOSED)
    db.session.add(other)
    db.session.flush()
    other.closed_at = other.created_at - timedelta(days=400)
    db.session.commit()
    retention.purge()
    assert db.session.get(BarrierReport, other.id).contact_email == ""


def test_easy_read_page_explains_in_short_sentences_and_is_linked_from_header_and_start(client):
    start = client.get("/").text
    header = start.split("</header>")[0]
    assert 'href="/leichte-sprache"' in header and 'href="/gebaerdensprache"' in header
    main = start.split('id="inhalt"')[1]
    assert 'href="/leichte-sprache"' in main.split("</main>")[0]
    text = client.get("/leichte-sprache").text
    for heading in ("Was ist Fachdialog?", "So finden Sie ein Projekt",
                    "So stellen Sie eine Frage", "Was macht die Moderation?",
                    "So melden Sie ein Problem"):
        assert heading in text, heading
    assert "Sie brauchen kein Konto." in text and 'href="/barriere-melden"' in text


def test_sign_language_page_shows_text_until_an_admin_uploads_the_video(client, admin_client):
    text = client.get("/gebaerdensprache").text
    assert "gibt es noch nicht" in text and "<video" not in text
    assert "So stellen Sie eine Frage" in text
    response = admin_client.post("/admin/gebaerdensprache", data={
        "video": (io.BytesIO(b"\x00\x00\x00\x18ftypmp42"), "dgs.mp4"),
        "captions": (io.BytesIO(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n"), "dgs.vtt"),
        "transcript": "Willkommen bei Fachdialog.\n\nHier stellen Sie Fragen."},
        content_type="multipart/form-data")
    assert response.status_code == 302
    facts = site_facts.facts()
    text = client.get("/gebaerdensprache").text
    assert "<video controls" in text and 'kind="captions"' in text and 'srclang="de"' in text
    assert "<p>Hier stellen Sie Fragen.</p>" in text and "gibt es noch nicht" not in text
    with client.get(f"/gebaerdensprache/medien/{facts['sign_video']}") as video:
        assert video.status_code == 200 and video.mimetype == "video/mp4"
    with client.get(f"/gebaerdensprache/medien/{facts['sign_captions']}") as captions:
        assert captions.mimetype == "text/vtt" and captions.data.startswith(b"WEBVTT")
    assert client.get("/gebaerdensprache/medien/..%2Fsecret_key").status_code == 404
    assert "fehlt noch" not in client.get("/barrierefreiheit").text


def test_sign_video_upload_refuses_captions_that_are_no_webvtt(admin_client):
    response = admin_client.post("/admin/gebaerdensprache", data={
        "video": (io.BytesIO(b"x"), "dgs.mp4"),
        "captions": (io.BytesIO(b"1\n00:00:00,000 --> 00:00:02,000\nHallo"), "dgs.srt"),
        "transcript": "T"}, content_type="multipart/form-data")
    assert response.status_code == 200 and 'id="captions-fehler"' in response.text
    assert site_facts.facts()["sign_video"] == ""


def test_dialogue_rules_are_numbered_and_editable(client, admin_client):
    text = client.get("/dialogregeln").text
    for number in range(1, 8):
        assert f"Regel {number}:" in text
    assert "Beschwerde" in text
    admin_client.post("/admin/seiten/dialogregeln", data={
        "title": "Dialogregeln", "body": "### Regel 1: Freundlich bleiben"})
    assert "Regel 1: Freundlich bleiben" in client.get("/dialogregeln").text


def test_generated_pages_are_not_edited_as_free_text(admin_client):
    assert admin_client.get("/admin/seiten/impressum").status_code == 404
    listing = admin_client.get("/admin/seiten").text
    assert "/admin/seiten/impressum" not in listing and "/admin/angaben" in listing


def test_a_closed_case_is_not_answered_and_closing_twice_logs_once(client, admin_client):
    client.post("/barriere-melden", data={"description": "d", "email": "fay@example.org"})
    report = db.session.scalar(select(BarrierReport))
    admin_client.post(f"/admin/barrieren/{report.id}/abschliessen")
    admin_client.post(f"/admin/barrieren/{report.id}/abschliessen")
    closes = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "barrier.close")).all()
    assert len(closes) == 1
    db.session.refresh(report)
    with pytest.raises(ServiceError):
        barriers.answer(report.handled_by, report, "zu spät")
    db.session.refresh(report)
    assert report.answer == "" and report.state == BarrierState.CLOSED
