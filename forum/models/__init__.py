"""All models, importable from one place."""

from ..enums import (
    ACCOUNT_MEASURES,
    PUBLIC_THREAD_STATES,
    RESTRICTING,
    TEAM_ROLES,
    AppealState,
    BarrierState,
    DecisionAction,
    GroundKind,
    PostKind,
    PostState,
    ProjectRole,
    ProjectStatus,
    ReportCategory,
    ReportState,
    SiteRole,
    ThreadState,
    UpdateKind,
    WatchMode,
)
from .api_token import ApiToken
from .barrier import BarrierReport
from .base import utcnow
from .content import (
    Draft,
    MeToo,
    Post,
    PostRevision,
    Submission,
    Thread,
)
from .expert import (
    ExpertVerification,
    verification_projects,
    verification_topic_fields,
)
from .guest import GuestLink
from .login_session import LoginSession
from .moderation import (
    Appeal,
    Decision,
    ModerationNote,
    QueueClaim,
    RejectionReason,
    Report,
)
from .notification import Notification, OutboxMail, Watch
from .project import (
    Board,
    Offer,
    Project,
    ProjectMember,
    Sector,
    TopicField,
    project_sectors,
    project_topic_fields,
)
from .search import SearchDocument
from .site import AuditEntry, SiteGeneration, SitePage, SiteSetting
from .update import PracticeExample, ProjectUpdate
from .user import Anonymous, User

__all__ = [
    "BarrierReport", "BarrierState", "SiteSetting", "SiteGeneration",
    "ExpertVerification", "GuestLink", "verification_projects", "verification_topic_fields",
    "LoginSession", "ApiToken",
    "ProjectUpdate",
    "MeToo",
    "SearchDocument",
    "Notification", "OutboxMail", "Watch", "WatchMode",
    "ACCOUNT_MEASURES", "PUBLIC_THREAD_STATES", "RESTRICTING", "TEAM_ROLES", "Appeal",
    "AppealState",
    "Decision", "DecisionAction", "GroundKind", "ModerationNote", "QueueClaim",
    "RejectionReason", "Report",
    "ReportCategory", "ReportState",
    "Anonymous", "AuditEntry", "Board", "Draft", "Offer", "Post", "PostKind", "PostRevision",
    "Submission",
    "PostState", "PracticeExample", "Project", "ProjectMember", "ProjectRole", "ProjectStatus",
    "Sector", "SitePage", "SiteRole", "Thread", "ThreadState", "TopicField", "UpdateKind", "User",
    "project_sectors", "project_topic_fields", "utcnow",
]
