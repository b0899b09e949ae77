"""Demo data: the programme's projects, topic fields, sectors and offers, demo accounts for
every role and a few demo threads. Loading twice changes nothing."""

import json
import secrets
from pathlib import Path

from sqlalchemy import func, select

from ..extensions import db
from ..markup import render_markdown
from ..models import (
    Board,
    GroundKind,
    Offer,
    Post,
    PostKind,
    Project,
    ProjectMember,
    ProjectRole,
    ProjectStatus,
    RejectionReason,
    Sector,
    SiteRole,
    Thread,
    TopicField,
    User,
    utcnow,
)
from ..models.expert import today
from . import accounts, counters, experts
from .threads import slugify

DATA_FILE = Path(__file__).resolve().parent.parent / "demo" / "experimentierraeume.json"

DEMO_ACCOUNTS = (
    # email, display name, role, project slug, organisation
    ("admin@demo.fachdialog.example", "Demo Administration", SiteRole.ADMIN, None, ""),
    ("moderation@demo.fachdialog.example", "Demo Moderation", SiteRole.MODERATOR, None, ""),
    ("fachperson@demo.fachdialog.example", "Dr. Demo Fachperson", SiteRole.USER, None,
     "Demo-Institut für Arbeitsforschung"),
    ("projektteam@demo.fachdialog.example", "Demo Projektteam", SiteRole.USER, "expertise-4-0",
     ""),
    ("nutzer@demo.fachdialog.example", "Demo Nutzerin", SiteRole.USER, None, ""),
)

REJECTION_REASONS = (
    # title, kind, ground, explanation
    ("Werbung", GroundKind.RULE, "Dialogregeln, Regel 4: keine Werbung",
     "Beiträge, die vor allem für Produkte oder Dienstleistungen werben, veröffentlichen wir "
     "nicht."),
    ("Beleidigung", GroundKind.RULE, "Dialogregeln, Regel 1: sachlich und respektvoll bleiben",
     "Persönliche Angriffe und herabsetzende Äußerungen haben im Fachdialog keinen Platz."),
    ("Persönliche Daten anderer", GroundKind.LAW, "Art. 6 DSGVO",
     "Der Beitrag enthält personenbezogene Daten Dritter ohne Rechtsgrundlage."),
    ("Kein Bezug zum Thema", GroundKind.RULE, "Dialogregeln, Regel 2: beim Thema bleiben",
     "Der Beitrag hat keinen Bezug zu den Themen des Programms."),
)

DEMO_THREADS: tuple[tuple[str, str, str, list[tuple[int, PostKind, str]]], ...] = (
    # board (project or topic slug), title, question, [(author index, kind, text)]
    ("expertise-4-0", "Wie reagieren Pflegekräfte auf Exoskelette im Alltag?",
     "Wir überlegen, in unserer Einrichtung Exoskelette zu erproben. Welche Erfahrungen haben "
     "Sie mit der **Akzeptanz** im Team gemacht?",
     [(3, PostKind.ANSWER, "Bei uns war wichtig, dass die Pflegekräfte die Geräte zuerst in "
       "einer geschützten Laborumgebung ausprobieren konnten, bevor es in den Alltag ging."),
      (4, PostKind.FOLLOWUP, "Danke! Wie lange hat diese Erprobungsphase gedauert?")]),
    ("arbeitszeit-und-arbeitsort", "Welche Arbeitszeitmodelle eignen sich für kleine Betriebe?",
     "Gibt es Erfahrungen aus den Experimentierräumen mit flexiblen Arbeitszeitmodellen in "
     "Betrieben mit weniger als 50 Beschäftigten?",
     [(2, PostKind.ANSWER, "Mehrere Projekte haben Modelle mit Beteiligung der Beschäftigten "
       "erprobt. Entscheidend war, die Regeln gemeinsam festzulegen und regelmäßig zu prüfen.")]),
    ("wissen-und-qualifizierung", "Wie lässt sich Lernen im Arbeitsprozess organisieren?",
     "Wir suchen Beispiele, wie Weiterbildung direkt am Arbeitsplatz gelingt.", []),
)


def load_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def seed(echo=print) -> None:
    data = load_data()
    topics = _upsert_topics(data["themenfelder"])
    sectors = _upsert_sectors(data["bereiche"])
    _upsert_projects(data["projekte"], topics, sectors)
    _upsert_offers(data["foerder_und_beratungsangebote"])
    _ensure_reasons()
    db.session.commit()
    users = _ensure_accounts(echo)
    db.session.commit()
    _ensure_threads(users)
    db.session.commit()
    counters.recount()  # the demo threads are written directly: count them as the site would


def _upsert(model, slug: str, **values):
    obj = db.session.scalar(select(model).where(model.slug == slug))
    if obj is None:
        obj = model(slug=slug, **values)
        db.session.add(obj)
    return obj


