"""Project updates (Neuigkeiten): published by the project's team, rendered once."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import permissions
from ..extensions import db
from ..markup import render_markdown
from ..models import (
    PUBLIC_THREAD_STATES,
    Project,
    ProjectUpdate,
    Thread,
    UpdateKind,
    User,
    utcnow,
)
from . import ServiceError, once
from .threads import slugify

# what the public sees: updates no moderation decision has hidden
PUBLIC = ProjectUpdate.hidden_at.is_(None)


def _check_input(title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise ServiceError(_l("Bitte geben Sie einen Titel ein."), field="title")
    if not body:
        raise ServiceError(_l("Bitte geben Sie einen Text ein."), field="body")
    return title, body


def publish(actor: User, project: Project, title: str, body: str, *,
            once_key: str | None = None) -> ProjectUpdate:
    permissions.check("update.publish", actor, project)
    key = once.begin(once_key, actor, "update")
    title, body = _check_input(title, body)
    update = ProjectUpdate(project_id=project.id, author_id=actor.id, title=title,
                           slug=slugify(title), body_source=body,
                           body_html=render_markdown(body), created_at=utcnow())
    db.session.add(update)
    once.commit(key, update)
    return update


def edit(actor: User, update: ProjectUpdate, title: str, body: str) -> None:
    permissions.check("update.edit", actor, update)
    title, body = _check_input(title, body)
    update.title, update.slug = title, slugify(title)
    update.body_source, update.body_html = body, render_markdown(body)
    update.edited_at = utcnow()
    db.session.commit()


def newest(limit: int = 5, project: Project | None = None) -> list[ProjectUpdate]:
    """The newest public news (practice examples have lists of their own: practice.py)."""
    query = (select(ProjectUpdate).where(PUBLIC, ProjectUpdate.kind == UpdateKind.NEWS)
             .options(joinedload(ProjectUpdate.project), joinedload(ProjectUpdate.author)))
    if project is not None:
        query = query.where(ProjectUpdate.project_id == project.id)
    query = query.order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
    return list(db.session.scalars(query.limit(limit)).unique())


def get(project: Project, update_id: int) -> ProjectUpdate | None:
    """A public update of the project, of either kind (the view sends a practice example to
    its own page)."""
    return db.session.scalar(select(ProjectUpdate).where(
        ProjectUpdate.id == update_id, ProjectUpdate.project_id == project.id, PUBLIC)
        .options(joinedload(ProjectUpdate.author)))


def find(update_id: int) -> ProjectUpdate | None:
    """An update (news or practice example) by id, with its project and the project's board
    (updates are public): what a question is about."""
    return db.session.scalar(select(ProjectUpdate).where(ProjectUpdate.id == update_id, PUBLIC)
                             .options(joinedload(ProjectUpdate.project)
                                      .joinedload(Project.board)))


def questions_about(update: ProjectUpdate) -> list[Thread]:
    query = (select(Thread).where(Thread.update_id == update.id,
                                  Thread.state.in_(PUBLIC_THREAD_STATES))
             .order_by(Thread.created_at.desc()))
    return list(db.session.scalars(query))

