"""What else the search finds beside questions: projects, topic fields, experts in the
public directory, project updates and practice examples, each a group of its own on the
results page.

They are matched with the same analysis as the posts (search_analysis.py: umlaut spellings,
stems, compound parts): every word of the query must be found, as itself or, for a
compound, as all its parts. There are few of each (ten projects, four topic fields, the
directory's experts, the updates), so they are read in a fixed number of queries and
matched here; names and titles rank before descriptions and bodies."""

from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    ExpertVerification,
    Project,
    ProjectUpdate,
    TopicField,
    User,
    project_topic_fields,
)
from ..models.expert import verification_projects, verification_topic_fields
from .experts import listed
from .search_analysis import QueryTerm, analyse, query_terms

PER_GROUP = 5


@dataclass
class Groups:
    projects: list[Project] = field(default_factory=list)
    topics: list[TopicField] = field(default_factory=list)
    experts: list[User] = field(default_factory=list)
    updates: list[ProjectUpdate] = field(default_factory=list)
    practice: list[ProjectUpdate] = field(default_factory=list)  # practice examples

    def __bool__(self) -> bool:
        return bool(self.projects or self.topics or self.experts or self.updates
                    or self.practice)


def _stems(*texts: str) -> frozenset[str]:
    return _text_stems(" ".join(texts))


@lru_cache(maxsize=4096)
def _text_stems(text: str) -> frozenset[str]:
    """A text's stems and compound parts; cached, as the same names, descriptions and update
    bodies are analysed on every search (the cache holds a text for as long as it is
    unchanged, as a changed text is a new key)."""
    analysed = analyse(None, text)
    return frozenset(analysed.stems.split()) | frozenset(analysed.parts.split())


def _found(terms: list[QueryTerm], stems: frozenset[str]) -> bool:
    return all(t.stem in stems or (t.parts and stems.issuperset(t.parts)) for t in terms)


def _rank(terms: list[QueryTerm], items, name, rest) -> list:
    """Items whose name or other text holds every term; name matches first, list order kept."""
    by_name, by_text = [], []
    for item in items:
        if _found(terms, _stems(name(item))):
            by_name.append(item)
        elif _found(terms, _stems(name(item), *rest(item))):
            by_text.append(item)
    return (by_name + by_text)[:PER_GROUP]


def find(query: str, *, project_id: int | None = None,
         topic_id: int | None = None) -> Groups:
    """The groups for a query, narrowed by the search page's project and topic filters."""
    terms = query_terms(query)
    if not terms:
        return Groups()
    projects_query = (sa.select(Project).order_by(Project.name)
                      .options(selectinload(Project.sectors), selectinload(Project.topic_fields)))
    topics_query = sa.select(TopicField).order_by(TopicField.position, TopicField.name)
    experts_query = sa.select(User).where(listed()).order_by(sa.func.lower(User.display_name))
    updates_query = (sa.select(ProjectUpdate).where(ProjectUpdate.hidden_at.is_(None))
                     .options(joinedload(ProjectUpdate.project))
                     .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc()))
    if project_id:
        projects_query = projects_query.where(Project.id == project_id)
        topics_query = topics_query.where(TopicField.id.in_(
            sa.select(project_topic_fields.c.topic_field_id)
            .where(project_topic_fields.c.project_id == project_id)))
        experts_query = experts_query.where(User.id.in_(
            sa.select(ExpertVerification.user_id).join(verification_projects)
            .where(verification_projects.c.project_id == project_id,
                   ExpertVerification.in_force_clause())))
        updates_query = updates_query.where(ProjectUpdate.project_id == project_id)
    if topic_id:
        tagged = (sa.select(project_topic_fields.c.project_id)
                  .where(project_topic_fields.c.topic_field_id == topic_id))
        projects_query = projects_query.where(Project.id.in_(tagged))
        topics_query = topics_query.where(TopicField.id == topic_id)
        experts_query = experts_query.where(User.id.in_(
            sa.select(ExpertVerification.user_id).join(verification_topic_fields)
            .where(verification_topic_fields.c.topic_field_id == topic_id,
                   ExpertVerification.in_force_clause())))
        updates_query = updates_query.where(ProjectUpdate.project_id.in_(tagged))
    projects = _rank(terms, db.session.scalars(projects_query).all(), lambda p: p.name,
                     lambda p: [p.lead_organisation, " ".join(p.partners or []), p.description,
                                " ".join(s.name for s in p.sectors)])
    topics = _rank(terms, db.session.scalars(topics_query).all(), lambda t: t.name,
                   lambda t: [t.description])
    experts = _rank(terms, db.session.scalars(experts_query).all(), lambda u: u.display_name,
                    lambda u: [u.organisation if u.show_organisation else "",
                               u.expertise if u.show_expertise else ""])
    published = db.session.scalars(updates_query).unique().all()
    updates = _rank(terms, [u for u in published if not u.is_practice], lambda u: u.title,
                    lambda u: [u.body_source, u.project.name])
    practice = _rank(terms, [u for u in published if u.is_practice], lambda u: u.title,
                     lambda u: [u.body_source, u.practice.setting_source,
                                u.practice.outcome_source, u.practice.lessons_source,
                                u.project.name])
    return Groups(projects, topics, experts, updates, practice)
