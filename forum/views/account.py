"""The account (/konto): settings (name, language, address, password, log out everywhere,
the expert's public profile), the own posts (what waits for approval and what moderators
decided), the expert's open questions."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from .. import ratelimits
from ..forms import ActionForm
from ..forms.account import EmailForm, LanguageForm, NameForm, PasswordForm, TokenForm
from ..forms.experts import ProfileForm
from ..services import (
    ServiceError,
    accounts,
    browse,
    experts,
    own_posts,
    passwords,
    sessions,
    statements,
    tokens,
)
from ..services.once import AlreadySubmitted
from . import apply_service_error, flash_expired, id_arg

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
                           every_post=own_posts.all_posts(current_user, id_arg("seite")),
                           decisions=own_posts.decisions(current_user),
                           token_for=statements.token_for_author)


def _profile_form(formdata=True):
    if not experts.has_profile_settings(current_user):
        return None
    extra = {} if formdata else {"formdata": None}
    return ProfileForm(**extra, data={
        "profile_public": current_user.profile_public,
        "show_organisation": current_user.show_organisation,
        "show_expertise": current_user.show_expertise,
        "organisation": current_user.organisation, "expertise": current_user.expertise})


def _settings_page(status: int = 200, **failed):
    """The settings page with every form; `failed` holds the one sent with its errors."""
    forms = {
        "form": _profile_form(formdata=False),
        "name_form": NameForm(prefix="name", formdata=None,
                              data={"display_name": current_user.display_name}),
        "language_form": LanguageForm(prefix="language", formdata=None,
                                      data={"locale": current_user.locale or "de"}),
        "email_form": EmailForm(prefix="email", formdata=None),
        "password_form": PasswordForm(prefix="password", formdata=None),
        "everywhere_form": ActionForm(prefix="everywhere"),
        "token_form": TokenForm(prefix="token", formdata=None),
        "revoke_form": ActionForm(prefix="revoke"),
        "new_token": None,
    }
    forms.update(failed)
    return render_template("account/settings.html", api_tokens=tokens.tokens_of(_me()),
                           **forms), status


@bp.route("/einstellungen", methods=["GET", "POST"])
@login_required
def settings():
    """Account settings: name, language, address, password, log out everywhere; experts
    also choose what their public profile shows (and keep the form after the verification
    ended, to withdraw the consent). Each form posts to a route of its own; the profile
    form posts here."""
    form = _profile_form()
    if form is None and request.method == "POST":
        abort(403)
    if form is not None and form.validate_on_submit():
        experts.set_profile(current_user, public=form.profile_public.data,
                            show_organisation=form.show_organisation.data,
                            show_expertise=form.show_expertise.data,
                            organisation=form.organisation.data or "",
                            expertise=form.expertise.data or "")
        flash(_("Ihre Angaben für das öffentliche Profil sind gespeichert."), "success")
        return redirect(url_for("account.settings") + "#profil")
    return _settings_page(form=form)


def _me():
    """The account itself, not Flask-Login's proxy: services store it in mails."""
    return current_user._get_current_object()  # noqa: SLF001 (werkzeug's LocalProxy API)


def _saved(message: str, anchor: str):
    flash(message, "success")
    return redirect(url_for("account.settings") + anchor)


