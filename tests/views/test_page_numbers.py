"""Page numbers from the address (?seite=) are the visitor's input: an absurd one gives a normal
page or a 404, never a 500 (an OFFSET beyond 64 bits does not even reach the database)."""

import pytest

from forum.models import SiteRole
from tests.conftest import login
from tests.factories import make_project, make_thread, make_topic, make_user

HUGE = "999999999999999999999"
ABSURD = (HUGE, "-" + HUGE, "0", "-1", "100001", "abc")


@pytest.fixture
def admin(client):
    user = make_user(role=SiteRole.ADMIN)
    login(client, user)
    return user


@pytest.mark.parametrize("seite", ABSURD)
@pytest.mark.parametrize("url", ["/admin/nutzende", "/admin/nutzende?q=Person",
                                 "/admin/protokoll", "/admin/fachleute",
                                 "/moderation/protokoll"])
def test_admin_and_log_lists_page_number_absurd_no_server_error(client, admin, url, seite):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}seite={seite}")
    assert response.status_code in (200, 404), (url, seite, response.status_code)


@pytest.mark.parametrize("seite", ABSURD)
def test_board_and_search_page_number_absurd_no_server_error(client, seite):
    topic = make_topic()
    project = make_project(topics=[topic])
    make_thread(project.board, make_user(), title="Zeitkonto im Projekt")
    for url in (f"/projekte/{project.slug}?seite={seite}", f"/themen/{topic.slug}?seite={seite}",
                f"/suche?q=Zeitkonto&seite={seite}"):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)


def test_admin_user_list_page_number_huge_shows_the_list_frame(client, admin):
    response = client.get(f"/admin/nutzende?seite={HUGE}")
    assert response.status_code == 200
    assert f"/admin/nutzende/{admin.id}" not in response.text  # past the end: nobody listed
