"""Verifying and revoking experts in the administration (/admin/fachleute)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditEntry, ExpertVerification, SiteRole, User
from forum.models.expert import today
from forum.services import experts
from tests.conftest import login
from tests.factories import make_expert, make_project, make_topic, make_user


@pytest.fixture
def admin(client):
    user = make_user(role=SiteRole.ADMIN, display_name="Ada Admin")
    login(client, user)
    return user


def _verify_data(email, topic=None, project=None, **overrides):
    data = {"email": email, "evidence": "Professorin für Arbeitswissenschaft",
            "valid_from": today().isoformat(),
            "valid_until": (today() + timedelta(days=365)).isoformat()}
    if topic is not None:
        data["topic_fields"] = [topic.id]
    if project is not None:
        data["projects"] = [project.id]
    data.update(overrides)
    return data


def _verifications() -> list[ExpertVerification]:
    return list(db.session.scalars(select(ExpertVerification).order_by(ExpertVerification.id)))


def _log() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_admin_expert_page_shows_form_with_defaults(client, admin):
    make_topic(name="Wissen und Qualifizierung")
    make_project(name="Expertise 4.0")
    page = client.get("/admin/fachleute").text
    assert "Person als Fachperson bestätigen" in page
    assert "Wissen und Qualifizierung" in page and "Expertise 4.0" in page
    assert f'value="{today().isoformat()}"' in page
    assert f'value="{experts.default_until().isoformat()}"' in page
    assert 'href="/admin/fachleute"' in client.get("/admin").text


def test_admin_verifies_expert_and_it_is_logged(client, admin):
    topic = make_topic(name="Wissen und Qualifizierung")
    project = make_project(name="Expertise 4.0")
    person = make_user(email="dr.berg@example.org", display_name="Dr. Berg")
    response = client.post("/admin/fachleute",
                           data=_verify_data("Dr.Berg@example.org", topic, project))
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.is_expert
    [verification] = _verifications()
    assert verification.verified_by_id == admin.id
    assert verification.evidence == "Professorin für Arbeitswissenschaft"
    assert [t.name for t in verification.topic_fields] == ["Wissen und Qualifizierung"]
    assert [p.name for p in verification.projects] == ["Expertise 4.0"]
    entry = _log()[-1]
    assert entry.actor_id == admin.id and entry.action == "expert.verify"
    assert entry.object_type == "ExpertVerification" and entry.object_id == verification.id
    page = client.get("/admin/fachleute").text
    assert "Dr. Berg" in page and "gültig" in page and "Ada Admin" in page
    assert "Professorin für Arbeitswissenschaft" in page
    log_page = client.get("/admin/protokoll").text
    assert "Als Fachperson bestätigt" in log_page and "Dr. Berg" in log_page


def test_admin_verifies_with_german_dates(client, admin):
    topic = make_topic()
    person = make_user()
    until = today() + timedelta(days=100)
    response = client.post("/admin/fachleute", data=_verify_data(
        person.email, topic, valid_from=today().strftime("%d.%m.%Y"),
        valid_until=until.strftime("%d.%m.%Y")))
    assert response.status_code == 302
    assert _verifications()[0].valid_until == until


@pytest.mark.parametrize("email", ["niemand@example.org", "offen@example.org"])
def test_admin_verify_unknown_or_unconfirmed_email_error_next_to_field(client, admin, email):
    make_user(email="offen@example.org", confirmed=False)
    topic = make_topic()
    response = client.post("/admin/fachleute", data=_verify_data(email, topic))
    assert response.status_code == 200
    page = response.text
    assert 'id="email-fehler"' in page
    assert "Es gibt kein bestätigtes Konto mit dieser E-Mail-Adresse." in page
    assert f'value="{email}"' in page  # typed input kept
    assert "Professorin für Arbeitswissenschaft" in page
    assert not _verifications() and not _log()


def test_admin_verify_guest_is_refused(client, admin):
    guest = make_user(email="gast@example.org", is_guest=True)
    response = client.post("/admin/fachleute", data=_verify_data(guest.email, make_topic()))
    assert "Es gibt kein bestätigtes Konto" in response.text
    assert not _verifications()


def test_admin_verify_missing_evidence_and_scope_errors_next_to_fields(client, admin):
    topic = make_topic(name="Führung")
    person = make_user()
    response = client.post("/admin/fachleute", data=_verify_data(person.email, evidence=""))
    page = response.text
    assert 'id="evidence-fehler"' in page and "Bitte füllen Sie dieses Feld aus." in page
    assert not _verifications()
    response = client.post("/admin/fachleute", data=_verify_data(person.email))
    page = response.text
    assert 'id="topic_fields-fehler"' in page
    assert "Bitte wählen Sie mindestens ein Themenfeld oder Projekt." in page
    assert f'value="{person.email}"' in page
    assert not _verifications()
    assert topic.name in page


def test_admin_verify_bad_dates_errors_next_to_fields_keep_input(client, admin):
    topic = make_topic()
    person = make_user()
    response = client.post("/admin/fachleute", data=_verify_data(
        person.email, topic, valid_from="morgen", valid_until=""))
    page = response.text
    assert 'id="valid_from-fehler"' in page and "gültiges Datum" in page
    assert 'id="valid_until-fehler"' in page and "Bitte füllen Sie dieses Feld aus." in page
    assert 'value="morgen"' in page
    response = client.post("/admin/fachleute", data=_verify_data(
        person.email, topic, valid_from=today().isoformat(),
        valid_until=(today() - timedelta(days=1)).isoformat()))
    page = response.text
    assert 'id="valid_until-fehler"' in page
    assert "Das Ende darf nicht vor dem Beginn liegen." in page
    # the topic field stays ticked
    assert f'<input checked id="topic_fields-0" name="topic_fields" type="checkbox" ' \
           f'value="{topic.id}">' in page
    assert not _verifications()


def test_admin_revokes_verification_with_reason_and_history_stays(client, admin):
    topic = make_topic(name="Arbeitszeit")
    expert = make_expert(topics=[topic], display_name="Dr. Klee")
    [verification] = _verifications()
    page = client.get("/admin/fachleute").text
    assert f'name="revoke-{verification.id}-reason"' in page
    response = client.post(f"/admin/fachleute/{verification.id}/widerrufen",
                           data={f"revoke-{verification.id}-reason": "Stelle gewechselt"})
    assert response.status_code == 302
    db.session.expire_all()
    verification = db.session.get(ExpertVerification, verification.id)
    assert verification.status == "revoked" and verification.revoked_by_id == admin.id
    assert verification.revoke_reason == "Stelle gewechselt"
    assert not db.session.get(User, expert.id).is_expert
    entry = _log()[-1]
    assert entry.action == "expert.revoke" and entry.actor_id == admin.id
    assert entry.changes == {"revoke_reason": [None, "Stelle gewechselt"]}
    page = client.get("/admin/fachleute").text
    assert "Dr. Klee" in page and "widerrufen" in page and "Stelle gewechselt" in page
    assert f'name="revoke-{verification.id}-reason"' not in page  # nothing left to revoke
    user_page = client.get(f"/admin/nutzende/{expert.id}").text
    assert "Bestätigungen als Fachperson" in user_page
    assert "widerrufen" in user_page and "Stelle gewechselt" in user_page
    assert "Arbeitszeit" in user_page


def test_admin_revoke_without_reason_shows_error_and_changes_nothing(client, admin):
    make_expert(topics=[make_topic()])
    [verification] = _verifications()
    response = client.post(f"/admin/fachleute/{verification.id}/widerrufen",
                           data={f"revoke-{verification.id}-reason": "  "})
    assert response.status_code == 200
    assert f'id="revoke-{verification.id}-reason-fehler"' in response.text
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text
    db.session.expire_all()
    assert db.session.get(ExpertVerification, verification.id).revoked_at is None
    assert not _log()


def test_admin_revoke_unknown_verification_is_404(client, admin):
    assert client.post("/admin/fachleute/999/widerrufen",
                       data={"revoke-999-reason": "x"}).status_code == 404


def test_admin_page_shows_every_status_in_german(client, admin):
    topic = make_topic()
    make_expert(topics=[topic], display_name="Aktiv")
    make_expert(topics=[topic], display_name="Abgelaufen",
                valid_from=today() - timedelta(days=400),
                valid_until=today() - timedelta(days=1))
    future = today() + timedelta(days=10)
    make_expert(topics=[topic], display_name="Künftig", valid_from=future,
                valid_until=future + timedelta(days=30))
    page = client.get("/admin/fachleute").text
    assert ">gültig<" in page and ">abgelaufen<" in page
    assert f"ab {future.strftime('%d.%m.%Y')}" in page


def test_admin_user_page_links_to_prefilled_verify_form(client, admin):
    person = make_user(email="person@example.org")
    user_page = client.get(f"/admin/nutzende/{person.id}").text
    assert "Diese Person war nie als Fachperson bestätigt." in user_page
    assert f"/admin/fachleute?konto={person.id}" in user_page
    form_page = client.get(f"/admin/fachleute?konto={person.id}").text
    assert 'value="person@example.org"' in form_page


def test_admin_verify_names_unknown_email_together_with_other_errors(client, admin):
    response = client.post("/admin/fachleute", data=_verify_data("niemand@example.org",
                                                                  evidence=""))
    assert 'id="email-fehler"' in response.text and 'id="evidence-fehler"' in response.text


@pytest.mark.parametrize("role", [SiteRole.USER, SiteRole.MODERATOR])
def test_non_admins_cannot_verify_or_revoke(client, role):
    expert = make_expert(topics=[make_topic()])
    [verification] = _verifications()
    person = make_user()
    login(client, make_user(role=role))
    assert client.post("/admin/fachleute",
                       data=_verify_data(person.email, make_topic())).status_code == 403
    assert client.post(f"/admin/fachleute/{verification.id}/widerrufen",
                       data={f"revoke-{verification.id}-reason": "x"}).status_code == 403
    assert client.get(f"/admin/nutzende/{expert.id}").status_code == 403
    db.session.expire_all()
    assert len(_verifications()) == 1 and _verifications()[0].revoked_at is None


def test_admin_revoke_error_shows_form_even_when_not_on_first_page(client, admin):
    topic = make_topic()
    oldest = make_expert(topics=[topic], display_name="Die Älteste")
    for _ in range(50):
        make_expert(topics=[topic])
    verification = oldest.verifications[0]
    assert "Die Älteste" not in client.get("/admin/fachleute").text  # on page 2
    response = client.post(f"/admin/fachleute/{verification.id}/widerrufen",
                           data={f"revoke-{verification.id}-reason": ""})
    assert "Die Älteste" in response.text
    assert f'id="revoke-{verification.id}-reason-fehler"' in response.text
    assert "Die Älteste" in client.get("/admin/fachleute?seite=2").text


# --- issue 14: experts hear of their verification; duplicates are refused ------------------

def test_verified_and_revoked_experts_get_a_mail(client, admin, smtp_sink):
    topic = make_topic(name="Arbeitszeit")
    person = make_user(email="fachfrau@example.org", display_name="Dr. Fachfrau")
    client.post("/admin/fachleute", data=_verify_data(person.email, topic))
    verification = _verifications()[-1]
    client.post(f"/admin/fachleute/{verification.id}/widerrufen",
                data={f"revoke-{verification.id}-reason": "Stelle gewechselt"})
    mails = {m["Subject"]: m.get_body(("plain",)).get_content()
             for m in smtp_sink[1] if m["To"] == person.email}
    granted = mails["Sie sind als Fachperson im Fachdialog bestätigt"]
    assert "Arbeitszeit" in granted and verification.valid_until.strftime("%d.%m.%Y") in granted
    assert "Stelle gewechselt" in mails["Ihre Bestätigung als Fachperson ist widerrufen"]


def test_a_duplicate_verification_is_refused_with_a_message(client, admin):
    topic = make_topic()
    person = make_user(email="doppelt@example.org")
    client.post("/admin/fachleute", data=_verify_data(person.email, topic))
    again = client.post("/admin/fachleute", data=_verify_data(person.email, topic))
    assert "schon bis" in again.text and "als Fachperson bestätigt" in again.text
    assert len(_verifications()) == 1
    longer = _verify_data(person.email, topic,
                          valid_until=(today() + timedelta(days=700)).isoformat())
    assert client.post("/admin/fachleute", data=longer).status_code == 302  # a renewal
    assert len(_verifications()) == 2


def test_experts_are_reminded_30_days_before_the_end_once(app, runner, smtp_sink):
    soon = make_expert(email="bald@example.org", valid_until=today() + timedelta(days=20))
    later = make_expert(email="spaeter@example.org", valid_until=today() + timedelta(days=90))
    renewed = make_expert(email="verlaengert@example.org",
                          valid_until=today() + timedelta(days=10))
    experts.verify(None, renewed, evidence="Verlängert", topic_fields=[make_topic()],
                   projects=[], valid_from=today(), valid_until=today() + timedelta(days=400))
    assert len(smtp_sink[1]) == 1  # the renewal's own mail, sent and set aside
    list.clear(smtp_sink[1])
    result = runner.invoke(args=["forum", "remind-experts"])
    assert result.exit_code == 0 and "1 Fachperson(en) erinnert" in result.output
    to = [m["To"] for m in smtp_sink[1]]
    assert soon.email in to and later.email not in to and renewed.email not in to
    assert "endet am" in next(m for m in smtp_sink[1] if m["To"] == soon.email)["Subject"]
    runner.invoke(args=["forum", "remind-experts"])  # the next day: no second reminder
    assert [m["To"] for m in smtp_sink[1]].count(soon.email) == 1
