"""Reading through the API: projects, topic fields, boards, threads, posts with badges, the
expert directory, project updates. Each goes through the scoped query the page uses."""

from typing import NoReturn

from flask import redirect, url_for
from flask_babel import gettext as _

from ...enums import PostKind, UpdateKind
from ...jinja import author_badge
from ...permissions import can, check
from ...services import ServiceError, api_reads
from . import schemas as s
from .core import endpoint, fail, query_args, reader, respond, service_refused


def _ref(obj) -> dict:
    return {"id": obj.id, "name": obj.name, "slug": obj.slug}


def project_data(project) -> dict:
    return {
        "id": project.id, "slug": project.slug, "name": project.name,
        "lead_organisation": project.lead_organisation,
        "partners": [str(p) for p in project.partners or []], "period": project.period,
        "status": project.status.value, "description": project.description,
        "website": project.website, "topic_fields": [_ref(t) for t in project.topic_fields],
        "sectors": [_ref(x) for x in project.sectors],
        "board_id": project.board.id if project.board else None,
        "url": url_for("projects.detail", slug=project.slug, _external=True)}


def topic_data(topic) -> dict:
    return {"id": topic.id, "slug": topic.slug, "name": topic.name,
            "description": topic.description,
            "board_id": topic.board.id if topic.board else None,
            "url": url_for("topics.detail", slug=topic.slug, _external=True)}


def board_data(board) -> dict:
    return {"id": board.id, "name": board.name,
            "kind": "project" if board.project_id else "topic_field",
            "project": _ref(board.project) if board.project else None,
            "topic_field": _ref(board.topic_field) if board.topic_field else None,
            "thread_count": board.thread_count, "last_activity_at": board.last_activity_at}


