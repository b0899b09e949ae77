"""Topic fields: their own board plus the threads of projects tagged with them (/themen)."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from ..fragment_cache import rendered
from ..services import browse
from . import list_options, page_subject

bp = Blueprint("topics", __name__, url_prefix="/themen")


@bp.get("")
def index():
    return render_template("topics/index.html", topics=browse.all_topic_fields())


@bp.get("/<slug>")
def detail(slug: str):
    # the topic and whether the person watches it: on a reload without a statement
    topic, watched = page_subject(("topic", slug),
                                 lambda: browse.topic_for_page(current_user, slug))
    if topic is None:
        abort(404)
    page = request.args.get("seite", 1, type=int)
    sort, only = list_options()
    # the lists are everybody's (published questions only): loaded and rendered once per
    # generation, language, page and choice; the watch button around them is the person's
    content = rendered(("topic page", topic.id, page, sort, only), "topics/_detail_content.html",
                       lambda: {"topic": topic, "sort": sort, "only": only,
                                "projects": browse.projects_in_topic(topic),
                                "threads": browse.board_threads(
                                    None, browse.topic_board_ids(topic), page,
                                    current_app.config["PAGE_SIZE"], sort=sort, only=only)})
    return render_template("topics/detail.html", topic=topic, content=content, watched=watched)
