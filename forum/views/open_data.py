"""Open data (/offene-daten): the date and licence of the last export and its files (written
by `flask forum open-data-export`, see services/open_data.py). Public."""

from flask import Blueprint, abort, render_template, send_file

from ..services import open_data

bp = Blueprint("open_data", __name__, url_prefix="/offene-daten")


@bp.get("")
def index():
    return render_template("pages/open_data.html", manifest=open_data.latest(),
                           json_name=open_data.JSON_NAME, zip_name=open_data.ZIP_NAME)


@bp.get("/<name>")
def download(name: str):
    path = open_data.file_path(name)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=name, max_age=3600)
