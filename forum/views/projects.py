"""Project list and project pages with team and board (/projekte)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..forms import ActionForm
from ..forms.admin import TeamMemberForm
from ..forms.threads import UpdateForm
from ..fragment_cache import rendered
from ..permissions import can
from ..services import ServiceError, browse, practice, project_listing, projects, updates
from ..services.once import AlreadySubmitted
from . import (
    ALREADY_SENT,
    apply_service_error,
    flash_expired,
    list_options,
    page_subject,
    preview,
    require,
)

bp = Blueprint("projects", __name__, url_prefix="/projekte")
PROJECT_EXAMPLES = 5  # the newest practice examples on a project's page; the rest: the list


@bp.get("")
def index():
    found = project_listing.listing(request.args.get("bereich", "")[:80],
                                    request.args.get("themenfeld", "")[:80])
    return render_template("projects/index.html", projects=found.projects, listing=found)


@bp.get("/<slug>")
def detail(slug: str):
    # the project and whether the person watches it: on a reload without a statement
    project, watched = page_subject(("project", slug),
                                 lambda: browse.project_for_page(current_user, slug))
    if project is None:
        abort(404)
    page = request.args.get("seite", 1, type=int)
    sort, only = list_options()
    # below its heading the page is everybody's but for the team's buttons: loaded and
    # rendered once per generation, language, page, choice and the buttons the rulebook
    # allows (part of the key); the watch button above stays the person's
    may = frozenset(action for action in ("update.publish", "project.team")
                    if can(action, current_user, project))
    content = rendered(
        ("project page", project.id, page, sort, only, may), "projects/_detail_content.html",
        lambda: {"project": browse.project_by_id(project.id), "sort": sort, "only": only,
                 "may": may, "updates": updates.newest(5, project=project),
                 "examples": practice.newest(PROJECT_EXAMPLES, project=project),
                 "threads": browse.board_threads(None, [project.board.id], page,
                                                 current_app.config["PAGE_SIZE"],
                                                 sort=sort, only=only)})
    return render_template("projects/detail.html", project=project, content=content,
                           watched=watched)


def _project_or_404(slug: str):
    project = browse.project_by_slug(slug)
    if project is None:
        abort(404)
    return project


@bp.get("/<slug>/neuigkeiten/<int:update_id>-<update_slug>")
def update_detail(slug: str, update_id: int, update_slug: str):
    project = _project_or_404(slug)
    update = updates.get(project, update_id) or abort(404)
    if update.is_practice:  # links that name any update (reports, statements) land here
        return redirect(url_for("practice.detail", update_id=update.id,
                                update_slug=update.slug), code=301)
    if update_slug != update.slug:
        return redirect(url_for("projects.update_detail", slug=slug, update_id=update.id,
                                update_slug=update.slug), code=301)
    return render_template("projects/update.html", project=project, update=update,
                           questions=updates.questions_about(update))


@bp.route("/<slug>/neuigkeiten/neu", methods=["GET", "POST"])
@login_required
def update_new(slug: str):
    project = _project_or_404(slug)
    require("update.publish", project)
    return _update_form(project, None)


@bp.route("/<slug>/neuigkeiten/<int:update_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def update_edit(slug: str, update_id: int):
    project = _project_or_404(slug)
    update = updates.get(project, update_id) or abort(404)
    require("update.edit", update)
    if update.is_practice:
        return redirect(url_for("practice.edit", update_id=update.id))
    return _update_form(project, update)


def _update_form(project, update):
    data = {"title": update.title, "body": update.body_source} if update else None
    form = UpdateForm(data=data)
    preview_html = None
    if form.validate_on_submit():
        if form.preview.data:
            preview_html = preview(form)
        else:
            try:
                if update is None:
                    update = updates.publish(current_user, project, form.title.data,
                                             form.body.data, once_key=form.once.data)
                else:
                    updates.edit(current_user, update, form.title.data, form.body.data)
            except AlreadySubmitted as sent:
                update = sent.created
                flash(str(ALREADY_SENT), "success")
                return redirect(url_for("projects.update_detail", slug=project.slug,
                                        update_id=update.id, update_slug=update.slug))
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                flash(_("Die Neuigkeit ist veröffentlicht."), "success")
                return redirect(url_for("projects.update_detail", slug=project.slug,
                                        update_id=update.id, update_slug=update.slug))
    return render_template("projects/update_form.html", project=project, update=update,
                           form=form, preview_html=preview_html)


@bp.route("/<slug>/team", methods=["GET", "POST"])
@login_required
def team(slug: str):
    """The project's lead manages the team members (admins do more under /admin)."""
    project = _project_or_404(slug)
    require("project.team", project)
    form = TeamMemberForm()
    notice = None
    if form.validate_on_submit():
        try:
            projects.add_member_by_email(current_user, project, form.email.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            # the same answer whether or not the address has an account (admins, who see
            # every account, get a precise one under /admin)
            notice = _("Wenn zu dieser E-Mail-Adresse ein bestätigtes Konto gehört, ist es "
                       "jetzt im Team. Gibt es kein bestätigtes Konto mit dieser Adresse, hat "
                       "sich nichts geändert.")
    project = browse.project_by_slug(slug)
    return render_template("projects/team.html", project=project, form=form,
                           action_form=ActionForm(), notice=notice)


@bp.post("/<slug>/team/<int:user_id>/entfernen")
@login_required
def team_remove(slug: str, user_id: int):
    project = _project_or_404(slug)
    require("project.team", project)
    membership = next((m for m in project.members if m.user_id == user_id), None)
    if membership is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        flash_expired()
    else:
        try:
            projects.remove_member(current_user, project, membership.user)
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Das Team ist aktualisiert."), "success")
    return redirect(url_for("projects.team", slug=slug))
