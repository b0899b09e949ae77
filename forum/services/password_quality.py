"""Password quality, offline: zxcvbn (Dropbox's estimator, with its own lists of common
passwords, names and keyboard patterns) must rate a password at least "safely unguessable"
(score 3); it is also given the person's name and address and a few German words its English
lists lack. A password that is little more than the name or address is refused on its own.
No password or hash of it ever leaves the server (no online breach lookup). A module of its
own, so registration, the reset and a guest becoming an account share it."""

import re

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

from . import ServiceError

MIN_SCORE = 3
# words zxcvbn's English lists lack but German speakers choose often
GERMAN_WORDS = ("passwort", "kennwort", "geheim", "hallo", "schatz", "schatzi", "liebe",
                "ichliebedich", "fussball", "fußball", "sommer", "winter", "herbst",
                "fruehling", "frühling", "deutschland", "berlin", "hamburg", "muenchen",
                "münchen", "bayern", "schalke", "dortmund", "qwertz", "qwertzuiop", "asdfgh",
                "willkommen", "anmelden", "fachdialog", "experimentierraum", "lernen")

TOO_COMMON = _l("Dieses Passwort ist zu leicht zu erraten: Es gehört zu den häufig benutzten "
                "Passwörtern oder folgt einem einfachen Muster (Wiederholungen, Zahlen- oder "
                "Tastaturfolgen, Jahreszahlen, bekannte Wörter mit Ziffern). Bitte wählen Sie "
                "ein längeres, zum Beispiel aus mehreren Wörtern, die nicht zusammengehören.")
PERSONAL = _l("Dieses Passwort besteht fast nur aus Ihrem Namen oder Ihrer E-Mail-Adresse und "
              "ist deshalb leicht zu erraten. Bitte wählen Sie ein anderes.")


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _personal_words(email: str, display_name: str) -> list[str]:
    local, _, domain = email.casefold().partition("@")
    chunks = [local, *re.split(r"[\W_]+", local), *domain.split(".")[:-1],
              display_name, *display_name.split()]
    return sorted({_fold(chunk) for chunk in chunks if len(_fold(chunk)) >= 3})


def check_quality(password: str, *, email: str = "", display_name: str = "") -> None:
    """Refuse a common or guessable password, or one made of the person's name or address,
    with the reason next to the field."""
    personal = _personal_words(email, display_name)
    rest = _fold(password)
    for word in sorted(personal, key=len, reverse=True):
        rest = rest.replace(word, "")
    if personal and len(rest) < 6 and rest != _fold(password):
        raise ServiceError(PERSONAL, field="password")
    # zxcvbn's cost grows with the length; 100 characters are plenty to judge by
    result = zxcvbn(password[:100], user_inputs=[*personal, *GERMAN_WORDS])
    if result["score"] < MIN_SCORE:
        raise ServiceError(TOO_COMMON, field="password")
