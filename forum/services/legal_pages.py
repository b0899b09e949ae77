"""Impressum (§ 5 DDG), Kontakt and the Erklärung zur Barrierefreiheit (§ 12b BGG, BITV 2.0,
in the structure of the EU model statement, Implementing Decision (EU) 2018/1523), written
in Markdown from the operator's facts and from what the software is and checks."""

from flask import current_app
from flask_babel import format_date, gettext as _

from ..site_pages import CONCILIATION_BODY
from . import site_facts


def _missing() -> str:
    return _("(noch nicht eingetragen)")


def _lines(text: str) -> str:
    """A multi-line fact (an address) as Markdown lines that keep their breaks."""
    return "  \n".join(line.strip() for line in text.splitlines() if line.strip())


def _mail(address: str) -> str:
    return f"[{address}](mailto:{address})" if address else _missing()


def _date(value: str) -> str:
    found = site_facts.fact_date(value)
    return format_date(found, "long") if found else _missing()


def imprint(facts: dict[str, str]) -> str:
    lines = [
        _("Angaben nach § 5 Digitale-Dienste-Gesetz (DDG)."), "",
        _("## Anbieter"), "",
        _lines(facts["operator_name"]) or _missing(), "",
        _lines(facts["operator_address"]) or _missing(), "",
        _("## Vertreten durch"), "", _lines(facts["operator_representative"]) or _missing(), "",
        _("## Kontakt"), "",
        _("E-Mail: %(mail)s", mail=_mail(facts["operator_email"])) + "  ",
        _("Telefon: %(phone)s", phone=facts["operator_phone"] or _missing()), "",
        _("## Umsatzsteuer-Identifikationsnummer"), "",
        facts["operator_vat_id"] or _("Keine: der Anbieter hat keine "
                                      "Umsatzsteuer-Identifikationsnummer."), "",
    ]
    if facts["operator_supervisor"]:
        lines += [_("## Aufsichtsbehörde"), "", _lines(facts["operator_supervisor"]), ""]
    if facts["content_responsible"]:
        lines += [_("## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV"), "",
                  _lines(facts["content_responsible"]), ""]
    lines += [_("## Beiträge der Nutzenden"), "",
              _("Fragen und Antworten schreiben die Nutzenden; sie geben deren Meinung wieder. "
                "Die Moderation prüft sie nach den [Dialogregeln](/dialogregeln).")]
    return "\n".join(lines)


def contact(facts: dict[str, str]) -> str:
    lines = [
        _("## Redaktion"), "",
        _("Fragen zu Fachdialog, zu Projekten und zu Ihrem Konto: %(mail)s",
          mail=_mail(facts["editorial_email"] or facts["operator_email"])), "",
        _("## Moderation"), "",
        _("Hinweise zu Beiträgen melden Sie am schnellsten mit „Melden“ unter dem Beitrag. "
          "Sonst erreichen Sie die Moderation unter %(mail)s.",
          mail=_mail(facts["moderation_email"] or facts["operator_email"])), "",
        _("## Barrierefreiheit"), "",
        _("Barrieren auf dieser Website melden Sie mit dem Formular "
          "[Barriere melden](/barriere-melden) oder unter %(mail)s.",
          mail=_mail(accessibility_contact(facts))), "",
        _("## Anschrift und Telefon"), "",
        _lines(facts["operator_name"]) or _missing(), "",
        _lines(facts["operator_address"]) or _missing(), "",
        _("Telefon: %(phone)s", phone=facts["operator_phone"] or _missing()),
    ]
    return "\n".join(lines)


def accessibility_contact(facts: dict[str, str]) -> str:
    """Where barrier reports go: the accessibility address, else the operator's."""
    return facts["accessibility_email"] or facts["operator_email"]


def conciliation_body() -> str:
    body = CONCILIATION_BODY
    return "\n".join([
        f"{body['name']}  ", f"{body['address']}  ",
        _("Telefon: %(phone)s", phone=body["phone"]) + "  ",
        _("E-Mail: %(mail)s", mail=_mail(str(body["email"]))) + "  ",
        _("Website: %(url)s", url=f"[{str(body['website']).removeprefix('https://')}]"
                                  f"({body['website']})"),
    ])


