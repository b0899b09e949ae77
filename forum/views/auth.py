"""Register, confirm the e-mail address, log in and out, reset a password (/konto/...)."""

import time
from contextlib import contextmanager

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from .. import ratelimits
from ..forms import ActionForm
from ..forms.auth import (
    ConfirmForm,
    ForgotForm,
    LoginForm,
    RegisterForm,
    ResendForm,
    ResetForm,
)
from ..jinja import safe_next
from ..services import (
    AccountExists,
    ServiceError,
    UnconfirmedAccount,
    accounts,
    drafts,
    passwords,
    sessions,
)
from . import apply_service_error, flash_expired

bp = Blueprint("auth", __name__, url_prefix="/konto")

RATE_LIMITED = _l("Zu viele Versuche in kurzer Zeit. Bitte warten Sie einige Minuten.")


def _unauthorized():
    """Send visitors to the log-in page; text they had typed into a form is kept for them."""
    target = request.full_path.rstrip("?")
    if request.method == "POST":
        target = request.path
        if _keepable_draft():
            session["draft"] = drafts.keep(request.path, request.form)
            flash(_("Bitte melden Sie sich an. Ihr Text ist aufbewahrt und steht nach der "
                    "Anmeldung wieder im Formular."), "error")
    return redirect(url_for("auth.login", next=target))


def _keepable_draft() -> bool:
    """Text is kept only from a form of this site sent in this browser session (its CSRF
    token, however old, belongs to the session), with text in it, within the rate limit;
    anything else sent anonymously would let anybody fill the draft table."""
    if not any(request.form.get(name) for name in drafts.KEPT_FIELDS):
        return False
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:  # the token's age does not matter: the session it belongs to does
            validate_csrf(request.form.get("csrf_token"), time_limit=10 * 365 * 24 * 3600)
        except ValidationError:
            return False
    return ratelimits.allow("draft")


@bp.record_once
def _register_unauthorized(state):
    """Flask-Login answers visitors on protected pages with _unauthorized."""
    state.app.login_manager.unauthorized_handler(_unauthorized)


def _limits(kind: str) -> dict[str, str]:
    """The limits of a form: log-in counts failures, the others accepted submissions;
    per hashed client key and per e-mail address typed."""
    config = current_app.config
    if kind == "login":
        return {"client": config["LOGIN_RATE_LIMIT"],
                "address": config["LOGIN_ACCOUNT_RATE_LIMIT"]}
    return {"client": config["REGISTER_RATE_LIMIT"],
            "address": config["REGISTER_ADDRESS_RATE_LIMIT"]}


@contextmanager
def _equal_time():
    """Answer no sooner than ACCOUNT_ANSWER_SECONDS after the block began: whatever the
    service did for a known, a guest's or an unknown address, the answer takes as long."""
    started = time.monotonic()
    try:
        yield
    finally:  # AccountExists (a known address) ends the block with an exception
        rest = current_app.config["ACCOUNT_ANSWER_SECONDS"] - (time.monotonic() - started)
        if rest > 0:
            time.sleep(rest)


def _too_many(template: str, form, **context):
    """Over a rate limit: the form again, with what was typed and a clear message."""
    form.form_errors.append(str(RATE_LIMITED))
    return make_response(render_template(template, form=form, **context), 429)


