"""Two moderators deciding on one item at the same moment: exactly one decision wins."""

import threading

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Board, Decision, Post, PostState, SiteRole, User
from forum.services import counters
from tests.conftest import login
from tests.factories import make_reason, make_thread, make_topic, make_user


@pytest.fixture
def app_config():
    return {"PREMODERATION_THRESHOLD": 1}


# Two threads, each a request with its own connection: the rows must really be committed.
@pytest.mark.committing
@pytest.mark.parametrize("rounds", [range(5)])
def test_concurrent_approve_and_reject_one_wins_counters_once(app, rounds):
    reason = make_reason()
    moderators = [make_user(role=SiteRole.MODERATOR), make_user(role=SiteRole.MODERATOR)]
    clients = []
    for moderator in moderators:
        client = app.test_client()
        login(client, moderator)
        clients.append(client)
    for _ in rounds:
        topic = make_topic()
        author = make_user()
        thread = make_thread(topic.board, author)
        post_id = thread.posts[0].id
        barrier = threading.Barrier(2)
        results = [None, None]

        def act(i, url, data, barrier=barrier, results=results):
            barrier.wait()
            results[i] = clients[i].post(url, data=data, follow_redirects=True).text

        workers = [
            threading.Thread(target=act, args=(0, f"/moderation/beitraege/{post_id}/freigeben",
                                               {"approve-body": "x"})),
            threading.Thread(target=act, args=(1, f"/moderation/beitraege/{post_id}/ablehnen",
                                               {"reject-reason": reason.id,
                                                "reject-facts": "Werbung."})),
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
        db.session.expire_all()
        decisions = db.session.scalar(select(func.count()).select_from(Decision)
                                      .where(Decision.post_id == post_id))
        assert decisions == 1
        assert sum("bereits bearbeitet" in text for text in results) == 1
        post = db.session.get(Post, post_id)
        published = post.state == PostState.PUBLISHED
        assert db.session.get(Board, topic.board.id).thread_count == (1 if published else 0)
        assert db.session.get(User, author.id).approved_post_count == (1 if published else 0)
    assert counters.check() == []  # every counter and pointer as its definition says
