"""Guests' pages (/gast/...): confirm a question, then follow it through the personal link.

Every page of a link answers 404 with the same explanation for a wrong, expired or revoked
link, and sends no Referer, so the link does not travel with a click to another site."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.exceptions import NotFound

from .. import permissions, ratelimits
from ..enums import PostKind, PostState, ThreadState
from ..forms import ActionForm
from ..forms.guests import GuestAddressForm, GuestConvertForm, GuestLinkRequestForm
from ..forms.threads import ReplyForm
from ..services import ServiceError, answers, guests, threads
from . import apply_service_error, flash_expired, post_reply, run_action
from .threads import merge_target, thread_url

bp = Blueprint("guests", __name__, url_prefix="/gast")


@bp.after_request
def _private(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _invalid():
    return make_response(
        render_template("guests/invalid.html", form=GuestLinkRequestForm()), 404)


def _link(token: str, action: str = "guest.view"):
    """The usable link behind a personal token, checked for `action` on its own thread."""
    link = guests.load(token)
    if link is None:
        abort(_invalid())
    try:
        permissions.check(action, link, link.thread)
    except NotFound:
        abort(_invalid())
    return link


def _personal_url(token: str, **kwargs) -> str:
    return url_for("guests.personal", token=token, **kwargs)


@bp.get("/gesendet")
def sent():
    """After asking: where the confirmation went, with "send again" and "correct it"."""
    link = guests.waiting_for_confirmation(session.get("guest_sent"))
    return render_template("guests/sent.html", link=link, form=GuestAddressForm(),
                           action_form=ActionForm())


def _sent_link():
    link = guests.waiting_for_confirmation(session.get("guest_sent"))
    if link is None:  # confirmed meanwhile, or another browser: nothing to do here
        flash(_("Diese Frage wartet nicht mehr auf die Bestätigung Ihrer Adresse."), "error")
        abort(redirect(url_for("guests.sent")))
    return link


@bp.post("/gesendet/erneut")
def resend_confirmation():
    link = _sent_link()
    if not ActionForm().validate_on_submit():
        flash_expired()
    elif not ratelimits.allow("guest", address=link.user.email):
        flash(_("Sie haben die E-Mail in kurzer Zeit sehr oft angefordert. Bitte warten Sie "
                "eine Weile."), "error")
    else:
        guests.resend_confirmation(link)
        flash(_("Wir haben die E-Mail noch einmal an %(email)s geschickt.",
                email=link.user.email), "success")
    return redirect(url_for("guests.sent"))


@bp.post("/gesendet/adresse")
def correct_address():
    link = _sent_link()
    form = GuestAddressForm()
    if form.validate_on_submit():
        if not ratelimits.allow("guest", address=form.email.data):
            form.form_errors.append(_("Sie haben in kurzer Zeit sehr viele Fragen gesendet. "
                                      "Bitte warten Sie eine Weile."))
        else:
            try:
                fresh = guests.correct_address(link, form.email.data)
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                session["guest_sent"] = fresh.id
                flash(_("Die Adresse ist korrigiert. Wir haben die E-Mail an %(email)s "
                        "geschickt; der Link in der E-Mail an die falsche Adresse gilt nicht "
                        "mehr.", email=fresh.user.email), "success")
                return redirect(url_for("guests.sent"))
    return render_template("guests/sent.html", link=link, form=form,
                           action_form=ActionForm())


@bp.route("/bestaetigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """GET shows a button (mail scanners open links; only a person presses it), POST
    confirms and leads to the personal page."""
    link = guests.load(token, guests.CONFIRM)
    if link is None or link.revoked_at is not None:
        return _invalid()
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash_expired()
        else:
            first = guests.confirm(link)
            if first:
                flash(_("Danke! Ihre Frage ist bestätigt und wartet nun auf Freigabe durch das "
                        "Moderationsteam. Ihren persönlichen Link haben wir Ihnen per E-Mail "
                        "geschickt."), "success")
            else:
                flash(_("Diese Frage war bereits bestätigt."), "success")
            return redirect(_personal_url(guests.token(link)))
    return render_template("guests/confirm.html", link=link, form=form)


@bp.route("/<token>", methods=["GET", "POST"])
def personal(token: str):
    merged = guests.load(token)
    if (merged is not None and merged.usable and merged.thread.state == ThreadState.MERGED
            and merged.thread.merged_into is not None):
        # the question now lives on as part of another thread: show that one, if this
        # person may see it (a guest: only a public one); else say so without its title
        target = merge_target(merged.thread)
        if target is None:
            return render_template("guests/merged.html")
        flash(_("Das Moderationsteam hat Ihre Frage mit der Frage „%(title)s“ zusammengeführt. "
                "Antworten finden Sie jetzt dort.", title=target.title), "success")
        return redirect(thread_url(target))
    link = _link(token)
    thread = link.thread
    form = ReplyForm()
    form.submit.label.text = _("Rückfrage senden")
    refusal = permissions.denial("guest.followup", link, thread)
    can_follow_up = refusal is None
    preview_html = blocked_text = None
    if request.method == "POST" and not can_follow_up:
        blocked_text = form.body.data or ""  # show the text to copy, with the reason
    elif request.method == "POST":
        done, preview_html = post_reply(
            form, lambda body, key: threads.add_followup(link.user, thread, body, link=link,
                                                         once_key=key),
            lambda post_id: _personal_url(token, _anchor=f"beitrag-{post_id}"),
            _("Danke! Ihre Rückfrage wartet auf Freigabe durch das Moderationsteam."))
        if done is not None:
            return done
    posts = guests.thread_posts(link)
    return render_template(
        "guests/personal.html", link=link, token=token, thread=thread, posts=posts,
        form=form, preview_html=preview_html, can_follow_up=can_follow_up,
        blocked_text=blocked_text, refusal=refusal,
        action_form=ActionForm(), public_url=thread_url(thread) if thread.state in (
            ThreadState.OPEN, ThreadState.ANSWERED) else None,
        can_convert=permissions.can("guest.convert", link, thread),
        can_withdraw=permissions.can("guest.withdraw", link, thread),
        accept=lambda post: permissions.can("guest.accept", link, post),
    ), (403 if blocked_text is not None else 200)


def _answer(link, post_id: int):
    """An answer in the link's own thread; any other post id is not found."""
    post = next((p for p in guests.thread_posts(link)
                 if p.id == post_id and p.kind == PostKind.ANSWER
                 and p.state == PostState.PUBLISHED), None)
    if post is None:
        abort(404)
    return post