def accessibility_statement(facts: dict[str, str]) -> str:
    """The statement; what it says of the software is true of this code and its tests."""
    operator = facts["operator_name"].strip() or _("Der Anbieter")
    has_video = bool(facts["sign_video"])
    lines = [
        _("%(operator)s ist bemüht, Fachdialog im Einklang mit § 12a des "
          "Behindertengleichstellungsgesetzes (BGG) und der "
          "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich zu "
          "machen. Diese Erklärung gilt für die Website %(url)s.",
          operator=operator, url=current_app.config["BASE_URL"]), "",
        _("## Stand der Vereinbarkeit mit den Anforderungen"), "",
        _("Die Website ist mit den Anforderungen der BITV 2.0 (Norm EN 301 549, darin WCAG 2.1 "
          "Stufe AA) **teilweise vereinbar**. Die von uns geschriebenen Seiten und Formulare "
          "erfüllen die Anforderungen nach unseren Prüfungen; die unten genannten Inhalte "
          "sind nicht oder nicht vollständig barrierefrei."), "",
        _("## Nicht barrierefreie Inhalte"), "",
        "- " + _("**Beiträge der Nutzenden.** Fragen und Antworten schreiben die Nutzenden. Ob "
                 "ein Beitrag verständlich ist, Abkürzungen erklärt, Bildern einen Alternativtext "
                 "gibt und Stellen in anderer Sprache auszeichnet, liegt bei ihnen; die "
                 "Moderation prüft Beiträge auf die Dialogregeln, nicht auf Barrierefreiheit. "
                 "Solche Inhalte Dritter, die wir weder finanzieren noch entwickeln, nimmt "
                 "Art. 1 Abs. 4 der Richtlinie (EU) 2016/2102 von den Anforderungen aus."),
        "- " + _("**Sprache der Beiträge.** Beiträge, Titel und Projekttexte sind als deutsch "
                 "ausgezeichnet, auch in der englischen Ansicht. Stellen in einer anderen "
                 "Sprache zeichnen die Verfassenden selbst aus (`[Text]{lang=en}`); ist ein "
                 "ganzer Beitrag in einer anderen Sprache geschrieben und nicht so "
                 "ausgezeichnet, liest ein Screenreader ihn mit deutscher Aussprache vor."),
        "- " + _("**Leichte Sprache.** In Leichter Sprache erklären wir Fachdialog und seine "
                 "Bedienung; die Beiträge selbst und die Rechtstexte gibt es nur in "
                 "Alltagssprache."),
    ]
    if not has_video:
        lines.append("- " + _(
            "**Gebärdensprache.** Das Video in Deutscher Gebärdensprache fehlt noch. Bis es "
            "vorliegt, zeigt die Seite [Gebärdensprache](/gebaerdensprache) die Erklärungen "
            "als Text."))
    lines += [
        "- " + _("**Verlinkte Websites der Projekte.** Links in Projektbeschreibungen führen "
                 "zu Websites Dritter; für deren Barrierefreiheit sind deren Betreiber "
                 "verantwortlich."),
        "",
        _("## Erstellung dieser Erklärung"), "",
        _("Diese Erklärung wurde am %(date)s erstellt und zuletzt am %(reviewed)s überprüft. "
          "Sie beruht auf einer Selbstbewertung.",
          date=_date(facts["statement_date"]),
          reviewed=_date(facts["statement_reviewed"] or facts["statement_date"])), "",
        _("Jede Änderung der Software durchläuft automatische Prüfungen in einem echten "
          "Browser (Chromium):"), "",
        "- " + _("axe-core prüft jede Seitenart für jede Rolle (Gast, Nutzende, Fachleute, "
                 "Projektteam, Moderation, Administration) und in ihren Zuständen (Formular mit "
                 "Fehlern, leere Liste, Beitrag in Prüfung) auf die Kriterien der WCAG 2.1 "
                 "Stufe A und AA;"),
        "- " + _("der Nu HTML Checker (W3C) prüft das HTML aller Seitenarten auf Fehler;"),
        "- " + _("bei 320 CSS-Pixel Breite darf keine Seite seitlich scrollen (Umbruch, "
                 "WCAG 1.4.10);"),
        "- " + _("die Hauptabläufe (anmelden, fragen, antworten, melden, moderieren, Sprache "
                 "wechseln) werden nur mit der Tastatur bedient, mit sichtbarem Fokus;"),
        "- " + _("die Seite lädt nichts von Dritten und erlaubt kein eingebettetes Skript "
                 "(strikte Content Security Policy)."), "",
        _("Dazu kam ein Audit von Hand mit der Tastatur, einem 320 Pixel breiten Bildschirm "
          "und dem Nu HTML Checker; seine Befunde sind behoben und gehören seitdem zu den "
          "automatischen Prüfungen."), "",
        _("## Feedback und Kontakt"), "",
        _("Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Melden Sie sie uns mit "
          "dem Formular [Barriere melden](/barriere-melden), auch ohne Konto, oder schreiben "
          "Sie an %(mail)s.", mail=_mail(accessibility_contact(facts))),
    ]
    if facts["accessibility_phone"]:
        lines += ["", _("Telefon: %(phone)s", phone=facts["accessibility_phone"])]
    lines += [
        "",
        _("## Schlichtungsverfahren"), "",
        _("Haben Sie auf Ihre Meldung keine oder keine zufriedenstellende Antwort erhalten, "
          "können Sie ein Schlichtungsverfahren nach § 16 BGG beantragen. Die "
          "Schlichtungsstelle BGG vermittelt bei Streit über Barrierefreiheit zwischen "
          "Menschen mit Behinderungen und öffentlichen Stellen des Bundes, damit er ohne "
          "Gericht beigelegt wird. Das Verfahren kostet nichts, und Sie brauchen keinen "
          "Rechtsbeistand."), "",
        conciliation_body(),
    ]
    return "\n".join(str(line) for line in lines)


def write(slug: str) -> str:
    """The Markdown of a generated page."""
    facts = site_facts.facts()
    return {"impressum": imprint, "kontakt": contact,
            "barrierefreiheit": accessibility_statement}[slug](facts)
