"""The queue's statements are built once per moderation scope (services/scoped_statements.py)
and reused: the same statement for everyone with the same scope, another one for any
difference the rulebook makes (who, site-wide or which projects, a measure against the
moderator), and never one that lets a project moderator see past their projects."""

from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import PostState, ProjectMember, ProjectRole, SiteRole, utcnow
from forum.permissions import moderation_scope
from forum.services import queue, scoped_statements
from tests.factories import make_answer, make_expert, make_project, make_thread, make_user

pytestmark = pytest.mark.usefixtures("app")


def _kept_for(user, name: str = "counts"):
    """A stand-in kept under a name of this test's own: the kept statements live for the
    process, and the queue's own names must find real statements in later tests."""
    return scoped_statements.kept(("test", name), user, lambda: object())


def test_one_statement_per_scope_and_name():
    site = make_user(SiteRole.MODERATOR)
    project = make_project()
    mod = make_user(project=project, project_role=ProjectRole.MODERATOR)
    assert _kept_for(site) is _kept_for(site)
    assert _kept_for(site) is not _kept_for(site, "pending")
    assert _kept_for(site) is not _kept_for(mod)
    other = make_user(SiteRole.MODERATOR)  # names in the conflict filters differ
    assert _kept_for(other) is not _kept_for(site)


def test_the_scope_follows_what_the_rulebook_takes_from_a_person():
    first, second = make_project(), make_project()
    mod = make_user(project=first, project_role=ProjectRole.MODERATOR)
    before = moderation_scope(mod)
    assert before == (mod.id, False, (first.id,))
    db.session.add(ProjectMember(project_id=second.id, user_id=mod.id,
                                 role=ProjectRole.MODERATOR))
    db.session.commit()
    db.session.expire(mod)
    assert moderation_scope(mod) == (mod.id, False, tuple(sorted((first.id, second.id))))
    mod.suspended_until = utcnow() + timedelta(days=3)  # a suspended moderator: no scope
    db.session.commit()
    assert moderation_scope(mod) == (mod.id, False, ())
    site = make_user(SiteRole.MODERATOR)
    assert moderation_scope(site)[1] is True


def test_a_kept_statement_never_shows_a_project_moderator_another_projects_posts():
    ours, theirs = make_project(), make_project()
    waiting = {}
    for project in (ours, theirs):
        post = make_answer(make_thread(project.board, make_user()), make_expert())
        post.state = PostState.PENDING
        waiting[project.id] = post.id
    db.session.commit()
    site = make_user(SiteRole.MODERATOR)
    mod = make_user(project=ours, project_role=ProjectRole.MODERATOR)
    other = make_user(project=ours, project_role=ProjectRole.MODERATOR)
    # the site moderator's statements are kept first; then the project moderators' own
    assert {p.id for p in queue.pending_posts(site).items} >= set(waiting.values())
    for person in (mod, other, mod):
        assert [p.id for p in queue.pending_posts(person).items] == [waiting[ours.id]]
        assert queue.counts(person)["pending"] == 1
        assert queue.filter_counts(person)["boards"] == [
            (queue.BoardChoice(ours.board.id, ours.board.name), 1)]
