"""Register, confirm the e-mail address, log in and out (/konto/...)."""

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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from .. import ratelimits
from ..forms import ActionForm
from ..forms.auth import LoginForm, RegisterForm, ResendForm
from ..jinja import safe_next
from ..services import (
    AccountExists,
    ServiceError,
    UnconfirmedAccount,
    accounts,
    drafts,
    sessions,
)
from . import apply_service_error, flash_expired

bp = Blueprint("auth", __name__, url_prefix="/konto")

RATE_LIMITED = _l("Zu viele Versuche in kurzer Zeit. Bitte warten Sie einige Minuten.")


def _rate_limited(template: str, form_class):
    """Flask-Limiter on_breach: re-show the form with what was typed and a clear message."""

    def respond(_limit):
        form = form_class(formdata=request.form)
        form.form_errors.append(str(RATE_LIMITED))
        return make_response(render_template(template, form=form), 429)

    return respond


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


@bp.route("/registrieren", methods=["GET", "POST"])
@ratelimits.limit_form_posts("REGISTER_RATE_LIMIT",
                            on_breach=_rate_limited("auth/register.html", RegisterForm))
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.stamp()
    if form.validate_on_submit():
        try:
            accounts.register_user(
                form.email.data, form.display_name.data, form.password.data,
                locale=str(get_locale()),
            )
        except AccountExists:  # its owner got a mail; the page looks the same
            return render_template("auth/check_mail.html", email_sent=True)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            return render_template("auth/check_mail.html", email_sent=True)
    return render_template("auth/register.html", form=form)


@bp.get("/bestaetigen/<token>")
def confirm(token: str):
    try:
        accounts.confirm_email(
            token, current_app.config["SECRET_KEY"], current_app.config["EMAIL_CONFIRM_MAX_AGE"]
        )
    except ServiceError as error:
        return render_template("auth/confirm_failed.html", message=error.message,
                               form=ResendForm()), 400
    flash(_("Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/bestaetigung-erneut", methods=["GET", "POST"])
@ratelimits.limit_form_posts("REGISTER_RATE_LIMIT",
                            on_breach=_rate_limited("auth/resend.html", ResendForm))
def resend():
    form = ResendForm()
    if form.validate_on_submit():
        accounts.resend_confirmation(form.email.data)
        # Same answer whether or not the address is known: addresses stay private.
        return render_template("auth/check_mail.html", email_sent=True)
    return render_template("auth/resend.html", form=form)


@bp.route("/anmelden", methods=["GET", "POST"])
@ratelimits.limit_form_posts("LOGIN_RATE_LIMIT",
                            on_breach=_rate_limited("auth/login.html", LoginForm))
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except UnconfirmedAccount as error:
            apply_service_error(form, error)
            return render_template("auth/login.html", form=form, offer_resend=True)
        except ServiceError as error:
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
