"""The footer pages every public-sector site must have. Until an admin writes a text, each
shows an honest placeholder saying what will stand there."""

from flask_babel import lazy_gettext as _l

FOOTER_PAGES = {
    "impressum": (_l("Impressum"), _l(
        "Hier stehen die Angaben zum Anbieter nach § 5 DDG: Name und Anschrift der "
        "verantwortlichen Stelle, Vertretung und Kontakt. Die Redaktion hat sie noch nicht "
        "eingetragen.")),
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
    "barrierefreiheit": (_l("Erklärung zur Barrierefreiheit"), _l(
        "Hier steht die Erklärung zur Barrierefreiheit nach BITV 2.0: wie weit die Seite die "
        "Anforderungen erfüllt, was noch nicht barrierefrei ist und wie Sie uns Barrieren "
        "melden. Die Redaktion trägt sie noch ein.")),
    "barriere-melden": (_l("Barriere melden"), _l(
        "Hier steht, wie Sie uns eine Barriere auf dieser Website melden und welche "
        "Schlichtungsstelle Sie anrufen können. Die Redaktion trägt die Kontaktwege noch ein.")),
    "leichte-sprache": (_l("Leichte Sprache"), _l(
        "Hier steht bald ein Text in Leichter Sprache. Er erklärt, was Fachdialog ist und wie "
        "man hier Fragen stellt.")),
    "gebaerdensprache": (_l("Gebärdensprache"), _l(
        "Hier steht bald ein Video in Deutscher Gebärdensprache. Es erklärt, was Fachdialog ist "
        "und wie man hier Fragen stellt.")),
    "dialogregeln": (_l("Dialogregeln und Nutzungsbedingungen"), _l(
        "Hier stehen die Regeln für den Dialog: sachlich und respektvoll bleiben, keine "
        "Werbung, keine persönlichen Daten anderer, nichts Rechtswidriges. Die Redaktion trägt "
        "den verbindlichen Text noch ein.")),
    "kontakt": (_l("Kontakt"), _l(
        "Hier stehen die Kontaktwege zum Redaktions- und Moderationsteam. Die Redaktion trägt "
        "sie noch ein.")),
}
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