def _upsert_topics(rows) -> dict[str, TopicField]:
    topics = {}
    for position, row in enumerate(rows):
        topic = _upsert(TopicField, row["slug"], name=row["name"],
                        description=row["beschreibung"], position=position)
        topics[row["slug"]] = topic
    return topics


def _upsert_sectors(rows) -> dict[str, Sector]:
    return {row["slug"]: _upsert(Sector, row["slug"], name=row["name"]) for row in rows}


def _upsert_projects(rows, topics, sectors) -> None:
    for row in rows:
        _upsert(
            Project, row["slug"], name=row["name"], lead_organisation=row["traeger"],
            partners=row["partner"], period=row["laufzeit"],
            # Every project of the 2018 call ended in 2021.
            status=ProjectStatus.FINISHED, description=row["beschreibung"],
            website=next((u for u in row["quellen"] if "inqa.de" not in u), ""),
            sources=row["quellen"],
            topic_fields=[topics[s] for s in row["themenfelder"]],
            sectors=[sectors[s] for s in row["bereiche"]],
        )


def _upsert_offers(rows) -> None:
    for position, row in enumerate(rows):
        _upsert(Offer, row["slug"], name=row["name"], url=row["url"],
                description=row["beschreibung"], position=position)


def _ensure_reasons() -> None:
    """A starting catalogue of rejection reasons; admins edit it under /admin/gruende."""
    if db.session.scalar(select(func.count()).select_from(RejectionReason)):
        return
    for position, (title, kind, ground, explanation) in enumerate(REJECTION_REASONS):
        db.session.add(RejectionReason(title=title, ground_kind=kind, ground=ground,
                                       explanation=explanation, position=position))


def _ensure_accounts(echo) -> list[User]:
    users, created = [], []
    for email, name, role, project_slug, organisation in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(email)
        if user is None:
            password = secrets.token_urlsafe(12)
            user = accounts.create_user(email, name, password, role)
            user.organisation, user.is_demo = organisation, True
            created.append((user, project_slug, password))
        if project_slug:
            project = db.session.execute(
                select(Project).where(Project.slug == project_slug)).scalar_one()
            if db.session.get(ProjectMember, (project.id, user.id)) is None:
                db.session.add(ProjectMember(project_id=project.id, user_id=user.id,
                                             role=ProjectRole.LEAD))
        users.append(user)
    _ensure_expert(users[0], users[2])
    for user, project_slug, password in created:  # with the role each account ends up in
        echo(f"  {_role_word(user, project_slug):<24} {user.email}  Passwort: {password}")
    return users


def _role_word(user: User, project_slug: str | None) -> str:
    """How the command line names a demo account's role (the words of create-user --role)."""
    if user.verifications:
        return "expert"
    if project_slug:
        return f"lead ({project_slug})"
    return user.site_role.value


def _ensure_expert(admin: User, expert: User) -> None:
    """The demo expert: verified by the demo admin for every topic field, public profile."""
    if expert.verifications:
        return
    db.session.flush()
    topics = list(db.session.scalars(select(TopicField).order_by(TopicField.position)))
    experts.verify(admin, expert, evidence="Demo-Daten: Forschungsschwerpunkt Arbeitsforschung "
                   "(Veröffentlichungsliste geprüft)", topic_fields=topics, projects=[],
                   valid_from=today(), valid_until=experts.default_until(), commit=False)
    expert.expertise = "Arbeitszeitmodelle, Gesundheit bei der Arbeit, Weiterbildung"
    expert.profile_public = expert.show_organisation = expert.show_expertise = True


def _ensure_threads(users: list[User]) -> None:
    if db.session.scalar(select(func.count()).where(Thread.is_demo)):
        return
    asker = users[4]
    for board_slug, title, question, replies in DEMO_THREADS:
        board = db.session.execute(
            select(Board).outerjoin(Board.project).outerjoin(Board.topic_field)
            .where((Project.slug == board_slug) | (TopicField.slug == board_slug))
        ).scalar_one()
        now = utcnow()
        thread = Thread(board_id=board.id, author_id=asker.id, title=title,
                        slug=slugify(title), is_demo=True, created_at=now,
                        last_activity_at=now)
        posts = [(asker, PostKind.QUESTION, question)]
        posts += [(users[i], kind, text) for i, kind, text in replies]
        for author, kind, text in posts:
            thread.posts.append(Post(author_id=author.id, kind=kind, body_source=text,
                                     body_html=render_markdown(text), created_at=now))
        thread.reply_count = len(replies)
        thread.answer_count = sum(1 for _i, kind, _t in replies if kind == PostKind.ANSWER)
        board.thread_count += 1
        board.last_activity_at = now
        db.session.add(thread)
