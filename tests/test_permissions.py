"""The rulebook as a matrix: role x action x object state, including visitors and members
of other projects."""

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from forum import permissions
from forum.models import Anonymous, PostKind, PostState, ProjectRole, SiteRole, ThreadState
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user

ROLES = ("anonymous", "unconfirmed", "user", "asker", "expert", "member", "other_member",
         "project_mod", "other_mod", "moderator", "admin")
MODS = ("project_mod", "moderator", "admin")  # moderators whose scope covers the project


@pytest.fixture(scope="module")
def world(module_app):
    """Built once for the module; each test runs in a savepoint rolled back after it."""
    project = make_project()
    other = make_project()
    topic = make_topic()
    users = {
        "anonymous": Anonymous(),
        "unconfirmed": make_user(confirmed=False),
        "user": make_user(),
        "asker": make_user(),
        "expert": make_expert(),
        "member": None,
        "other_member": None,
        "moderator": make_user(role=SiteRole.MODERATOR),
        "admin": make_user(role=SiteRole.ADMIN),
    }
    users["member"] = make_user(project=project)
    users["other_member"] = make_user(project=other)
    users["project_mod"] = make_user(project=project, project_role=ProjectRole.MODERATOR)
    users["other_mod"] = make_user(project=other, project_role=ProjectRole.MODERATOR)
    project_thread = make_thread(project.board, users["asker"])
    topic_thread = make_thread(topic.board, users["asker"])
    return {"users": users, "project_thread": project_thread, "topic_thread": topic_thread,
            "project": project}


def _set_state(thread, state):
    """'locked' is the open thread with its lock flag set; other names are ThreadStates."""
    thread.locked = state == "locked"
    thread.state = ThreadState.OPEN if state == "locked" else ThreadState(state)
    question = thread.posts[0]
    question.state = {"pending": PostState.PENDING, "hidden": PostState.HIDDEN}.get(
        state, PostState.PUBLISHED)


ALLOW, DENY, HIDE = "allow", "deny", "notfound"

