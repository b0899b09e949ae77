"""The helpful answer, "Ich habe die gleiche Frage", and board sorting and filters."""

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import GroundKind, MeToo, SiteRole, Thread, ThreadState
from forum.services import answers, moderation, threads
from tests.conftest import login
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user


@pytest.fixture
def qa(app):
    asker = make_user(display_name="Asker")
    project = make_project()
    thread = make_thread(project.board, asker, title="Wie planen wir Schichten?")
    first = threads.add_answer(make_expert(), thread, "Erste Antwort hier")
    second = threads.add_answer(make_user(project=project), thread, "Zweite Antwort hier")
    return {"asker": asker, "thread": thread, "first": first, "second": second,
            "project": project}


def _thread(qa) -> Thread:
    db.session.expire_all()
    return db.session.get(Thread, qa["thread"].id)


def test_asker_marks_changes_and_removes_the_helpful_answer(client, qa):
    thread = qa["thread"]
    url = f"/fragen/{thread.id}-{thread.slug}"
    login(client, qa["asker"])
    assert "Als hilfreichste Antwort markieren" in client.get(url).text
    client.post(f"/beitraege/{qa['second'].id}/hilfreich")
    assert (_thread(qa).accepted_post_id, _thread(qa).state) == (qa["second"].id,
                                                               ThreadState.ANSWERED)
    page = client.get(url).text
    top = page.index('id="hilfreichste"')
    assert page.index("Zweite Antwort hier") > top > page.index("Wie planen wir Schichten?")
    assert page.index("Zweite Antwort hier") < page.index("Erste Antwort hier")
    assert "beantwortet" in client.get("/").text
    client.post(f"/beitraege/{qa['first'].id}/hilfreich")
    assert _thread(qa).accepted_post_id == qa["first"].id
    client.post(f"/beitraege/{qa['first'].id}/hilfreich-entfernen")
    assert (_thread(qa).accepted_post_id, _thread(qa).state) == (None, ThreadState.OPEN)


@pytest.mark.parametrize("who,allowed", [("asker", True), ("moderator", True),
                                         ("expert", False), ("other", False)])
def test_who_may_mark_the_helpful_answer(client, qa, who, allowed):
    user = {"asker": qa["asker"], "moderator": make_user(role=SiteRole.MODERATOR),
            "expert": make_expert(), "other": make_user()}[who]
    login(client, user)
    response = client.post(f"/beitraege/{qa['first'].id}/hilfreich")
    assert (response.status_code == 302) == allowed
    assert (_thread(qa).accepted_post_id == qa["first"].id) == allowed


def test_hiding_the_helpful_answer_removes_the_mark(app, qa):
    answers.mark_helpful(qa["asker"], qa["first"])
    moderation.hide_post(make_user(role=SiteRole.MODERATOR), qa["first"],
                         ground_kind=GroundKind.RULE, ground="R", facts="F")
    assert (_thread(qa).accepted_post_id, _thread(qa).state) == (None, ThreadState.OPEN)


def test_question_cannot_be_marked_as_its_own_answer(client, qa):
    login(client, qa["asker"])
    assert client.post(f"/beitraege/{qa['thread'].posts[0].id}/hilfreich").status_code == 403


def test_me_too_once_per_user_and_takes_back(client, qa):
    thread = qa["thread"]
    url = f"/fragen/{thread.id}-{thread.slug}"
    reader = make_user()
    login(client, reader)
    client.post(f"/fragen/{thread.id}/gleiche-frage")
    assert _thread(qa).me_too_count == 1
    assert "1 Person hat die gleiche Frage" in client.get(url).text
    assert "Angabe „gleiche Frage“ zurücknehmen" in client.get(url).text
    client.post(f"/fragen/{thread.id}/gleiche-frage")  # a second click takes it back
    assert _thread(qa).me_too_count == 0
    assert db.session.scalar(select(func.count()).select_from(MeToo)) == 0


def test_me_too_not_for_asker_or_visitors(client, qa):
    thread = qa["thread"]
    assert client.post(f"/fragen/{thread.id}/gleiche-frage").status_code == 302  # to log-in
    login(client, qa["asker"])
    assert client.post(f"/fragen/{thread.id}/gleiche-frage").status_code == 403
    assert _thread(qa).me_too_count == 0


def test_board_sorts_by_me_too_and_filters_expert_answers_and_unanswered(client, app):
    topic = make_topic()
    asker = make_expert()
    quiet = make_thread(topic.board, asker, title="Ruhige Frage hier")
    popular = make_thread(topic.board, make_expert(), title="Beliebte Frage")
    for _ in range(3):
        answers.toggle_me_too(make_user(), popular)
    threads.add_answer(make_expert(), quiet, "Antwort einer Fachperson")
    page = client.get(f"/themen/{topic.slug}?sortierung=gleiche-frage").text
    assert page.index("Beliebte Frage") < page.index("Ruhige Frage hier")
    assert "3 Personen haben die gleiche Frage" in page
    experts = client.get(f"/themen/{topic.slug}?nur=fachleute").text
    assert "Ruhige Frage hier" in experts and "Beliebte Frage" not in experts
    open_ = client.get(f"/themen/{topic.slug}?nur=unbeantwortet").text
    assert "Beliebte Frage" in open_ and "Ruhige Frage hier" not in open_
    assert "seit heute ohne Antwort" in open_
