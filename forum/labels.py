"""The one vocabulary: the words shown for every stored code (enum member), through gettext.

Templates read these through the `labels` global, forms build their choices from them with
`choices()`, and nothing else spells a label of an enum. Where a form asks in other words than
a page names the result, both stand here side by side (`GROUNDS` and `GROUND_CHOICES`).
"""

from flask_babel import lazy_gettext as _l

from .enums import (
    AppealState,
    AuditAction,
    BarrierState,
    DecisionAction,
    DeletionMode,
    GroundKind,
    PostKind,
    PostState,
    ProjectRole,
    ProjectStatus,
    ReportCategory,
    ReportState,
    SiteRole,
    UpdateKind,
    WatchKind,
    WatchMode,
)

ACTIONS = {
    DecisionAction.APPROVE: _l("Freigegeben"),
    DecisionAction.EDIT_APPROVE: _l("Bearbeitet und freigegeben"),
    DecisionAction.REJECT: _l("Abgelehnt"),
    DecisionAction.HIDE: _l("Ausgeblendet"),
    DecisionAction.RESTORE: _l("Wiederhergestellt"),
    DecisionAction.LOCK: _l("Thema geschlossen"),
    DecisionAction.UNLOCK: _l("Thema wieder geöffnet"),
    DecisionAction.MOVE: _l("Thema verschoben"),
    DecisionAction.MERGE: _l("Themen zusammengeführt"),
    DecisionAction.DISMISS: _l("Meldungen geprüft, keine Maßnahme"),
    DecisionAction.APPEAL_UPHELD: _l("Beschwerde: abgeholfen"),
    DecisionAction.APPEAL_REJECTED: _l("Beschwerde: zurückgewiesen"),
    DecisionAction.EDIT: _l("Beitrag durch die Moderation bearbeitet"),
    DecisionAction.WARN: _l("Konto verwarnt"),
    DecisionAction.SUSPEND: _l("Konto vorübergehend gesperrt"),
    DecisionAction.BLOCK: _l("Konto gesperrt"),
    DecisionAction.LIFT: _l("Kontosperre aufgehoben"),
}
MEASURE_CHOICES = {
    DecisionAction.WARN: _l("Verwarnen"),
    DecisionAction.SUSPEND: _l("Vorübergehend sperren (lesen ja, schreiben nein)"),
    DecisionAction.BLOCK: _l("Dauerhaft sperren"),
}
CATEGORIES = {
    ReportCategory.ILLEGAL: _l("Rechtswidriger Inhalt"),
    ReportCategory.RULES: _l("Verstoß gegen die Dialogregeln"),
    ReportCategory.SPAM: _l("Spam oder Werbung"),
    ReportCategory.OTHER: _l("Sonstiges"),
}
# how the report form offers the categories: with what the reporter should name
CATEGORY_CHOICES = {
    ReportCategory.ILLEGAL: _l("Rechtswidriger Inhalt (bitte das Gesetz nennen)"),
    ReportCategory.RULES: _l("Verstoß gegen die Dialogregeln (bitte die Regel nennen)"),
    ReportCategory.SPAM: _l("Spam oder Werbung"),
    ReportCategory.OTHER: _l("Etwas anderes"),
}
# the ground of a decision as a statement names it ("Regel 3 (Dialogregeln)") ...
GROUNDS = {GroundKind.RULE: _l("Dialogregeln"), GroundKind.LAW: _l("Gesetz")}
# ... and as the moderator chooses it
GROUND_CHOICES = {GroundKind.RULE: _l("Verstoß gegen die Dialogregeln"),
                  GroundKind.LAW: _l("Rechtswidriger Inhalt")}
APPEAL_STATES = {AppealState.OPEN: _l("offen"), AppealState.UPHELD: _l("abgeholfen"),
                 AppealState.REJECTED: _l("zurückgewiesen")}
REPORT_STATES = {ReportState.OPEN: _l("offen"), ReportState.ACTIONED: _l("Maßnahme ergriffen"),
                 ReportState.DISMISSED: _l("keine Maßnahme")}
PROJECT_STATUSES = {ProjectStatus.RUNNING: _l("laufend"),
                    ProjectStatus.FINISHED: _l("abgeschlossen")}
