"""One hit per question: grouped by thread, the best passage, matching answers, ranking."""

import pytest

from forum.extensions import db
from forum.models import SiteRole
from forum.services import search, threads
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user


def make_moderator():
    """Answers, but is no verified expert."""
    return make_user(role=SiteRole.MODERATOR)


def test_a_question_and_its_answers_are_one_hit(app):
    topic = make_topic()
    thread = make_thread(topic.board, make_user(), title="Gleitzeit im Team",
                         body="Wie regelt ihr Gleitzeit?")
    threads.add_answer(make_expert(), thread, "Gleitzeit mit Kernzeit bis elf.")
    threads.add_answer(make_moderator(), thread, "Bei uns gibt es Gleitzeit ohne Kernzeit.")
    threads.add_answer(make_moderator(), thread, "Ganz ohne Bezug.")
    other = make_thread(topic.board, make_user(), title="Andere Frage", body="Gleitzeit?")
    results = search.search("Gleitzeit")
    assert results.total == 2
    assert [h.thread.id for h in results.hits] == [thread.id, other.id]
    assert results.hits[0].post.id == thread.posts[0].id  # the title makes the question best
    assert results.hits[0].matching_answers == 2
    assert results.hits[1].matching_answers == 0


def test_the_best_passage_is_the_best_matching_post(app):
    thread = make_thread(make_topic().board, make_user(), title="Eine Frage zum Betrieb",
                         body="Wer weiß Rat?")
    answer = threads.add_answer(make_expert(), thread, "Der Betriebsrat muss beim Zeitkonto "
                                "mitreden.")
    [hit] = search.search("Zeitkonto").hits
    assert hit.post.id == answer.id and hit.matching_answers == 1


def test_expert_answers_and_the_helpful_answer_rank_first(app):
    topic = make_topic()
    text = "Das Ampelkonto hat sich bewährt."
    # the newer thread would come first on a tie
    by_expert = make_thread(topic.board, make_user(), title="Frage zwei", body="Wer weiß es?")
    threads.add_answer(make_expert(), by_expert, text)
    by_user = make_thread(topic.board, make_user(), title="Frage eins", body="Wer weiß es?")
    threads.add_answer(make_moderator(), by_user, text)
    assert [h.thread.id for h in search.search("Ampelkonto").hits] == [by_expert.id,
                                                                         by_user.id]
    by_user.accepted_post_id = by_user.posts[1].id  # the asker marks it helpful
    db.session.commit()
    assert [h.thread.id for h in search.search("Ampelkonto").hits] == [by_user.id,
                                                                         by_expert.id]


def test_pages_count_questions_not_posts(app):
    topic = make_topic()
    for n in range(3):
        thread = make_thread(topic.board, make_user(), title=f"Kurzarbeit Frage {n}",
                             body="Kurzarbeit?")
        threads.add_answer(make_expert(), thread, "Kurzarbeit ja.")
    first = search.search("Kurzarbeit", per_page=2)
    second = search.search("Kurzarbeit", per_page=2, page=2)
    assert first.total == 3 and first.pages == 2
    ids = [h.thread.id for h in first.hits + second.hits]
    assert len(ids) == len(set(ids)) == 3


def test_common_words_do_not_narrow_the_search(app):
    thread = make_thread(make_topic().board, make_user(), title="Beteiligung im Betrieb",
                         body="Wie gelingt Beteiligung?")
    assert [h.thread.id for h in search.search("Beteiligung der Beschäftigten").hits] == []
    assert [h.thread.id for h in search.search("die Beteiligung").hits] == [thread.id]
    assert search.search("der die das").total == 0  # only common words: asked as they are


def test_a_very_common_word_ranks_only_the_newest_matching_posts(app, monkeypatch):
    """Past CANDIDATES matching posts only the newest are ranked, and the count says "more
    than"; a query that matches fewer is ranked in full."""
    monkeypatch.setattr(search, "CANDIDATES", 4)
    topic = make_topic()
    # the oldest has the word in its title (the best match if all were ranked)
    oldest = make_thread(topic.board, make_user(), title="Schichtplan", body="Schichtplan?")
    newer = [make_thread(topic.board, make_user(), title=f"Frage {n}", body="Ein Schichtplan.")
             for n in range(5)]
    results = search.search("Schichtplan")
    assert results.capped and results.total == 4
    assert {h.thread.id for h in results.hits} == {t.id for t in newer[1:]}
    assert oldest.id not in {h.thread.id for h in results.hits}
    monkeypatch.setattr(search, "CANDIDATES", 100)
    full = search.search("Schichtplan")
    assert not full.capped and full.total == 6 and full.hits[0].thread.id == oldest.id


@pytest.mark.parametrize("window", [1, 10_000])
def test_the_newest_are_found_however_the_database_reads_them(app, monkeypatch, window):
    """PostgreSQL probes the newest RECENT_WINDOW posts for the cap: whether the cap is
    reached there (10,000) or not (1: the index collects all matches), the newest matching
    posts are the ones ranked."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    monkeypatch.setattr(search, "RECENT_WINDOW", window)
    topic = make_topic()
    made = [make_thread(topic.board, make_user(), title=f"Frage {n}", body="Arbeitsschutz")
            for n in range(5)]
    make_thread(topic.board, make_user(), title="Anderes", body="Nichts davon")
    results = search.search("Arbeitsschutz")
    assert results.capped and {h.thread.id for h in results.hits} == {t.id for t in made[2:]}
    assert [h.thread.id for h in search.search("Nichts").hits] != []


def test_the_cap_applies_after_the_filters(app, monkeypatch):
    """Posts the filters drop do not take places among the candidates: a project's few
    matches are all found although newer posts elsewhere match too."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    project = make_project()
    mine = [make_thread(project.board, make_user(), title=f"Dienstplan {n}", body="Dienstplan")
            for n in range(2)]
    topic = make_topic()
    for n in range(5):
        make_thread(topic.board, make_user(), title=f"Dienstplan anderswo {n}", body="x")
    results = search.search("Dienstplan", project_id=project.id)
    assert not results.capped
    assert {h.thread.id for h in results.hits} == {t.id for t in mine}


def test_the_page_says_more_than_when_capped(client, app, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    topic = make_topic()
    for n in range(3):
        make_thread(topic.board, make_user(), title=f"Zeiterfassung {n}", body="Zeiterfassung")
    page = client.get("/suche?q=Zeiterfassung").get_data(as_text=True)
    assert "Mehr als 2 Treffer" in page
    assert "neuesten 2 passenden Beiträgen" in page
