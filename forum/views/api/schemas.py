"""What the JSON API takes and gives, declared once with pydantic: the endpoints validate
their input and output against these models, and the OpenAPI document (spec.py) is generated
from the same declarations."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

SORTS = Literal["aktivitaet", "neu", "gleiche-frage"]
FILTERS = Literal["unbeantwortet", "fachleute"]
THREAD_STATES = Literal["unconfirmed", "pending", "open", "answered", "hidden", "merged",
                        "withdrawn"]
POST_STATES = Literal["unconfirmed", "pending", "published", "rejected", "hidden", "removed"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors -----------------------------------------------------------------------------

class FieldError(Model):
    field: str = Field(description="The parameter or body field (e.g. `title`, `cursor`).")
    message: str


class Problem(Model):
    """RFC 9457 problem details, in the language of `Accept-Language` (German or English)."""

    type: str = Field(description="A URI of the kind of problem, `about:blank` for plain "
                                  "HTTP statuses.")
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[FieldError] = Field(default_factory=list)


# --- what the API gives -----------------------------------------------------------------

class Ref(Model):
    id: int
    name: str
    slug: str


class BoardOut(Model):
    id: int
    name: str
    kind: Literal["project", "topic_field"]
    project: Ref | None
    topic_field: Ref | None
    thread_count: int
    last_activity_at: datetime | None


class ProjectOut(Model):
    id: int
    slug: str
    name: str
    lead_organisation: str
    partners: list[str]
    period: str
    status: Literal["running", "finished"]
    description: str
    website: str
    topic_fields: list[Ref]
    sectors: list[Ref]
    board_id: int | None
    url: str


class TopicFieldOut(Model):
    id: int
    slug: str
    name: str
    description: str
    board_id: int | None
    url: str


class Badge(Model):
    kind: Literal["guest", "moderation", "expert", "team", "community"]
    label: str
    field: str = ""
    organisation: str = ""
    profile_url: str | None = None


class Author(Model):
    name: str
    badge: Badge | None


class ThreadOut(Model):
    id: int
    title: str
    url: str
    board_id: int
    board_name: str
    state: THREAD_STATES
    pinned: bool
    locked: bool
    answer_count: int
    reply_count: int
    me_too_count: int
    accepted_post_id: int | None
    update_id: int | None
    created_at: datetime
    last_activity_at: datetime


class PostOut(Model):
    id: int
    thread_id: int
    kind: Literal["question", "answer", "followup"]
    state: POST_STATES
    helpful: bool = Field(description="Marked as the most helpful answer.")
    author: Author | None = Field(description="null: a deleted account.")
    body_html: str = Field(description="Sanitised HTML, rendered from Markdown.")
    created_at: datetime
    edited_at: datetime | None


class ExpertOut(Model):
    id: int
    name: str
    organisation: str
    expertise: str
    topic_fields: list[Ref]
    projects: list[Ref]
    url: str


class PracticeOut(Model):
    setting_html: str
    outcome_html: str
    lessons_html: str
    contact: str


class UpdateOut(Model):
    id: int
    kind: Literal["news", "practice"]
    project: Ref
    title: str
    body_html: str
    author: str | None
    created_at: datetime
    edited_at: datetime | None
    practice: PracticeOut | None = Field(description="The parts of a practice example.")
    url: str


def list_of(item: type[BaseModel], name: str) -> type[BaseModel]:
    """A page of a list: the items and the cursor of the next page (null: the last page)."""
    return create_model(name, __base__=Model, items=(list[item], ...),  # type: ignore[valid-type]
                        next_cursor=(str | None, Field(
                            description="Pass as `cursor` for the next page; null at the "
                                        "end.")))


ProjectList = list_of(ProjectOut, "ProjectList")
TopicFieldList = list_of(TopicFieldOut, "TopicFieldList")
BoardList = list_of(BoardOut, "BoardList")
ThreadList = list_of(ThreadOut, "ThreadList")
PostList = list_of(PostOut, "PostList")
ExpertList = list_of(ExpertOut, "ExpertList")
UpdateList = list_of(UpdateOut, "UpdateList")


class ThreadDetail(ThreadOut):
    question: PostOut | None


class Index(Model):
    name: str
    version: str
    openapi: str
    reference: str
    links: dict[str, str]


class WatchOut(Model):
    kind: Literal["thread", "project", "topic_field"]
    target_id: int
    mode: Literal["instant", "digest", "site"]


class Created(Model):
    """A question or post as made: `state` says whether it waits for approval."""

    thread: ThreadOut
    post: PostOut


# --- query parameters -------------------------------------------------------------------

class Paging(Model):
    cursor: str | None = Field(None, max_length=500, pattern=r"^[A-Za-z0-9_.-]+$",
                               description="From `next_cursor` of the previous page.")
    limit: int = Field(20, ge=1, le=100, description="Items per page.")


class ThreadQuery(Paging):
    board: int | None = Field(None, ge=1, le=2**31 - 1, description="A board's id.")
    project: str | None = Field(None, max_length=80, description="A project's slug.")
    topic_field: str | None = Field(None, alias="topic-field", max_length=80,
                                    description="A topic field's slug: its board and the "
                                                "boards of its projects.")
    sort: SORTS = Field("aktivitaet", description="As on the board pages.")
    only: FILTERS | None = Field(None, description="Unanswered, or answered by experts.")


class ExpertQuery(Paging):
    topic_field: str | None = Field(None, alias="topic-field", max_length=80)


class UpdateQuery(Paging):
    project: str | None = Field(None, max_length=80)
    kind: Literal["news", "practice"] | None = None


# --- what the API takes -----------------------------------------------------------------

class AskIn(Model):
    board_id: int = Field(ge=1, le=2**31 - 1)
    title: str = Field(min_length=8, max_length=200)
    body: str = Field(min_length=1, max_length=20000, description="Markdown.")
    update_id: int | None = Field(None, ge=1, le=2**31 - 1,
                                  description="The project update the question is about.")


class ReplyIn(Model):
    body: str = Field(min_length=1, max_length=20000, description="Markdown.")


class WatchIn(Model):
    mode: Literal["instant", "digest", "site"] = "instant"
