"""The search test set: questions written from the programme's projects (forum/demo/
experimentierraeume.json: care, crafts, administration, KI, INQA) and German queries with
the questions a reader would want for each, judged by hand, not by what the search returns.

Used by tests/services/test_search_quality.py (keeps the figures) and by bench/ (prints
them). A query's relevant questions are the keys in its set; everything else it finds
counts against precision."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# key: (title, question, [answers])
CORPUS: dict[str, tuple[str, str, list[str]]] = {
    "pflege-exo": ("Wie reagieren Pflegekräfte auf Exoskelette beim Heben?",
                   "In unserer Altenhilfe testen wir mechanische Exoskelette. Wie war die "
                   "Akzeptanz bei euch?",
                   ["Bei uns half eine Schulung vor der Erprobung im Alltag."]),
    "altenpflege-dienst": ("Dienstplan in der Altenpflege: Wer plant die Wochenenden?",
                           "Wir suchen ein faires Verfahren für die Wochenenddienste in "
                           "unserer Einrichtung.", []),
    "schichtplanung": ("Schichtplanung für Pflegekräfte mit Kindern",
                       "Wie berücksichtigt ihr Wünsche der Beschäftigten bei der Planung im "
                       "Krankenhaus?",
                       ["Wir tauschen Dienste über eine App, die Leitung gibt nur frei."]),
    "pflegeeinrichtung-technik": ("Digitale Technik in der Pflegeeinrichtung ausprobieren",
                                  "Welche marktreifen Produkte habt ihr zeitlich begrenzt "
                                  "getestet, bevor ihr euch entschieden habt?", []),
    "arbeitszeitmodelle": ("Arbeitszeitmodelle in kleinen Betrieben",
                           "Welche Modelle der Arbeitszeit funktionieren in einem "
                           "Handwerksbetrieb mit zehn Beschäftigten?",
                           ["Bei uns funktioniert ein Ampelkonto gut."]),
    "gleitzeit": ("Gleitzeit und Vertrauensarbeitszeit in der Verwaltung",
                  "Unsere Stadtverwaltung will die Kernzeit abschaffen. Erfahrungen?", []),
    "weiterbildungsangebote": ("Weiterbildungsangebote für ältere Beschäftigte",
                               "Wie erreichen wir altersgemischte Belegschaften mit digitalen "
                               "Lernangeboten?", []),
    "weiterbildung-ki": ("Weiterbildung zu KI im Betrieb organisieren",
                         "Wir führen KI-gestützte Assistenzsysteme ein. Wie qualifizieren wir "
                         "die Belegschaft?", []),
    "ki-einsatz": ("KI-Einsatz und Mitbestimmung",
                   "Wann muss der Betriebsrat beim Einsatz künstlicher Intelligenz beteiligt "
                   "werden?", ["Sobald das System Leistung oder Verhalten erfassen kann."]),
    "industrie40": ("Industrie 4.0 in der Produktion: Wo anfangen?",
                    "Wir sind ein mittelständischer Zulieferer und wollen die Fertigung "
                    "vernetzen.", []),
    "inqa-foerderung": ("Förderung über INQA-Experimentierräume beantragen",
                        "Wie läuft der Antrag bei der Initiative Neue Qualität der Arbeit ab, "
                        "und welche Laufzeit ist möglich?", []),
    "bmas-bericht": ("Berichtspflichten gegenüber dem BMAS",
                     "Welche Berichte erwartet das Ministerium von geförderten Projekten?", []),
    "uebersicht-foerder": ("Übersicht der Förderangebote für KMU",
                           "Gibt es eine Übersicht, welche Beratungsangebote kleine und "
                           "mittlere Unternehmen nutzen können?", []),
    "datenbrillen": ("Datenbrillen auf der Baustelle",
                     "Im SHK-Handwerk testen wir Datenbrillen bei der Badsanierung. Wie steht "
                     "es um den Datenschutz?", []),
    "agile-verwaltung": ("Agile Methoden in der öffentlichen Verwaltung",
                         "Design Thinking und Zukunftswerkstätten im Innovationslabor – wie "
                         "überträgt man das in die Linie?", []),
    "genossenschaft": ("Plattformgenossenschaft: Wie bestimmen Beschäftigte mit?",
                       "Wir wollen ein Beteiligungsmodell für unsere Softwareplattform "
                       "entwickeln.", []),
    "homeoffice": ("Homeoffice-Regeln nach der Erprobung",
                   "Welche Vereinbarungen zum mobilen Arbeiten habt ihr nach dem "
                   "Experimentierraum beibehalten?", []),
    "fuehrung-remote": ("Führung auf Distanz in hybriden Teams",
                        "Wie halten Führungskräfte Kontakt, wenn das Team nur zwei Tage im "
                        "Büro ist?", []),
    "klinik-werkzeuge": ("Digitale Werkzeuge in der Klinik beteiligungsorientiert einführen",
                         "Wie bindet man Pflege und Medizin ein, wenn die Arbeit ohnehin stark "
                         "verdichtet ist?", []),
    "lernplattform": ("Wissensplattform für das Handwerk aufbauen",
                      "Wer pflegt die Inhalte, wenn die Förderung endet?", []),
    "kommunikation": ("Veränderungen im Betrieb gut kommunizieren",
                      "Wie erklären wir der Belegschaft neue digitale Arbeitsformen?", []),
    "quartiersmanager": ("Quartiersmanager 4.0: Was macht diese Rolle?",
                         "Betriebsübergreifende Runden kleiner Unternehmen brauchen eine "
                         "Person, die sie zusammenbringt.", []),
    "gesundheit-ruecken": ("Rückenschmerzen durch Heben und Tragen vermeiden",
                           "Neben Exoskeletten: welche Hilfsmittel entlasten Beschäftigte "
                           "körperlich?", []),
    "psych-belastung": ("Psychische Belastung bei verdichteter Arbeit",
                        "Wie messen wir Belastungen in der Gefährdungsbeurteilung?", []),
    "arbeitszeiterfassung": ("Arbeitszeiterfassung per App",
                             "Seit dem Urteil müssen wir die Stunden erfassen. Welche Apps "
                             "nutzt ihr?", []),
    "kurzarbeit": ("Kurzarbeit und Qualifizierung verbinden",
                   "Kann man die freien Tage für Weiterbildung nutzen?", []),
    "ausbildung": ("Auszubildende im Handwerk digital begleiten",
                   "Wir suchen ein Berichtsheft als App für unsere Lehrlinge.", []),
    "vielfalt": ("Vielfalt und Chancengleichheit im Team",
                 "Wie fördern wir Diversity bei der Personalauswahl?", []),
    "assistenz-zuhause": ("Assistenzsysteme für die Pflege zu Hause",
                          "Welche Sensoren helfen Angehörigen, ohne zu überwachen?", []),
    "kompetenzen-digital": ("Welche Kompetenzen braucht digitales Arbeiten?",
                            "Ein Hochschulverbund hat drei Jahre lang getestet – gibt es "
                            "Ergebnisse?", []),
    "kollaboration": ("Kollaborationsplattform für vierzehn Experimentierräume",
                      "Welche Werkzeuge nutzt ihr für Interviews und Workshops mit mehreren "
                      "Unternehmen?", []),
    "wirtschaftsdemokratie": ("Leitfaden Wirtschaftsdemokratie",
                              "Gibt es aus dem Live-Labor schon einen Leitfaden?", []),
    "schichtdienst": ("Gesund bleiben im Schichtdienst",
                      "Nachtschichten belasten unser Team im Krankenhaus. Welche Pausenregeln "
                      "helfen?", []),
    "pflegekraefte-gewinnen": ("Pflegekräfte gewinnen und halten",
                               "Wie werben kleine Pflegedienste um Fachkräfte?", []),
    "fachkraefte-kmu": ("Fachkräftemangel in KMU",
                        "Welche Wege gehen kleine Unternehmen, um Leute zu finden?", []),
    "lernraeume": ("Lernräume für digitale Technik einrichten",
                   "Wie gestalten wir einen Raum, in dem Beschäftigte Geräte ausprobieren?",
                   []),
    "sozialpartner": ("Sozialpartnerschaftliche Einführung neuer Systeme",
                      "Wie haben Betriebsrat und Geschäftsführung die Einführung gemeinsam "
                      "gesteuert?", []),
    "design-thinking": ("Design Thinking Workshop moderieren",
                        "Tipps für die erste Sitzung mit gemischten Teams?", []),
    "mobiles-lernen": ("Mobiles Lernen am Arbeitsplatz",
                       "Lernen im Arbeitsprozess mit kurzen Videos – lohnt sich das?", []),
    "datenschutz-ki": ("Datenschutz bei KI-gestützten Assistenzdiensten",
                       "Welche Daten dürfen Wissensdienste über die Beschäftigten speichern?",
                       []),
}

QUERIES: dict[str, set[str]] = {
    # compounds and their parts
    "Pflege": {"pflege-exo", "altenpflege-dienst", "schichtplanung", "pflegeeinrichtung-technik",
               "klinik-werkzeuge", "assistenz-zuhause", "pflegekraefte-gewinnen"},
    "Pflegekräfte": {"pflege-exo", "schichtplanung", "pflegekraefte-gewinnen"},
    "Pflegekraft": {"pflege-exo", "schichtplanung", "pflegekraefte-gewinnen"},
    "Altenpflege": {"altenpflege-dienst", "pflege-exo"},
    "Pflegeeinrichtung": {"pflegeeinrichtung-technik", "altenpflege-dienst"},
    "Pflegedienst": {"pflegekraefte-gewinnen", "altenpflege-dienst"},
    "Arbeitszeit": {"arbeitszeitmodelle", "gleitzeit", "arbeitszeiterfassung"},
    "Arbeitszeitmodelle": {"arbeitszeitmodelle"},
    "Arbeitszeitmodell": {"arbeitszeitmodelle"},
    "Modelle": {"arbeitszeitmodelle", "genossenschaft"},
    "Weiterbildung": {"weiterbildungsangebote", "weiterbildung-ki", "kurzarbeit"},
    "Weiterbildungsangebote": {"weiterbildungsangebote"},
    "Angebote": {"weiterbildungsangebote", "uebersicht-foerder"},
    "Schicht": {"schichtplanung", "schichtdienst"},
    "Schichtplanung": {"schichtplanung"},
    "Schichtdienst": {"schichtdienst"},
    "Nachtschicht": {"schichtdienst"},
    "Dienstplan": {"altenpflege-dienst"},
    "Zeiterfassung": {"arbeitszeiterfassung"},
    "Arbeitszeiterfassung": {"arbeitszeiterfassung"},
    "Fachkräfte": {"fachkraefte-kmu", "pflegekraefte-gewinnen"},
    "Fachkräftemangel": {"fachkraefte-kmu"},
    "Führungskräfte": {"fuehrung-remote"},
    "Handwerk": {"arbeitszeitmodelle", "datenbrillen", "lernplattform", "ausbildung"},
    "Handwerksbetrieb": {"arbeitszeitmodelle"},
    "Verwaltung": {"gleitzeit", "agile-verwaltung"},
    "Stadtverwaltung": {"gleitzeit"},
    "Plattform": {"lernplattform", "genossenschaft", "kollaboration"},
    "Wissensplattform": {"lernplattform"},
    "Datenbrille": {"datenbrillen"},
    "Brillen": {"datenbrillen"},
    "Experimentierraum": {"inqa-foerderung", "homeoffice", "kollaboration"},
    "Lernangebote": {"weiterbildungsangebote"},
    "Gefährdungsbeurteilung": {"psych-belastung"},
    "Beurteilung": {"psych-belastung"},
    # umlauts and their spellings
    "Uebersicht": {"uebersicht-foerder"},
    "Übersicht": {"uebersicht-foerder"},
    "Foerderung": {"inqa-foerderung", "lernplattform"},
    "Förderangebote": {"uebersicht-foerder"},
    "Fuehrung": {"fuehrung-remote"},
    "Rueckenschmerzen": {"gesundheit-ruecken"},
    "Lernraeume": {"lernraeume"},
    "Gefaehrdungsbeurteilung": {"psych-belastung"},
    # plural and case forms
    "Exoskelett": {"pflege-exo", "gesundheit-ruecken"},
    "Exoskeletten": {"pflege-exo", "gesundheit-ruecken"},
    "Belastungen": {"psych-belastung", "schichtdienst"},
    "Kompetenz": {"kompetenzen-digital"},
    "Werkzeug": {"klinik-werkzeuge", "kollaboration"},
    "Workshops": {"kollaboration", "design-thinking"},
    "Sensor": {"assistenz-zuhause"},
    "Auszubildenden": {"ausbildung"},
    "Assistenzsystem": {"weiterbildung-ki", "assistenz-zuhause"},
    "Betriebsräte": {"ki-einsatz", "sozialpartner"},
    "Mitbestimmung": {"ki-einsatz", "genossenschaft"},
    # hyphenated forms and numbers
    "KI-Einsatz": {"ki-einsatz"},
    "Industrie 4.0": {"industrie40"},
    "Quartiersmanager 4.0": {"quartiersmanager"},
    "SHK-Handwerk": {"datenbrillen"},
    "Homeoffice-Regeln": {"homeoffice"},
    "Live-Labor": {"wirtschaftsdemokratie"},
    # abbreviations of the programme
    "KI": {"weiterbildung-ki", "ki-einsatz", "datenschutz-ki"},
    "INQA": {"inqa-foerderung"},
    "BMAS": {"bmas-bericht"},
    "KMU": {"uebersicht-foerder", "fachkraefte-kmu"},
    # several words
    "Pflege Krankenhaus": {"schichtplanung"},
    "künstliche Intelligenz": {"ki-einsatz"},
    "Design Thinking": {"agile-verwaltung", "design-thinking"},
    "mobiles Arbeiten": {"homeoffice"},
    "Datenschutz KI": {"datenschutz-ki"},
    "Heben und Tragen": {"gesundheit-ruecken"},
}


@dataclass
class Quality:
    recall: float
    precision_at_10: float
    misses: list[tuple[str, set[str], list[str]]]  # query, relevant, found (first 10)


def evaluate(find: Callable[[str], Iterable[str]]) -> Quality:
    """Recall (found relevant / relevant, over everything found) and precision at 10
    (relevant among the first min(10, found) results; 0 when nothing is found), each the mean
    over the queries. `find` gives the corpus keys of a query's results, best first."""
    recalls, precisions, misses = [], [], []
    for query, relevant in QUERIES.items():
        found = list(dict.fromkeys(find(query)))
        first = found[:10]
        recall = len(relevant & set(found)) / len(relevant)
        precision = (len(relevant & set(first)) / len(first)) if first else 0.0
        recalls.append(recall)
        precisions.append(precision)
        if recall < 1 or precision < 1:
            misses.append((query, relevant, first))
    return Quality(sum(recalls) / len(recalls), sum(precisions) / len(precisions), misses)


def load(board_id: int, author_id: int) -> dict[int, str]:
    """Write the corpus as published threads (the search index follows by its flush hooks);
    returns thread id -> corpus key."""
    from forum.extensions import db
    from forum.models import Post, PostKind, Thread, utcnow

    now = utcnow()
    keys = {}
    for key, (title, question, answers) in CORPUS.items():
        thread = Thread(board_id=board_id, author_id=author_id, title=title, slug=key,
                        created_at=now, last_activity_at=now, answer_count=len(answers),
                        reply_count=len(answers))
        for kind, body in [(PostKind.QUESTION, question)] + [
                (PostKind.ANSWER, answer) for answer in answers]:
            thread.posts.append(Post(author_id=author_id, kind=kind, body_source=body,
                                     body_html=f"<p>{body}</p>", created_at=now))
        db.session.add(thread)
        db.session.flush()
        keys[thread.id] = key
    db.session.commit()
    return keys
