"""The public expert directory (/fachleute), profiles, consent in the account settings, and
the badges on answers: who is listed and what is shown follows the verification in force and
the expert's own consent."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import permissions
from forum.extensions import db
from forum.models import AuditEntry, ExpertVerification, SiteRole, User
from forum.models.expert import today
from forum.services import answers, experts
from tests.conftest import login
from tests.factories import (
    make_answer,
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)


def _listed_expert(topics=(), projects=(), **overrides) -> User:
    values = {"profile_public": True, "show_organisation": True, "show_expertise": True,
              "organisation": "Institut für Arbeitsforschung",
              "expertise": "Arbeitszeitmodelle in der Pflege"}
    values.update(overrides)
    return make_expert(topics=topics, projects=projects, **values)


def _expire(user: User) -> None:
    verification = db.session.scalar(select(ExpertVerification)
                                     .where(ExpertVerification.user_id == user.id))
    verification.valid_from = today() - timedelta(days=400)
    verification.valid_until = today() - timedelta(days=1)
    db.session.commit()


def _revoke(user: User) -> None:
    admin = make_user(role=SiteRole.ADMIN)
    verification = db.session.scalar(select(ExpertVerification)
                                     .where(ExpertVerification.user_id == user.id))
    experts.revoke(admin, verification, "Nicht mehr tätig")


def _thread_page(client, thread) -> str:
    return client.get(f"/fragen/{thread.id}-{thread.slug}").text


# --- directory and profile --------------------------------------------------------------

def test_directory_lists_only_consenting_experts_in_force(client):
    topic = make_topic(name="Arbeitszeit und Arbeitsort")
    _listed_expert(topics=[topic], display_name="Dr. Sichtbar")
    make_expert(topics=[topic], display_name="Ohne Zustimmung")
    make_user(display_name="Keine Fachperson", profile_public=True)
    _listed_expert(topics=[topic], display_name="Bald Bestätigt",
                   valid_from=today() + timedelta(days=3))
    page = client.get("/fachleute").text
    assert "Dr. Sichtbar" in page and "Arbeitszeit und Arbeitsort" in page
    assert "Institut für Arbeitsforschung" in page
    assert "Ohne Zustimmung" not in page and "Keine Fachperson" not in page
    assert "Bald Bestätigt" not in page
    assert 'href="/fachleute"' in client.get("/").text  # main navigation


def test_directory_topic_filter(client):
    work, health = make_topic(name="Arbeitszeit", slug="arbeitszeit"), make_topic(
        name="Gesundheit", slug="gesundheit")
    _listed_expert(topics=[work], display_name="Frau Zeit")
    _listed_expert(topics=[health], display_name="Herr Gesund")
    page = client.get("/fachleute?themenfeld=arbeitszeit").text
    assert "Frau Zeit" in page and "Herr Gesund" not in page
    assert "Fachleute im Themenfeld Arbeitszeit" in page
    page = client.get("/fachleute?themenfeld=gesundheit").text
    assert "Herr Gesund" in page and "Frau Zeit" not in page
    page = client.get("/fachleute").text
    assert "Herr Gesund" in page and "Frau Zeit" in page
    assert client.get("/fachleute?themenfeld=gibt-es-nicht").status_code == 404


def test_directory_empty_says_so(client):
    make_topic(slug="leer")
    assert "Noch keine Fachleute mit öffentlichem Profil." in client.get("/fachleute").text
    assert "noch keine Fachleute" in client.get("/fachleute?themenfeld=leer").text


def test_profile_shows_scope_period_counts_and_answers(client):
    topic = make_topic(name="Wissen und Qualifizierung")
    project = make_project(name="Expertise 4.0")
    expert = _listed_expert(topics=[topic], projects=[project], display_name="Dr. Profil")
    asker = make_user()
    first = make_thread(topic.board, asker, title="Wie lernen Teams am besten?")
    second = make_thread(project.board, asker, title="Was bringt Weiterbildung im Betrieb?")
    make_answer(first, expert)
    helpful = make_answer(second, expert)
    answers.mark_helpful(asker, helpful)
    page = client.get(f"/fachleute/{expert.id}").text
    assert "Dr. Profil" in page and "Fachperson" in page
    assert "Institut für Arbeitsforschung" in page and "Arbeitszeitmodelle in der Pflege" in page
    assert "Wissen und Qualifizierung" in page and "Expertise 4.0" in page
    until = expert.verification.valid_until.strftime("%d.%m.%Y")
    assert f"bestätigt bis {until}" in page
    assert "2 Antworten" in page and "davon 1 als hilfreichste Antwort markiert" in page
    assert f'href="/fragen/{first.id}-{first.slug}#beitrag-' in page
    assert "Was bringt Weiterbildung im Betrieb?" in page
    listing = client.get("/fachleute").text
    assert "2 Antworten" in listing and "1 hilfreichste Antwort" in listing


@pytest.mark.parametrize("field,text", [
    ("show_organisation", "Institut für Arbeitsforschung"),
    ("show_expertise", "Arbeitszeitmodelle in der Pflege"),
])
def test_profile_shows_organisation_and_expertise_only_with_consent(client, field, text):
    shown = _listed_expert(display_name="Mit Freigabe")
    hidden = _listed_expert(display_name="Ohne Freigabe", **{field: False})
    assert text in client.get(f"/fachleute/{shown.id}").text
    assert text not in client.get(f"/fachleute/{hidden.id}").text
    directory = client.get("/fachleute").text
    if field == "show_organisation":
        assert directory.count(text) == 1


def test_profile_of_anyone_not_listed_is_404(client):
    topic = make_topic()
    no_consent = make_expert(topics=[topic])
    plain = make_user(profile_public=True)
    guest = make_user(is_guest=True, profile_public=True)
    for person in (no_consent, plain, guest):
        assert client.get(f"/fachleute/{person.id}").status_code == 404
    assert client.get("/fachleute/99999").status_code == 404


@pytest.mark.parametrize("end", [_expire, _revoke], ids=["expired", "revoked"])
def test_expiry_and_revocation_remove_badge_right_listing_but_keep_history(client, end):
    topic = make_topic(name="Führung und Zusammenarbeit")
    expert = _listed_expert(topics=[topic], display_name="Dr. Vorbei")
    asker = make_user()
    thread = make_thread(topic.board, asker)
    make_answer(thread, expert)
    other = make_thread(topic.board, asker, title="Noch eine offene Frage?")
    assert permissions.can("post.answer", expert, other)
    assert "Fachperson für Führung und Zusammenarbeit" in _thread_page(client, thread)
    assert "Dr. Vorbei" in client.get("/fachleute").text
    assert client.get(f"/fachleute/{expert.id}").status_code == 200

    end(expert)
    db.session.expire_all()
    expert = db.session.get(User, expert.id)
    assert not expert.is_expert
    assert not permissions.can("post.answer", expert, other)
    page = _thread_page(client, thread)
    assert "Dr. Vorbei" in page and "Fachperson" not in page
    assert "Forumsmitglied" in page
    assert "Dr. Vorbei" not in client.get("/fachleute").text
    assert client.get(f"/fachleute/{expert.id}").status_code == 404
    # the record stays in the administration's history
    admin = make_user(role=SiteRole.ADMIN)
    login(client, admin)
    history = client.get("/admin/fachleute").text
    assert "Dr. Vorbei" in history and "Führung und Zusammenarbeit" in history
    assert ("abgelaufen" if end is _expire else "Nicht mehr tätig") in history
    assert "Dr. Vorbei" in client.get(f"/admin/nutzende/{expert.id}").text


# --- badges on posts --------------------------------------------------------------------

def test_badge_names_matching_topic_field_and_organisation_and_links_profile(client):
    work, health = make_topic(name="Arbeitszeit"), make_topic(name="Gesundheit")
    expert = _listed_expert(topics=[work, health], display_name="Dr. Zeit")
    thread = make_thread(health.board, make_user())
    make_answer(thread, expert)
    page = _thread_page(client, thread)
    assert "Fachperson für Gesundheit" in page and "Fachperson für Arbeitszeit" not in page
    assert 'class="post-org">Institut für Arbeitsforschung<' in page
    assert f'href="/fachleute/{expert.id}"' in page


def test_badge_on_project_board_names_project_else_all_fields(client):
    topic = make_topic(name="Digitalisierung")
    project, other = make_project(name="Expertise 4.0"), make_project(name="Anderes Projekt")
    for_project = _listed_expert(projects=[project], display_name="Projektkennerin")
    for_topic = _listed_expert(topics=[topic], display_name="Themenkenner")
    thread = make_thread(project.board, make_user())
    make_answer(thread, for_project)
    make_answer(thread, for_topic)
    page = _thread_page(client, thread)
    assert "Fachperson für Expertise 4.0" in page
    assert "Fachperson für Digitalisierung" in page  # no match: the verified fields
    elsewhere = make_thread(other.board, make_user(), title="Frage im anderen Projekt")
    make_answer(elsewhere, for_project)
    assert "Fachperson für Expertise 4.0" in _thread_page(client, elsewhere)


def test_badge_on_project_board_matches_projects_topic_field(client):
    care, other = make_topic(name="Pflege"), make_topic(name="Handwerk")
    project = make_project(name="Pflegeprojekt", topics=[care])
    expert = _listed_expert(topics=[other, care])
    thread = make_thread(project.board, make_user())
    make_answer(thread, expert)
    assert "Fachperson für Pflege" in _thread_page(client, thread)


def test_badge_without_consent_has_no_organisation_and_no_profile_link(client):
    topic = make_topic()
    expert = make_expert(topics=[topic], organisation="Geheime GmbH", display_name="Still")
    thread = make_thread(topic.board, make_user())
    make_answer(thread, expert)
    page = _thread_page(client, thread)
    assert "Fachperson" in page
    assert "Geheime GmbH" not in page
    assert f'href="/fachleute/{expert.id}"' not in page


def test_badges_community_team_moderation_and_guest(client):
    project = make_project(name="Werkstatt")
    member = make_user(project=project, display_name="Teamerin")
    moderator = make_user(role=SiteRole.MODERATOR, display_name="Moderatorin")
    thread = make_thread(project.board, make_user(display_name="Fragender"))
    make_answer(thread, member)
    make_answer(thread, moderator)
    page = _thread_page(client, thread)
    assert "Projektteam Werkstatt" in page and "Moderation" in page
    assert "Forumsmitglied" not in page  # no role-less answers yet, and never on the question
    # someone who may answer but has no role badge: an expert whose verification ended
    former = make_expert(display_name="Ehemalig")
    make_answer(thread, former)
    _expire(former)
    assert "Forumsmitglied" in _thread_page(client, thread)
    guest = make_user(display_name="Besuch", email="gast@example.org")
    guest_thread = make_thread(make_topic().board, guest, title="Eine Frage von einem Gast")
    guest.is_guest = True  # as the guest flow leaves it once the question is confirmed
    db.session.commit()
    page = _thread_page(client, guest_thread)
    assert 'class="badge badge-guest">Gast<' in page and "Besuch" in page
    assert "gast@example.org" not in page


# --- consent in the account settings ----------------------------------------------------

def test_settings_profile_section_only_for_experts_in_force(client):
    user = make_user()
    login(client, user)
    page = client.get("/konto/einstellungen").text
    assert "Einstellungen" in page and "Öffentliches Profil" not in page
    assert client.post("/konto/einstellungen", data={"profile_public": "y"}).status_code == 403
    assert not db.session.get(User, user.id).profile_public
    assert 'href="/konto/einstellungen"' in page


def test_settings_consent_controls_profile(client):
    topic = make_topic()
    expert = make_expert(topics=[topic], display_name="Dr. Frei")
    login(client, expert)
    page = client.get("/konto/einstellungen").text
    assert "Öffentliches Profil" in page
    assert client.get(f"/fachleute/{expert.id}").status_code == 404

    response = client.post("/konto/einstellungen", data={
        "profile_public": "y", "organisation": "Hochschule Nord",
        "expertise": "Führung auf Distanz"})
    assert response.status_code == 302
    profile = client.get(f"/fachleute/{expert.id}").text
    assert "Dr. Frei" in profile
    assert "Hochschule Nord" not in profile and "Führung auf Distanz" not in profile

    client.post("/konto/einstellungen", data={
        "profile_public": "y", "show_organisation": "y", "show_expertise": "y",
        "organisation": "Hochschule Nord", "expertise": "Führung auf Distanz"})
    profile = client.get(f"/fachleute/{expert.id}").text
    assert "Hochschule Nord" in profile and "Führung auf Distanz" in profile
    entries = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "expert.profile").order_by(AuditEntry.id)))
    assert len(entries) == 2 and entries[0].actor_id == expert.id
    assert entries[0].changes["profile_public"] == [False, True]

    client.post("/konto/einstellungen", data={
        "organisation": "Hochschule Nord", "expertise": "Führung auf Distanz"})
    assert client.get(f"/fachleute/{expert.id}").status_code == 404
    assert f"/fachleute/{expert.id}" not in client.get("/fachleute").text


def test_settings_too_long_input_error_next_to_field_keeps_input(client):
    expert = make_expert(topics=[make_topic()])
    login(client, expert)
    response = client.post("/konto/einstellungen", data={
        "profile_public": "y", "organisation": "Hochschule", "expertise": "x" * 301})
    assert response.status_code == 200
    assert 'id="expertise-fehler"' in response.text
    assert 'value="Hochschule"' in response.text
    db.session.expire_all()
    assert not db.session.get(User, expert.id).profile_public


def test_settings_requires_login(client):
    response = client.get("/konto/einstellungen")
    assert response.status_code == 302 and "/konto/anmelden" in response.headers["Location"]
