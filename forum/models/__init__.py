"""All models, importable from one place."""

from .base import utcnow
from .content import Draft, Post, PostKind, PostRevision, PostState, Thread, ThreadState
from .project import (
    Board,
    Offer,
    Project,
    ProjectMember,
    ProjectRole,
    ProjectStatus,
    Sector,
    TopicField,
    project_sectors,
    project_topic_fields,
)
from .site import AuditEntry, SitePage
from .user import Anonymous, SiteRole, User

__all__ = [
    "Anonymous", "AuditEntry", "Board", "Draft", "Offer", "Post", "PostKind", "PostRevision",
    "PostState", "Project", "ProjectMember", "ProjectRole", "ProjectStatus", "Sector",
    "SitePage", "SiteRole", "Thread", "ThreadState", "TopicField", "User", "project_sectors",
    "project_topic_fields", "utcnow",
]
