"""Project leads manage their own team (members only); everything is logged."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditEntry, ProjectMember, ProjectRole
from forum.services import ServiceError, projects
from tests.conftest import login
from tests.factories import make_expert, make_project, make_user


@pytest.fixture
def team(app):
    project = make_project(name="PflEx")
    lead = make_user(project=project, project_role=ProjectRole.LEAD, display_name="Lea Lead")
    return project, lead


def test_lead_adds_and_removes_members(client, team):
    project, lead = team
    newcomer = make_user(email="neu@example.org", display_name="Nina Neu")
    login(client, lead)
    assert "Team verwalten" in client.get(f"/projekte/{project.slug}").text
    client.post(f"/projekte/{project.slug}/team", data={"email": "NEU@example.org"})
    membership = db.session.get(ProjectMember, (project.id, newcomer.id))
    assert membership.role == ProjectRole.MEMBER
    assert "Nina Neu" in client.get(f"/projekte/{project.slug}").text
    client.post(f"/projekte/{project.slug}/team/{newcomer.id}/entfernen")
    assert db.session.get(ProjectMember, (project.id, newcomer.id)) is None
    actors = {e.actor_id for e in db.session.scalars(select(AuditEntry))}
    assert actors == {lead.id}


def test_unknown_address_keeps_input_with_german_message(client, team):
    project, lead = team
    login(client, lead)
    response = client.post(f"/projekte/{project.slug}/team", data={"email": "wer@example.org"})
    assert "kein bestätigtes Konto" in response.text and 'value="wer@example.org"' in response.text


def test_lead_cannot_touch_leads_or_moderators(app, team):
    project, lead = team
    moderator = make_user(project=project, project_role=ProjectRole.MODERATOR)
    with pytest.raises(ServiceError):
        projects.remove_member(lead, project, moderator)
    with pytest.raises(ServiceError):
        projects.set_member(lead, project, make_user(), ProjectRole.LEAD)
    assert db.session.get(ProjectMember, (project.id, moderator.id)) is not None


@pytest.mark.parametrize("who", ["member", "other_lead", "expert"])
def test_others_cannot_manage_the_team(client, team, who):
    project, _lead = team
    user = {"member": lambda: make_user(project=project),
            "other_lead": lambda: make_user(project=make_project(),
                                            project_role=ProjectRole.LEAD),
            "expert": lambda: make_expert()}[who]()
    login(client, user)
    assert client.get(f"/projekte/{project.slug}/team").status_code == 403
    assert client.post(f"/projekte/{project.slug}/team",
                       data={"email": user.email}).status_code == 403