PROJECT_ROLES = {ProjectRole.MEMBER: _l("Mitglied"), ProjectRole.LEAD: _l("Leitung"),
                 ProjectRole.MODERATOR: _l("Moderation des Projektbereichs")}
UPDATE_KINDS = {UpdateKind.NEWS: _l("Neuigkeit"), UpdateKind.PRACTICE: _l("Praxisbeispiel")}
SITE_ROLES = {SiteRole.USER: _l("Nutzende"), SiteRole.MODERATOR: _l("Moderation"),
              SiteRole.ADMIN: _l("Administration")}
WATCH_MODES = {WatchMode.INSTANT: _l("sofort"), WatchMode.DIGEST: _l("tägliche Übersicht"),
               WatchMode.SITE: _l("nur im Forum, keine E-Mail")}
POST_STATES = {PostState.PENDING: _l("Wartet auf Freigabe"),
               PostState.PUBLISHED: _l("Veröffentlicht"), PostState.REJECTED: _l("Abgelehnt"),
               PostState.HIDDEN: _l("Ausgeblendet"), PostState.UNCONFIRMED: _l("Nicht öffentlich"),
               PostState.REMOVED: _l("Gelöscht")}
# a post as a search hit names it ...
POST_KINDS = {PostKind.QUESTION: _l("Frage"), PostKind.ANSWER: _l("Antwort"),
              PostKind.FOLLOWUP: _l("Rückfrage")}
# ... and as its header in a thread says it, after the author's name ("Anna fragt")
POST_KINDS_IN_THREAD = {PostKind.QUESTION: _l("fragt"), PostKind.ANSWER: _l("Antwort"),
                        PostKind.FOLLOWUP: _l("Rückfrage")}
# what a watch follows, as the notification settings name it
WATCH_KINDS = {WatchKind.THREAD: _l("Frage"), WatchKind.PROJECT: _l("Projekt"),
               WatchKind.TOPIC_FIELD: _l("Themenfeld")}

AUDIT_ACTIONS = {
    AuditAction.PROJECT_CREATE: _l("Projekt angelegt"),
    AuditAction.PROJECT_UPDATE: _l("Projekt geändert"),
    AuditAction.PROJECT_MEMBER: _l("Projektteam geändert"),
    AuditAction.TOPIC_UPDATE: _l("Themenfeld geändert"),
    AuditAction.OFFER_CREATE: _l("Angebot angelegt"),
    AuditAction.OFFER_UPDATE: _l("Angebot geändert"),
    AuditAction.OFFER_DELETE: _l("Angebot gelöscht"),
    AuditAction.PAGE_UPDATE: _l("Seite geändert"),
    AuditAction.USER_ROLE: _l("Rolle geändert"),
    AuditAction.REASON_CREATE: _l("Grund angelegt"),
    AuditAction.REASON_UPDATE: _l("Grund geändert"),
    AuditAction.EXPERT_VERIFY: _l("Als Fachperson bestätigt"),
    AuditAction.EXPERT_REVOKE: _l("Bestätigung als Fachperson widerrufen"),
    AuditAction.EXPERT_REMIND: _l("An das Ende der Bestätigung als Fachperson erinnert"),
    AuditAction.EXPERT_PROFILE: _l("Freigaben des öffentlichen Profils geändert"),
    AuditAction.GUEST_WITHDRAW: _l("Frage vom Gast zurückgezogen"),
    AuditAction.GUEST_CONVERT: _l("Gastzugang in ein Konto umgewandelt"),
    AuditAction.USER_DELETE: _l("Konto gelöscht"),
    AuditAction.SITE_FACTS: _l("Angaben zum Betrieb geändert"),
    AuditAction.SIGN_VIDEO: _l("Video in Gebärdensprache geändert"),
    AuditAction.BARRIER_ANSWER: _l("Barriere-Meldung beantwortet"),
    AuditAction.BARRIER_CLOSE: _l("Barriere-Meldung abgeschlossen"),
    AuditAction.TOKEN_CREATE: _l("Zugangsschlüssel für die API erstellt"),
    AuditAction.TOKEN_REVOKE: _l("Zugangsschlüssel für die API widerrufen"),
}
BARRIER_STATES = {BarrierState.OPEN: _l("offen"), BarrierState.ANSWERED: _l("beantwortet"),
                  BarrierState.CLOSED: _l("abgeschlossen")}
