"""The pages every public-sector site must have (BITV 2.0, BGG, § 5 DDG) and their default
texts. Admins may rewrite the texts of the editable pages; Impressum, Kontakt and the
accessibility statement are written from the operator's facts (`labels.SITE_FACTS`)
by `services/legal_pages.py`, so they stay in the structure the law asks for."""

from flask_babel import lazy_gettext as _l

# --- texts of the editable pages (Markdown) ------------------------------------------------

EASY_READ = (
    _l("## Was ist Fachdialog?\n\n"
       "Fachdialog ist eine Internet·seite.\n"
       "Hier stellen Menschen Fragen.\n"
       "Andere Menschen antworten.\n\n"
       "Oft antworten Fach·leute.\n"
       "Fach·leute wissen viel über ein Thema.\n\n"
       "Die Fragen gehören zu einem Förder·programm.\n"
       "Ein Förder·programm gibt Geld für neue Ideen.\n"
       "Das Geld kommt vom Bund.\n"
       "Der Bund ist der Staat für ganz Deutschland.\n"
       "Das Förder·programm heißt: Lern- und Experimentier·räume.\n"
       "Die Projekte probieren neue Arten zu arbeiten aus."),
    _l("## Was steht auf der Start·seite?\n\n"
       "Die Start·seite ist die erste Seite von Fachdialog.\n\n"
       "Oben steht der Knopf: Frage stellen.\n"
       "Darunter stehen die neuesten Fragen.\n"
       "Dann kommen die Fragen ohne Antwort.\n"
       "Vielleicht kennen Sie eine Antwort.\n\n"
       "Dann kommen Neuigkeiten aus den Projekten.\n"
       "Dann kommen die Themen·felder.\n"
       "Ein Themen·feld ist ein großes Thema.\n"
       "Zum Beispiel: Pflege.\n"
       "Ganz unten stehen die Projekte."),
    _l("## So finden Sie ein Projekt\n\n"
       "Ganz oben auf jeder Seite steht das Wort: Projekte.\n"
       "Klicken Sie auf das Wort.\n"
       "Dann sehen Sie alle Projekte.\n\n"
       "Klicken Sie auf den Namen von einem Projekt.\n"
       "Dann sehen Sie die Seite von dem Projekt.\n"
       "Dort stehen die Fragen zu dem Projekt.\n\n"
       "Sie können auch suchen.\n"
       "Klicken Sie oben auf: Suche.\n"
       "Schreiben Sie ein Wort in das Feld.\n"
       "Dann sehen Sie alle Fragen mit dem Wort."),
    _l("## So stellen Sie eine Frage\n\n"
       "Klicken Sie auf: Frage stellen.\n"
       "Wählen Sie zuerst: Wo möchten Sie fragen?\n"
       "Das ist ein Projekt oder ein Themen·feld.\n"
       "Schreiben Sie dann einen Titel.\n"
       "Der Titel sagt kurz: Darum geht es.\n"
       "Schreiben Sie dann Ihre Frage.\n"
       "Klicken Sie zum Schluss auf den Knopf unter dem Formular.\n"
       "Der Knopf schickt Ihre Frage ab.\n\n"
       "Sie brauchen kein Konto.\n"
       "Ein Konto ist ein Zugang mit Namen und Pass·wort.\n"
       "Ohne Konto schreiben Sie Ihre E-Mail-Adresse in das Formular.\n"
       "Sie bekommen dann eine E-Mail.\n"
       "In der E-Mail steht ein Link.\n"
       "Klicken Sie auf den Link.\n"
       "Dann prüft das Moderations·team Ihre Frage.\n"
       "Danach erscheint Ihre Frage."),
    _l("## Wie kommen die Antworten?\n\n"
       "Andere Menschen lesen Ihre Frage.\n"
       "Sie schreiben eine Antwort.\n"
       "Sie bekommen eine E-Mail.\n"
       "Dann wissen Sie: Es gibt eine Antwort.\n\n"
       "Eine Antwort hilft Ihnen?\n"
       "Dann können Sie die Antwort markieren.\n"
       "Dann sehen alle: Diese Antwort hat geholfen."),
    _l("## Was macht die Moderation?\n\n"
       "Die Moderation ist ein Team.\n"
       "Das Team achtet auf die Regeln.\n"
       "Die Regeln heißen: [Dialog·regeln](/dialogregeln).\n\n"
       "Manche Beiträge prüft das Team vorher.\n"
       "Dann erscheint Ihr Beitrag etwas später.\n\n"
       "Ein Beitrag verletzt die Regeln?\n"
       "Dann nimmt das Team den Beitrag weg.\n"
       "Sie bekommen dann eine Nachricht.\n"
       "In der Nachricht steht der Grund.\n"
       "Sie finden den Grund falsch?\n"
       "Dann können Sie sich beschweren.\n"
       "Dann prüft eine andere Person noch einmal."),
    _l("## So melden Sie ein Problem\n\n"
       "Ein Beitrag ist böse oder verboten?\n"
       "Unter jedem Beitrag steht: Melden.\n"
       "Klicken Sie darauf.\n"
       "Schreiben Sie: Das ist das Problem.\n"
       "Das Team prüft dann den Beitrag.\n\n"
       "Sie können einen Teil der Seite nicht benutzen?\n"
       "Das nennt man: Barriere.\n"
       "Zum Beispiel: Ein Knopf geht nicht mit der Tastatur.\n"
       "Bitte sagen Sie uns das.\n"
       "Dafür gibt es die Seite: [Barriere melden](/barriere-melden).\n"
       "Sie brauchen dafür kein Konto."),
    _l("## Wo finden Sie mehr?\n\n"
       "Es gibt eine Erklärung zur Barriere·freiheit.\n"
       "Barriere·frei heißt: Alle Menschen können die Seite benutzen.\n"
       "In der Erklärung steht: So gut klappt das bei uns.\n"
       "Und: Das klappt noch nicht.\n"
       "Hier ist die Erklärung: "
       "[Erklärung zur Barriere·freiheit](/barrierefreiheit).\n\n"
       "Hier melden Sie eine Barriere: [Barriere melden](/barriere-melden).\n\n"
       "Es gibt auch ein Video in Gebärden·sprache: [Gebärden·sprache](/gebaerdensprache)."),
)

