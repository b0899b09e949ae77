"""The one registry of personal data: every table, and every text column of every table.

Each table that can hold personal data has an `Entry`: what its personal columns hold, why
the forum keeps them, how long (a FORUM_RETENTION_* setting or "as long as the account"),
and how deleting an account treats the rows (`Erasure`). Every other text column is listed
in `NOT_PERSONAL`. `services/privacy.py` exports, deletes and purges by this registry, the
Datenschutz page is written from it, and `tests/test_personal_data.py` fails when a model
gains a text column that is classified nowhere, or a table that export or deletion miss.

This module imports nothing but enums (and gettext): it is a leaf that services, the CLI and
the footer pages read."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .enums import Erasure


@dataclass(frozen=True)
class Entry:
    table: str
    purpose: object  # lazy string: why the forum keeps it (for the Datenschutz page)
    personal: dict[str, object]  # column -> what it holds (lazy string)
    erasure: Erasure
    # the setting (in days) after which the retention command deletes or empties the rows;
    # None: kept as long as the account, or as the thread it belongs to
    retention: str | None = None
    retention_text: object = ""  # lazy string: the rule in words when no setting says it
    not_personal: frozenset[str] = frozenset()  # text columns of this table without such data
    withheld: frozenset[str] = frozenset()  # columns left out of the export (others' ids, hashes)
    keeps_reference: bool = False  # decisions: the row stays (DSA) without personal data


ACCOUNT = _l("solange das Konto besteht")
THREAD = _l("solange der Beitrag besteht, dem sie gehören")

REGISTRY: tuple[Entry, ...] = (
    Entry("users", _l("Ihr Konto: Anmeldung, Benachrichtigungen, Anzeige Ihrer Beiträge"),
          {"email": _l("E-Mail-Adresse"), "display_name": _l("Anzeigename"),
           "password_hash": _l("Prüfwert Ihres Passworts (nicht das Passwort)"),
           "organisation": _l("Organisation (Fachleute)"),
           "expertise": _l("Fachgebiet (Fachleute)"), "locale": _l("Sprache")},
          Erasure.DELETE, retention="RETENTION_UNCONFIRMED_DAYS",
          retention_text=_l("solange das Konto besteht; nicht bestätigte Konten werden nach "
                            "der eingestellten Frist gelöscht"),
          withheld=frozenset({"password_hash"})),
    Entry("login_sessions", _l("Angemeldete Geräte, damit Sie sie abmelden können"),
          {"token_hash": _l("Prüfwert des Anmeldeschlüssels")},
          Erasure.DELETE, retention="LOGIN_SESSION_DAYS",
          withheld=frozenset({"token_hash"})),
    Entry("api_tokens", _l("Ihre Zugangsschlüssel für die Programmierschnittstelle (API), "
                           "damit Sie sie sehen und widerrufen können"),
          {"name": _l("Name des Zugangsschlüssels"),
           "prefix": _l("Anfang des Zugangsschlüssels (zum Wiedererkennen)"),
           "token_hash": _l("Prüfwert des Zugangsschlüssels (nicht der Schlüssel)")},
          Erasure.DELETE, retention_text=_l("bis Sie ihn widerrufen oder das Konto löschen"),
          not_personal=frozenset({"scopes"}), withheld=frozenset({"token_hash"})),
    Entry("threads", _l("Ihre Fragen im Fachdialog"), {"title": _l("Titel Ihrer Frage")},
          Erasure.BY_MODE, retention_text=ACCOUNT, not_personal=frozenset({"slug"})),
    Entry("posts", _l("Ihre Fragen, Antworten und Rückfragen"),
          {"body_source": _l("Text Ihres Beitrags"), "body_html": _l("Text Ihres Beitrags"),
           "merged_from_title": _l("Titel einer zusammengeführten Frage")},
          Erasure.BY_MODE, retention_text=ACCOUNT),
    Entry("post_revisions", _l("Frühere Fassungen Ihrer Beiträge (Nachvollziehbarkeit)"),
          {"body_source": _l("früherer Text"), "title": _l("früherer Titel")},
          Erasure.BY_MODE, retention_text=THREAD, withheld=frozenset({"editor_id"})),
    Entry("search_documents", _l("Suche über öffentliche Beiträge"),
          {"text": _l("Wörter Ihres Beitrags"), "stems": _l("Wortstämme Ihres Beitrags"),
           "title_stems": _l("Wortstämme des Titels Ihrer Frage"),
           "parts": _l("Teile der zusammengesetzten Wörter Ihres Beitrags")},
          Erasure.BY_MODE, retention_text=THREAD),
    Entry("me_toos", _l("„Ich habe die gleiche Frage“"), {}, Erasure.DELETE,
          retention_text=ACCOUNT),
    Entry("watches", _l("Themen, Projekte und Themenfelder, die Sie beobachten"), {},
          Erasure.DELETE, retention_text=ACCOUNT),
    Entry("notifications", _l("Benachrichtigungen an Sie"), {}, Erasure.DELETE,
          retention_text=ACCOUNT),
    Entry("outbox", _l("E-Mails an Sie (Postausgang)"),
          {"recipient": _l("E-Mail-Adresse"), "subject": _l("Betreff"),
           "context": _l("Inhalt der E-Mail, etwa Ihr Name"),
           "unsubscribe_token": _l("Schlüssel zum Abbestellen")},
          Erasure.DELETE, retention="RETENTION_OUTBOX_SENT_DAYS",
          retention_text=_l("versandte E-Mails nach der eingestellten Frist, nicht "
                            "zustellbare nach der Frist für Fehlversuche"),
          not_personal=frozenset({"template", "locale", "last_error"}),
          withheld=frozenset({"unsubscribe_token"})),
    Entry("drafts", _l("Eingaben eines abgelaufenen Formulars, bis Sie sich wieder anmelden"),
          {"fields": _l("eingegebener Titel und Text"), "path": _l("Adresse des Formulars")},
          Erasure.DELETE, retention="RETENTION_DRAFT_HOURS",
          retention_text=_l("wenige Stunden"), not_personal=frozenset({"key"})),
    Entry("submissions", _l("Schutz vor doppeltem Absenden"), {}, Erasure.DELETE,
          retention_text=_l("einen Tag"), not_personal=frozenset({"key", "kind"})),
    Entry("guest_links", _l("Persönliche Links für Fragen ohne Konto"),
          {"display_name": _l("beim Fragen angegebener Name")}, Erasure.DELETE,
          retention_text=_l("solange die Frage besteht; der Name nur bis zur Bestätigung")),
    Entry("reports", _l("Meldungen von Beiträgen (Art. 16 DSA)"),
          {"reporter_name": _l("Name der meldenden Person"),
           "reporter_email": _l("E-Mail-Adresse der meldenden Person")},
          Erasure.CLEAR, retention="RETENTION_REPORTER_DAYS",
          retention_text=_l("Name und Adresse der meldenden Person bis zur eingestellten Frist "
                            "nach der Entscheidung und einer Beschwerde"),
          # the notice itself stays with the decision it led to; it is about a post
          not_personal=frozenset({"ground", "locale", "explanation"}),
          withheld=frozenset({"authorities_notified_by_id"})),
    Entry("appeals", _l("Beschwerden gegen Entscheidungen (Art. 20 DSA)"),
          {"contact_email": _l("E-Mail-Adresse für die Antwort")},
          Erasure.CLEAR, retention="RETENTION_REPORTER_DAYS",
          # the complaint and its answer stay with the decision (DSA), without the address
          not_personal=frozenset({"locale", "text", "answer"}),
          withheld=frozenset({"decided_by_id"})),
    Entry("barrier_reports", _l("Meldungen von Barrieren auf dieser Website (§ 7 BITV 2.0)"),
          {"contact_name": _l("Name der meldenden Person"),
           "contact_email": _l("E-Mail-Adresse für die Antwort")},
          Erasure.CLEAR, retention="RETENTION_REPORTER_DAYS",
          retention_text=_l("Name und Adresse bis zur eingestellten Frist nach dem Abschluss "
                            "des Falls"),
          # what is broken where, and our answer, stay: they show what the site must fix
          not_personal=frozenset({"description", "location", "locale", "answer"}),
          withheld=frozenset({"handled_by_id"})),
    Entry("moderation_decisions",
          _l("Entscheidungen der Moderation und ihre Begründung (Art. 17 und 24 DSA)"),
          {"facts": _l("Sachverhalt der Entscheidung"),
           "changed_from": _l("Text eines Beitrags vor einer Bearbeitung durch die Moderation"),
           "changed_to": _l("Text eines Beitrags nach einer Bearbeitung durch die Moderation")},
          Erasure.UNLINK,
          retention_text=_l("dauerhaft, ohne Verweis auf Ihr Konto nach dessen Löschung"),
          not_personal=frozenset({"ground", "detail"}),
          withheld=frozenset({"moderator_id"}), keeps_reference=True),
    Entry("moderation_notes", _l("Interne Notizen der Moderation zu einem Eintrag der "
                                 "Warteschlange (nie in Begründungen)"),
          {"body": _l("Text der Notiz")}, Erasure.DELETE,
          retention_text=_l("solange der Beitrag besteht, zu dem sie gehört"),
          not_personal=frozenset({"item_kind"})),
    Entry("queue_claims", _l("„Ich bearbeite das“ in der Warteschlange der Moderation"), {},
          Erasure.DELETE, retention_text=_l("30 Minuten"),
          not_personal=frozenset({"item_kind"}), withheld=frozenset({"moderator_id"})),
    Entry("expert_verifications", _l("Bestätigung als Fachperson"),
          {"evidence": _l("Nachweis der Bestätigung"),
           "revoke_reason": _l("Grund eines Widerrufs")},
          Erasure.DELETE, retention_text=ACCOUNT,
          withheld=frozenset({"verified_by_id", "revoked_by_id"})),
    Entry("project_members", _l("Ihre Rolle in Projektteams"), {}, Erasure.DELETE,
          retention_text=ACCOUNT),
    Entry("project_updates", _l("Neuigkeiten, die Sie für Ihr Projekt veröffentlicht haben"),
          {}, Erasure.UNLINK, retention_text=_l("solange das Projekt sie zeigt"),
          not_personal=frozenset({"title", "slug", "body_source", "body_html"})),
    # the contact a team names under a practice example is shown with it; the example stays
    # without the contact when the account goes (ON DELETE SET NULL)
    Entry("practice_examples", _l("Praxisbeispiele, in denen Ihr Projektteam Sie als "
                                  "Ansprechperson nennt (Ihr Anzeigename wird dabei gezeigt)"),
          {}, Erasure.UNLINK, retention_text=_l("solange das Projekt sie zeigt"),
          not_personal=frozenset({"setting_source", "setting_html", "outcome_source",
                                  "outcome_html", "lessons_source", "lessons_html"})),
    Entry("audit_log", _l("Nachvollziehbarkeit von Änderungen der Verwaltung"),
          {"summary": _l("Kurzbeschreibung, etwa Ihr Name"),
           "changes": _l("geänderte Angaben, etwa Ihre Einwilligungen")},
          Erasure.CLEAR, retention_text=_l("dauerhaft, ohne Ihre Angaben nach der Löschung"),
          not_personal=frozenset({"action", "object_type"}),
          withheld=frozenset({"actor_id"})),
)

# Text columns that hold no personal data, by table (content the editors or the operator
# wrote for everybody, and codes).
NOT_PERSONAL: dict[str, frozenset[str]] = {
    "offers": frozenset({"slug", "name", "url", "description"}),
    "projects": frozenset({"slug", "name", "lead_organisation", "partners", "period",
                           "description", "website", "sources"}),
    "rejection_reasons": frozenset({"title", "ground", "explanation"}),
    "sectors": frozenset({"slug", "name"}),
    "site_pages": frozenset({"slug", "title", "body_source", "body_html"}),
    # the operator's published facts (Impressum, Kontakt) and the sign-language files
    "site_settings": frozenset({"key", "value"}),
    "topic_fields": frozenset({"slug", "name", "description"}),
}

BY_TABLE: dict[str, Entry] = {entry.table: entry for entry in REGISTRY}


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: object
    lifetime: object
    config_name: str = field(default="")  # the Flask setting that names the cookie


# The cookies the app sets: Flask's session (which also holds the language chosen with the
# switch, the CSRF token and a draft's key) and Flask-Login's remember-me cookie.
COOKIES: tuple[Cookie, ...] = (
    Cookie("session", _l("Anmeldung, Schutz von Formularen (CSRF), gewählte Sprache"),
           _l("bis Sie den Browser schließen"), "SESSION_COOKIE_NAME"),
    Cookie("remember_token", _l("„Angemeldet bleiben“, nur wenn Sie es wählen"),
           _l("%(days)s Tage"), "REMEMBER_COOKIE_NAME"),
)
