"""Start page, funding offers, footer pages and the language switch."""

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user

from ..forms import ActionForm
from ..fragment_cache import rendered
from ..jinja import safe_next
from ..services import accounts, browse, pages, updates
from ..site_pages import FOOTER_PAGES
from . import flash_expired

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    # the lists are everybody's (published questions only, even for moderators), so the
    # content is made once per generation and language: loaded and rendered only then
    content = rendered(("start page",), "pages/_index_content.html", lambda: {
        "projects": browse.all_projects(),
        "topics": browse.all_topic_fields(),
        "newest": browse.newest_threads(None),
        "unanswered": browse.unanswered_threads(None),
        "updates": updates.newest(5),
    })
    return render_template("pages/index.html", content=content)


@bp.get("/angebote")
def offers():
    return render_template("pages/offers.html", offers=browse.offers())


@bp.get("/<any(" + ", ".join(f'"{slug}"' for slug in FOOTER_PAGES) + "):slug>")
def site_page(slug: str):
    return render_template("pages/site_page.html", page=pages.get_page(slug))


@bp.get("/sprache")
def set_visitor_language():
    """The footer's switch for visitors without an account: the choice lives only in their
    own session cookie, so it needs no token and their pages carry none (they may come from
    the page cache). An account's language is a setting: changed by the POST below only."""
    locale = request.args.get("locale", "")
    if not current_user.is_authenticated and locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
    return redirect(safe_next(request.args.get("next")))


@bp.post("/sprache")
def set_language():
    form = ActionForm()
    locale = request.form.get("locale", "")
    if not form.validate_on_submit():
        flash_expired()
    elif locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            accounts.set_locale(current_user, locale)
    return redirect(safe_next(request.form.get("next")))
