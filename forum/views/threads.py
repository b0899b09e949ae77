"""Asking, reading and answering questions (/fragen/...), editing posts (/beitraege/...)."""

from flask import (
    Blueprint,
    abort,
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
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from wtforms.fields.choices import SelectChoice

from .. import ratelimits
from ..enums import PostKind, ThreadState
from ..forms import ActionForm
from ..forms.guests import GuestAskForm
from ..forms.threads import AskForm, EditForm, MoveOwnForm, ReplyForm
from ..jinja import blank_form, thread_posts
from ..permissions import Denied, can, denial
from ..services import ServiceError, answers, browse, guests, search, threads, updates
from ..services.once import AlreadySubmitted
from ..services.revisions import changes as revision_changes
from . import (
    ALREADY_SENT,
    TOO_MANY,
    TOO_MANY_MARKS,
    apply_service_error,
    id_arg,
    page_subject,
    post_reply,
    preview,
    require,
    restore_draft,
    row_id,
    run_action,
    unauthorized,
)

bp = Blueprint("threads", __name__)


def thread_url(thread, **kwargs) -> str:
    return url_for("threads.detail", thread_id=thread.id, slug=thread.slug, **kwargs)


def _board_choices(boards: list) -> list[SelectChoice]:
    topics = sorted((b for b in boards if b.topic_field_id), key=lambda b: b.name.lower())
    projects = sorted((b for b in boards if b.project_id), key=lambda b: b.name.lower())
    return [SelectChoice("", _("Bitte wählen"))] + [
        SelectChoice(b.id, b.name, optgroup=_("Themenfelder")) for b in topics] + [
        SelectChoice(b.id, b.name, optgroup=_("Projekte")) for b in projects
    ]


@bp.route("/fragen/neu", methods=["GET", "POST"])
def ask():
    """Ask with an account, or as a guest with name and e-mail address (double opt-in)."""
    boards = {b.id: b for b in browse.all_boards()}
    guest = not current_user.is_authenticated
    if guest and request.method == "POST" and (
            "email" not in request.form or "anmelden" in request.form):
        # sent from the account holder's form after the session ended, or the guest form's
        # "Sie haben ein Konto? Anmelden": log in, keep the text
        abort(unauthorized())
    form = (GuestAskForm(days=current_app.config["GUEST_UNCONFIRMED_DAYS"]) if guest
            else AskForm())
    form.board.choices = _board_choices(list(boards.values()))
    update = _asked_update(request.values.get("neuigkeit") or form.update.data)
    if request.method == "GET":
        form.stamp()
        if id_arg("bereich") in boards:
            form.board.data = id_arg("bereich")
        if update is not None:
            form.board.data = update.project.board.id
            form.update.data = str(update.id)
    restore_draft(form)
    # said next to the button before sending: a question that waits is checked first
    waits = guest or threads.waits_for_approval(current_user, boards.get(form.board.data))
    if waits and not guest:
        form.submit.label.text = _("Frage zur Prüfung senden")
    preview_html = None
    suggestions = None
    if request.method == "POST" and form.suggest.data:
        # the step after the title, without JavaScript: show similar questions, keep input
        suggestions = search.similar(form.title.data or "")
        return render_template("threads/ask.html", form=form, preview_html=None,
                               suggestions=suggestions, update=update, waits=waits)
    if form.validate_on_submit():
        board = boards.get(form.board.data)
        if guest:
            if form.preview.data:
                preview_html = preview(form)
            else:
                sent = _ask_as_guest(form, board, update)
                if sent is not None:
                    return sent
            return render_template("threads/ask.html", form=form, preview_html=preview_html,
                                   suggestions=None, update=update, waits=waits)
        refusal = denial("thread.create", current_user, board)
        if refusal is not None:  # e.g. a suspended account: say why, keep the text
            form.form_errors.append(str(refusal))
        elif form.preview.data:
            preview_html = preview(form)
        elif not ratelimits.allow("post"):
            form.form_errors.append(str(TOO_MANY))
        else:
            try:
                thread = threads.create_thread(
                    current_user, board, form.title.data, form.body.data, about=update,
                    once_key=form.once.data)
            except AlreadySubmitted as sent:
                flash(str(ALREADY_SENT), "success")
                return redirect(thread_url(sent.created))
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                if thread.state == ThreadState.PENDING:
                    flash(_("Danke! Ihre Frage wartet auf Freigabe durch das Moderationsteam. "
                            "Wir schreiben Ihnen, sobald sie veröffentlicht ist."), "success")
                else:
                    flash(_("Ihre Frage ist veröffentlicht."), "success")
                return redirect(thread_url(thread))
    return render_template("threads/ask.html", form=form, preview_html=preview_html,
                           suggestions=suggestions, update=update, waits=waits)


def _ask_as_guest(form, board, update):
    """Store the guest's question unconfirmed and send the confirmation mail; None when the
    form has to be shown again (with its errors and everything typed)."""
    if not ratelimits.allow("guest", address=form.email.data):
        form.form_errors.append(str(TOO_MANY))
        return None
    try:
        link = guests.ask(current_user, board, form.display_name.data, form.email.data,
                          form.title.data, form.body.data, about=update,
                          locale=str(get_locale() or "de"), once_key=form.once.data)
    except AlreadySubmitted:
        pass  # sent before: the same "check your mail" page
    except ServiceError as error:
        apply_service_error(form, error)
        return None
    except Denied as refused:  # a blocked guest address: say why, keep the text
        form.form_errors.append(str(refused.reason))
        return None
    else:  # the next page shows the address and offers to resend or correct it
        session["guest_sent"] = link.id
    return redirect(url_for("guests.sent"))


def _asked_update(value):
    """The project update a question is about (?neuigkeit=ID), if it exists."""
    update_id = row_id(value)
    return updates.find(update_id) if update_id is not None else None


@bp.get("/fragen/aehnliche")
def similar():
    """The suggestions as an HTML fragment, fetched while the title is typed."""
    title = request.args.get("titel", "")[:200]
    return render_template("threads/_suggestions.html",
                           suggestions=search.similar(title) if len(title) >= 5 else None)


MERGED_OUT_OF_SIGHT = _l("Diese Frage wurde mit einer anderen Frage zusammengeführt, die "
                         "Sie derzeit nicht sehen können.")


def merge_target(thread):
    """Where a merged thread lives on (the end of a chain of merges), if the current user may
    see it; None otherwise, so that neither its address nor its title is given away."""
    target = thread
    for _hop in range(20):  # merges only ever point at a thread that existed before
        if target.merged_into_id is None:
            break
        target = target.merged_into
    if target is thread or target.merged_into_id is not None:
        return None
    return target if can("thread.view", current_user, target) else None


def _load_thread(thread_id: int):
    thread = _visible_thread(thread_id)
    return thread, browse.thread_posts(current_user, thread)


def _visible_thread(thread_id: int):
    """The thread, if the person may see it; a merged thread's address leads on."""
    return _page_thread(browse.thread_by_id(thread_id))


def _page_thread(thread):
    if thread is None:
        abort(404)
    if thread.merged_into_id is not None:  # the address of a merged thread leads on
        target = merge_target(thread)
        if target is None:
            abort(make_response(render_template(
                "errors/error.html", error=NotFound(), message=str(MERGED_OUT_OF_SIGHT)), 404))
        abort(redirect(thread_url(target), code=301))
    require("thread.view", thread)
    return thread


@bp.get("/fragen/<int:thread_id>")
def detail_without_slug(thread_id: int):
    """A shortened address (/fragen/12) leads to the question, as the full one does."""
    return redirect(thread_url(_visible_thread(thread_id)), code=301)


@bp.route("/fragen/<int:thread_id>-<slug>", methods=["GET", "POST"])
def detail(thread_id: int, slug: str):
    thread, watched, me_too = page_subject(
        ("thread", thread_id), lambda: browse.thread_for_page(current_user, thread_id))
    thread = _page_thread(thread)
    if slug != thread.slug and request.method == "GET":
        return redirect(thread_url(thread), code=301)
    mode = "answer" if can("post.answer", current_user, thread) else (
        "followup" if can("post.followup", current_user, thread) else None)
    # the reply form as first shown is kept rendered (blank_reply_form); a form is made only
    # for a POST or to put back a draft. A visitor who may not write gets no form: making one
    # puts a CSRF token in the session, which would set a cookie on a page everybody sees
    # (and keep it from the page cache)
    blank = mode is not None and request.method == "GET" and "draft" not in session
    form = (_reply_form(mode) if not blank and (
        mode is not None or request.method == "POST" or "draft" in session) else None)
    if form is not None:
        restore_draft(form)
    preview_html = None
    blocked_text = None
    if request.method == "POST" and mode is None:
        if not current_user.is_authenticated:  # to the log-in page; the text is kept
            abort(unauthorized())
        assert form is not None  # a POST always has its form
        blocked_text = form.body.data or ""  # show the text to copy, with the reason
    elif request.method == "POST":
        add = threads.add_answer if mode == "answer" else threads.add_followup
        done, preview_html = post_reply(
            form, lambda body, key: add(current_user, thread, body, once_key=key),
            lambda post_id: thread_url(thread, _anchor=f"beitrag-{post_id}"),
            _("Danke! Ihr Beitrag wartet auf Freigabe durch das Moderationsteam."))
        if done is not None:
            return done
    # the posts are loaded, and the rulebook asked about each, only when this person's view
    # of them is not kept for this generation yet
    posts = thread_posts(current_user, thread,
                         lambda: browse.thread_posts(current_user, thread))
    return render_template(
        "threads/detail.html", thread=thread, posts=posts,
        me_too=me_too, watched=watched,
        blank_reply_form=blank_reply_form(thread, mode) if blank else None,
        action_form=ActionForm() if current_user.is_authenticated else None,
        move_form=_move_form(thread),
        form=form, mode=mode, preview_html=preview_html, blocked_text=blocked_text,
        refusal=denial("post.answer", current_user, thread) if blocked_text is not None else None,
    ), (403 if blocked_text is not None else 200)


def _reply_form(mode: str | None, **kwargs) -> ReplyForm:
    form = ReplyForm(**kwargs)
    if mode == "followup":
        form.submit.label.text = _("Rückfrage veröffentlichen")
    return form


def blank_reply_form(thread, mode: str | None):
    """The reply form with nothing typed, rendered once per question, mode, generation and
    language (jinja.blank_form puts in the person's token and a new one-time key)."""
    def render(token: str, once_key: str) -> str:
        form = _reply_form(mode, formdata=None, once=once_key)
        if "csrf_token" in form:  # not when WTF_CSRF_ENABLED is off
            form.csrf_token.current_token = token
        return render_template("threads/_reply_form.html", thread=thread, form=form)

    return blank_form(("reply", thread.id, thread.slug, mode), render)


def _move_form(thread, form=None):
    """The asker's "Bereich ändern" under their waiting question, else None."""
    if not can("thread.move_own", current_user, thread):
        return None
    form = form or MoveOwnForm(formdata=None, board=thread.board_id)
    form.board.choices = _board_choices(browse.all_boards())
    return form


@bp.post("/fragen/<int:thread_id>/bereich")
@login_required
def move_own(thread_id: int):
    thread = _visible_thread(thread_id)
    require("thread.move_own", thread)
    form = _move_form(thread, MoveOwnForm())
    if form is None or not form.validate_on_submit():
        flash(_("Bitte wählen Sie einen Bereich."), "error")
        return redirect(thread_url(thread))
    board = next((b for b in browse.all_boards() if b.id == form.board.data), None)
    if board is None:  # not in the choices: the form refused it already
        return redirect(thread_url(thread))
    try:
        threads.move_pending(current_user, thread, board)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Ihre Frage steht jetzt im Bereich „%(board)s“.", board=board.name), "success")
    return redirect(thread_url(thread))


def _load_post(post_id: int, *, with_revisions: bool = False):
    return threads.post_to_act_on(current_user, post_id, with_revisions=with_revisions)


def _post_action(post, perform, done_message: str):
    return run_action(perform, done_message,
                      thread_url(post.thread, _anchor=f"beitrag-{post.id}"))


@bp.post("/beitraege/<int:post_id>/hilfreich")
@login_required
def mark_helpful(post_id: int):
    post = _load_post(post_id)
    require("post.accept", post)
    return _post_action(post, lambda: answers.mark_helpful(current_user, post),
                        _("Die Antwort ist als hilfreichste markiert."))


@bp.post("/beitraege/<int:post_id>/hilfreich-entfernen")
@login_required
def unmark_helpful(post_id: int):
    post = _load_post(post_id)
    require("post.accept", post)
    return _post_action(post, lambda: answers.unmark_helpful(current_user, post),
                        _("Die Markierung ist entfernt."))


@bp.post("/fragen/<int:thread_id>/gleiche-frage")
@login_required
def me_too(thread_id: int):
    thread, posts = _load_thread(thread_id)
    require("thread.me_too", thread)
    question = next(p for p in posts if p.kind == PostKind.QUESTION)
    # the button says what it does ("setzen" 1 or 0), so pressing it again changes nothing
    wanted = {"1": True, "0": False}.get(request.form.get("setzen", ""))
    if wanted is None:
        wanted = not answers.has_me_too(current_user, thread)
    if not ratelimits.allow("mark"):
        flash(str(TOO_MANY_MARKS), "error")
        return redirect(thread_url(thread))
    return _post_action(question, lambda: answers.set_me_too(current_user, thread, wanted),
                        _("Vermerkt: Sie haben die gleiche Frage.") if wanted else
                        _("Zurückgenommen: Sie sind nicht mehr bei „Ich habe die gleiche "
                          "Frage“ mitgezählt."))


@bp.route("/beitraege/<int:post_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    post = _load_post(post_id)
    require("post.edit", post)
    is_question = post.kind == PostKind.QUESTION
    form = EditForm(data={"body": post.body_source, "title": post.thread.title,
                          "base": threads.version_of(post)})
    if not is_question:
        del form.title
    restore_draft(form)
    preview_html = conflict = None
    if form.validate_on_submit():
        if form.preview.data:
            preview_html = preview(form)
        else:
            title = form.title.data if is_question else None
            try:
                threads.edit_post(current_user, post, form.body.data, title,
                                  base=form.base.data or None)
            except threads.EditConflict as error:
                conflict = error.post  # both texts on the page; saving again is deliberate
                form.base.data = threads.version_of(conflict)
                form.form_errors.append(str(error.message))
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                flash(_("Ihre Änderung ist gespeichert."), "success")
                return redirect(thread_url(post.thread, _anchor=f"beitrag-{post.id}"))
    return render_template("threads/edit.html", form=form, post=post, preview_html=preview_html,
                           conflict=conflict)


@bp.get("/beitraege/<int:post_id>/versionen")
@login_required
def revisions(post_id: int):
    post = _load_post(post_id, with_revisions=True)
    require("post.history", post)
    return render_template("threads/revisions.html", post=post,
                           changes=revision_changes(post, post.thread.title))