EASY_READ_INTRO = _l(
    "Hier erklären wir Fachdialog in Leichter Sprache.\n"
    "Leichte Sprache hat kurze Sätze.\n"
    "Schwere Wörter erklären wir.")

SIGN_LANGUAGE_INTRO = _l(
    "Auf dieser Seite erklären wir Fachdialog in Deutscher Gebärdensprache (DGS). Das Video "
    "zeigt dieselben Erklärungen wie der Text darunter: was Fachdialog ist, was auf der "
    "Startseite steht, wie Sie ein Projekt finden, eine Frage stellen, wie Antworten und die "
    "Moderation funktionieren und wie Sie ein Problem oder eine Barriere melden.")

DIALOGUE_RULES = _l(
    "Fachdialog ist ein Ort für fachliche Fragen und Antworten zu den Lern- und "
    "Experimentierräumen. Damit das so bleibt, gelten diese Regeln. Die Moderation nennt in "
    "jeder Entscheidung die Regel, auf die sie sich stützt, etwa „Regel 3“.\n\n"
    "## Regel 1: Sachlich und respektvoll bleiben\n\n"
    "Kritisieren Sie Aussagen, nicht Menschen. Beleidigungen, Herabsetzungen, Drohungen und "
    "Diskriminierung, etwa wegen Herkunft, Geschlecht, Religion, Behinderung, Alter oder "
    "sexueller Identität, werden entfernt.\n\n"
    "## Regel 2: Beim Thema bleiben\n\n"
    "Fragen und Antworten betreffen die Arbeit der Projekte, die Themenfelder und die "
    "Förder- und Beratungsangebote. Beiträge ohne Bezug dazu verschiebt oder entfernt die "
    "Moderation. Stellen Sie eine neue Frage, statt ein fremdes Thema fortzusetzen.\n\n"
    "## Regel 3: Keine personenbezogenen Daten anderer\n\n"
    "Nennen Sie keine Namen, Adressen, Telefonnummern oder Gesundheitsdaten von Menschen, die "
    "nicht selbst zugestimmt haben, auch nicht von Beschäftigten, Pflegebedürftigen oder "
    "Kundinnen und Kunden. Schildern Sie Fälle so, dass niemand zu erkennen ist.\n\n"
    "## Regel 4: Keine Werbung\n\n"
    "Hinweise auf eigene Angebote sind erlaubt, wenn sie eine Frage beantworten und als eigene "
    "erkennbar sind. Werbung ohne Bezug zur Frage, Massenbeiträge und Links nur zur "
    "Verbreitung werden entfernt.\n\n"
    "## Regel 5: Nichts Rechtswidriges\n\n"
    "Inhalte, die gegen Gesetze verstoßen, werden entfernt: etwa Beleidigung, Volksverhetzung, "
    "Aufrufe zu Straftaten, Verletzungen des Urheberrechts. Zitieren Sie fremde Texte nur "
    "kurz und mit Quelle.\n\n"
    "## Regel 6: Belegen, was Sie behaupten\n\n"
    "Nennen Sie zu Zahlen, Studien und Rechtsauskünften die Quelle. Kennzeichnen Sie eigene "
    "Erfahrungen als solche. Eine Antwort ersetzt keine Rechtsberatung im Einzelfall.\n\n"
    "## Regel 7: Eine Person, ein Konto\n\n"
    "Schreiben Sie unter Ihrem eigenen Konto oder als Gast unter Ihrem Namen. Geben Sie sich "
    "nicht als eine andere Person, ein Projekt oder eine Behörde aus. Fachleute sind als "
    "solche gekennzeichnet, nachdem die Redaktion sie bestätigt hat.\n\n"
    "## So arbeitet die Moderation\n\n"
    "- In manchen Bereichen prüft die Moderation jeden Beitrag, bevor er erscheint; neue "
    "Konten werden anfangs vorab geprüft.\n"
    "- Jede und jeder kann einen Beitrag mit „Melden“ melden, auch ohne Konto. Die Moderation "
    "prüft jede Meldung und teilt das Ergebnis mit, wenn eine E-Mail-Adresse angegeben ist.\n"
    "- Entfernt, ändert oder verschiebt die Moderation einen Beitrag oder schränkt sie ein "
    "Konto ein, erhält die betroffene Person eine Begründung: was entschieden wurde, nach "
    "welcher Regel oder welchem Gesetz und auf welche Tatsachen es sich stützt.\n"
    "- Wie oft die Moderation entscheidet, steht im Transparenzbericht.\n\n"
    "## Beschwerde gegen eine Entscheidung\n\n"
    "Mit dem Link in der Begründung können Sie sich innerhalb von sechs Monaten beschweren "
    "(Art. 20 DSA), auch ohne Konto. Über die Beschwerde entscheidet eine andere Person als "
    "die, die zuerst entschieden hat. Sie erhalten die Antwort per E-Mail.")

