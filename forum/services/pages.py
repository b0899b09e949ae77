"""Footer pages (Impressum, Datenschutz, ...): admins replace the placeholder texts."""

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from .. import permissions
from ..enums import AuditAction
from ..extensions import db
from ..markup import render_markdown
from ..models import SitePage, User, utcnow
from ..personal_data import COOKIES, REGISTRY
from ..site_pages import EASY_READ, FOOTER_PAGES, GENERATED, WITH_EXPLANATIONS
from . import audit, legal_pages


def get_page(slug: str, *, for_editing: bool = False) -> SitePage | None:
    """The stored page, or an unsaved one carrying the placeholder text; None if unknown.

    Visitors see the placeholder in their language; an admin edits the German text, which
    is what gets stored."""
    if slug not in FOOTER_PAGES:
        return None
    if slug in GENERATED:
        return None if for_editing else _generated(slug)
    page = db.session.scalar(select(SitePage).where(SitePage.slug == slug))
    return page if page is not None else _placeholder(slug, for_editing=for_editing)


def _generated(slug: str) -> SitePage:
    """Impressum, Kontakt, accessibility statement: written from the operator's facts."""
    text = legal_pages.write(slug)
    return SitePage(slug=slug, title=str(FOOTER_PAGES[slug][0]), body_source=text,
                    body_html=render_markdown(text))


def default_text(slug: str) -> str:
    """The text a page has until an admin rewrites it."""
    if slug == "datenschutz":
        return privacy_statement()
    text = str(FOOTER_PAGES[slug][1])
    if slug in WITH_EXPLANATIONS:
        text = "\n\n".join([text, *(str(part) for part in EASY_READ)])
    return text


def _placeholder(slug: str, *, for_editing: bool = False) -> SitePage:
    """An unsaved page with the default text of a footer page."""
    title, _text = FOOTER_PAGES[slug]
    if for_editing:
        with force_locale("de"):
            title, text = str(title), default_text(slug)
    else:
        text = default_text(slug)
    return SitePage(slug=slug, title=str(title), body_source=text,
                    body_html=render_markdown(text))


def all_pages() -> list[SitePage]:
    """The pages admins edit as text (the generated ones are edited as facts)."""
    stored = {p.slug: p for p in db.session.scalars(select(SitePage))}
    return [stored.get(slug) or _placeholder(slug) for slug in FOOTER_PAGES
            if slug not in GENERATED]


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


# --- the Datenschutz page, written from the registry and the configuration ---------------

CONTACT_PAGE = "datenschutz-kontakt"


def _period(entry) -> str:
    if entry.retention is None:
        return str(entry.retention_text)
    if entry.retention.endswith("_HOURS"):
        amount = _("%(hours)s Stunden", hours=current_app.config.get(entry.retention, 12))
    else:
        amount = _("%(days)s Tage", days=current_app.config.get(entry.retention, 30))
    if not entry.retention_text:
        return amount
    return _("%(rule)s (eingestellte Frist: %(period)s)", rule=entry.retention_text,
             period=amount)


def privacy_statement() -> str:
    """The default Datenschutzerklärung (Art. 13 DSGVO) in Markdown: which data, why, on which
    legal basis, how long, which cookies, who receives it, your rights, whom to contact."""
    contact = get_page(CONTACT_PAGE)
    config = current_app.config
    lines = [
        _("## Wer verantwortlich ist"), "", contact.body_source if contact else "", "",
        _("## Was wir speichern, wozu und wie lange"), "",
        _("Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit § 3 BDSG: der "
          "Fachdialog erfüllt eine Aufgabe im öffentlichen Interesse. Für Meldungen und "
          "Entscheidungen der Moderation gilt zusätzlich Art. 6 Abs. 1 Buchst. c DSGVO mit "
          "dem Gesetz über digitale Dienste (DSA)."), "",
        "| " + " | ".join((_("Zweck"), _("Daten"), _("Speicherdauer"))) + " |",
        "| --- | --- | --- |",
    ]
    for entry in REGISTRY:
        held = ", ".join(dict.fromkeys(str(v) for v in entry.personal.values())) or _(
            "Verweis auf Ihr Konto")
        lines.append(f"| {entry.purpose} | {held} | {_period(entry)} |")
    days = config.get("REMEMBER_COOKIE_DURATION", 365 * 86400)
    days = int(days.total_seconds() if hasattr(days, "total_seconds") else days) // 86400
    lines += ["", _("## Cookies"), "",
              _("Der Fachdialog setzt nur technisch notwendige Cookies, daher fragen wir nicht "
                "nach Ihrer Einwilligung (§ 25 Abs. 2 TDDDG)."), "",
              "| " + " | ".join((_("Name"), _("Zweck"), _("Dauer"))) + " |",
              "| --- | --- | --- |"]
    for cookie in COOKIES:
        name = config.get(cookie.config_name) or cookie.name
        lines.append(f"| `{name}` | {cookie.purpose} | {str(cookie.lifetime) % {'days': days}} |")
    lines += ["", _("## Empfänger"), "",
              _("Ihre Daten verarbeitet nur der Betrieb des Fachdialogs. E-Mails gehen über "
                "den Mailserver des Betriebs. Die Seite lädt nichts von Dritten und speichert "
                "keine IP-Adressen zu Beiträgen oder Konten."), "",
              _("## Ihre Rechte"), "",
              _("Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der "
                "Verarbeitung, Datenübertragbarkeit und Widerspruch (Art. 15 bis 21 DSGVO) und "
                "auf Beschwerde bei der oder dem Bundesbeauftragten für den Datenschutz und die "
                "Informationsfreiheit."), "",
              _("Angemeldet laden Sie unter „Meine Daten herunterladen“ (/konto/daten) alles "
                "herunter, was wir über Sie speichern, und löschen unter „Konto löschen“ "
                "(/konto/loeschen) Ihr Konto. Ohne Konto schreiben Sie an die oben genannte "
                "Stelle; wir antworten binnen eines Monats.")]
    return "\n".join(str(line) for line in lines)
