import html

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    AuditEntry,
    Offer,
    ProjectMember,
    ProjectRole,
    Sector,
    SitePage,
    SiteRole,
    User,
)
from tests.conftest import login
from tests.factories import make_project, make_topic, make_user

ADMIN_PAGES = ("/admin", "/admin/projekte", "/admin/themen", "/admin/angebote",
               "/admin/seiten", "/admin/nutzende", "/admin/protokoll", "/admin/fachleute")


@pytest.fixture
def admin(client):
    user = make_user(role=SiteRole.ADMIN, display_name="Ada Admin")
    login(client, user)
    return user


@pytest.mark.parametrize("role", [SiteRole.USER, SiteRole.MODERATOR])
def test_admin_pages_forbidden_for_non_admins(client, role):
    login(client, make_user(role=role))
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 403, url


def test_admin_pages_redirect_visitors_to_login(client):
    response = client.get("/admin/projekte")
    assert response.status_code == 302 and "/konto/anmelden" in response.headers["Location"]


def test_admin_pages_render_for_admin(client, admin):
    make_project()
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url


def _log() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_admin_edits_project_profile_topics_sectors_and_change_is_logged(client, admin):
    topic = make_topic(name="Gesundheit")
    sector = Sector(slug="pflege", name="Pflege")
    db.session.add(sector)
    db.session.commit()
    project = make_project(name="Alt")
    response = client.post(f"/admin/projekte/{project.id}", data={
        "name": "Neu", "lead_organisation": "Träger", "partners": "A\n\nB\n", "period": "2019",
        "status": "finished", "website": "https://example.org", "description": "Text",
        "escalate_after_days": "5",
        "topic_fields": [topic.id], "sectors": [sector.id],
    })
    assert response.status_code == 302
    db.session.expire_all()
    project = db.session.get(type(project), project.id)
    assert project.name == "Neu" and project.partners == ["A", "B"]
    assert [t.name for t in project.topic_fields] == ["Gesundheit"]
    assert [s.slug for s in project.sectors] == ["pflege"]
    entry = _log()[-1]
    assert entry.actor_id == admin.id and entry.action == "project.update"
    assert entry.changes["name"] == ["Alt", "Neu"]
    assert entry.changes["sectors"] == [[], ["pflege"]]
    log_page = client.get("/admin/protokoll").text
    assert "Ada Admin" in log_page and "Projekt geändert" in log_page
    assert "Themenfelder" in log_page and "laufend → abgeschlossen" in log_page
    assert "topic_fields" not in log_page


def test_admin_project_form_invalid_url_keeps_input(client, admin):
    project = make_project()
    response = client.post(f"/admin/projekte/{project.id}", data={
        "name": "Name", "description": "Text", "status": "running", "website": "kein-link"})
    assert "vollständige Adresse" in response.text and 'value="kein-link"' in response.text
    assert _log() == []


def test_admin_manages_members_and_roles(client, admin):
    project = make_project()
    person = make_user(email="team@example.org", display_name="Tina Team")
    url = f"/admin/projekte/{project.id}/mitglieder"
    client.post(url, data={"member-email": "team@example.org", "member-role": "member"})
    client.post(url, data={"member-email": "team@example.org", "member-role": "lead"})
    membership = db.session.get(ProjectMember, (project.id, person.id))
    assert membership.role == ProjectRole.LEAD
    response = client.post(url, data={"member-email": "niemand@example.org",
                                      "member-role": "member"})
    assert "kein Konto" in response.text and 'value="niemand@example.org"' in response.text
    client.post(f"/admin/projekte/{project.id}/mitglieder/{person.id}/entfernen")
    assert db.session.get(ProjectMember, (project.id, person.id)) is None
    assert [e.action for e in _log()] == ["project.member"] * 3


def test_admin_creates_project_with_board(client, admin):
    response = client.post("/admin/projekte", data={"name": "Neues Projekt", "slug": "neu"})
    assert response.status_code == 302
    assert client.get("/projekte/neu").status_code == 200
    response = client.post("/admin/projekte", data={"name": "Doppelt", "slug": "neu"})
    assert "schon vergeben" in response.text


def test_admin_changes_site_role_but_not_own_admin_role(client, admin):
    person = make_user()
    client.post(f"/admin/nutzende/{person.id}", data={"site_role": "moderator"})
    assert db.session.get(User, person.id).site_role == SiteRole.MODERATOR
    response = client.post(f"/admin/nutzende/{admin.id}", data={"site_role": "user"})
    assert "nicht entziehen" in response.text
    assert db.session.get(User, admin.id).site_role == SiteRole.ADMIN
    assert _log()[-1].changes == {"site_role": ["user", "moderator"]}


def test_admin_offer_create_edit_delete_logged(client, admin):
    client.post("/admin/angebote/neu", data={"name": "Coaching", "slug": "coaching",
                                             "description": "Beratung", "position": "1"})
    offer = db.session.scalar(select(Offer))
    client.post(f"/admin/angebote/{offer.id}", data={"name": "Coaching neu", "slug": "coaching",
                                                     "description": "Beratung"})
    assert "Coaching neu" in client.get("/angebote").text
    client.post(f"/admin/angebote/{offer.id}/loeschen")
    assert db.session.scalar(select(Offer)) is None
    assert [e.action for e in _log()] == ["offer.create", "offer.update", "offer.delete"]


def test_admin_edits_footer_page_rendered_through_markup(client, admin):
    response = client.post("/admin/seiten/dialogregeln", data={
        "title": "Dialogregeln", "body": "Regel **eins**<script>x</script>"})
    assert response.status_code == 302
    text = client.get("/dialogregeln").text
    assert "<strong>eins</strong>" in text and "<script>x" not in text
    page = db.session.scalar(select(SitePage))
    assert page.slug == "dialogregeln"
    assert _log()[-1].action == "page.update"


def test_admin_edits_topic_field(client, admin):
    topic = make_topic(name="Alt")
    client.post(f"/admin/themen/{topic.id}", data={"name": "Neu", "description": "D",
                                                   "escalate_after_days": "5"})
    assert "Neu" in client.get(f"/themen/{topic.slug}").text
    assert _log()[-1].changes["name"] == ["Alt", "Neu"]


def test_admin_first_save_of_unchanged_placeholder_stores_german_and_logs(client, admin):
    client.post("/sprache", data={"locale": "en"})
    form = client.get("/admin/seiten/leichte-sprache").text
    assert "Hier erklären wir Fachdialog" in form  # the German text is what gets edited
    body = form.split("</textarea>")[0].split(">")[-1]
    client.post("/admin/seiten/leichte-sprache", data={"title": "Leichte Sprache",
                                                       "body": html.unescape(body).lstrip("\r\n")})
    page = db.session.scalar(select(SitePage))
    assert (page.slug, page.title) == ("leichte-sprache", "Leichte Sprache")
    assert page.body_source.startswith("Hier erklären wir Fachdialog")
    assert _log()[-1].changes["title"] == [None, "Leichte Sprache"]


def test_admin_saving_project_unchanged_logs_nothing(client, admin):
    topics = [make_topic(name="B-Feld", position=0), make_topic(name="A-Feld", position=1)]
    project = make_project(topics=topics, website="", period="", partners=[])
    data = {"name": project.name, "lead_organisation": project.lead_organisation,
            "partners": "", "period": "", "status": "running", "website": "",
            "description": project.description, "topic_fields": [t.id for t in topics]}
    assert client.post(f"/admin/projekte/{project.id}", data=data).status_code == 302
    assert _log() == []