def _guest_action(token: str, perform, done: str, anchor: str | None = None):
    return run_action(perform, done, _personal_url(token, _anchor=anchor))


@bp.post("/<token>/hilfreich/<int:post_id>")
def mark_helpful(token: str, post_id: int):
    link = _link(token)
    post = _answer(link, post_id)
    return _guest_action(token, lambda: answers.mark_helpful(None, post, link=link),
                         _("Die Antwort ist als hilfreichste markiert."), f"beitrag-{post.id}")


@bp.post("/<token>/hilfreich-entfernen/<int:post_id>")
def unmark_helpful(token: str, post_id: int):
    link = _link(token)
    post = _answer(link, post_id)
    return _guest_action(token, lambda: answers.unmark_helpful(None, post, link=link),
                         _("Die Markierung ist entfernt."), f"beitrag-{post.id}")


@bp.post("/<token>/neuer-link")
def renew(token: str):
    link = _link(token)
    if not ActionForm().validate_on_submit():
        flash_expired()
        return redirect(_personal_url(token))
    guests.renew(link)
    return render_template("guests/renewed.html")


@bp.route("/<token>/zurueckziehen", methods=["GET", "POST"])
def withdraw(token: str):
    link = _link(token, "guest.withdraw")
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash_expired()
        else:
            try:
                guests.withdraw(link)
            except ServiceError as error:
                flash(str(error.message), "error")
                return redirect(_personal_url(token))
            return render_template("guests/withdrawn.html", title=link.thread.title)
    return render_template("guests/withdraw.html", link=link, token=token, form=form)


@bp.route("/<token>/konto", methods=["GET", "POST"])
def convert(token: str):
    link = _link(token, "guest.convert")
    public = link.thread.state in (ThreadState.OPEN, ThreadState.ANSWERED)
    return _become_account(link.user, thread_url(link.thread) if public else None,
                           cancel=_personal_url(token))


@bp.route("/konto-anlegen/<token>", methods=["GET", "POST"])
def account_setup(token: str):
    """The link mailed to a guest who has no question left to follow (withdrawn, or never
    confirmed) and asked for an account or for new links."""
    user = guests.load_account_token(token)
    if user is None or not user.is_guest:
        return _invalid()
    return _become_account(user, None, cancel=url_for("pages.index"))


def _become_account(user, done_url: str | None, cancel: str):
    if current_user.is_authenticated:
        flash(_("Bitte melden Sie sich zuerst ab, um aus Ihrer Gastfrage ein eigenes Konto zu "
                "machen."), "error")
        return redirect(cancel)
    form = GuestConvertForm()
    if request.method == "GET":
        form.display_name.data = user.display_name
    if form.validate_on_submit():
        try:
            guests.convert(user, form.display_name.data, form.password.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            login_user(user)
            flash(_("Ihr Konto ist angelegt und Sie sind angemeldet. Ihre Fragen gehören jetzt "
                    "zu Ihrem Konto."), "success")
            return redirect(done_url or url_for("account.posts"))
    return render_template("guests/convert.html", form=form, cancel=cancel)


@bp.route("/link-anfordern", methods=["GET", "POST"])
def request_link():
    form = GuestLinkRequestForm()
    if request.method == "POST" and current_user.is_authenticated:
        # guest links are for people without a log-in (and the guests' rate limit counts
        # clients and addresses, not accounts): the same answer as _become_account gives
        flash(_("Bitte melden Sie sich zuerst ab, um neue persönliche Links für Ihre "
                "Gastfragen anzufordern."), "error")
        return redirect(url_for("guests.request_link"))
    if form.validate_on_submit():
        if ratelimits.allow("guest_link", address=form.email.data):
            guests.resend_links(form.email.data)
        return render_template("guests/link_sent.html")
    return render_template("guests/request_link.html", form=form)