def thread_data(thread) -> dict:
    return {
        "id": thread.id, "title": thread.title,
        "url": url_for("threads.detail", thread_id=thread.id, slug=thread.slug,
                       _external=True),
        "board_id": thread.board_id, "board_name": thread.board.name,
        "state": thread.state.value, "pinned": thread.pinned, "locked": thread.locked,
        "answer_count": thread.answer_count, "reply_count": thread.reply_count,
        "me_too_count": thread.me_too_count, "accepted_post_id": thread.accepted_post_id,
        "update_id": thread.update_id, "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at}


def post_data(post, thread) -> dict:
    author = None
    if post.author is not None:
        badge = author_badge(post.author, thread.board, answer=post.kind == PostKind.ANSWER)
        author = {"name": post.author.display_name, "badge": None if badge is None else {
            "kind": badge.kind, "label": badge.label, "field": badge.field,
            "organisation": badge.organisation,
            "profile_url": (url_for("experts.profile", user_id=post.author.id, _external=True)
                            if badge.url else None)}}
    return {"id": post.id, "thread_id": post.thread_id, "kind": post.kind.value,
            "state": post.state.value, "helpful": thread.accepted_post_id == post.id,
            "author": author, "body_html": post.body_html, "created_at": post.created_at,
            "edited_at": post.edited_at}


def expert_data(user) -> dict:
    scope = user.expert_scope
    return {"id": user.id, "name": user.display_name,
            "organisation": user.organisation if user.show_organisation else "",
            "expertise": user.expertise if user.show_expertise else "",
            "topic_fields": [_ref(t) for t in scope.topic_fields] if scope else [],
            "projects": [_ref(p) for p in scope.projects] if scope else [],
            "url": url_for("experts.profile", user_id=user.id, _external=True)}


def update_data(update) -> dict:
    practice = None
    if update.is_practice and update.practice is not None:
        example = update.practice
        practice = {"setting_html": example.setting_html, "outcome_html": example.outcome_html,
                    "lessons_html": example.lessons_html,
                    "contact": (example.contact.display_name if example.contact
                                else _("Das Projektteam"))}
        url = url_for("practice.detail", update_id=update.id, update_slug=update.slug,
                      _external=True)
    else:
        url = url_for("projects.update_detail", slug=update.project.slug,
                      update_id=update.id, update_slug=update.slug, _external=True)
    return {"id": update.id, "kind": update.kind.value, "project": _ref(update.project),
            "title": update.title, "body_html": update.body_html,
            "author": update.author.display_name if update.author else None,
            "created_at": update.created_at, "edited_at": update.edited_at,
            "practice": practice, "url": url}


def _page(model, page, convert):
    return respond(model(items=[convert(x) for x in page.items],
                         next_cursor=page.next_cursor))


def _paged(call):
    try:
        return call()
    except ServiceError as error:
        service_refused(error, 400)


def _not_found(what: object = "") -> NoReturn:
    fail(404, what)


# --- the index --------------------------------------------------------------------------

@endpoint("/", summary="What the API offers", tag="Index", response=s.Index)
def index():
    """Links to the lists, the OpenAPI document and the reference page."""
    links = {name: url_for(f"api.{name}", _external=True) for name in (
        "projects", "topic_fields", "boards", "threads", "experts", "updates")}
    return respond(s.Index(name="Fachdialog", version="1",
                           openapi=url_for("api.openapi", _external=True),
                           reference=url_for("api.reference", _external=True), links=links))


# --- projects, topic fields, boards -----------------------------------------------------

@endpoint("/projects", summary="Projects (Experimentierräume)", tag="Projects",
          response=s.ProjectList, query=s.Paging)
def projects():
    """Every project, by name."""
    args = query_args(s.Paging)
    return _page(s.ProjectList, _paged(lambda: api_reads.projects(args.cursor, args.limit)),
                 project_data)


@endpoint("/projects/<slug>", summary="One project", tag="Projects", response=s.ProjectOut)
def project(slug: str):
    """A project's profile: lead organisation, partners, period, topic fields, sectors."""
    found = api_reads.project(slug)
    if found is None:
        _not_found()
    return respond(s.ProjectOut(**project_data(found)))


@endpoint("/topic-fields", summary="Topic fields (Themenfelder)", tag="Topic fields",
          response=s.TopicFieldList, query=s.Paging)
def topic_fields():
    """Every topic field, in the site's order."""
    args = query_args(s.Paging)
    return _page(s.TopicFieldList,
                 _paged(lambda: api_reads.topic_fields(args.cursor, args.limit)), topic_data)


@endpoint("/topic-fields/<slug>", summary="One topic field", tag="Topic fields",
          response=s.TopicFieldOut)
def topic_field(slug: str):
    """A topic field; its board holds the questions that concern no single project."""
    found = api_reads.topic_field(slug)
    if found is None:
        _not_found()
    return respond(s.TopicFieldOut(**topic_data(found)))


@endpoint("/boards", summary="Boards", tag="Boards", response=s.BoardList, query=s.Paging)
def boards():
    """The boards questions are asked in: one per project and per topic field."""
    args = query_args(s.Paging)
    return _page(s.BoardList, _paged(lambda: api_reads.boards(args.cursor, args.limit)),
                 board_data)


@endpoint("/boards/<int:board_id>", summary="One board", tag="Boards", response=s.BoardOut)
def board(board_id: int):
    """A board with the number of its published questions."""
    found = api_reads.board(board_id)
    if found is None:
        _not_found()
    return respond(s.BoardOut(**board_data(found)))


# --- threads and posts ------------------------------------------------------------------

@endpoint("/threads", summary="Questions", tag="Threads", response=s.ThreadList,
          query=s.ThreadQuery)
def threads():
    """Published questions, filtered and sorted as on the board pages: of a board, a
    project, or a topic field (its board and its projects' boards); unanswered ones or
    those experts answered; by latest activity, newest, or most "same question". Pinned
    questions come first."""
    args = query_args(s.ThreadQuery)
    filters = api_reads.ThreadFilter(board_id=args.board, sort=args.sort, only=args.only)
    if args.project is not None:
        filters.project = api_reads.project(args.project)
        if filters.project is None:
            _not_found()
    if args.topic_field is not None:
        filters.topic = api_reads.topic_field(args.topic_field)
        if filters.topic is None:
            _not_found()
    user = reader()
    return _page(s.ThreadList,
                 _paged(lambda: api_reads.threads(user, filters, args.cursor, args.limit)),
                 thread_data)


def visible_thread(thread_id: int):
    """The thread if the reader may see it (else 404); a merged thread leads on to where it
    lives now, when the reader may see that."""
    user = reader()
    thread = api_reads.thread(thread_id)
    if thread is None:
        _not_found()
    if thread.merged_into_id is not None:
        target = thread
        for _hop in range(20):
            if target.merged_into_id is None:
                break
            target = target.merged_into
        if target is not thread and target.merged_into_id is None and can(
                "thread.view", user, target):
            return None, target
        _not_found(_("Diese Frage wurde mit einer anderen Frage zusammengeführt, die Sie "
                     "derzeit nicht sehen können."))
    check("thread.view", user, thread)
    return thread, None


@endpoint("/threads/<int:thread_id>", summary="One question", tag="Threads",
          response=s.ThreadDetail, redirects=True)
def thread(thread_id: int):
    """A question with its first post. Published questions for everyone; their own
    waiting questions for their authors; what the page shows, no more. A merged question
    answers 301 with the address of the one it lives on in."""
    found, target = visible_thread(thread_id)
    if target is not None:
        return redirect(url_for("api.thread", thread_id=target.id), code=301)
    question = api_reads.question_of(reader(), found)
    return respond(s.ThreadDetail.model_validate({
        **thread_data(found),
        "question": None if question is None else post_data(question, found)}))


@endpoint("/threads/<int:thread_id>/posts", summary="Posts of a question", tag="Threads",
          response=s.PostList, query=s.Paging, redirects=True)
def thread_posts(thread_id: int):
    """The question, answers and follow-ups in order, each with its author's badge
    (Fachperson, Projektteam, Moderation, Gast); published posts, plus the reader's own
    waiting ones, as on the page."""
    found, target = visible_thread(thread_id)
    if target is not None:
        return redirect(url_for("api.thread_posts", thread_id=target.id), code=301)
    args = query_args(s.Paging)
    user = reader()
    page = _paged(lambda: api_reads.thread_posts(user, found, args.cursor, args.limit))
    return respond(s.PostList(items=[post_data(p, found) for p in page.items],
                              next_cursor=page.next_cursor))


# --- experts and project updates --------------------------------------------------------

@endpoint("/experts", summary="The expert directory", tag="Experts", response=s.ExpertList,
          query=s.ExpertQuery)
def experts():
    """Verified experts who agreed to a public profile, by name; organisation and expertise
    only where they agreed to show them."""
    args = query_args(s.ExpertQuery)
    topic = None
    if args.topic_field is not None:
        topic = api_reads.topic_field(args.topic_field)
        if topic is None:
            _not_found()
    return _page(s.ExpertList, _paged(lambda: api_reads.experts(topic, args.cursor,
                                                                 args.limit)), expert_data)


@endpoint("/experts/<int:user_id>", summary="One expert", tag="Experts", response=s.ExpertOut)
def expert(user_id: int):
    """An expert of the directory (404 for anyone not listed there)."""
    found = api_reads.expert(user_id)
    if found is None:
        _not_found()
    return respond(s.ExpertOut(**expert_data(found)))


@endpoint("/updates", summary="Project updates and practice examples", tag="Updates",
          response=s.UpdateList, query=s.UpdateQuery)
def updates():
    """Public project updates (Neuigkeiten) and practice examples (Praxisbeispiele), newest
    first; of one project, of one kind."""
    args = query_args(s.UpdateQuery)
    project = None
    if args.project is not None:
        project = api_reads.project(args.project)
        if project is None:
            _not_found()
    kind = UpdateKind(args.kind) if args.kind else None
    return _page(s.UpdateList, _paged(lambda: api_reads.project_updates(
        project, kind, args.cursor, args.limit)), update_data)


@endpoint("/updates/<int:update_id>", summary="One project update", tag="Updates",
          response=s.UpdateOut)
def update(update_id: int):
    """A public project update or practice example."""
    found = api_reads.project_update(update_id)
    if found is None:
        _not_found()
    return respond(s.UpdateOut(**update_data(found)))
