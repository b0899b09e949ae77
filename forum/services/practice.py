"""Practice examples (Praxisbeispiele): a project's team says what it tried, where and for
whom, how, what came of it, what others can take from it, and whom in the team to ask.

A practice example is a project update of its own kind (models/update.py), so questions about
it, reports, moderation and statements are the updates' own; this module writes and lists
them. The list (/praxisbeispiele) narrows by the projects' topic fields and sectors."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from .. import permissions
from ..extensions import db
from ..markup import render_markdown
from ..models import (
    PracticeExample,
    Project,
    ProjectUpdate,
    Sector,
    TopicField,
    UpdateKind,
    User,
    project_sectors,
    project_topic_fields,
    utcnow,
)
from . import InputErrors, ServiceError, once, paging
from .threads import slugify

PUBLIC = (ProjectUpdate.kind == UpdateKind.PRACTICE) & ProjectUpdate.hidden_at.is_(None)
PER_PAGE = 20


@dataclass(frozen=True)
class Parts:
    """What a team types: title (what was tried), approach (how), setting (where and for
    whom), outcome, lessons (what others can take from it) and the contact's user id."""

    title: str
    approach: str
    setting: str
    outcome: str
    lessons: str
    contact_id: int | None


REQUIRED = (("title", _l("Bitte sagen Sie kurz, was erprobt wurde.")),
            ("approach", _l("Bitte beschreiben Sie, wie Sie vorgegangen sind.")),
            ("setting", _l("Bitte sagen Sie, wo und für wen es erprobt wurde.")),
            ("outcome", _l("Bitte sagen Sie, was daraus geworden ist.")),
            ("lessons", _l("Bitte sagen Sie, was andere daraus übernehmen können.")))


def team_contacts(project: Project) -> list[User]:
    """Who may be named as contact: the project's team, by name."""
    people = db.session.scalars(sa.select(User).where(permissions.project_team(project.id))
                                .order_by(sa.func.lower(User.display_name)))
    return [u for u in people if permissions.can("practice.contact", u, project)]


def _checked(project: Project, parts: Parts) -> tuple[Parts, User]:
    """The parts stripped, every one given, and the contact in the project's team; all
    mistakes said at once."""
    parts = Parts(parts.title.strip(), parts.approach.strip(), parts.setting.strip(),
                  parts.outcome.strip(), parts.lessons.strip(), parts.contact_id)
    errors = [ServiceError(message, field=name) for name, message in REQUIRED
              if not getattr(parts, name)]
    contact = db.session.get(User, parts.contact_id) if parts.contact_id else None
    if contact is None:
        errors.append(ServiceError(_l("Bitte wählen Sie eine Ansprechperson aus dem Team."),
                                   field="contact"))
    else:
        denial = permissions.denial("practice.contact", contact, project)
        if denial is not None:
            errors.append(ServiceError(denial, field="contact"))
    if errors:
        raise InputErrors(errors)
    assert contact is not None
    return parts, contact


def _fill(update: ProjectUpdate, example: PracticeExample, parts: Parts, contact: User) -> None:
    update.title, update.slug = parts.title, slugify(parts.title)
    update.body_source, update.body_html = parts.approach, render_markdown(parts.approach)
    example.setting_source, example.setting_html = parts.setting, render_markdown(parts.setting)
    example.outcome_source, example.outcome_html = parts.outcome, render_markdown(parts.outcome)
    example.lessons_source, example.lessons_html = parts.lessons, render_markdown(parts.lessons)
    example.contact_id = contact.id


def publish(actor: User, project: Project, parts: Parts, *,
            once_key: str | None = None) -> ProjectUpdate:
    permissions.check("update.publish", actor, project)
    key = once.begin(once_key, actor, "update")
    parts, contact = _checked(project, parts)
    update = ProjectUpdate(project_id=project.id, author_id=actor.id,
                           kind=UpdateKind.PRACTICE, created_at=utcnow())
    example = PracticeExample()
    _fill(update, example, parts, contact)
    update.practice = example
    db.session.add(update)
    once.commit(key, update)
    return update


def edit(actor: User, update: ProjectUpdate, parts: Parts) -> None:
    permissions.check("update.edit", actor, update)
    parts, contact = _checked(update.project, parts)
    _fill(update, update.practice, parts, contact)
    update.edited_at = utcnow()
    db.session.commit()


def parts_of(update: ProjectUpdate) -> Parts:
    example = update.practice
    return Parts(update.title, update.body_source, example.setting_source,
                 example.outcome_source, example.lessons_source, example.contact_id)


def get(update_id: int) -> ProjectUpdate | None:
    """A public practice example with its project (and the project's board, for questions)."""
    return db.session.scalar(sa.select(ProjectUpdate).where(ProjectUpdate.id == update_id, PUBLIC)
                             .options(joinedload(ProjectUpdate.project).joinedload(Project.board),
                                      joinedload(ProjectUpdate.author)))


def _newest_first(query):
    return (query.options(joinedload(ProjectUpdate.project), joinedload(ProjectUpdate.author))
            .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc()))


def newest(limit: int, project: Project | None = None) -> list[ProjectUpdate]:
    query = sa.select(ProjectUpdate).where(PUBLIC)
    if project is not None:
        query = query.where(ProjectUpdate.project_id == project.id)
    return list(db.session.scalars(_newest_first(query).limit(limit)).unique())


@dataclass
class Listing:
    examples: Pagination  # one page of them
    topics: list[TopicField]  # for the filter: all topic fields
    sectors: list[Sector]  # for the filter: those some project has
    topic: TopicField | None  # the chosen ones (None: all)
    sector: Sector | None
    project: Project | None  # one project's examples (from its page), or None


def listing(topic_slug: str = "", sector_slug: str = "", page: int | None = 1,
            project_slug: str = "") -> Listing:
    """One page of the public examples, newest first, of projects in the chosen topic field
    and sector (and of one project, from its page); an unknown slug chooses nothing (all)."""
    topics = list(db.session.scalars(
        sa.select(TopicField).order_by(TopicField.position, TopicField.name)))
    sectors = list(db.session.scalars(
        sa.select(Sector).where(Sector.id.in_(sa.select(project_sectors.c.sector_id)))
        .order_by(Sector.name)))
    topic = next((t for t in topics if t.slug == topic_slug), None)
    sector = next((s for s in sectors if s.slug == sector_slug), None)
    project = (db.session.scalar(sa.select(Project).where(Project.slug == project_slug))
               if project_slug else None)
    query = sa.select(ProjectUpdate).where(PUBLIC)
    if project is not None:
        query = query.where(ProjectUpdate.project_id == project.id)
    if topic is not None:
        query = query.where(ProjectUpdate.project_id.in_(
            sa.select(project_topic_fields.c.project_id)
            .where(project_topic_fields.c.topic_field_id == topic.id)))
    if sector is not None:
        query = query.where(ProjectUpdate.project_id.in_(
            sa.select(project_sectors.c.project_id)
            .where(project_sectors.c.sector_id == sector.id)))
    examples = paging.page_of(_newest_first(query), page, PER_PAGE)
    return Listing(examples, topics, sectors, topic, sector, project)
