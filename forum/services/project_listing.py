"""The project list (/projekte) narrowed by sector and topic field, so a nurse finds the
care projects without opening all ten."""

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Project, Sector, TopicField, project_sectors, project_topic_fields
from .browse import CARD_OPTIONS


@dataclass
class Listing:
    projects: list[Project]
    sectors: list[Sector]  # those some project has, for the filter
    topics: list[TopicField]
    sector: Sector | None  # the chosen ones (None: all)
    topic: TopicField | None


def listing(sector_slug: str = "", topic_slug: str = "") -> Listing:
    """Projects with their topic fields and sectors, by name; an unknown slug chooses
    nothing (all projects)."""
    sectors = list(db.session.scalars(
        sa.select(Sector).where(Sector.id.in_(sa.select(project_sectors.c.sector_id)))
        .order_by(Sector.name)))
    topics = list(db.session.scalars(
        sa.select(TopicField).order_by(TopicField.position, TopicField.name)))
    sector = next((s for s in sectors if s.slug == sector_slug), None)
    topic = next((t for t in topics if t.slug == topic_slug), None)
    query = (sa.select(Project).options(*CARD_OPTIONS)
             .order_by(Project.name))
    if sector is not None:
        query = query.where(Project.id.in_(sa.select(project_sectors.c.project_id).where(
            project_sectors.c.sector_id == sector.id)))
    if topic is not None:
        query = query.where(Project.id.in_(sa.select(project_topic_fields.c.project_id).where(
            project_topic_fields.c.topic_field_id == topic.id)))
    return Listing(list(db.session.scalars(query)), sectors, topics, sector, topic)
