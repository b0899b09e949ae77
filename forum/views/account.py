"""The account (/konto): settings with the expert's public profile, the own posts (what waits
for approval and what moderators decided), the expert's open questions."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..forms.experts import ProfileForm
from ..services import browse, experts, own_posts, statements

bp = Blueprint("account", __name__, url_prefix="/konto")


@bp.get("/offene-fragen")
@login_required
def open_questions():
    return render_template("account/open_questions.html",
                           threads=browse.watched_open_questions(current_user))


@bp.get("/beitraege")
@login_required
def posts():
    return render_template("account/posts.html", posts=own_posts.unpublished(current_user),
                           decisions=own_posts.decisions(current_user),
                           token_for=statements.token_for_author)


@bp.route("/einstellungen", methods=["GET", "POST"])
@login_required
def settings():
    """Account settings; experts also choose what their public profile shows (and keep the
    form after the verification ended, to withdraw the consent)."""
    form = None
    if experts.has_profile_settings(current_user):
        form = ProfileForm(data={
            "profile_public": current_user.profile_public,
            "show_organisation": current_user.show_organisation,
            "show_expertise": current_user.show_expertise,
            "organisation": current_user.organisation, "expertise": current_user.expertise})
    elif request.method == "POST":
        abort(403)
    if form is not None and form.validate_on_submit():
        experts.set_profile(current_user, public=form.profile_public.data,
                            show_organisation=form.show_organisation.data,
                            show_expertise=form.show_expertise.data,
                            organisation=form.organisation.data or "",
                            expertise=form.expertise.data or "")
        flash(_("Ihre Angaben für das öffentliche Profil sind gespeichert."), "success")
        return redirect(url_for("account.settings") + "#profil")
    return render_template("account/settings.html", form=form)
