import re

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Board,
    Offer,
    Post,
    Project,
    ProjectMember,
    RejectionReason,
    Sector,
    SiteRole,
    Thread,
    TopicField,
    User,
)
from forum.services.demo import load_data

COUNTED = (Project, TopicField, Sector, Offer, Board, User, ProjectMember, Thread, Post,
           RejectionReason)


def _counts():
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED}


def test_seed_demo_loads_programme_data_and_is_idempotent(runner):
    first = runner.invoke(args=["forum", "seed-demo"])
    assert first.exit_code == 0, first.output
    data = load_data()
    counts = _counts()
    assert counts["Project"] == len(data["projekte"]) == 10
    assert counts["TopicField"] == len(data["themenfelder"]) == 4
    assert counts["Sector"] == len(data["bereiche"])
    assert counts["Offer"] == len(data["foerder_und_beratungsangebote"])
    assert counts["Board"] == 14
    assert counts["User"] == 5 and counts["Thread"] >= 3
    assert counts["RejectionReason"] >= 3
    passwords = re.findall(r"Passwort: (\S+)", first.output)
    assert len(passwords) == 5
    roles = {u.site_role for u in db.session.scalars(select(User))}
    assert roles == {SiteRole.ADMIN, SiteRole.MODERATOR, SiteRole.USER}
    expert = db.session.scalar(select(User).where(User.email.like("fachperson@%")))
    assert expert.is_expert and expert.verification.verified_by.is_admin
    assert len(expert.verification.topic_fields) == 4
    assert all(t.is_demo for t in db.session.scalars(select(Thread)))

    second = runner.invoke(args=["forum", "seed-demo"])
    assert second.exit_code == 0
    assert _counts() == counts
    assert "Passwort:" not in second.output  # printed once, never again


def test_seed_demo_leaves_every_counter_right(runner):
    runner.invoke(args=["forum", "seed-demo"])
    result = runner.invoke(args=["forum", "check"])
    assert result.exit_code == 0, result.output


def test_seed_demo_printed_password_logs_in(runner, client):
    output = runner.invoke(args=["forum", "seed-demo"]).output
    email, password = re.search(r"admin\s+(\S+)\s+Passwort: (\S+)", output).groups()
    client.post("/konto/anmelden", data={"email": email, "password": password})
    assert "Administration" in client.get("/").text


def test_seed_demo_board_counters_match_threads(runner):
    runner.invoke(args=["forum", "seed-demo"])
    for board in db.session.scalars(select(Board)):
        threads = db.session.scalar(select(func.count()).where(Thread.board_id == board.id))
        assert board.thread_count == threads


def test_create_user_with_role_and_project(runner):
    runner.invoke(args=["forum", "seed-demo"])
    result = runner.invoke(args=["forum", "create-user", "team@example.org", "--name", "Team",
                                 "--role", "member", "--project", "agilkom"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "team@example.org"))
    assert user.is_confirmed and user.site_role == SiteRole.USER
    assert [m.project.slug for m in user.memberships] == ["agilkom"]
    password = re.search(r"Passwort: (\S+)", result.output).group(1)
    assert user.check_password(password)


def test_create_user_expert_is_verified_for_its_topic_fields(runner):
    runner.invoke(args=["forum", "seed-demo"])
    bare = runner.invoke(args=["forum", "create-user", "e@example.org", "--name", "E",
                               "--role", "expert"])
    assert bare.exit_code != 0 and "--topic" in bare.output
    result = runner.invoke(args=["forum", "create-user", "e@example.org", "--name", "E",
                                 "--role", "expert", "--topic", "wissen-und-qualifizierung"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "e@example.org"))
    assert user.is_expert and user.verification.verified_by_id is None
    assert [t.slug for t in user.expert_fields] == ["wissen-und-qualifizierung"]


def test_create_user_refuses_duplicates_and_missing_project(runner):
    assert runner.invoke(args=["forum", "create-user", "a@example.org", "--name", "A",
                               "--role", "moderator"]).exit_code == 0
    again = runner.invoke(args=["forum", "create-user", "A@example.org", "--name", "B"])
    assert again.exit_code != 0 and "bereits" in again.output
    missing = runner.invoke(args=["forum", "create-user", "b@example.org", "--name", "C",
                                  "--role", "member"])
    assert missing.exit_code != 0 and "--project" in missing.output
    nameless = runner.invoke(args=["forum", "create-user", "d@example.org"])
    assert nameless.exit_code != 0 and "--name" in nameless.output


def test_seed_demo_prints_the_role_each_account_ends_up_in(runner):
    """Issue 14: the expert and the project team were printed with role "user"."""
    output = runner.invoke(args=["forum", "seed-demo"]).output
    roles = dict((email, role) for role, email in
                 re.findall(r"^\s+(.+?)\s+(\S+@\S+)\s+Passwort:", output, re.MULTILINE))
    assert roles["fachperson@demo.fachdialog.example"] == "expert"
    assert roles["projektteam@demo.fachdialog.example"] == "lead (expertise-4-0)"
    assert roles["nutzer@demo.fachdialog.example"] == "user"
    assert roles["admin@demo.fachdialog.example"] == "admin"
