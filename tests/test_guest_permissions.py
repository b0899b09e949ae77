"""The guest rules as a matrix: action x thread state x link state. A personal link acts on
its own thread only, while it is confirmed, unexpired and not revoked."""

from datetime import timedelta

import pytest

from forum import permissions
from forum.extensions import db
from forum.models import Anonymous, ThreadState, utcnow
from forum.services import guests, moderation, threads
from tests.factories import make_expert, make_topic, make_user

ACTIONS = ("guest.view", "guest.followup", "guest.withdraw", "guest.convert", "guest.accept")
# thread state -> the actions a usable link allows there
ALLOWED = {
    "pending": {"guest.view", "guest.withdraw", "guest.convert"},
    "open": set(ACTIONS),
    "answered": set(ACTIONS),
    "locked": {"guest.view", "guest.withdraw", "guest.convert"},
    "hidden": {"guest.view", "guest.convert"},
    "merged": set(),
    "withdrawn": set(),
}


@pytest.fixture
def guest_thread(app):
    topic = make_topic()
    link = guests.ask(Anonymous(), topic.board, "Gast", "gast@example.org",
                      "Frage eines Gastes hier", "Text")
    guests.confirm(link)
    return link


def _put_in_state(link, state: str):
    thread = link.thread
    if state != "pending":
        moderation.approve_post(make_user(role="moderator"), thread.posts[0])
    answer = threads.add_answer(make_expert(), thread, "Antwort") if state != "pending" else None
    db.session.refresh(thread)
    if state in ("answered", "hidden", "merged", "withdrawn"):
        thread.state = ThreadState(state)
    thread.locked = state == "locked"
    db.session.commit()
    return answer


def _allowed(action, link, thread, answer) -> bool:
    target = answer if action == "guest.accept" else thread
    if target is None:
        return False
    return permissions.can(action, link, target)


@pytest.mark.parametrize("state", list(ALLOWED))
def test_usable_link_by_thread_state(guest_thread, state):
    answer = _put_in_state(guest_thread, state)
    allowed = {a for a in ACTIONS if _allowed(a, guest_thread, guest_thread.thread, answer)}
    assert allowed == ALLOWED[state]


@pytest.mark.parametrize("link_state", ["unconfirmed", "expired", "revoked", "other_thread",
                                        "account_holder"])
def test_unusable_or_foreign_links_allow_nothing_or_no_conversion(guest_thread, link_state):
    answer = _put_in_state(guest_thread, "open")
    thread = guest_thread.thread
    if link_state == "unconfirmed":
        guest_thread.confirmed_at = None
    elif link_state == "expired":
        guest_thread.expires_at = utcnow() - timedelta(seconds=1)
    elif link_state == "revoked":
        guest_thread.revoked_at = utcnow()
    elif link_state == "other_thread":
        other = guests.ask(Anonymous(), thread.board, "Anderer Gast", "anders@example.org",
                           "Eine andere Frage hier", "Text")
        guests.confirm(other)
        db.session.commit()
        allowed = {a for a in ACTIONS if _allowed(a, other, thread, answer)}
        assert allowed == set()
        return
    elif link_state == "account_holder":
        guest_thread.user.is_guest = False
    db.session.commit()
    allowed = {a for a in ACTIONS if _allowed(a, guest_thread, thread, answer)}
    expected = set(ACTIONS) - {"guest.convert"} if link_state == "account_holder" else set()
    assert allowed == expected


def test_logged_in_people_and_guest_rows_get_no_member_rights(guest_thread):
    guest = guest_thread.user
    thread = guest_thread.thread
    assert not permissions.can("thread.create", guest, thread.board)
    assert not permissions.can("post.followup", guest, thread)
    assert permissions.can("guest.ask", Anonymous(), thread.board)
    assert not permissions.can("guest.ask", make_user(), thread.board)
