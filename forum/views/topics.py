"""Topic fields: their own board plus the threads of projects tagged with them (/themen)."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from ..services import browse
from . import list_options

bp = Blueprint("topics", __name__, url_prefix="/themen")


@bp.get("")
def index():
    return render_template("topics/index.html", topics=browse.all_topic_fields())


@bp.get("/<slug>")
def detail(slug: str):
    topic = browse.topic_by_slug(slug)
    if topic is None:
        abort(404)
    page = request.args.get("seite", 1, type=int)
    sort, only = list_options()
    threads = browse.board_threads(
        current_user, browse.topic_board_ids(topic), page, current_app.config["PAGE_SIZE"],
        sort=sort, only=only,
    )
    return render_template("topics/detail.html", topic=topic, threads=threads,
                           projects=browse.projects_in_topic(topic), sort=sort, only=only)
