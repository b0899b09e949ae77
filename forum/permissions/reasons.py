"""Why the rulebook refuses: each reason written once, translated, shown to the person."""

from typing import NoReturn

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden


class Denied(Forbidden):
    """Visible, but not allowed: the reason is shown to the person (Misago's checks do the
    same), so views never have to guess why."""

    def __init__(self, reason) -> None:
        super().__init__(description=reason)
        self.reason = reason


def deny(reason) -> NoReturn:
    raise Denied(reason)


NEEDS_ACCOUNT = _l("Dafür melden Sie sich bitte mit einem bestätigten Konto an.")
CLOSED = _l("Diese Frage ist geschlossen oder nicht mehr öffentlich; hier kann niemand mehr "
            "schreiben.")
ASKER_FOLLOWS_UP = _l("Auf Ihre eigene Frage antworten Sie mit einer Rückfrage.")
WHO_ANSWERS = _l("Antworten schreiben Fachleute, das Projektteam im Bereich seines Projekts und "
                 "die Moderation.")
ONLY_ASKER = _l("Rückfragen schreibt die Person, die gefragt hat.")
NOT_YOURS = _l("Sie können nur Ihre eigenen Beiträge bearbeiten, solange sie veröffentlicht "
               "sind oder auf Freigabe warten.")
ONLY_ANSWERS = _l("Nur eine veröffentlichte Antwort in einer öffentlichen Frage kann als "
                  "hilfreichste Antwort markiert werden.")
ASKER_MARKS = _l("Die hilfreichste Antwort markiert die Person, die gefragt hat.")
ONLY_ASKER_MOVES = _l("Den Bereich einer Frage ändert die Person, die gefragt hat, solange die "
                     "Frage auf Freigabe wartet; danach das Moderationsteam.")
MOVE_WHILE_PENDING = _l("Den Bereich Ihrer Frage können Sie ändern, solange sie auf Freigabe "
                        "wartet; danach kann das Moderationsteam sie verschieben.")
OWN_QUESTION = _l("Sie haben diese Frage selbst gestellt.")
NOT_PUBLIC = _l("Diese Frage ist nicht öffentlich.")
ACCOUNT_ALREADY = _l("Diese Frage gehört schon zu einem Konto.")
ASK_WITH_ACCOUNT = _l("Mit einem Konto stellen Sie Fragen über das Formular für angemeldete "
                      "Personen.")
CANNOT_WITHDRAW = _l("Diese Frage kann nicht mehr zurückgezogen werden.")
LEAD_MANAGES_TEAM = _l("Das Team eines Projekts verwaltet seine Leitung oder die "
                       "Administration.")
ADMIN_APPOINTS = _l("Leitung und Moderation eines Projekts vergibt die Administration.")
TEAM_PUBLISHES = _l("Neuigkeiten veröffentlicht das Team des Projekts.")
AUTHOR_EDITS_UPDATE = _l("Eine Neuigkeit bearbeiten die Person, die sie geschrieben hat, solange "
                         "sie zum Team des Projekts gehört, die Leitung des Projekts und die "
                         "Administration.")
CONTACT_IN_TEAM = _l("Ansprechperson eines Praxisbeispiels kann nur sein, wer zum Team des "
                     "Projekts gehört.")
MODERATORS_ONLY = _l("Dieser Bereich ist für das Moderationsteam.")
OTHER_DECIDES = _l("Über eine Beschwerde entscheidet eine andere Person als die, die zuerst "
                   "entschieden hat.")
OWN_CONTENT_APPEAL = _l("Über eine Beschwerde zu Ihrem eigenen Beitrag entscheidet eine andere "
                        "Person aus dem Moderationsteam.")
OWN_REPORT_APPEAL = _l("Über eine Beschwerde zu einer Entscheidung, der eine Meldung von Ihnen "
                       "zugrunde liegt, entscheidet eine andere Person aus dem Moderationsteam.")
APPEAL_DECIDED = _l("Über diese Beschwerde ist bereits entschieden.")
SITE_MODERATORS_ONLY = _l("Die Transparenzzahlen sehen das Moderationsteam der ganzen Website "
                          "und die Administration.")
ADMINS_ONLY = _l("Dieser Bereich ist für die Administration.")
# the yes/no of a rule that hides the object (NotFound) or refuses without a reason of its own
NOT_FOUND_OR_FORBIDDEN = _l("Sie haben keine Berechtigung für diese Aktion.")
RESTRICTED = _l("Ihr Konto ist wegen einer Entscheidung der Moderation gesperrt: Sie können "
                "lesen, aber nichts schreiben und nichts melden. Die Begründung und wie Sie "
                "Beschwerde einlegen, haben Sie per E-Mail erhalten.")
MEASURES_BY_SITE = _l("Maßnahmen gegen Konten treffen das Moderationsteam der ganzen Website "
                      "und die Administration; Sie können eine Maßnahme beantragen.")
NO_MEASURE_ON_STAFF = _l("Gegen Ihr eigenes Konto und gegen Konten der Administration gibt es "
                         "keine Maßnahmen der Moderation.")
SITE_ONLY_REPORT = _l("Meldungen zu Kindesmissbrauch oder zu einer Gefahr für Leib und Leben "
                      "bearbeitet nur das Moderationsteam der ganzen Website.")
EDIT_AS_DECISION = _l("Fremde Beiträge ändert die Moderation auf der Moderationsseite des "
                      "Beitrags, mit einer Begründung für die Person, die ihn geschrieben hat.")
OWN_CONTENT_MODERATE = _l("Über Ihre eigenen Beiträge und Neuigkeiten entscheidet eine andere "
                          "Person aus dem Moderationsteam.")
STAFF_MEASURE_BY_ADMIN = _l("Maßnahmen gegen Konten des Moderationsteams trifft die "
                            "Administration.")
