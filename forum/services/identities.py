"""Who is who: looking people up by e-mail address and display name.

Accounts and guests are both identities with an address, and both services need these
lookups; they live here, below both, so that `accounts` may use `guests` without `guests`
reaching back into `accounts` (an import cycle).

A display name typed by someone (registering, asking as a guest, a guest becoming an account)
is checked here, in `check_display_name`, and nowhere else: it must not be one of the names
the site speaks with (RESERVED_NAMES), nor look like an account's name. "Look like" compares
skeletons in the sense of Unicode TS #39: NFKC, each character mapped to the prototype of its
confusables (the data of `confusable_homoglyphs`, Cyrillic "а" to Latin "a", "1" to "l"),
case folded, spaces, punctuation and invisible characters left out. Names already given keep
their names; only new ones are checked."""

import re
import unicodedata
from enum import Enum
from functools import lru_cache

from confusable_homoglyphs import confusables  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from . import ServiceError


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# --- display names ----------------------------------------------------------------------

# The words the site itself speaks with (badges, the moderation's and the team's voice). A
# name made of these alone, with or without "Team", in any case, spacing or look-alike
# letters, is refused.
RESERVED_NAMES = ("Moderation", "Moderationsteam", "Moderator", "Moderatorin", "Admin",
                  "Administration", "Administrator", "Administratorin", "Fachdialog",
                  "Fachperson", "Projektteam")
_ADDED_WORDS = ("Team",)

RESERVED = _l("Dieser Name ist dem Fachdialog und seinem Team vorbehalten. Bitte wählen Sie "
              "einen anderen Namen.")
LOOKS_ALIKE = _l("Dieser Name ist dem Namen eines anderen Kontos zum Verwechseln ähnlich. "
                 "Bitte wählen Sie einen anderen Namen.")


class NameClash(Enum):
    SAME = "same"  # the same name, but for case and spacing
    ALIKE = "alike"  # a look-alike: other letters that look the same, punctuation, spaces


def _glyphs(char: str) -> list[str]:
    """The characters confusable_homoglyphs lists for `char`: for a prototype all that look
    like it, for any other character its one prototype."""
    found = confusables.is_confusable(char, greedy=True) or ()
    # right-to-left characters come wrapped in LEFT-TO-RIGHT MARKs
    return [glyph["c"].strip("\u200e") for hit in found for glyph in hit["homoglyphs"]]


def _prototype(char: str) -> str:
    glyphs = _glyphs(char)
    if len(glyphs) != 1:
        return char  # a prototype itself, or confusable with nothing
    glyph = glyphs[0]
    if len(glyph) != 1 or len(_glyphs(glyph)) != 1:
        return glyph  # the prototype of `char` ("rn" for "m")
    return min(char, glyph)  # two that only look like each other: either stands for both


class _Table(dict):
    """A str.translate table filled in as characters come (the data has ~10,000 entries;
    a name uses a few)."""

    def __init__(self, entry):
        super().__init__()
        self.entry = entry

    def __missing__(self, code: int):
        value = self[code] = self.entry(chr(code))
        return value


_PROTOTYPES = _Table(_prototype)
# letters, digits and marks stay; spaces, punctuation, symbols and invisible characters go
_LETTERS = _Table(lambda char: char if unicodedata.category(char)[0] in "LNM" else None)


def skeletons(name: str) -> tuple[str, str]:
    """Two forms that are equal for names that look alike: mapped before case folding (a
    capital "I" looks like "l") and after it (a capital "I" is an "i")."""
    text = unicodedata.normalize("NFKC", name)
    return (text.translate(_PROTOTYPES).casefold().translate(_PROTOTYPES).translate(_LETTERS),
            text.casefold().translate(_PROTOTYPES).translate(_LETTERS))


@lru_cache(maxsize=1)
def _reserved() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For each skeleton: the reserved names (in any case), in any order and number, with
    or without the added words."""
    patterns = []
    for index in (0, 1):
        spellings = {skeletons(spelling)[index] for name in RESERVED_NAMES
                     for spelling in (name, name.upper(), name.lower())}
        names = "|".join(re.escape(skeleton)
                         for skeleton in sorted(spellings, key=len, reverse=True))
        added = "|".join(re.escape(skeletons(word)[index]) for word in _ADDED_WORDS)
        patterns.append(re.compile(f"(?:{added})*(?:{names})(?:{names}|{added})*"))
    return patterns[0], patterns[1]


def is_reserved(name: str) -> bool:
    return any(pattern.fullmatch(skeleton)
               for pattern, skeleton in zip(_reserved(), skeletons(name), strict=True))


def _plain(name: str) -> str:
    return " ".join(name.split()).casefold()


def display_name_clash(name: str) -> NameClash | None:
    """Whether an account (not a guest: guests' posts carry a "Gast" label) already has this
    name, or one that looks like it.

    Skeletons cannot be compared in SQL, so this reads the accounts' names (only the names,
    in batches); a stored, indexed skeleton column would make it one lookup."""
    if db.session.scalar(select(User.id).where(
            func.lower(User.display_name) == name.strip().lower(),
            User.is_guest.is_(False))) is not None:
        return NameClash.SAME
    wanted, plain = skeletons(name), _plain(name)
    names = db.session.scalars(select(User.display_name).where(User.is_guest.is_(False))
                               .execution_options(yield_per=1000))
    try:
        for other in names:
            if _plain(other) == plain:
                return NameClash.SAME
            theirs = skeletons(other)
            if any(mine and mine == their for mine, their in zip(wanted, theirs, strict=True)):
                return NameClash.ALIKE
    finally:
        names.close()
    return None


def check_display_name(name: str, taken) -> None:
    """The one check of a display name someone chose: refuse a reserved name, an account's
    name (with the caller's message `taken`) and a look-alike of one, next to the field."""
    if is_reserved(name):
        raise ServiceError(RESERVED, field="display_name")
    clash = display_name_clash(name)
    if clash is NameClash.SAME:
        raise ServiceError(taken, field="display_name")
    if clash is NameClash.ALIKE:
        raise ServiceError(LOOKS_ALIKE, field="display_name")
