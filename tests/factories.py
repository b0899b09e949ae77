"""Factories as plain functions with keyword overrides."""

import itertools

from werkzeug.security import generate_password_hash

from forum.extensions import db
from forum.models import (
    Board,
    ExpertVerification,
    Post,
    PostKind,
    Project,
    ProjectMember,
    ProjectRole,
    SiteRole,
    Thread,
    TopicField,
    User,
    utcnow,
)
from forum.services import threads

PASSWORD = "correct-horse-battery"
# Made once, at a low scrypt cost: checking a password reads the cost from the stored hash,
# so logging in runs the same code about 50 times faster (0.1 s of CPU per log-in at the
# default cost). Passwords the app sets itself (register, create-user) keep its default.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


def _password_hash() -> str:
    return _PASSWORD_HASH


_seq = itertools.count(1)


def make_user(role=SiteRole.USER, confirmed=True, project=None, project_role=ProjectRole.MEMBER,
              **overrides) -> User:
    n = next(_seq)
    user = User(
        email=overrides.pop("email", f"user{n}@example.org"),
        display_name=overrides.pop("display_name", f"Person {n}"),
        site_role=role,
        email_confirmed_at=utcnow() if confirmed else None,
        **overrides,
    )
    user.password_hash = _password_hash()
    db.session.add(user)
    db.session.flush()
    if project is not None:
        db.session.add(ProjectMember(project_id=project.id, user_id=user.id, role=project_role))
    db.session.commit()
    return user


def make_expert(topics=(), projects=(), valid_from=None, valid_until=None,
                **overrides) -> User:
    """A confirmed account with an expert verification in force (by default for no field in
    particular, which still lets them answer everywhere)."""
    from datetime import timedelta

    user = make_user(**overrides)
    start = valid_from or utcnow().date() - timedelta(days=30)
    db.session.add(ExpertVerification(
        user=user, evidence="Test", valid_from=start,
        valid_until=valid_until or start + timedelta(days=730),
        topic_fields=list(topics), projects=list(projects)))
    db.session.commit()
    return user


def make_topic(**overrides) -> TopicField:
    n = next(_seq)
    topic = TopicField(slug=overrides.pop("slug", f"thema-{n}"),
                       name=overrides.pop("name", f"Themenfeld {n}"), **overrides)
    db.session.add(topic)
    db.session.commit()
    return topic


def make_project(topics=(), **overrides) -> Project:
    n = next(_seq)
    project = Project(slug=overrides.pop("slug", f"projekt-{n}"),
                      name=overrides.pop("name", f"Projekt {n}"),
                      lead_organisation=overrides.pop("lead_organisation", "Träger e. V."),
                      partners=overrides.pop("partners", []), sources=[],
                      description=overrides.pop("description", "Ein Experimentierraum."),
                      topic_fields=list(topics), **overrides)
    db.session.add(project)
    db.session.commit()
    return project


def make_thread(board, author, title="Wie gelingt mobiles Arbeiten?", body=None) -> Thread:
    return threads.create_thread(author, board, title, body or f"Frage Nummer {next(_seq)}?")


def make_answer(thread, author, body=None) -> Post:
    return threads.add_answer(author, thread, body or f"Antwort Nummer {next(_seq)}.")


def bulk_answers(thread, authors, count: int) -> None:
    """Many answers at once (for query-count tests), counters kept consistent."""
    now = utcnow()
    for i in range(count):
        author = authors[i % len(authors)]
        db.session.add(Post(thread_id=thread.id, author_id=author.id, kind=PostKind.ANSWER,
                            body_source=f"Antwort {i}", body_html=f"<p>Antwort {i}</p>",
                            created_at=now))
    thread.answer_count += count
    thread.reply_count += count
    db.session.commit()


def bulk_threads(board, author, count: int) -> None:
    now = utcnow()
    for i in range(count):
        thread = Thread(board_id=board.id, author_id=author.id, title=f"Frage Nummer {i}",
                        slug=f"frage-{i}", created_at=now, last_activity_at=now)
        thread.posts.append(Post(author_id=author.id, kind=PostKind.QUESTION,
                                 body_source="?", body_html="<p>?</p>", created_at=now))
        db.session.add(thread)
    db.session.get(Board, board.id).thread_count += count
    db.session.commit()


def make_reason(**overrides):
    from forum.models import GroundKind, RejectionReason

    reason = RejectionReason(title=overrides.pop("title", "Werbung"),
                             ground_kind=overrides.pop("ground_kind", GroundKind.RULE),
                             ground=overrides.pop("ground", "Dialogregel 3: keine Werbung"),
                             explanation=overrides.pop("explanation", "Werbung ist hier nicht "
                                                       "erlaubt."), **overrides)
    db.session.add(reason)
    db.session.commit()
    return reason


def make_report(post, email="melder@example.org", **overrides):
    from forum.models import Report, ReportCategory

    report = Report(post_id=post.id, category=overrides.pop("category", ReportCategory.RULES),
                    ground=overrides.pop("ground", "Dialogregel 2"),
                    explanation=overrides.pop("explanation", "Beleidigend."),
                    reporter_email=email, good_faith=True, created_at=utcnow(), **overrides)
    db.session.add(report)
    db.session.commit()
    return report
