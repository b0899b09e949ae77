"""Project updates (Neuigkeiten): the team publishes, visitors ask about them, feeds list them."""

import feedparser
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ProjectRole, ProjectUpdate, SiteRole, Thread
from forum.services import updates
from tests.conftest import login
from tests.factories import make_expert, make_project, make_user


@pytest.fixture
def project(app):
    return make_project(name="AgilKom")


@pytest.mark.parametrize("who,allowed", [("member", True), ("lead", True), ("admin", True),
                                         ("expert", False), ("other_member", False),
                                         ("moderator", False)])
def test_who_publishes_updates(client, project, who, allowed):
    user = {"member": lambda: make_user(project=project),
            "lead": lambda: make_user(project=project, project_role=ProjectRole.LEAD),
            "admin": lambda: make_user(role=SiteRole.ADMIN),
            "expert": lambda: make_expert(),
            "other_member": lambda: make_user(project=make_project()),
            "moderator": lambda: make_user(project=project,
                                           project_role=ProjectRole.MODERATOR)}[who]()
    login(client, user)
    response = client.post(f"/projekte/{project.slug}/neuigkeiten/neu",
                           data={"title": "Zwischenbericht ist da", "body": "**Neu**"})
    assert (response.status_code == 302) == allowed
    assert (db.session.scalar(select(ProjectUpdate)) is not None) == allowed


def test_update_shows_on_project_and_start_page_and_takes_questions(client, project):
    member = make_user(project=project, display_name="Team Tina")
    login(client, member)
    response = client.post(f"/projekte/{project.slug}/neuigkeiten/neu",
                           data={"title": "Zwischenbericht ist da", "body": "Mit **Zahlen**"})
    update = db.session.scalar(select(ProjectUpdate))
    page = client.get(response.headers["Location"]).text
    assert "<strong>Zahlen</strong>" in page and "Team Tina" in page
    assert "Zwischenbericht ist da" in client.get(f"/projekte/{project.slug}").text
    assert "Zwischenbericht ist da" in client.get("/").text
    client.post("/konto/abmelden")
    asker = make_expert()
    login(client, asker)
    form = client.get(f"/fragen/neu?neuigkeit={update.id}").text
    assert "Neuigkeit „Zwischenbericht ist da“" in form
    assert f'<option selected value="{project.board.id}">' in form
    client.post("/fragen/neu", data={"board": project.board.id, "update": update.id,
                                     "title": "Welche Zahlen genau?", "body": "Bitte mehr."})
    thread = db.session.scalar(select(Thread))
    assert thread.update_id == update.id and thread.board_id == project.board.id
    assert "Zwischenbericht ist da" in client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Welche Zahlen genau?" in client.get(
        f"/projekte/{project.slug}/neuigkeiten/{update.id}-{update.slug}").text


def test_question_about_update_must_stay_in_its_project(client, project):
    member = make_user(project=project)
    update = updates.publish(member, project, "Neuigkeit hier", "Text")
    other = make_project()
    login(client, make_expert())
    response = client.post("/fragen/neu", data={"board": other.board.id, "update": update.id,
                                                "title": "Frage im falschen Projekt",
                                                "body": "Text"})
    assert "Bereich ihres Projekts" in response.text
    assert db.session.scalar(select(Thread)) is None


def test_update_edit_by_author_and_bad_input_keeps_text(client, project):
    member = make_user(project=project)
    update = updates.publish(member, project, "Alte Überschrift", "Alter Text")
    login(client, member)
    response = client.post(f"/projekte/{project.slug}/neuigkeiten/{update.id}/bearbeiten",
                           data={"title": "", "body": "Neuer Text"})
    assert "Bitte füllen Sie dieses Feld aus" in response.text and "Neuer Text" in response.text
    client.post(f"/projekte/{project.slug}/neuigkeiten/{update.id}/bearbeiten",
                data={"title": "Neue Überschrift", "body": "Neuer Text"})
    assert db.session.get(ProjectUpdate, update.id).title == "Neue Überschrift"
    client.post("/konto/abmelden")
    login(client, make_user(project=project))  # another member may not edit it
    assert client.get(f"/projekte/{project.slug}/neuigkeiten/{update.id}/bearbeiten"
                      ).status_code == 403


def test_update_feeds_are_valid_atom(client, project):
    updates.publish(make_user(project=project), project, "Neuigkeit im Feed", "Mit *Text*")
    for url in ("/feeds/neuigkeiten.atom", f"/feeds/projekte/{project.slug}/neuigkeiten.atom"):
        feed = feedparser.parse(client.get(url).data)
        assert not feed.bozo and feed.version == "atom10"
        assert [e.title for e in feed.entries] == ["AgilKom: Neuigkeit im Feed"]
    assert 'href="/feeds/neuigkeiten.atom"' in client.get("/").text
