"""Words shown for stored codes (actions, categories, states), through gettext."""

from flask_babel import lazy_gettext as _l

from .models import AppealState, DecisionAction, GroundKind, ReportCategory, ReportState

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
}
CATEGORIES = {
    ReportCategory.ILLEGAL: _l("Rechtswidriger Inhalt"),
    ReportCategory.RULES: _l("Verstoß gegen die Dialogregeln"),
    ReportCategory.SPAM: _l("Spam oder Werbung"),
    ReportCategory.OTHER: _l("Sonstiges"),
}
GROUNDS = {GroundKind.RULE: _l("Dialogregeln"), GroundKind.LAW: _l("Gesetz")}
APPEAL_STATES = {AppealState.OPEN: _l("offen"), AppealState.UPHELD: _l("abgeholfen"),
                 AppealState.REJECTED: _l("zurückgewiesen")}
REPORT_STATES = {ReportState.OPEN: _l("offen"), ReportState.ACTIONED: _l("Maßnahme ergriffen"),
                 ReportState.DISMISSED: _l("keine Maßnahme")}
