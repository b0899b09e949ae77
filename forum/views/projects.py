"""Project list and project pages with team and board (/projekte)."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from ..services import browse
from . import list_options

bp = Blueprint("projects", __name__, url_prefix="/projekte")


@bp.get("")
def index():
    return render_template("projects/index.html", projects=browse.all_projects())


@bp.get("/<slug>")
def detail(slug: str):
    project = browse.project_by_slug(slug)
    if project is None:
        abort(404)
    page = request.args.get("seite", 1, type=int)
    sort, only = list_options()
    threads = browse.board_threads(
        current_user, [project.board.id], page, current_app.config["PAGE_SIZE"],
        sort=sort, only=only,
    )
    return render_template("projects/detail.html", project=project, threads=threads,
                           sort=sort, only=only)
