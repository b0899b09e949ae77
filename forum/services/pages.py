"""Footer pages (Impressum, Datenschutz, ...): admins replace the placeholder texts."""

from flask_babel import force_locale
from sqlalchemy import select

from .. import permissions
from ..enums import AuditAction
from ..extensions import db
from ..markup import render_markdown
from ..models import SitePage, User, utcnow
from ..site_pages import FOOTER_PAGES
from . import audit


def get_page(slug: str, *, for_editing: bool = False) -> SitePage | None:
    """The stored page, or an unsaved one carrying the placeholder text; None if unknown.

    Visitors see the placeholder in their language; an admin edits the German text, which
    is what gets stored."""
    if slug not in FOOTER_PAGES:
        return None
    page = db.session.scalar(select(SitePage).where(SitePage.slug == slug))
    return page if page is not None else _placeholder(slug, for_editing=for_editing)


def _placeholder(slug: str, *, for_editing: bool = False) -> SitePage:
    """An unsaved page with the placeholder text of a footer page."""
    title, text = FOOTER_PAGES[slug]
    if for_editing:
        with force_locale("de"):
            title, text = str(title), str(text)
    return SitePage(slug=slug, title=str(title), body_source=str(text),
                    body_html=render_markdown(str(text)))


def all_pages() -> list[SitePage]:
    stored = {p.slug: p for p in db.session.scalars(select(SitePage))}
    return [stored.get(slug) or _placeholder(slug) for slug in FOOTER_PAGES]


def update_page(actor: User, page: SitePage, title: str, body: str) -> None:
    permissions.check("admin.access", actor)
    is_new = page.id is None
    old = {"title": None, "body_source": None} if is_new else {}
    changes = audit.diff(page, {"title": title.strip(), "body_source": body})
    if is_new:
        db.session.add(page)
        changes = {name: [old[name], getattr(page, name)] for name in old}
    if changes:
        page.body_html = render_markdown(page.body_source)
        page.updated_at = utcnow()
        db.session.flush()
        audit.record(actor, AuditAction.PAGE_UPDATE, page, page.title, changes)
    db.session.commit()
