"""Ids typed into an address or a form (?konto=, ?neuigkeit=, ?projekt=, a watch button's
target) that no row can have are treated as no id: a normal page, never a 500 from an
integer the database driver cannot bind or a digit Python cannot read."""

import pytest

from forum.extensions import db
from forum.models import SiteRole, Watch
from tests.conftest import login
from tests.factories import make_project, make_thread, make_topic, make_user

ODD = ("1000000000000000000000000000000", str(2**31), "²", "-3", "0", "abc")


@pytest.mark.parametrize("value", ODD)
def test_ask_page_odd_update_id_shows_the_form(client, value):
    make_topic()
    login(client, make_user())
    response = client.get("/fragen/neu", query_string={"neuigkeit": value, "bereich": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ODD)
def test_admin_experts_odd_account_id_shows_the_page(client, value):
    login(client, make_user(role=SiteRole.ADMIN))
    assert client.get("/admin/fachleute", query_string={"konto": value}).status_code == 200


@pytest.mark.parametrize("value", ODD)
def test_search_odd_filter_ids_answer_normally(client, value):
    project = make_project()
    make_thread(project.board, make_user(), title="Zeitkonto im Projekt")
    response = client.get("/suche", query_string={"q": "Zeitkonto", "projekt": value,
                                                  "themenfeld": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["1000000000000000000000000000000", str(2**31), "-3"])
def test_watch_button_odd_target_says_it_does_not_exist(client, value):
    login(client, make_user())
    response = client.post("/beobachten", data={"kind": "thread", "target": value,
                                                "next": "/"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Das gibt es nicht (mehr)." in response.text
    assert db.session.query(Watch).count() == 0
