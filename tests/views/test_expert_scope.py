"""Several verifications in force count together; consent can be withdrawn after expiry."""

from datetime import timedelta

from forum.extensions import db
from forum.models import ExpertVerification, User
from forum.models.expert import today
from tests.conftest import login
from tests.factories import make_answer, make_expert, make_thread, make_topic, make_user


def test_every_verification_in_force_counts_for_badge_directory_and_open_list(client):
    first, second = make_topic(name="Arbeitszeit"), make_topic(name="Datenschutz")
    expert = make_expert(topics=[first], display_name="Dr. Zwei", profile_public=True)
    db.session.add(ExpertVerification(user_id=expert.id, evidence="Zweite Bestätigung",
                                      valid_from=today(),
                                      valid_until=today() + timedelta(days=400),
                                      topic_fields=[second]))
    db.session.commit()
    thread = make_thread(first.board, make_user(), title="Frage zur Arbeitszeit")
    make_answer(thread, db.session.get(User, expert.id), body="Antwort")
    page = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Fachperson für Arbeitszeit" in page
    assert "Dr. Zwei" in client.get(f"/fachleute?themenfeld={first.slug}").text
    assert "Dr. Zwei" in client.get(f"/fachleute?themenfeld={second.slug}").text
    make_thread(second.board, make_user(), title="Frage zum Datenschutz")
    login(client, expert)
    open_list = client.get("/konto/offene-fragen").text
    assert "Frage zum Datenschutz" in open_list
    profile = client.get(f"/fachleute/{expert.id}").text
    assert "Arbeitszeit" in profile and "Datenschutz" in profile


def test_consent_can_be_withdrawn_after_the_verification_ended(client):
    past = today() - timedelta(days=800)
    expert = make_expert(topics=[make_topic()], valid_from=past,
                         valid_until=today() - timedelta(days=1), profile_public=True,
                         show_organisation=True, organisation="Institut")
    login(client, expert)
    page = client.get("/konto/einstellungen").text
    assert "nicht als Fachperson bestätigt" in page and 'name="profile_public"' in page
    response = client.post("/konto/einstellungen", data={"organisation": ""})
    assert response.status_code == 302
    user = db.session.get(User, expert.id)
    assert not user.profile_public and not user.show_organisation and user.organisation == ""
    plain = make_user()
    client.post("/konto/abmelden")
    login(client, plain)
    assert 'name="profile_public"' not in client.get("/konto/einstellungen").text
    assert client.post("/konto/einstellungen", data={"profile_public": "y"}).status_code == 403