@bp.post("/einstellungen/name")
@login_required
def change_name():
    form = NameForm(prefix="name")
    if form.validate_on_submit():
        try:
            accounts.change_display_name(_me(), form.display_name.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            return _saved(_("Ihr Anzeigename ist geändert."), "#name")
    return _settings_page(name_form=form)


@bp.post("/einstellungen/sprache")
@login_required
def change_language():
    form = LanguageForm(prefix="language")
    if form.validate_on_submit():
        accounts.set_locale(_me(), form.locale.data)
        session["locale"] = current_user.locale
        return _saved(_("Die Sprache ist gespeichert."), "#sprache")
    return _settings_page(language_form=form)


@bp.post("/einstellungen/adresse")
@login_required
def change_email():
    form = EmailForm(prefix="email")
    if form.validate_on_submit():
        try:
            accounts.request_email_change(_me(), form.email.data,
                                          form.current_password.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            return _saved(_("Wir haben einen Bestätigungslink an die neue Adresse geschickt, "
                            "sofern sie nicht schon zu einem anderen Konto gehört. Bis Sie "
                            "ihn öffnen und bestätigen, gilt Ihre bisherige Adresse."),
                          "#adresse")
    return _settings_page(email_form=form)


@bp.route("/adresse-bestaetigen/<token>", methods=["GET", "POST"])
def email_confirm(token: str):
    """GET shows the button (mail scanners open links), POST changes the address."""
    try:
        accounts.load_email_change(token)
    except ServiceError as error:
        return render_template("account/email_failed.html", message=error.message), 400
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash_expired()
        else:
            try:
                accounts.confirm_email_change(token)
            except ServiceError as error:
                return render_template("account/email_failed.html",
                                       message=error.message), 400
            flash(_("Ihre neue E-Mail-Adresse ist bestätigt und gilt ab jetzt, auch für die "
                    "Anmeldung."), "success")
            if current_user.is_authenticated:
                return redirect(url_for("account.settings") + "#adresse")
            return redirect(url_for("auth.login"))
    return render_template("account/email_confirm.html", form=form)


@bp.post("/einstellungen/passwort")
@login_required
def change_password():
    form = PasswordForm(prefix="password")
    if form.validate_on_submit():
        try:
            passwords.change(_me(), form.current_password.data,
                             form.new_password.data, keep_session=session.get("_user_id"))
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            return _saved(_("Ihr Passwort ist geändert. Alle anderen Anmeldungen Ihres Kontos "
                            "sind beendet."), "#passwort")
    return _settings_page(password_form=form)


@bp.post("/einstellungen/ueberall-abmelden")
@login_required
def logout_everywhere():
    if not ActionForm(prefix="everywhere").validate_on_submit():
        flash_expired()
        return redirect(url_for("account.settings") + "#abmelden")
    sessions.end_all(_me())
    logout_user()
    flash(_("Sie sind jetzt überall abgemeldet, auf allen Geräten."), "success")
    return redirect(url_for("pages.index"))


TOO_MANY_TOKENS = _l("Sie haben in kurzer Zeit sehr viele Zugangsschlüssel erstellt. Bitte "
                     "warten Sie eine Weile.")


@bp.post("/einstellungen/api-schluessel")
@login_required
def create_token():
    """A new token, its secret shown once on the page that answers (never redirected
    through the session cookie, which is signed, not encrypted)."""
    form = TokenForm(prefix="token")
    if form.validate_on_submit():
        if not ratelimits.allow("token"):
            form.form_errors.append(str(TOO_MANY_TOKENS))
        else:
            try:
                created = tokens.create(_me(), form.name.data,
                                        [tokens.READ, tokens.WRITE] if form.write.data
                                        else [tokens.READ], once_key=form.once.data)
            except AlreadySubmitted as sent:
                flash(_("Diesen Zugangsschlüssel haben Sie schon erstellt: „%(name)s“. Seinen "
                        "Schlüssel zeigen wir nur einmal. Haben Sie ihn nicht notiert, widerrufen "
                        "Sie ihn und erstellen Sie einen neuen.", name=sent.created.name
                        if sent.created is not None else form.name.data), "info")
                return redirect(url_for("account.settings") + "#api")
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                response, status = _settings_page(new_token=created)
                return response, status, {"Cache-Control": "no-store"}
    return _settings_page(token_form=form)


@bp.post("/einstellungen/api-schluessel/<int:token_id>/widerrufen")
@login_required
def revoke_token(token_id: int):
    if not ActionForm(prefix="revoke").validate_on_submit():
        flash_expired()
        return redirect(url_for("account.settings") + "#api")
    try:
        revoked = tokens.revoke(_me(), token_id)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Der Zugangsschlüssel „%(name)s“ ist widerrufen und gilt ab sofort nicht mehr.",
                name=revoked.name), "success")
    return redirect(url_for("account.settings") + "#api")