@bp.route("/registrieren", methods=["GET", "POST"])
def register():
    """Only accepted registrations count against the limit (per client and per address):
    someone who mistypes, or an office behind one address, is not locked out."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.stamp()
    if form.validate_on_submit():
        if ratelimits.over("register", _limits("register"), form.email.data):
            return _too_many("auth/register.html", form)
        try:
            with _equal_time():
                accounts.register_user(
                    form.email.data, form.display_name.data, form.password.data,
                    locale=str(get_locale()),
                )
        except AccountExists:  # its owner got a mail; the page looks the same
            pass
        except ServiceError as error:
            apply_service_error(form, error)
            return render_template("auth/register.html", form=form)
        ratelimits.count("register", _limits("register"), form.email.data)
        # a page of its own (reloading it sends nothing again), naming the address typed
        session["registered_email"] = form.email.data
        return redirect(url_for("auth.registered"))
    return render_template("auth/register.html", form=form)


@bp.get("/registriert")
def registered():
    return render_template("auth/check_mail.html", email_sent=True,
                           email=session.get("registered_email"))


@bp.route("/bestaetigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """GET shows the form (mail scanners open links; only a person fills it in and presses
    the button); POST with the password chosen at registration confirms the address."""
    config = current_app.config
    try:
        user = accounts.load_confirmation(token, config["SECRET_KEY"],
                                          config["EMAIL_CONFIRM_MAX_AGE"])
    except ServiceError as error:
        return render_template("auth/confirm_failed.html", message=error.message,
                               form=ResendForm()), 400
    if user.is_confirmed:
        flash(_("Ihre E-Mail-Adresse ist bereits bestätigt. Sie können sich anmelden."),
              "success")
        return redirect(url_for("auth.login"))
    form = ConfirmForm()
    if form.validate_on_submit():
        if ratelimits.over("login", _limits("login"), user.email):
            return _too_many("auth/confirm.html", form)
        try:
            accounts.confirm_email(token, config["SECRET_KEY"],
                                   config["EMAIL_CONFIRM_MAX_AGE"], form.password.data)
        except ServiceError as error:
            ratelimits.count("login", _limits("login"), user.email)
            apply_service_error(form, error)
        else:
            flash(_("Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden."),
                  "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/confirm.html", form=form)


@bp.route("/bestaetigung-erneut", methods=["GET", "POST"])
def resend():
    form = ResendForm()
    if form.validate_on_submit():
        if ratelimits.over("resend", _limits("resend"), form.email.data):
            return _too_many("auth/resend.html", form)
        ratelimits.count("resend", _limits("resend"), form.email.data)
        with _equal_time():
            accounts.resend_confirmation(form.email.data)
        # Same answer whether or not the address is known: addresses stay private.
        return render_template("auth/check_mail.html", email_sent=True)
    return render_template("auth/resend.html", form=form)


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link; the same page, in the same time, whoever the address is."""
    form = ForgotForm()
    if form.validate_on_submit():
        if ratelimits.over("forgot", _limits("forgot"), form.email.data):
            return _too_many("auth/forgot.html", form)
        ratelimits.count("forgot", _limits("forgot"), form.email.data)
        with _equal_time():
            passwords.request_reset(form.email.data)
        return render_template("auth/reset_sent.html")
    return render_template("auth/forgot.html", form=form)


@bp.route("/passwort-neu/<token>", methods=["GET", "POST"])
def reset(token: str):
    """The link from the mail shows the form; the new password is set by POST only."""
    try:
        passwords.load_reset(token)
    except ServiceError as error:
        return render_template("auth/reset_failed.html", message=error.message), 400
    form = ResetForm()
    if form.validate_on_submit():
        try:
            passwords.reset(token, form.password.data)
        except ServiceError as error:
            if error.field is None:  # used or expired meanwhile
                return render_template("auth/reset_failed.html", message=error.message), 400
            apply_service_error(form, error)
        else:
            if current_user.is_authenticated:  # every session ended, this one too
                logout_user()
            flash(_("Ihr neues Passwort ist gespeichert, und alle Anmeldungen mit dem alten "
                    "sind beendet. Bitte melden Sie sich mit dem neuen Passwort an."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/anmelden", methods=["GET", "POST"])
def login():
    """Throttled per client and per account, counting failed attempts only."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
    if form.validate_on_submit():
        if ratelimits.over("login", _limits("login"), form.email.data):
            return _too_many("auth/login.html", form)
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except UnconfirmedAccount as error:  # the right password: no failure
            apply_service_error(form, error)
            return render_template("auth/login.html", form=form, offer_resend=True)
        except ServiceError as error:
            ratelimits.count("login", _limits("login"), form.email.data)
            apply_service_error(form, error)
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Sie sind angemeldet."), "success")
            return redirect(safe_next(form.next.data, url_for("pages.index")))
    return render_template("auth/login.html", form=form)


@bp.post("/abmelden")
@login_required
def logout():
    if ActionForm().validate_on_submit():
        sessions.end(session.get("_user_id"))  # a copied cookie stops working too
        logout_user()
        flash(_("Sie sind abgemeldet."), "success")
    else:
        flash_expired()
    return redirect(url_for("pages.index"))
