"""Display names: the names the site speaks with are reserved, and a name that only looks
like an account's name (other case, spacing, punctuation, homoglyphs) counts as taken."""

import pytest

from forum.services import ServiceError
from forum.services.identities import (
    LOOKS_ALIKE,
    RESERVED,
    NameClash,
    check_display_name,
    display_name_clash,
    is_reserved,
    skeletons,
)
from tests.factories import make_user

CYRILLIC_A = "\u0430"


@pytest.mark.parametrize("name", [
    "Moderation", "Admin", "Administration", "Moderationsteam", "Fachdialog", "Fachperson",
    "Projektteam", "ADMIN", "admin", "A d m i n", "Ad-min.", "Moderations-Team",
    "Fachdialog Team", "Team Fachdialog", "Fachdialog-Moderation", f"{CYRILLIC_A}dmin",
    "𝐀𝐝𝐦𝐢𝐧", "ａｄｍｉｎ", "Admin\u200b", "AdmIn", "Projekt Team",
])
def test_is_reserved_reserved_names_in_any_spelling_are_reserved(name):
    assert is_reserved(name)


@pytest.mark.parametrize("name", [
    "Ada Admin", "Mo Moderation", "Dr. Erika Fachperson", "Team", "Badminton", "Uta Nutzerin",
    "Jürgen Groß", "Fachdialog-Fan aus Köln",
])
def test_is_reserved_ordinary_names_are_not_reserved(name):
    assert not is_reserved(name)


def test_skeletons_homoglyphs_are_equal_but_other_letters_are_not():
    assert skeletons(f"Ut{CYRILLIC_A} Nutzerin") == skeletons("Uta Nutzerin")
    assert skeletons("Uta Nutzerln") != skeletons("Uta Nutzerin")  # "l" and "i" differ


@pytest.mark.parametrize("mine", [
    f"Ut{CYRILLIC_A} Nutzerin", "UTA NUTZERIN", "Uta-Nutzerin", "Uta.Nutzerin", "UtaNutzerin",
    "Uta Nutzer\u200bin", "Ｕｔａ Ｎｕｔｚｅｒｉｎ",
])
def test_display_name_clash_look_alikes_of_an_accounts_name_clash(app, mine):
    make_user(display_name="Uta Nutzerin")
    assert display_name_clash(mine) is not None


def test_display_name_clash_case_and_spacing_only_is_the_same_name(app):
    make_user(display_name="Uta Nutzerin")
    assert display_name_clash("uta  nutzerin") is NameClash.SAME
    assert display_name_clash(f"Ut{CYRILLIC_A} Nutzerin") is NameClash.ALIKE


def test_display_name_clash_capital_i_and_small_l_look_alike(app):
    make_user(display_name="Ilse Lenz")
    assert display_name_clash("lIse Lenz") is NameClash.ALIKE
    assert display_name_clash("Ilse Lenz-Berg") is None


def test_display_name_clash_guests_names_and_other_names_are_free(app):
    make_user(display_name="Uta Nutzerin", is_guest=True)
    make_user(display_name="Otto Normal")
    assert display_name_clash("Uta Nutzerin") is None
    assert display_name_clash("Otto Normalo") is None
    assert display_name_clash("--") is None  # no letters: only the very same name clashes


def test_check_display_name_refuses_with_the_message_for_the_field(app):
    make_user(display_name="Uta Nutzerin")
    taken = "schon vergeben"
    for name, message in (("Moderation", RESERVED), (f"Ut{CYRILLIC_A} Nutzerin", LOOKS_ALIKE),
                          ("uta nutzerin", taken)):
        with pytest.raises(ServiceError) as refused:
            check_display_name(name, taken=taken)
        assert refused.value.message == message and refused.value.field == "display_name"
    check_display_name("Neue Person", taken=taken)  # no error
