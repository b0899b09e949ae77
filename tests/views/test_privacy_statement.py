"""The Datenschutz page's default text is written from the personal-data registry and the
configuration; the operator's and the data protection officer's contact is a site page the
admins edit (datenschutz-kontakt)."""

from forum.extensions import db
from forum.models import SitePage
from forum.personal_data import REGISTRY


def test_datenschutz_default_lists_registry_periods_cookies_and_rights(client, app):
    app.config["RETENTION_OUTBOX_SENT_DAYS"] = 41
    text = client.get("/datenschutz").get_data(as_text=True)
    assert "Art. 6 Abs. 1 Buchst. e DSGVO" in text and "§ 3 BDSG" in text
    for entry in REGISTRY:
        assert str(entry.purpose).replace("„", "&#8222;")[:20] in text or \
            str(entry.purpose)[:20] in text
    assert "41 Tage" in text
    assert "<code>session</code>" in text and "<code>remember_token</code>" in text
    assert "/konto/daten" in text and "/konto/loeschen" in text


def test_datenschutz_includes_the_contact_page_admins_set(client):
    db.session.add(SitePage(slug="datenschutz-kontakt", title="Kontakt",
                            body_source="Datenschutzbeauftragte: Frau Muster, dsb@bund.example",
                            body_html=""))
    db.session.commit()
    assert "dsb@bund.example" in client.get("/datenschutz").get_data(as_text=True)


def test_admin_edits_the_contact_page(admin_client):
    page = admin_client.get("/admin/seiten")
    assert "datenschutz-kontakt" in page.get_data(as_text=True)