AUDIT_OBJECTS = {
    "Project": _l("Projekt"), "TopicField": _l("Themenfeld"), "Offer": _l("Angebot"),
    "SitePage": _l("Seite"), "User": _l("Konto"), "RejectionReason": _l("Grund"),
    "ExpertVerification": _l("Bestätigung als Fachperson"), "Thread": _l("Frage"),
    "SiteSetting": _l("Angaben zum Betrieb"), "BarrierReport": _l("Barriere-Meldung"),
    "ApiToken": _l("Zugangsschlüssel für die API"),
}
AUDIT_FIELDS = {
    "name": _l("Name"), "scopes": _l("Rechte"), "slug": _l("Kurzbezeichnung"),
    "lead_organisation": _l("Träger"),
    "partners": _l("Partner"), "period": _l("Laufzeit"), "status": _l("Status"),
    "website": _l("Website"), "url": _l("Website"), "description": _l("Beschreibung"),
    "topic_fields": _l("Themenfelder"), "sectors": _l("Bereiche"), "title": _l("Titel"),
    "body_source": _l("Text"), "position": _l("Reihenfolge"), "member": _l("Mitglied"),
    "role": _l("Rolle im Projekt"), "site_role": _l("Rolle"),
    "require_approval": _l("Jeden Beitrag vorab prüfen"), "ground_kind": _l("Grundlage"),
    "escalate_after_days": _l("Tage bis zur Eskalation"),
    "ground": _l("Regel oder Rechtsvorschrift"), "explanation": _l("Erklärung"),
    "active": _l("In der Auswahl"),
    "valid_from": _l("Gültig ab"), "valid_until": _l("Gültig bis"),
    "revoke_reason": _l("Grund für den Widerruf"), "profile_public": _l("Öffentliches Profil"),
    "show_organisation": _l("Organisation zeigen"), "show_expertise": _l("Expertise zeigen"),
    "organisation": _l("Organisation"), "expertise": _l("Expertise"),
}
AUDIT_VALUES = {
    **{status.value: label for status, label in PROJECT_STATUSES.items()},
    **{role.value: label for role, label in PROJECT_ROLES.items()},
    **{role.value: label for role, label in SITE_ROLES.items()},
}

# what becomes of the posts when someone deletes the account (/konto/loeschen)
DELETION_MODES = {
    DeletionMode.ANONYMISE: _l("Beiträge behalten, als „Gelöschtes Konto“ ohne Ihren Namen"),
    DeletionMode.REMOVE: _l("Beiträge löschen; eine Frage, auf die andere geantwortet haben, "
                            "bleibt als gelöscht markiert stehen"),
}

# the operator's facts admins enter (forms/site.py); Impressum, Kontakt and the accessibility
# statement are written from them (services/legal_pages.py)
SITE_FACTS: dict[str, object] = {
    "operator_name": _l("Anbieter (Behörde oder Stelle)"),
    "operator_address": _l("Postanschrift"),
    "operator_representative": _l("Vertreten durch"),
    "operator_email": _l("E-Mail-Adresse"),
    "operator_phone": _l("Telefon"),
    "operator_vat_id": _l("Umsatzsteuer-Identifikationsnummer"),
    "operator_supervisor": _l("Zuständige Aufsichtsbehörde"),
    "content_responsible": _l("Verantwortlich für den Inhalt (§ 18 Abs. 2 MStV)"),
    "editorial_email": _l("E-Mail-Adresse der Redaktion"),
    "moderation_email": _l("E-Mail-Adresse der Moderation"),
    "accessibility_email": _l("E-Mail-Adresse für Barrierefreiheit"),
    "accessibility_phone": _l("Telefon für Barrierefreiheit"),
    "statement_date": _l("Datum der Erklärung zur Barrierefreiheit"),
    "statement_reviewed": _l("Datum der letzten Überprüfung"),
}
