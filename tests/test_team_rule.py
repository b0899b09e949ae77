"""One definition of a project's team and one rule for changing it, used by the rulebook, the
service, the team page and the author badge; refusals carry their reason."""

import pytest

from forum import permissions
from forum.enums import ProjectRole, SiteRole
from forum.jinja import author_badge
from forum.permissions import TeamChange
from forum.services import ServiceError, projects
from tests.conftest import login
from tests.factories import make_answer, make_expert, make_project, make_thread, make_user

M, L, MOD = ProjectRole.MEMBER, ProjectRole.LEAD, ProjectRole.MODERATOR

# (before, after): None before = not yet in the project, None after = removed
CHANGES = {
    "add member": (None, M), "add lead": (None, L), "add moderator": (None, MOD),
    "member to lead": (M, L), "lead to member": (L, M), "moderator to member": (MOD, M),
    "remove member": (M, None), "remove lead": (L, None), "remove moderator": (MOD, None),
}
ALLOWED = {
    "admin": set(CHANGES),
    "lead": {"add member", "remove member"},
    "member": set(), "project_mod": set(), "other_lead": set(), "site_moderator": set(),
    "user": set(),
}


@pytest.fixture
def people(app):
    project = make_project(name="PflEx")
    return project, {
        "admin": make_user(role=SiteRole.ADMIN),
        "lead": make_user(project=project, project_role=L),
        "member": make_user(project=project),
        "project_mod": make_user(project=project, project_role=MOD),
        "other_lead": make_user(project=make_project(), project_role=L),
        "site_moderator": make_user(role=SiteRole.MODERATOR),
        "user": make_user(),
    }


def test_team_change_matrix_admins_appoint_and_leads_manage_plain_members(people):
    project, users = people
    for who, user in users.items():
        for name, (before, after) in CHANGES.items():
            allowed = permissions.can("project.team_change", user,
                                      TeamChange(project, before, after))
            assert allowed == (name in ALLOWED[who]), (who, name)


def test_team_change_refusal_names_its_reason(people):
    project, users = people
    assert "Administration" in str(permissions.denial(
        "project.team_change", users["lead"], TeamChange(project, None, L)))
    assert "Leitung" in str(permissions.denial(
        "project.team_change", users["member"], TeamChange(project, None, M)))
    assert permissions.denial("project.team_change", users["admin"],
                              TeamChange(project, None, L)) is None


def test_service_uses_the_rule_and_shows_the_reason_at_the_field(people):
    project, users = people
    with pytest.raises(ServiceError) as refused:
        projects.set_member(users["lead"], project, users["project_mod"], M)
    assert refused.value.field == "role" and "Administration" in str(refused.value.message)
    with pytest.raises(ServiceError):
        projects.remove_member(users["lead"], project, users["project_mod"])
    projects.set_member(users["admin"], project, users["user"], L)
    assert users["user"].project_role(project.id) == L


def test_team_page_offers_removal_only_where_the_rule_allows(client, people):
    project, users = people
    login(client, users["lead"])
    page = client.get(f"/projekte/{project.slug}/team").text
    assert f"Entfernen: {users['member'].display_name}" in page
    assert f"Entfernen: {users['project_mod'].display_name}" not in page
    assert f"Entfernen: {users['lead'].display_name}" not in page
    assert "Moderation des Projektbereichs" in page


def test_project_page_lists_the_team_without_its_moderators(client, people):
    project, users = people
    page = client.get(f"/projekte/{project.slug}").text
    assert users["member"].display_name in page and users["lead"].display_name in page
    assert users["project_mod"].display_name not in page


@pytest.mark.parametrize("who, kind", [
    ("member", "team"), ("lead", "team"), ("project_mod", "moderation"),
    ("other_lead", "community"), ("site_moderator", "moderation"), ("user", "community"),
])
def test_badge_follows_the_one_definition_of_the_team(people, who, kind):
    project, users = people
    thread = make_thread(project.board, make_user())
    badge = author_badge(users[who], thread.board, answer=True)
    assert badge.kind == kind
    if kind == "team":
        assert badge.label == "Projektteam PflEx"


def test_project_moderator_answer_shows_moderation_not_team(client, people):
    project, users = people
    thread = make_thread(project.board, make_user())
    make_answer(thread, users["project_mod"])
    page = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Projektteam PflEx" not in page and "Moderation" in page


def test_update_publishing_is_for_the_team_only(people):
    project, users = people
    assert permissions.can("update.publish", users["member"], project)
    assert permissions.can("update.publish", users["lead"], project)
    assert not permissions.can("update.publish", users["project_mod"], project)
    assert "Team" in str(permissions.denial("update.publish", users["project_mod"], project))


def test_refused_answer_says_why_instead_of_guessing(client, app):
    project = make_project()
    asker = make_user()
    thread = make_thread(project.board, asker)
    expert = make_expert()
    thread.locked = True
    from forum.extensions import db

    db.session.commit()
    assert "geschlossen" in str(permissions.denial("post.answer", expert, thread))
    assert "Rückfrage" in str(permissions.denial("post.answer", asker, make_thread(
        project.board, asker, title="Noch eine Frage")))
    login(client, expert)
    response = client.post(f"/fragen/{thread.id}-{thread.slug}", data={"body": "Mein Text"})
    assert response.status_code == 403
    assert "geschlossen" in response.text and "Mein Text</textarea>" in response.text
