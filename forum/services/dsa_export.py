"""Every statement of reasons of a period in the field structure of the EU's DSA Transparency
Database (art. 24(5)), one JSON object per line, so the operator can submit them.

The field list and the allowed values follow the database's public API documentation,
version 2 (in force since 1 July 2025):
https://transparency.dsa.ec.europa.eu/page/api-documentation-two
and, for the values the page fills in from code, the database's source
(github.com/digital-services-act/transparency-database, app/Models/Statement.php and
resources/markdown/api-documentation-two.md). `FIELDS` below is what this module relies
on; `problems()` checks a record against it.

What a statement of reasons is here: a decision that restricts somebody (enums.RESTRICTING)
except a warning. A warning restricts neither content nor account, and the database has no
field for it (art. 17(1) lists the restrictions it records), so it is not submitted.

No personal data goes out (art. 24(5)): no names, addresses, post texts or links to the
post; the facts are the moderator's words as the author's statement shows them.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..enums import DecisionAction, GroundKind
from ..extensions import db
from ..mails import external_url
from ..models import Decision, Post, ProjectUpdate, Report, Thread, User
from .transparency import Period, zone


@dataclass(frozen=True)
class Field:
    kind: str  # "value" (one of allowed), "values" (a list of allowed), "text", "date", "puid"
    required: bool = False
    allowed: frozenset[str] = frozenset()
    max_length: int = 0
    earliest: date | None = None  # for dates


def _one_of(*values: str, required: bool = False) -> Field:
    return Field("value", required, frozenset(values))


def _list_of(*values: str, required: bool = False) -> Field:
    return Field("values", required, frozenset(values))


DECISION_VISIBILITIES = (
    "DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED", "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER")
CATEGORIES = (
    "STATEMENT_CATEGORY_ANIMAL_WELFARE", "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE", "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_SELF_HARM",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "STATEMENT_CATEGORY_VIOLENCE")
CONTENT_TYPES = (
    "CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT",
    "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO",
    "CONTENT_TYPE_OTHER")
# the EU and EEA countries the territorial scope may name
EEA_COUNTRIES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK")
YES_NO = ("Yes", "No")

FIELDS: dict[str, Field] = {
    "decision_visibility": _list_of(*DECISION_VISIBILITIES),
    "decision_visibility_other": Field("text", max_length=500),
    "end_date_visibility_restriction": Field("date", earliest=date(2020, 1, 1)),
    "decision_monetary": _one_of("DECISION_MONETARY_SUSPENSION",
                                 "DECISION_MONETARY_TERMINATION", "DECISION_MONETARY_OTHER"),
    "decision_monetary_other": Field("text", max_length=500),
    "end_date_monetary_restriction": Field("date", earliest=date(2020, 1, 1)),
    "decision_provision": _one_of(
        "DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
        "DECISION_PROVISION_PARTIAL_TERMINATION", "DECISION_PROVISION_TOTAL_TERMINATION"),
    "end_date_service_restriction": Field("date", earliest=date(2020, 1, 1)),
    "decision_account": _one_of("DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"),
    "end_date_account_restriction": Field("date", earliest=date(2020, 1, 1)),
    "account_type": _one_of("ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"),
    "decision_ground": _one_of("DECISION_GROUND_ILLEGAL_CONTENT",
                               "DECISION_GROUND_INCOMPATIBLE_CONTENT", required=True),
    "decision_ground_reference_url": Field("text", max_length=500),
    "illegal_content_legal_ground": Field("text", max_length=500),
    "illegal_content_explanation": Field("text", max_length=2000),
    "incompatible_content_ground": Field("text", max_length=500),
    "incompatible_content_explanation": Field("text", max_length=2000),
    "incompatible_content_illegal": _one_of(*YES_NO),
    "category": _one_of(*CATEGORIES, required=True),
    "content_type": _list_of(*CONTENT_TYPES, required=True),
    "content_type_other": Field("text", max_length=500),
    "content_date": Field("date", required=True, earliest=date(2000, 1, 1)),
    "application_date": Field("date", required=True, earliest=date(2020, 1, 1)),
    "territorial_scope": _list_of(*EEA_COUNTRIES, required=True),
    "decision_facts": Field("text", required=True, max_length=5000),
    "source_type": _one_of("SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER",
                           "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY",
                           required=True),
    "automated_detection": _one_of(*YES_NO, required=True),
    "automated_decision": _one_of("AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY",
                                  "AUTOMATED_DECISION_NOT_AUTOMATED", required=True),
    "puid": Field("puid", required=True, max_length=500),
}
RESTRICTIONS = ("decision_visibility", "decision_monetary", "decision_provision",
                "decision_account")  # at least one of them
# a field the documentation requires when another field has a value: (field, value, needed)
REQUIRED_WHEN = (
    ("decision_ground", "DECISION_GROUND_ILLEGAL_CONTENT", "illegal_content_legal_ground"),
    ("decision_ground", "DECISION_GROUND_ILLEGAL_CONTENT", "illegal_content_explanation"),
    ("decision_ground", "DECISION_GROUND_INCOMPATIBLE_CONTENT", "incompatible_content_ground"),
    ("decision_ground", "DECISION_GROUND_INCOMPATIBLE_CONTENT",
     "incompatible_content_explanation"),
    ("decision_visibility", "DECISION_VISIBILITY_OTHER", "decision_visibility_other"),
    ("decision_monetary", "DECISION_MONETARY_OTHER", "decision_monetary_other"),
    ("content_type", "CONTENT_TYPE_OTHER", "content_type_other"),
)
_PUID = re.compile(r"[A-Za-z0-9_-]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def problems(record: dict) -> list[str]:
    """What the database would refuse in this record, as `field: reason`; [] when none."""
    found = [f"{name}: unknown field" for name in record if name not in FIELDS]
    for name, field in FIELDS.items():
        value = record.get(name)
        if value is None or value == [] or value == "":
            if field.required:
                found.append(f"{name}: required")
            continue
        found += [f"{name}: {reason}" for reason in _field_problems(field, value)]
    if not any(record.get(name) for name in RESTRICTIONS):
        found.append("one of " + ", ".join(RESTRICTIONS) + ": required")
    for name, value, needed in REQUIRED_WHEN:
        given = record.get(name)
        if (value == given or (isinstance(given, list) and value in given)) and not record.get(
                needed):
            found.append(f"{needed}: required when {name} is {value}")
    application = record.get("application_date")
    for name in ("end_date_visibility_restriction", "end_date_monetary_restriction",
                 "end_date_service_restriction", "end_date_account_restriction"):
        if record.get(name) and application and record[name] < application:
            found.append(f"{name}: before application_date")
    return found


def _field_problems(field: Field, value) -> list[str]:
    if field.kind == "value":
        return [] if value in field.allowed else [f"{value!r} is not allowed"]
    if field.kind == "values":
        if not isinstance(value, list):
            return ["must be a list"]
        return [f"{v!r} is not allowed" for v in value if v not in field.allowed]
    if not isinstance(value, str):
        return ["must be a string"]
    if field.max_length and len(value) > field.max_length:
        return [f"longer than {field.max_length} characters"]
    if field.kind == "puid" and not _PUID.fullmatch(value):
        return ["only a-z, A-Z, 0-9, '-' and '_'"]
    if field.kind == "date":
        if not _DAY.fullmatch(value):
            return ["not YYYY-MM-DD"]
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return ["not a date"]
        if field.earliest and day < field.earliest:
            return [f"before {field.earliest.isoformat()}"]
    return []


# --- from a decision to a record -----------------------------------------------------------

EXPORTED = (DecisionAction.REJECT, DecisionAction.HIDE, DecisionAction.LOCK,
            DecisionAction.EDIT, DecisionAction.EDIT_APPROVE, DecisionAction.SUSPEND,
            DecisionAction.BLOCK)
# what each decision does, in the database's words
VISIBILITY = {
    # a pending post that is never published: it is not shown to anybody
    DecisionAction.REJECT: "DECISION_VISIBILITY_CONTENT_REMOVED",
    # a published post taken off the site, kept for a restore
    DecisionAction.HIDE: "DECISION_VISIBILITY_CONTENT_DISABLED",
    # a thread closed for answers: it stays readable
    DecisionAction.LOCK: "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
    DecisionAction.EDIT: "DECISION_VISIBILITY_OTHER",
    DecisionAction.EDIT_APPROVE: "DECISION_VISIBILITY_OTHER",
}
_CHANGED = ("Beitrag von der Moderation teilweise geändert (Vorher und Nachher in der "
            "Begründung an die Verfasserin oder den Verfasser)")
VISIBILITY_OTHER = {DecisionAction.EDIT: _CHANGED, DecisionAction.EDIT_APPROVE: _CHANGED}
ACCOUNT = {DecisionAction.SUSPEND: "DECISION_ACCOUNT_SUSPENDED",
           DecisionAction.BLOCK: "DECISION_ACCOUNT_TERMINATED"}
# The forum does not record which kind of illegal content a decision found; a text forum's
# illegal content is speech (insult, incitement, threats) far more often than anything else.
# A finer category needs a field in the decision forms.
CATEGORY = {GroundKind.LAW: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
            GroundKind.RULE: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"}
# a decision on a report flagged as child sexual abuse, or as a threat to life or safety
FLAGGED_CATEGORY = {"child_abuse": "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
                    "threat": "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"}
PUID_PREFIX = "fachdialog-decision-"
ACCOUNT_CONTENT = "Nutzerkonto"  # what an account measure concerns (content_type_other)


def _cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


def record(decision: Decision, content_date: date | None, flag: str | None = None) -> dict:
    """The database's record for one decision (fields without a value are left out)."""
    ground_kind = decision.ground_kind or GroundKind.RULE
    facts = _cut(decision.facts or decision.ground or decision.action.value, 5000)
    ground = decision.ground.strip() or (
        "Dialogregeln" if ground_kind == GroundKind.RULE else "Gesetz")
    applied = decision.created_at.astimezone(zone()).date()
    account_measure = decision.action in ACCOUNT
    out: dict = {}
    if decision.action in VISIBILITY:
        out["decision_visibility"] = [VISIBILITY[decision.action]]
    if decision.action in VISIBILITY_OTHER:
        out["decision_visibility_other"] = VISIBILITY_OTHER[decision.action]
    if account_measure:
        out["decision_account"] = ACCOUNT[decision.action]
        if decision.measure_until is not None:  # a suspension's end
            out["end_date_account_restriction"] = (
                decision.measure_until.astimezone(zone()).date().isoformat())
    if ground_kind == GroundKind.LAW:
        out |= {"decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
                "illegal_content_legal_ground": _cut(ground, 500),
                "illegal_content_explanation": _cut(facts, 2000)}
    else:
        out |= {"decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                "decision_ground_reference_url": external_url("pages.site_page",
                                                              slug="dialogregeln"),
                "incompatible_content_ground": _cut(ground, 500),
                "incompatible_content_explanation": _cut(facts, 2000),
                "incompatible_content_illegal": "No"}
    out |= {
        "category": FLAGGED_CATEGORY[flag] if flag else CATEGORY[ground_kind],
        "content_type": ["CONTENT_TYPE_OTHER" if account_measure else "CONTENT_TYPE_TEXT"],
        "content_date": max(content_date or applied, date(2000, 1, 1)).isoformat(),
        "application_date": applied.isoformat(),
        # the forum is open to everybody: a decision holds wherever it is read
        "territorial_scope": list(EEA_COUNTRIES),
        "decision_facts": facts,
        "source_type": "SOURCE_ARTICLE_16" if decision.from_report else "SOURCE_VOLUNTARY",
        "automated_detection": "No",
        "automated_decision": ("AUTOMATED_DECISION_FULLY" if decision.automated
                               else "AUTOMATED_DECISION_NOT_AUTOMATED"),
        "puid": f"{PUID_PREFIX}{decision.id}",
    }
    if account_measure:
        out["content_type_other"] = ACCOUNT_CONTENT
    return out


