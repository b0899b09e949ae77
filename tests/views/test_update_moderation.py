"""Project updates ("Neuigkeiten") are reported and moderated like posts: anyone reports
them, the project's moderators (and site moderators) hide them with grounds, restore them or
settle the reports; statements, appeals and the one-decision-per-item rule hold as for posts;
a hidden update is gone from the project page, the start page and the feeds."""

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    Appeal,
    Decision,
    DecisionAction,
    ProjectRole,
    ProjectUpdate,
    Report,
    ReportState,
    SiteRole,
)
from forum.services import reports, updates
from tests.conftest import _client_as
from tests.factories import make_project, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")

TITLE = "Zwischenbericht zur Schichtplanung"


@pytest.fixture
def setting(app):
    project = make_project()
    author = make_user(project=project, email="team@example.org",
                       display_name="Tina Team")
    item = updates.publish(author, project, TITLE, "Wir haben drei Modelle erprobt.")
    project_mod = _client_as(app, make_user(project=project,
                                            project_role=ProjectRole.MODERATOR,
                                            display_name="Pia Projektmoderation"))
    return project, item, project_mod


def _public_url(project, item) -> str:
    return f"/projekte/{project.slug}/neuigkeiten/{item.id}-{item.slug}"


def _hide(client, item, version="0"):
    return client.post(f"/moderation/neuigkeiten/{item.id}/ausblenden", data={
        "hide-version": version, "hide-reason": "0", "hide-ground_kind": "law",
        "hide-ground": "Art. 6 DSGVO", "hide-facts": "Nennt eine Patientin mit Namen."})


def test_visitor_reports_an_update_and_it_reaches_the_projects_moderators(
        app, client, setting, smtp_sink):
    project, item, project_mod = setting
    page = client.get(_public_url(project, item))
    assert f'href="/neuigkeiten/{item.id}/melden"' in page.text
    form = client.get(f"/neuigkeiten/{item.id}/melden").text
    assert "Neuigkeit melden" in form and TITLE in form
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', form).group(1)
    sent = client.post(f"/neuigkeiten/{item.id}/melden", data={
        "once": once, "category": "illegal", "ground": "Art. 6 DSGVO",
        "explanation": "Der Text nennt eine Patientin.", "name": "Maria Melder",
        "email": "maria@example.org", "good_faith": "y"})
    assert sent.status_code == 200 and "Danke für Ihre Meldung" in sent.text
    report = db.session.scalar(select(Report))
    assert (report.update_id, report.post_id) == (item.id, None)
    [receipt] = [m for m in smtp_sink[1] if m["To"] == "maria@example.org"]
    assert TITLE in receipt.get_body(("plain",)).get_content()
    queue_page = project_mod.get("/moderation").text
    assert "Gemeldete Neuigkeiten (1)" in queue_page and TITLE in queue_page
    detail = project_mod.get(f"/moderation/neuigkeiten/{item.id}").text
    assert "Der Text nennt eine Patientin." in detail and "maria@example.org" in detail


def test_hiding_removes_it_everywhere_and_sends_the_statement(client, setting, smtp_sink):
    project, item, project_mod = setting
    assert TITLE in client.get("/feeds/neuigkeiten.atom").text  # listed before the decision
    db.session.add(Report(update_id=item.id, category="illegal", ground="Art. 6 DSGVO",
                          explanation="Patientin genannt.", reporter_email="m@example.org",
                          good_faith=True))
    db.session.commit()
    assert _hide(project_mod, item).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProjectUpdate, item.id).hidden_at is not None
    assert client.get(_public_url(project, item)).status_code == 404
    assert TITLE not in client.get(f"/projekte/{project.slug}").text
    for feed in ("/feeds/neuigkeiten.atom", f"/feeds/projekte/{project.slug}/neuigkeiten.atom"):
        response = client.get(feed)
        assert response.status_code == 200 and TITLE not in response.text
    assert client.get(f"/neuigkeiten/{item.id}/melden").status_code == 404
    decision = db.session.scalar(select(Decision))
    assert (decision.action, decision.update_id, decision.from_report) == (
        DecisionAction.HIDE, item.id, True)
    [statement] = [m for m in smtp_sink[1] if m["To"] == "team@example.org"]
    body = statement.get_body(("plain",)).get_content()
    assert TITLE in body and "Art. 6 DSGVO" in body and "/entscheidungen/" in body
    report = db.session.scalar(select(Report))
    assert report.state == ReportState.ACTIONED
    log = project_mod.get("/moderation/protokoll").text
    assert f'href="/moderation/entscheidungen/{decision.id}"' in log


def test_a_decision_on_an_older_view_is_refused(app, setting):
    project, item, project_mod = setting
    db.session.add(Report(update_id=item.id, category="rules", explanation="x",
                          good_faith=True))
    db.session.commit()
    site_mod = _client_as(app, make_user(role=SiteRole.MODERATOR))
    project_mod.post(f"/moderation/neuigkeiten/{item.id}/meldungen-erledigen",
                     data={"dismiss-version": "0", "dismiss-facts": "Zulässig."})
    refused = _hide(site_mod, item, version="0")
    assert refused.status_code == 302
    page = site_mod.get(refused.headers["Location"]).text
    assert "bereits bearbeitet" in page and "Meldungen geprüft, keine Maßnahme" in page
    db.session.expire_all()
    assert db.session.get(ProjectUpdate, item.id).hidden_at is None


def test_restore_and_upheld_appeal_show_it_again(app, client, setting):
    project, item, project_mod = setting
    _hide(project_mod, item)
    decision = db.session.scalar(select(Decision))
    appeal = reports.file_appeal(decision, None, "Der Name war erfunden.")
    site_mod = make_user(role=SiteRole.MODERATOR)
    reports.decide_appeal(site_mod, db.session.get(Appeal, appeal.id), upheld=True,
                          answer="Der Name ist fiktiv.")
    db.session.expire_all()
    assert db.session.get(ProjectUpdate, item.id).hidden_at is None
    assert client.get(_public_url(project, item)).status_code == 200
    assert reports.reversal_of(db.session.get(Decision, decision.id)) is not None
    _hide(project_mod, item, version="1")
    project_mod.post(f"/moderation/neuigkeiten/{item.id}/wiederherstellen",
                     data={"restore-version": "2", "restore-facts": "Geprüft: zulässig."})
    db.session.expire_all()
    assert db.session.get(ProjectUpdate, item.id).hidden_at is None


def test_appeal_about_an_update_reaches_the_projects_moderators(app, setting):
    project, item, project_mod = setting
    site_mod = _client_as(app, make_user(role=SiteRole.MODERATOR))
    _hide(site_mod, item)
    decision = db.session.scalar(select(Decision))
    reports.file_appeal(decision, None, "Bitte noch einmal prüfen.")
    queue_page = project_mod.get("/moderation").text
    assert "Beschwerde gegen: Ausgeblendet" in queue_page


def test_other_projects_moderators_do_not_see_it(app, setting):
    _project, item, _ = setting
    stranger = _client_as(app, make_user(project=make_project(),
                                         project_role=ProjectRole.MODERATOR))
    assert stranger.get(f"/moderation/neuigkeiten/{item.id}").status_code == 404
    assert _hide(stranger, item).status_code == 404
    db.session.expire_all()
    assert db.session.get(ProjectUpdate, item.id).hidden_at is None


def test_a_hidden_update_is_not_found_by_the_search(client, setting):
    project, item, project_mod = setting
    assert TITLE in client.get("/suche?q=Schichtplanung").text
    _hide(project_mod, item)
    assert TITLE not in client.get("/suche?q=Schichtplanung").text
