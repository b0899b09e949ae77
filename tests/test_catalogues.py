"""Every string goes through gettext: both catalogues are complete and compiled."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _catalogue(locale: str):
    with (ROOT / f"translations/{locale}/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def test_catalogue_template_matches_source_strings(tmp_path):
    """Extracting again finds no string that the catalogues lack."""
    out = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "--ignore-dirs", ".* node_modules",
         "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with out.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    for locale in ("de", "en"):
        known = {m.id for m in _catalogue(locale) if m.id}
        assert extracted - known == set(), f"run `make translations` ({locale})"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("locale", ["de", "en"])
def test_catalogue_complete_not_fuzzy_and_compiled(locale):
    catalogue = _catalogue(locale)
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {message.id!r}"
        assert "fuzzy" not in message.flags, message.id
    with (ROOT / f"translations/{locale}/LC_MESSAGES/messages.mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    expected = {_key(m.id): _key(m.string) for m in catalogue if m.id}
    assert compiled == expected, "run `make translations` to compile the catalogues"