BARRIER_INTRO = _l(
    "Stoßen Sie auf dieser Website auf eine Barriere, etwa einen Knopf, den Sie mit der "
    "Tastatur nicht erreichen, einen Text, den Ihr Screenreader nicht vorliest, oder eine "
    "Seite, die bei Vergrößerung unlesbar wird? Beschreiben Sie uns bitte, was nicht geht und "
    "wo. Sie brauchen dafür kein Konto. Die für Barrierefreiheit zuständige Stelle erhält "
    "Ihre Meldung und antwortet Ihnen, wenn Sie eine E-Mail-Adresse angeben.")

# slug -> (title, default text); the pages in GENERATED are written from FACTS instead
FOOTER_PAGES = {
    "impressum": (_l("Impressum"), ""),
    "datenschutz": (_l("Datenschutz"), _l(
        "Hier steht die Datenschutzerklärung nach Art. 13 DSGVO: wer Daten verarbeitet, welche, "
        "wozu, wie lange und welche Rechte Sie haben. Schon jetzt gilt: Fachdialog lädt nichts "
        "von Dritten, setzt nur technisch notwendige Cookies und speichert keine IP-Adressen zu "
        "Beiträgen oder Konten. Die vollständige Erklärung trägt die Redaktion noch ein.")),
    # not in the footer: the Datenschutz page includes it (services/pages.py)
    "datenschutz-kontakt": (_l("Datenschutz: Verantwortliche Stelle und Datenschutzbeauftragte"),
                            _l(
        "Hier stehen Name und Anschrift der verantwortlichen Stelle, die Kontaktdaten der oder "
        "des Datenschutzbeauftragten und Ergänzungen zur Datenschutzerklärung. Die Redaktion "
        "trägt sie noch ein.")),
    "barrierefreiheit": (_l("Erklärung zur Barrierefreiheit"), ""),
    "barriere-melden": (_l("Barriere melden"), BARRIER_INTRO),
    "leichte-sprache": (_l("Leichte Sprache"), EASY_READ_INTRO),
    "gebaerdensprache": (_l("Gebärdensprache"), SIGN_LANGUAGE_INTRO),
    "dialogregeln": (_l("Dialogregeln"), DIALOGUE_RULES),
    "kontakt": (_l("Kontakt"), ""),
}
# written from the operator's facts, not edited as free text
GENERATED = frozenset({"impressum", "barrierefreiheit", "kontakt"})
# pages followed by the explanations in Leichte Sprache
WITH_EXPLANATIONS = frozenset({"leichte-sprache", "gebaerdensprache"})

FOOTER_LINKS = (
    ("impressum", _l("Impressum")),
    ("datenschutz", _l("Datenschutz")),
    ("barrierefreiheit", _l("Barrierefreiheit")),
    ("barriere-melden", _l("Barriere melden")),
    ("leichte-sprache", _l("Leichte Sprache")),
    ("gebaerdensprache", _l("Gebärdensprache")),
    ("dialogregeln", _l("Dialogregeln")),
    ("kontakt", _l("Kontakt")),
)

# the sign-language video (services/site_facts.py), kept beside the operator's facts
# (labels.SITE_FACTS) in the same table
SIGN_FACTS = ("sign_video", "sign_video_type", "sign_captions", "sign_transcript")

# --- the enforcement procedure: public facts of the Schlichtungsstelle nach § 16 BGG --------

CONCILIATION_BODY = {
    "name": _l("Schlichtungsstelle nach dem Behindertengleichstellungsgesetz bei dem "
               "Beauftragten der Bundesregierung für die Belange von Menschen mit "
               "Behinderungen"),
    "address": "Mauerstraße 53, 10117 Berlin",
    "phone": "030 18 527-2805",
    "email": "info@schlichtungsstelle-bgg.de",
    "website": "https://www.schlichtungsstelle-bgg.de",
}