def statements(span: Period) -> Iterator[dict]:
    """The records of every statement of reasons decided in the period, oldest first."""
    author = aliased(User)

    def settled(flag) -> sa.ColumnElement[bool]:
        return sa.exists().where(Report.decision_id == Decision.id, flag)

    query = (
        sa.select(Decision, Post.created_at, Thread.created_at, author.created_at,
                  ProjectUpdate.created_at, settled(Report.concerns_child_abuse),
                  settled(Report.concerns_threat))
        .outerjoin(Post, Post.id == Decision.post_id)
        .outerjoin(Thread, Thread.id == Decision.thread_id)
        .outerjoin(ProjectUpdate, ProjectUpdate.id == Decision.update_id)
        .outerjoin(author, author.id == Decision.author_id)
        .where(Decision.created_at >= span.start, Decision.created_at < span.end,
               Decision.action.in_(EXPORTED))
        .order_by(Decision.created_at, Decision.id))
    for decision, post_at, thread_at, account_at, update_at, child, threat in (
            db.session.execute(query)):
        if decision.action in ACCOUNT:
            created = account_at
        elif decision.update_id:
            created = update_at
        else:
            created = post_at if decision.post_id else thread_at
        flag = "child_abuse" if child else "threat" if threat else None
        yield record(decision, created.astimezone(zone()).date() if created else None, flag)
