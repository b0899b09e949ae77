"""A team member removed from a project no longer edits the updates they wrote; the project's
lead and admins still do (the rulebook decides, not the page)."""

from forum import permissions
from forum.enums import ProjectRole, SiteRole
from forum.services import projects, updates
from tests.factories import make_project, make_user


def test_an_author_removed_from_the_team_no_longer_edits_their_update(app):
    project = make_project()
    author = make_user(project=project)
    lead = make_user(project=project, project_role=ProjectRole.LEAD)
    admin = make_user(role=SiteRole.ADMIN)
    update = updates.publish(author, project, "Zwischenbericht", "Was wir gelernt haben.")
    assert permissions.can("update.edit", author, update)
    projects.remove_member(lead, project, author)
    assert not permissions.can("update.edit", author, update)
    assert "solange sie zum Team" in str(permissions.denial("update.edit", author, update))
    assert permissions.can("update.edit", lead, update)
    assert permissions.can("update.edit", admin, update)


def test_the_edit_page_refuses_a_former_member(app, client):
    from tests.conftest import login

    project = make_project()
    author = make_user(project=project)
    update = updates.publish(author, project, "Zwischenbericht", "Text")
    projects.remove_member(make_user(role=SiteRole.ADMIN), project, author)
    login(client, author)
    response = client.get(f"/projekte/{project.slug}/neuigkeiten/{update.id}/bearbeiten")
    assert response.status_code == 403 and "solange sie zum Team" in response.text
