"""Two tabs editing one post: the second save does not silently overwrite the first. The
person saving sees both texts and loses neither."""

import re

import pytest

from forum.extensions import db
from forum.models import Post
from forum.services import moderation, threads
from tests.conftest import login
from tests.factories import make_thread, make_topic, make_user


def _base(page: str) -> str:
    return re.search(r'name="base"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="base"',
                     page).group(1)


@pytest.fixture
def setting(app):
    author = make_user()
    thread = make_thread(make_topic().board, author, body="Erste Fassung")
    return author, thread.posts[0], make_user(role="moderator")


def test_a_stale_tab_sees_both_texts_and_overwrites_nothing(client, setting):
    author, post, moderator = setting
    login(client, author)
    base = _base(client.get(f"/beitraege/{post.id}/bearbeiten").text)
    moderation.edit_post(moderator, post, body="Fassung der Moderation",
                         reason="Kürzer gefasst.")  # saved meanwhile
    response = client.post(f"/beitraege/{post.id}/bearbeiten",
                           data={"body": "Fassung aus dem alten Tab", "base": base,
                                 "title": post.thread.title})
    assert response.status_code == 200
    assert "geändert, während Sie ihn bearbeitet haben" in response.text
    assert "Fassung aus dem alten Tab</textarea>" in response.text  # the own text, kept
    assert "Fassung der Moderation</textarea>" in response.text  # the newer one, to copy
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Fassung der Moderation"

    # having seen both, saving again is deliberate and keeps the newer one as a revision
    again = client.post(f"/beitraege/{post.id}/bearbeiten",
                        data={"body": "Zusammengeführte Fassung", "base": _base(response.text),
                              "title": post.thread.title})
    assert again.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Post, post.id)
    assert saved.body_source == "Zusammengeführte Fassung"
    assert {r.body_source for r in saved.revisions} == {"Erste Fassung",
                                                        "Fassung der Moderation"}


def test_two_saves_from_one_version_the_second_is_a_conflict(setting):
    author, post, moderator = setting
    base = threads.version_of(post)
    threads.edit_post(author, post, "Aus Tab eins", base=base)
    with pytest.raises(threads.EditConflict):
        threads.edit_post(author, post, "Aus Tab zwei", base=base)
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Aus Tab eins"


def test_a_race_between_check_and_save_is_caught_by_the_conditional_update(setting, monkeypatch):
    """Both saves passed the version check; the database decides which one lands."""
    author, post, moderator = setting
    base = threads.version_of(post)
    original = threads.version_of
    calls = []

    def version_then_someone_saves(p):
        version = original(p)
        if not calls:
            calls.append(1)
            db.session.execute(db.update(Post).where(Post.id == p.id).values(
                edited_at=db.func.current_timestamp()))
        return version

    monkeypatch.setattr(threads, "version_of", version_then_someone_saves)
    with pytest.raises(threads.EditConflict):
        threads.edit_post(author, post, "Zu spät", base=base)


def test_an_edit_without_a_version_still_saves(client, setting):
    author, post, _moderator = setting
    login(client, author)
    response = client.post(f"/beitraege/{post.id}/bearbeiten",
                           data={"body": "Ohne Version", "title": post.thread.title})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Ohne Version"
