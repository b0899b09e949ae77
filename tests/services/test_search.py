"""German full-text search on SQLite (FTS5) and PostgreSQL (tsvector, german)."""

import pytest

from forum.extensions import db
from forum.models import GroundKind, PostState, SiteRole
from forum.services import moderation, search, threads
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user


@pytest.mark.parametrize("query,text", [
    ("Pflegekräfte", "Wie entlasten wir eine Pflegekraft beim Heben?"),
    ("Arbeitszeitmodelle", "Ein neues Arbeitszeitmodell für die Werkstatt"),
    ("Uebersicht", "Gibt es eine Übersicht der Förderangebote?"),
    ("übersicht", "Eine Uebersicht in alter Schreibweise"),
])
def test_german_forms_find_each_other(app, query, text):
    thread = make_thread(make_topic().board, make_expert(), title="Eine Frage",
                         body=text)
    results = search.search(query)
    assert [hit.post.id for hit in results.hits] == [thread.posts[0].id]


def test_title_answers_and_ranking(app):
    topic = make_topic()
    expert = make_expert()
    in_title = make_thread(topic.board, expert, title="Exoskelette im Pflegealltag",
                           body="Erfahrungen gesucht.")
    other = make_thread(topic.board, make_expert(), title="Etwas anderes",
                        body="Ohne Bezug.")
    answer = threads.add_answer(make_expert(), other,
                                "Exoskelette haben uns beim Heben geholfen.")
    ids = {hit.post.id for hit in search.search("Exoskelett").hits}
    assert ids == {in_title.posts[0].id, answer.id}


def test_hidden_and_pending_posts_are_never_found(app):
    topic = make_topic()
    expert = make_expert()
    thread = make_thread(topic.board, expert, title="Sichtbare Frage", body="Gleitzeitkonto")
    topic.board.require_approval = True
    db.session.commit()
    pending = make_thread(topic.board, make_user(), title="Wartend", body="Gleitzeitkonto")
    assert pending.posts[0].state == PostState.PENDING
    assert [h.post.id for h in search.search("Gleitzeitkonto").hits] == [thread.posts[0].id]
    moderation.hide_post(make_user(role=SiteRole.MODERATOR), thread.posts[0],
                         ground_kind=GroundKind.RULE, ground="R", facts="F")
    assert search.search("Gleitzeitkonto").total == 0


def test_edit_and_retitle_update_the_index(app):
    author = make_expert()
    thread = make_thread(make_topic().board, author, title="Alter Titel hier", body="Holz")
    threads.edit_post(author, thread.posts[0], "Metall", title="Werkstattfrage zu Metall")
    assert search.search("Holz").total == 0
    assert search.search("Werkstattfrage").total == 1
    assert search.search("Metall").total == 1


def test_filters_project_topic_and_state(app):
    topic = make_topic()
    tagged = make_project(topics=[topic])
    other = make_project()
    expert = make_expert()
    a = make_thread(tagged.board, make_expert(), title="Schichtplan A")
    b = make_thread(other.board, make_expert(), title="Schichtplan B")
    threads.add_answer(expert, b, "Antwort einer Fachperson")
    assert {h.thread.id for h in search.search("Schichtplan", project_id=other.id).hits} == {b.id}
    assert {h.thread.id for h in search.search("Schichtplan", topic_id=topic.id).hits} == {a.id}
    assert {h.thread.id for h in search.search("Schichtplan",
                                               state="unbeantwortet").hits} == {a.id}
    assert {h.thread.id for h in search.search("Schichtplan", state="fachleute").hits} == {b.id}


def test_reindex_rebuilds_everything(app, runner):
    make_thread(make_topic().board, make_expert(), body="Kurzarbeit")
    db.session.execute(db.text("DELETE FROM search_documents"))
    db.session.commit()
    assert search.search("Kurzarbeit").total == 0
    result = runner.invoke(args=["forum", "reindex"])
    assert result.exit_code == 0, result.output
    assert search.search("Kurzarbeit").total == 1


def test_pagination(app):
    topic = make_topic()
    for i in range(25):
        make_thread(topic.board, make_expert(), title=f"Tarifvertrag {i}",
                    body=f"Frage {i}")
    first, last = search.search("Tarifvertrag"), search.search("Tarifvertrag", page=2)
    assert (first.total, len(first.hits), len(last.hits), first.pages) == (25, 20, 5, 2)
    assert not {h.post.id for h in first.hits} & {h.post.id for h in last.hits}


def test_deleted_post_leaves_the_index(app):
    from forum.models import Post, SearchDocument

    thread = make_thread(make_topic().board, make_expert(), body="Gleitzeit")
    answer = threads.add_answer(make_expert(), thread, "Kurzarbeitergeld")
    assert search.search("Kurzarbeitergeld").total == 1
    db.session.delete(db.session.get(Post, answer.id))
    db.session.commit()
    assert search.search("Kurzarbeitergeld").total == 0
    assert db.session.get(SearchDocument, answer.id) is None


def test_similar_questions_match_any_distinctive_word(app):
    topic = make_topic()
    expert = make_expert()
    shift = make_thread(topic.board, expert, title="Wie planen wir Schichtarbeit fair?")
    make_thread(topic.board, make_expert(), title="Was kostet ein Coaching?")
    found = search.similar("Schichtarbeit in der Pflege")
    assert [t.id for t in found] == [shift.id]
    assert search.similar("Wie und was?") == []  # only common words
