"""Administration (/admin): projects and teams, topic fields, offers, footer pages, roles,
expert verification, log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import labels
from ..enums import GroundKind, ProjectRole, ProjectStatus, SiteRole
from ..forms import ActionForm
from ..forms.admin import (
    MemberForm,
    NewProjectForm,
    OfferForm,
    PageForm,
    ProjectForm,
    SiteRoleForm,
    TopicFieldForm,
)
from ..forms.experts import RevokeForm, VerifyForm
from ..forms.moderation import ReasonForm
from ..services import (
    ServiceError,
    accounts,
    admin_objects as admin,
    browse,
    experts,
    measures,
    pages,
    projects,
)
from . import apply_service_error, flash_expired, id_arg, require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    require("admin.access")


@bp.get("")
def index():
    return render_template("admin/index.html")


# --- projects ---------------------------------------------------------------------------

@bp.route("/projekte", methods=["GET", "POST"])
def project_list():
    form = NewProjectForm()
    if form.validate_on_submit():
        try:
            project = projects.create_project(current_user, form.slug.data, form.name.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Das Projekt ist angelegt. Ergänzen Sie jetzt sein Profil."), "success")
            return redirect(url_for("admin.project_edit", project_id=project.id))
    return render_template("admin/projects.html", projects=browse.all_projects(), form=form)


def _project_form(project, **form_kwargs) -> tuple[ProjectForm, dict, dict]:
    topics = {t.id: t for t in admin.topic_fields_by_name(current_user)}
    sectors = {s.id: s for s in admin.sectors_by_name(current_user)}
    form = ProjectForm(
        data={
            "name": project.name, "lead_organisation": project.lead_organisation,
            "partners": "\n".join(project.partners), "period": project.period,
            "status": project.status.value, "website": project.website,
            "description": project.description,
            "topic_fields": [t.id for t in project.topic_fields],
            "sectors": [s.id for s in project.sectors],
            "require_approval": project.board.require_approval,
            "escalate_after_days": project.board.escalate_after_days,
        },
        **form_kwargs,
    )
    form.topic_fields.choices = [SelectChoice(t.id, t.name) for t in topics.values()]
    form.sectors.choices = [SelectChoice(s.id, s.name) for s in sectors.values()]
    return form, topics, sectors


def _render_project_edit(project, form: ProjectForm, member_form: MemberForm):
    return render_template("admin/project_edit.html", project=project, form=form,
                           member_form=member_form, action_form=ActionForm())


@bp.route("/projekte/<int:project_id>", methods=["GET", "POST"])
def project_edit(project_id: int):
    project = admin.project(current_user, project_id)
    form, topics, sectors = _project_form(project)
    if form.validate_on_submit():
        projects.update_project(current_user, project, {
            "name": form.name.data.strip(),
            "lead_organisation": form.lead_organisation.data.strip(),
            "partners": [line.strip() for line in form.partners.data.splitlines() if line.strip()],
            "period": form.period.data.strip(),
            "status": ProjectStatus(form.status.data),
            "website": form.website.data or "",
            "description": form.description.data.strip(),
            "topic_fields": [topics[i] for i in form.topic_fields.data],
            "sectors": [sectors[i] for i in form.sectors.data],
        }, board_values={"require_approval": form.require_approval.data,
                         "escalate_after_days": form.escalate_after_days.data})
        flash(_("Die Änderungen am Projekt sind gespeichert."), "success")
        return redirect(url_for("admin.project_edit", project_id=project.id))
    return _render_project_edit(project, form, MemberForm(prefix="member"))


@bp.post("/projekte/<int:project_id>/mitglieder")
def member_add(project_id: int):
    project = admin.project(current_user, project_id)
    member_form = MemberForm(prefix="member")
    if member_form.validate_on_submit():
        user = accounts.find_user_by_email(member_form.email.data)
        if user is None or user.is_guest or not user.is_confirmed:
            member_form.email.errors.append(
                _("Es gibt kein Konto mit dieser E-Mail-Adresse, oder es ist noch nicht "
                  "bestätigt oder nur ein Gastzugang."))
        else:
            try:
                projects.set_member(current_user, project, user,
                                    ProjectRole(member_form.role.data))
            except ServiceError as error:
                apply_service_error(member_form, error)
            else:
                flash(_("Das Team ist aktualisiert."), "success")
                return redirect(url_for("admin.project_edit", project_id=project.id) + "#team")
    form, _topics, _sectors = _project_form(project, formdata=None)
    return _render_project_edit(project, form, member_form)


@bp.post("/projekte/<int:project_id>/mitglieder/<int:user_id>/entfernen")
def member_remove(project_id: int, user_id: int):
    project = admin.project(current_user, project_id)
    user = admin.account(current_user, user_id)
    if ActionForm().validate_on_submit():
        projects.remove_member(current_user, project, user)
        flash(_("Das Team ist aktualisiert."), "success")
    else:
        flash_expired()
    return redirect(url_for("admin.project_edit", project_id=project.id) + "#team")


# --- topic fields, offers, pages -------------------------------------------------------

@bp.get("/themen")
def topic_list():
    return render_template("admin/topics.html", topics=browse.all_topic_fields())


@bp.route("/themen/<int:topic_id>", methods=["GET", "POST"])
def topic_edit(topic_id: int):
    topic = admin.topic_field(current_user, topic_id)
    form = TopicFieldForm(obj=topic, data={
        "require_approval": topic.board.require_approval,
        "escalate_after_days": topic.board.escalate_after_days})
    if form.validate_on_submit():
        projects.update_topic_field(current_user, topic, {
            "name": form.name.data.strip(), "description": form.description.data.strip(),
        }, board_values={"require_approval": form.require_approval.data,
                         "escalate_after_days": form.escalate_after_days.data})
        flash(_("Das Themenfeld ist gespeichert."), "success")
        return redirect(url_for("admin.topic_list"))
    return render_template("admin/form_page.html", form=form,
                           title=_("Themenfeld bearbeiten: %(name)s", name=topic.name),
                           back=url_for("admin.topic_list"))


@bp.get("/angebote")
def offer_list():
    return render_template("admin/offers.html", offers=browse.offers(),
                           action_form=ActionForm())


@bp.route("/angebote/neu", methods=["GET", "POST"], defaults={"offer_id": None})
@bp.route("/angebote/<int:offer_id>", methods=["GET", "POST"])
def offer_edit(offer_id: int | None):
    offer = admin.offer(current_user, offer_id) if offer_id is not None else None
    form = OfferForm(obj=offer)
    if form.validate_on_submit():
        values = {
            "name": form.name.data.strip(), "slug": form.slug.data, "url": form.url.data or "",
            "description": form.description.data.strip(), "position": form.position.data or 0,
        }
        try:
            projects.save_offer(current_user, offer, values)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Das Angebot ist gespeichert."), "success")
            return redirect(url_for("admin.offer_list"))
    title = _("Angebot bearbeiten") if offer else _("Neues Angebot")
    return render_template("admin/form_page.html", form=form, title=title,
                           back=url_for("admin.offer_list"))


@bp.post("/angebote/<int:offer_id>/loeschen")
def offer_delete(offer_id: int):
    offer = admin.offer(current_user, offer_id)
    if ActionForm().validate_on_submit():
        projects.delete_offer(current_user, offer)
        flash(_("Das Angebot ist gelöscht."), "success")
    else:
        flash_expired()
    return redirect(url_for("admin.offer_list"))


@bp.get("/seiten")
def page_list():
    return render_template("admin/pages.html", pages=pages.all_pages())


@bp.route("/seiten/<slug>", methods=["GET", "POST"])
def page_edit(slug: str):
    page = pages.get_page(slug, for_editing=True) or abort(404)
    form = PageForm(data={"title": page.title, "body": page.body_source})
    if form.validate_on_submit():
        pages.update_page(current_user, page, form.title.data, form.body.data)
        flash(_("Die Seite ist gespeichert."), "success")
        return redirect(url_for("admin.page_list"))
    return render_template("admin/form_page.html", form=form,
                           title=_("Seite bearbeiten: %(title)s", title=page.title),
                           back=url_for("admin.page_list"))


@bp.get("/gruende")
def reason_list():
    return render_template("admin/reasons.html", reasons=admin.reasons(current_user),
                           kinds=labels.GROUND_CHOICES)


@bp.route("/gruende/neu", methods=["GET", "POST"], defaults={"reason_id": None})
@bp.route("/gruende/<int:reason_id>", methods=["GET", "POST"])
def reason_edit(reason_id: int | None):
    reason = admin.reason(current_user, reason_id) if reason_id is not None else None
    form = ReasonForm(obj=reason, data={"ground_kind": reason.ground_kind.value} if reason
                      else None)
    if form.validate_on_submit():
        projects.save_reason(current_user, reason, {
            "title": form.title.data.strip(), "ground_kind": GroundKind(form.ground_kind.data),
            "ground": form.ground.data.strip(),
            "explanation": (form.explanation.data or "").strip(),
            "active": form.active.data, "position": form.position.data or 0,
        })
        flash(_("Der Grund ist gespeichert."), "success")
        return redirect(url_for("admin.reason_list"))
    title = _("Grund bearbeiten") if reason else _("Neuer Grund")
    return render_template("admin/form_page.html", form=form, title=title,
                           back=url_for("admin.reason_list"))


# --- users and log ----------------------------------------------------------------------

@bp.get("/nutzende")
def user_list():
    search = request.args.get("q", "").strip()
    users = admin.accounts_page(current_user, request.args.get("seite", 1, type=int), search)
    return render_template("admin/users.html", users=users, search=search,
                           role_labels=labels.SITE_ROLES)


@bp.route("/nutzende/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = admin.account(current_user, user_id)
    form = SiteRoleForm(data={"site_role": user.site_role.value})
    if form.validate_on_submit():
        try:
            accounts.set_site_role(current_user, user, SiteRole(form.site_role.data))
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Die Rolle ist gespeichert."), "success")
            return redirect(url_for("admin.user_list"))
    return render_template("admin/user_edit.html", form=form, user=user,
                           verifications=experts.history(user),
                           history=measures.account_history(current_user, user))


# --- expert verification ----------------------------------------------------------------

def _verify_form(**kwargs) -> tuple[VerifyForm, dict, dict]:
    topics = {t.id: t for t in browse.all_topic_fields()}
    all_projects = {p.id: p for p in admin.projects_by_name(current_user)}
    form = VerifyForm(data={"valid_from": experts.today(),
                            "valid_until": experts.default_until()}, **kwargs)
    form.topic_fields.choices = [SelectChoice(t.id, t.name) for t in topics.values()]
    form.projects.choices = [SelectChoice(p.id, p.name) for p in all_projects.values()]
    return form, topics, all_projects


def _render_experts(form: VerifyForm, failed: tuple[int, RevokeForm] | None = None):
    """The verification list and the form to verify; `failed` is a revoke form with errors."""
    verifications = admin.verifications_page(current_user,
                                             request.args.get("seite", 1, type=int))
    items = list(verifications.items)
    if failed is not None and all(v.id != failed[0] for v in items):
        items.insert(0, admin.verification(current_user, failed[0]))  # its form with the errors
    revoke_forms = {
        v.id: RevokeForm(prefix=f"revoke-{v.id}", formdata=None)
        for v in items if v.status in ("active", "future")
    }
    if failed is not None:
        revoke_forms[failed[0]] = failed[1]
    return render_template("admin/experts.html", form=form, verifications=verifications,
                           items=items, revoke_forms=revoke_forms,
                           failed=failed[1] if failed is not None else None)


@bp.route("/fachleute", methods=["GET", "POST"])
def expert_list():
    form, topics, all_projects = _verify_form()
    if request.method == "GET" and id_arg("konto"):
        account = admin.account_or_none(current_user, id_arg("konto"))
        if account is not None:
            form.email.data = account.email
    valid = form.validate_on_submit()
    user = None
    if request.method == "POST" and form.email.data and not form.email.errors:
        # named together with any other field's error, so one round trip shows them all
        user = accounts.find_user_by_email(form.email.data)
        if user is None or user.is_guest or not user.is_confirmed:
            user = None
            form.email.errors.append(_("Es gibt kein bestätigtes Konto mit dieser "
                                       "E-Mail-Adresse."))
    if valid and user is not None:
        try:
            experts.verify(current_user, user, evidence=form.evidence.data,
                           topic_fields=[topics[i] for i in form.topic_fields.data],
                           projects=[all_projects[i] for i in form.projects.data],
                           valid_from=form.valid_from.data, valid_until=form.valid_until.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("%(name)s ist jetzt als Fachperson bestätigt.", name=user.display_name),
                  "success")
            return redirect(url_for("admin.expert_list"))
    return _render_experts(form)


@bp.post("/fachleute/<int:verification_id>/widerrufen")
def expert_revoke(verification_id: int):
    verification = admin.verification(current_user, verification_id)
    form = RevokeForm(prefix=f"revoke-{verification.id}")
    if form.validate_on_submit():
        try:
            experts.revoke(current_user, verification, form.reason.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Die Bestätigung von %(name)s ist widerrufen.",
                    name=verification.user.display_name), "success")
            return redirect(url_for("admin.expert_list"))
    return _render_experts(_verify_form(formdata=None)[0], failed=(verification.id, form))


@bp.get("/protokoll")
def audit_log():
    entries = admin.audit_page(current_user, request.args.get("seite", 1, type=int))
    return render_template("admin/audit_log.html", entries=entries, actions=labels.AUDIT_ACTIONS,
                           objects=labels.AUDIT_OBJECTS, fields=labels.AUDIT_FIELDS,
                           values=labels.AUDIT_VALUES)
