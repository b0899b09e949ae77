"""Practice examples (/praxisbeispiele): the list with its filters, each example's page, and
the form a project's team publishes and edits one with."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..forms.practice import PracticeForm
from ..services import ServiceError, browse, practice, updates
from ..services.once import AlreadySubmitted
from . import ALREADY_SENT, apply_service_error, require

bp = Blueprint("practice", __name__)


@bp.get("/praxisbeispiele")
def index():
    found = practice.listing(request.args.get("themenfeld", "")[:80],
                             request.args.get("bereich", "")[:80],
                             request.args.get("seite", 1, type=int),
                             request.args.get("projekt", "")[:80])
    return render_template("practice/index.html", listing=found)


@bp.get("/praxisbeispiele/<int:update_id>-<update_slug>")
def detail(update_id: int, update_slug: str):
    example = practice.get(update_id) or abort(404)
    if update_slug != example.slug:
        return redirect(_url(example), code=301)
    return render_template("practice/detail.html", example=example, project=example.project,
                           questions=updates.questions_about(example))


@bp.route("/projekte/<slug>/praxisbeispiele/neu", methods=["GET", "POST"])
@login_required
def new(slug: str):
    project = browse.project_by_slug(slug) or abort(404)
    require("update.publish", project)
    return _form(project, None)


@bp.route("/praxisbeispiele/<int:update_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(update_id: int):
    example = practice.get(update_id) or abort(404)
    require("update.edit", example)
    return _form(example.project, example)


def _url(example) -> str:
    return url_for("practice.detail", update_id=example.id, update_slug=example.slug)


def _form(project, example):
    data = None
    if example is not None:
        parts = practice.parts_of(example)
        data = {"title": parts.title, "body": parts.approach, "setting": parts.setting,
                "outcome": parts.outcome, "lessons": parts.lessons,
                "contact": parts.contact_id}
    form = PracticeForm(data=data)
    form.contact.choices = [("", _("Bitte wählen"))] + [
        (u.id, u.display_name) for u in practice.team_contacts(project)]
    if form.validate_on_submit():
        parts = practice.Parts(form.title.data, form.body.data, form.setting.data,
                               form.outcome.data, form.lessons.data, form.contact.data)
        try:
            if example is None:
                example = practice.publish(current_user, project, parts, once_key=form.once.data)
            else:
                practice.edit(current_user, example, parts)
        except AlreadySubmitted as sent:
            flash(str(ALREADY_SENT), "success")
            return redirect(_url(sent.created))
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Das Praxisbeispiel ist veröffentlicht."), "success")
            return redirect(_url(example))
    return render_template("practice/form.html", project=project, example=example, form=form)
