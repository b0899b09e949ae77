"""The statement of reasons (/entscheidungen/<token>): a reversed decision says so and takes no
appeal; the statement names, quotes and (where the reader may see it) links the post."""

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Appeal, DecisionAction, GroundKind, Post, Report, SiteRole, Thread
from forum.services import moderation, reports, statements
from tests.conftest import login
from tests.factories import (
    make_answer,
    make_expert,
    make_report,
    make_thread,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.usefixtures("smtp_sink")  # mails go through the sink

APPEAL_FORM = 'name="text"'
GROUNDS = {"ground_kind": GroundKind.RULE, "ground": "Dialogregel 2", "facts": "Beleidigend."}


def _mod():
    return make_user(role=SiteRole.MODERATOR)


def _path(decision) -> str:
    return f"/entscheidungen/{statements.token_for_author(decision)}"


def _appeals() -> int:
    return db.session.scalar(select(func.count()).select_from(Appeal))


def _answer(body="Eine **deutliche** Antwort."):
    thread = make_thread(make_topic().board, make_expert())
    return make_answer(thread, make_expert(), body)


def _assert_reversed(client, decision, reversal) -> None:
    page = client.get(_path(decision)).text
    assert "Diese Entscheidung wurde am" in page and "aufgehoben." in page
    assert APPEAL_FORM not in page
    before = _appeals()
    response = client.post(_path(decision), data={"text": "Bitte prüfen Sie das erneut."})
    assert response.status_code == 200 and "Diese Entscheidung wurde am" in response.text
    assert _appeals() == before
    assert statements.reversal_of(decision).id == reversal.id
    assert not reports.can_appeal(decision, None)


def test_not_reversed_decision_still_offers_the_appeal(client):
    hide = moderation.hide_post(_mod(), _answer(), **GROUNDS).decision
    assert statements.reversal_of(hide) is None
    page = client.get(_path(hide)).text
    assert APPEAL_FORM in page and "aufgehoben" not in page
    client.post(_path(hide), data={"text": "Das war sachlich."})
    assert _appeals() == 1


def test_hidden_then_restored_post_is_reversed(client):
    post = _answer()
    hide = moderation.hide_post(_mod(), post, **GROUNDS).decision
    restore = moderation.restore_post(_mod(), db.session.get(Post, post.id)).decision
    _assert_reversed(client, hide, restore)


def test_restore_after_a_second_hide_does_not_reverse_it_twice(app):
    """hide, restore, hide again: only the second hide is reversed by the second restore."""
    post = _answer()
    first = moderation.hide_post(_mod(), post, **GROUNDS).decision
    undo = moderation.restore_post(_mod(), db.session.get(Post, post.id)).decision
    second = moderation.hide_post(_mod(), db.session.get(Post, post.id), **GROUNDS).decision
    assert statements.reversal_of(first).id == undo.id
    assert statements.reversal_of(second) is None
    again = moderation.restore_post(_mod(), db.session.get(Post, post.id)).decision
    assert statements.reversal_of(second).id == again.id


def test_upheld_appeal_reverses_the_decision(client):
    post = _answer()
    hide = moderation.hide_post(_mod(), post, **GROUNDS).decision
    appeal = reports.file_appeal(hide, None, "Das war sachlich.")
    verdict = reports.decide_appeal(_mod(), appeal, upheld=True, answer="Stimmt.").decision
    assert verdict.action == DecisionAction.APPEAL_UPHELD
    _assert_reversed(client, hide, verdict)
    assert _appeals() == 1


def test_rejected_appeal_does_not_reverse(app):
    hide = moderation.hide_post(_mod(), _answer(), **GROUNDS).decision
    appeal = reports.file_appeal(hide, None, "Das war sachlich.")
    reports.decide_appeal(_mod(), appeal, upheld=False, answer="Nein.")
    assert statements.reversal_of(hide) is None


def test_hide_after_an_upheld_reporter_appeal_is_not_reversed_by_its_verdict(app):
    """The verdict on the reporter's appeal names the same post, but undoes the dismissal,
    not the hiding it caused."""
    post = _answer()
    report = make_report(post)
    dismissal = moderation.dismiss_reports(_mod(), post, facts="Zulässig.").decision
    appeal = reports.file_appeal(dismissal, db.session.get(Report, report.id), "Doch!")
    verdict = reports.decide_appeal(_mod(), appeal, upheld=True, answer="Stimmt.",
                                    **GROUNDS).decision
    hide = db.session.scalar(select(type(dismissal)).where(
        type(dismissal).action == DecisionAction.HIDE))
    assert statements.reversal_of(dismissal).id == verdict.id
    assert statements.reversal_of(hide) is None


def test_locked_then_unlocked_thread_is_reversed(client):
    thread = make_thread(make_topic().board, make_expert())
    lock = moderation.lock_thread(_mod(), thread, **GROUNDS).decision
    unlock = moderation.unlock_thread(_mod(), db.session.get(Thread, thread.id)).decision
    _assert_reversed(client, lock, unlock)


def test_statement_quotes_and_links_the_post_in_a_public_thread(client):
    post = _answer("Eine **deutliche** Antwort.")
    hide = moderation.hide_post(_mod(), post, **GROUNDS).decision
    page = client.get(_path(hide)).text  # without logging in
    assert "Betroffener Beitrag" in page and "Antwort" in page
    assert '<blockquote class="post-body"><p>Eine <strong>deutliche</strong> Antwort.</p>' in page
    thread = post.thread
    assert f'href="/fragen/{thread.id}-{thread.slug}#beitrag-{post.id}"' in page


def test_no_link_into_a_hidden_thread_but_its_author_gets_one(client):
    author = make_expert()
    thread = make_thread(make_topic().board, author, body="Meine <b>Frage</b> hier?")
    question = thread.posts[0]
    hide = moderation.hide_post(_mod(), question, **GROUNDS).decision
    assert db.session.get(Thread, thread.id).state != "open"
    page = client.get(_path(hide)).text
    assert "Frage" in page and "Meine" in page and "<b>" not in page  # sanitised text only
    assert "#beitrag-" not in page
    login(client, author)
    assert f"#beitrag-{question.id}" in client.get(_path(hide)).text


def test_lock_names_no_post(client):
    thread = make_thread(make_topic().board, make_expert())
    lock = moderation.lock_thread(_mod(), thread, **GROUNDS).decision
    page = client.get(_path(lock)).text
    assert "Betroffener Beitrag" not in page and "<blockquote" not in page
    assert thread.title in page