# action, thread ("project" or "topic"), state, {role: outcome}; roles not named: DENY
MATRIX = [
    ("thread.view", "project", "open", {r: ALLOW for r in ROLES}),
    ("thread.view", "project", "hidden", {**{r: HIDE for r in ROLES}, "asker": ALLOW,
                                         **{r: ALLOW for r in MODS}}),
    ("thread.view", "project", "pending", {**{r: HIDE for r in ROLES}, "asker": ALLOW,
                                          **{r: ALLOW for r in MODS}}),
    ("thread.view", "topic", "pending", {**{r: HIDE for r in ROLES}, "asker": ALLOW,
                                        "moderator": ALLOW, "admin": ALLOW}),
    ("post.answer", "project", "open", {"expert": ALLOW, "member": ALLOW,
                                       **{r: ALLOW for r in MODS}}),
    ("post.answer", "topic", "open", {"expert": ALLOW, "moderator": ALLOW, "admin": ALLOW}),
    ("post.answer", "project", "answered", {"expert": ALLOW, "member": ALLOW,
                                           **{r: ALLOW for r in MODS}}),
    ("post.answer", "project", "locked", {}),
    ("post.answer", "project", "pending", {**{r: HIDE for r in ROLES}, "asker": DENY,
                                          **{r: DENY for r in MODS}}),
    ("post.answer", "project", "hidden", {**{r: HIDE for r in ROLES}, "asker": DENY,
                                         **{r: DENY for r in MODS}}),
    ("post.followup", "project", "open", {"asker": ALLOW}),
    ("post.followup", "topic", "open", {"asker": ALLOW}),
    ("post.followup", "project", "locked", {}),
    # a moderator changes somebody else's words only as a decision (the moderation page)
    ("post.edit", "project", "open", {"asker": ALLOW}),
    ("post.edit", "project", "pending", {**{r: HIDE for r in ROLES}, "asker": ALLOW,
                                        **{r: DENY for r in MODS}}),
    ("post.edit", "project", "locked", {}),
    ("post.edit", "project", "hidden", {**{r: HIDE for r in ROLES}, "asker": DENY,
                                       **{r: DENY for r in MODS}}),
    ("post.history", "project", "open", {"asker": ALLOW, **{r: ALLOW for r in MODS}}),
    ("post.history", "project", "hidden", {**{r: HIDE for r in ROLES}, "asker": ALLOW,
                                          **{r: ALLOW for r in MODS}}),
    ("post.report", "project", "open", {r: ALLOW for r in ROLES}),
    ("post.report", "project", "pending", {r: HIDE for r in ROLES}),
    ("post.moderate", "project", "open", {"other_mod": HIDE, **{r: ALLOW for r in MODS}}),
    ("post.moderate", "project", "pending", {"other_mod": HIDE, **{r: ALLOW for r in MODS}}),
    ("post.moderate", "topic", "open", {"project_mod": HIDE, "other_mod": HIDE,
                                       "moderator": ALLOW, "admin": ALLOW}),
    ("thread.moderate", "project", "open", {"other_mod": HIDE, **{r: ALLOW for r in MODS}}),
    ("thread.moderate", "topic", "hidden", {"project_mod": HIDE, "other_mod": HIDE,
                                           "moderator": ALLOW, "admin": ALLOW}),
    ("thread.create", "topic", "open", {r: ALLOW for r in ROLES
                                       if r not in ("anonymous", "unconfirmed")}),
    ("thread.move_own", "project", "pending", {**{r: HIDE for r in ROLES}, "asker": ALLOW,
                                              **{r: DENY for r in MODS}}),
    ("thread.move_own", "project", "open", {}),
    ("queue.view", None, None, {r: ALLOW for r in (*MODS, "other_mod")}),
    ("transparency.view", None, None, {"moderator": ALLOW, "admin": ALLOW}),
    ("admin.access", None, None, {"admin": ALLOW}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action,where,state,expected", MATRIX,
                         ids=[f"{a}-{w}-{s}" for a, w, s, _e in MATRIX])
def test_rulebook_matrix_role_action_state_gives_expected_outcome(
    world, role, action, where, state, expected
):
    user = world["users"][role]
    obj = None
    if where is not None:
        thread = world[f"{where}_thread"]
        _set_state(thread, state)
        obj = thread
        if action in ("post.edit", "post.history", "post.report", "post.moderate"):
            obj = next(p for p in thread.posts if p.kind == PostKind.QUESTION)
        elif action == "thread.create":
            obj = thread.board
    outcome = expected.get(role, DENY)
    if outcome == ALLOW:
        permissions.check(action, user, obj)
        assert permissions.can(action, user, obj)
    else:
        with pytest.raises(NotFound if outcome == HIDE else Forbidden):
            permissions.check(action, user, obj)
        assert not permissions.can(action, user, obj)


def test_post_edit_answer_by_other_author_is_denied(world):
    from tests.factories import make_answer

    users = world["users"]
    answer = make_answer(world["project_thread"], users["expert"])
    assert permissions.can("post.edit", users["expert"], answer)
    assert not permissions.can("post.edit", users["member"], answer)
    assert not permissions.can("post.edit", users["asker"], answer)


def test_visible_threads_filter_hides_hidden_threads_from_non_moderators(world):
    from sqlalchemy import select

    from forum.extensions import db
    from forum.models import Thread

    world["project_thread"].state = ThreadState.HIDDEN
    db.session.commit()
    for role, count in (("anonymous", 1), ("user", 1), ("other_mod", 1), ("project_mod", 2),
                        ("moderator", 2), ("admin", 2)):
        user = world["users"][role]
        query = select(Thread).where(permissions.visible_threads(user))
        assert len(db.session.scalars(query).all()) == count, role
