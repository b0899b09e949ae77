"""Every stored code of the forum as an enum, in one leaf module that imports nothing from
`forum`: the models store them, the rulebook and services decide by them, views and forms
read them, and `labels.py` gives each member its words."""

import enum


class ThreadState(enum.StrEnum):
    """Follows the question: unconfirmed until a guest confirms the e-mail, pending until
    approved, hidden when the question is rejected or hidden, merged when moved into another
    thread, withdrawn when its guest asker takes it back. Locking is a separate flag."""

    UNCONFIRMED = "unconfirmed"
    PENDING = "pending"
    OPEN = "open"
    ANSWERED = "answered"
    HIDDEN = "hidden"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"


PUBLIC_THREAD_STATES = (ThreadState.OPEN, ThreadState.ANSWERED)


class PostKind(enum.StrEnum):
    QUESTION = "question"
    ANSWER = "answer"
    FOLLOWUP = "followup"


class PostState(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"  # a guest's question before the e-mail is confirmed
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    # the question of a deleted account in a thread others answered: a placeholder without
    # text or author, shown to everyone; never counted, indexed, fed, reported or queued
    REMOVED = "removed"


class GroundKind(enum.StrEnum):
    RULE = "rule"  # a rule of the Dialogregeln
    LAW = "law"  # a provision of law


class ReportCategory(enum.StrEnum):
    ILLEGAL = "illegal"
    RULES = "rules"
    SPAM = "spam"
    OTHER = "other"


class ReportState(enum.StrEnum):
    OPEN = "open"
    ACTIONED = "actioned"
    DISMISSED = "dismissed"


class DecisionAction(enum.StrEnum):
    APPROVE = "approve"
    EDIT_APPROVE = "edit_approve"
    REJECT = "reject"
    HIDE = "hide"
    RESTORE = "restore"
    LOCK = "lock"
    UNLOCK = "unlock"
    MOVE = "move"
    MERGE = "merge"
    DISMISS = "dismiss"  # reports checked, no action taken
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_REJECTED = "appeal_rejected"
    EDIT = "edit"  # a moderator changed somebody else's published post
    # measures against an account (DSA art. 23 and plain spam); lifting one is a decision too
    WARN = "warn"
    SUSPEND = "suspend"
    BLOCK = "block"
    LIFT = "lift"


ACCOUNT_MEASURES = (DecisionAction.WARN, DecisionAction.SUSPEND, DecisionAction.BLOCK)
# decisions that restrict somebody: each gets a statement of reasons and can be appealed
RESTRICTING = (DecisionAction.REJECT, DecisionAction.HIDE, DecisionAction.LOCK,
               DecisionAction.EDIT, DecisionAction.EDIT_APPROVE, *ACCOUNT_MEASURES)


class AppealState(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    REJECTED = "rejected"


class ProjectStatus(enum.StrEnum):
    RUNNING = "running"
    FINISHED = "finished"


class ProjectRole(enum.StrEnum):
    MEMBER = "member"
    LEAD = "lead"
    MODERATOR = "moderator"  # moderates the project's board; not part of its team


class UpdateKind(enum.StrEnum):
    """What a project's team publishes: news, or a practice example (what was tried, where
    and for whom, how, what came of it, what others can take from it)."""
    NEWS = "news"
    PRACTICE = "practice"


# the project's team: who answers with the "Projektteam" badge and publishes its updates
TEAM_ROLES = (ProjectRole.MEMBER, ProjectRole.LEAD)


class WatchMode(enum.StrEnum):
    INSTANT = "instant"  # a mail at once
    DIGEST = "digest"  # one mail a day
    SITE = "site"  # only in the forum's notification list, no mail


class SiteRole(enum.StrEnum):
    USER = "user"
    MODERATOR = "moderator"
    ADMIN = "admin"


class WatchKind(enum.StrEnum):
    """What a watch follows; the value names the watch's target column (`<kind>_id`)."""

    THREAD = "thread"
    PROJECT = "project"
    TOPIC_FIELD = "topic_field"


class AuditAction(enum.StrEnum):
    """Administrative changes in the audit log (`audit_log.action`)."""

    USER_ROLE = "user.role"
    EXPERT_VERIFY = "expert.verify"
    EXPERT_REVOKE = "expert.revoke"
    EXPERT_REMIND = "expert.remind"  # told that the verification ends in 30 days
    EXPERT_PROFILE = "expert.profile"
    GUEST_WITHDRAW = "guest.withdraw"
    GUEST_CONVERT = "guest.convert"
    USER_DELETE = "user.delete"  # names no personal data: only the mode and the counts
    PAGE_UPDATE = "page.update"
    PROJECT_CREATE = "project.create"
    PROJECT_UPDATE = "project.update"
    PROJECT_MEMBER = "project.member"
    TOPIC_UPDATE = "topic.update"
    OFFER_CREATE = "offer.create"
    OFFER_UPDATE = "offer.update"
    OFFER_DELETE = "offer.delete"
    REASON_CREATE = "reason.create"
    REASON_UPDATE = "reason.update"
    SITE_FACTS = "site.facts"  # Impressum, Kontakt, accessibility statement: the operator's facts
    SIGN_VIDEO = "site.sign_video"
    BARRIER_ANSWER = "barrier.answer"
    BARRIER_CLOSE = "barrier.close"
    # personal access tokens of the JSON API: the name and scopes, never the secret
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"


class BarrierState(enum.StrEnum):
    """A case from "Barriere melden" (BITV 2.0 § 7 feedback)."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class DeletionMode(enum.StrEnum):
    """What becomes of a deleted account's posts."""

    ANONYMISE = "anonymise"  # they stay, shown as "Gelöschtes Konto"
    REMOVE = "remove"  # they go; a question others answered stays as a removed placeholder


class Erasure(enum.StrEnum):
    """How deleting an account treats a table of the personal-data registry."""

    DELETE = "delete"  # the person's rows go
    CLEAR = "clear"  # the rows stay (others need them); the personal columns are emptied
    UNLINK = "unlink"  # the rows stay without the link to the person (and without their data)
    BY_MODE = "by_mode"  # posts and threads: as the person chose (DeletionMode)
