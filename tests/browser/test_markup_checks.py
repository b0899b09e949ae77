"""Checks that axe does not make: the Nu HTML Checker (vnu-jar, one Java run over every page
type and state), reflow at 320 CSS pixels (no page scrolls sideways), and the main flows done
with the keyboard alone, focus visible at every step."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import DecisionAction, GroundKind, PostState, Thread, TopicField, User
from forum.services import measures, practice, updates
from tests.factories import PASSWORD, make_thread, make_user

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# role -> pages that role sees (formatted with the live server's ids)
PAGES = {
    None: ["/", "/projekte", "/projekte/{project_slug}", "/themen", "/themen/{topic_slug}",
           "/angebote", "/fachleute", "/suche?q=Arbeit", "/suche?q=gibtesnichtxyz",
           "{thread_path}", "/konto/anmelden", "/konto/registrieren",
           "/konto/passwort-vergessen", "/gast/link-anfordern", "/impressum", "/kontakt",
           "/datenschutz", "/barrierefreiheit", "/barriere-melden", "/leichte-sprache",
           "/gebaerdensprache", "/dialogregeln", "/gibt-es-nicht",
           "/beitraege/{question_id}/melden", "/praxisbeispiele",
           "/praxisbeispiele?themenfeld={topic_slug}", "/praxisbeispiele?projekt={project_slug}",
           "{example_path}",
           "/neuigkeiten/{example_id}/melden", "/api/v1/referenz"],
    "asker": ["/fragen/neu", "{thread_path}", "/konto/einstellungen", "/konto/beitraege",
              "/konto/benachrichtigungen", "/konto/benachrichtigungen/einstellungen",
              "/konto/loeschen", "/beitraege/{question_id}/bearbeiten",
              "/beitraege/{question_id}/versionen"],
    "expert": ["{thread_path}", "/konto/offene-fragen", "/fachleute"],
    "moderator": ["/moderation", "/moderation/protokoll", "/moderation/transparenz",
                  "/moderation/beitraege/{question_id}", "{thread_path}",
                  "/moderation/konten/{asker_id}", "/moderation/neuigkeiten/{update_id}",
                  "/moderation/neuigkeiten/{example_id}",
                  "/moderation/entscheidungen/{decision_id}",
                  "/moderation?art=antwort&alter=7"],
    "admin": ["/admin", "/admin/projekte", "/admin/projekte/{project_id}", "/admin/themen",
              "/admin/angebote", "/admin/seiten", "/admin/seiten/dialogregeln",
              "/admin/gruende", "/admin/nutzende", "/admin/fachleute", "/admin/protokoll",
              "/admin/angaben", "/admin/barrieren", "/admin/gebaerdensprache",
              "/moderation", "/moderation/protokoll",
              "/projekte/{project_slug}/praxisbeispiele/neu",
              "/praxisbeispiele/{example_id}/bearbeiten"],
}
# forms sent empty (or with a bad value): the page with its errors (role, path, button, fill)
ERROR_STATES = [
    (None, "/barriere-melden", "Meldung senden", {}),
    (None, "/konto/anmelden", "Anmelden", {}),
    (None, "/konto/registrieren", "Konto anlegen", {}),
    # before the ask form: log_out() then leaves from a page with one "Abmelden" button
    ("asker", "/konto/einstellungen", "Zugangsschlüssel erstellen", {}),
    ("asker", "/fragen/neu", "Frage veröffentlichen", {}),
    ("expert", "{thread_path}", "Antwort veröffentlichen", {}),
    ("admin", "/projekte/{project_slug}/praxisbeispiele/neu", "Veröffentlichen", {}),
    ("admin", "/admin/angaben", "Speichern", {"E-Mail-Adresse für Barrierefreiheit": "kein-at"}),
    ("moderator", "/moderation/beitraege/{question_id}", "Ausblenden und Begründung senden", {}),
    ("moderator", "/moderation/konten/{asker_id}", "Maßnahme treffen und Begründung senden",
     {}),
]


def _values(live) -> dict:
    with live.app.app_context():
        topic = db.session.scalar(sa.select(TopicField).order_by(TopicField.id))
        thread = db.session.scalar(sa.select(Thread).where(
            Thread.id == int(live.thread_path.split("/")[2].split("-")[0])))
        values = {"topic_slug": topic.slug, "project_slug": thread.board.project.slug,
                  **_moderation_objects(live, thread)}
        db.session.remove()
    return {**values, "thread_path": live.thread_path, "question_id": live.question_id,
            "project_id": live.project_id}


def _moderation_objects(live, thread) -> dict:
    """What the moderators' pages need: an account, a project update and a decision (a
    warning, which restricts nothing)."""
    def user(role: str) -> User:
        return db.session.scalar(sa.select(User).where(User.email == live.users[role]))

    asker, moderator = user("asker"), user("moderator")
    item = updates.publish(user("admin"), thread.board.project, "Neuigkeit zur Prüfung",
                           "Was wir im ersten Quartal erprobt haben.")
    # a practice example of the project, its contact a team member made for it
    contact = make_user(display_name="Team Kontakt", project=thread.board.project)
    example = practice.publish(user("admin"), thread.board.project, practice.Parts(
        "Praxisbeispiel zur Prüfung", "So sind wir vorgegangen.", "In der Pflege.",
        "Es hat geholfen.", "Früh anfangen.", contact.id))
    warning = measures.take_measure(moderator, asker, DecisionAction.WARN,
                                    ground_kind=GroundKind.RULE, ground="Regel 1",
                                    facts="Ton in einer Rückfrage.").decision
    return {"asker_id": asker.id, "update_id": item.id, "decision_id": warning.id,
            "example_id": example.id,
            "example_path": f"/praxisbeispiele/{example.id}-{example.slug}"}


def _page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


WIDEST = """() => {
  const wide = [...document.querySelectorAll('body *')].filter(
    el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1);
  const outer = wide.filter(el => !wide.includes(el.parentElement));
  return outer.slice(0, 3).map(el => el.tagName.toLowerCase()
    + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
}"""


# Errors fixed on another branch, to be dropped from this list when it is merged: required
# selects (the board of a question, the move target) that start on a real option get a
# "Bitte wählen" first option there (issue 13; left to that branch by agreement).
ELSEWHERE: tuple[str, ...] = ()  # nothing left that another branch fixes


def _run_vnu(folder: Path) -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("the Nu HTML Checker needs Java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` in {ROOT}")
    files = sorted(str(path) for path in folder.glob("*.html"))
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                           *files], capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
            f"  [{m.get('extract', '').strip()[:120]}]"
            for m in messages if m.get("type") == "error"
            and not m["message"].startswith(ELSEWHERE)]


def test_every_page_type_is_valid_html_and_reflows_at_320px(page, live, log_in, log_out,
                                                            tmp_path, traffic, check_axe):
    """Every page type, as every role and with its form errors: zero axe violations, zero
    Nu HTML Checker errors, and at a 320 CSS pixel wide viewport no page is wider than the
    screen."""
    values = _values(live)
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = []
    saved = 0

    def save(label: str, html: str) -> None:
        nonlocal saved
        saved += 1
        name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:80]
        (tmp_path / f"{saved:03d}-{name}.html").write_text(html, encoding="utf-8")
        check_axe(page, label)
        width = _page_width(page)
        if width > 320:
            too_wide.append(f"{label}: {width}px ({', '.join(page.evaluate(WIDEST))})")

    for role, paths in PAGES.items():
        if role is not None:
            log_in(page, live.users[role])
        for path in paths:
            url = path.format(**values)
            response = page.goto(url)
            assert response.status in (200, 404), (role, url, response.status)
            save(f"{role or 'visitor'} {url}", response.text())
        for error_role, path, button, fill in ERROR_STATES:
            if error_role != role:
                continue
            page.goto(path.format(**values))
            for label, value in fill.items():
                page.get_by_label(label).fill(value)
            page.get_by_role("button", name=button, exact=True).click()
            expect(page.locator("#fehler")).to_be_visible()
            save(f"{role or 'visitor'} {path} with errors", page.content())
        if role is not None:
            log_out(page)
    traffic.console_errors[:] = [e for e in traffic.console_errors if "404" not in e]
    assert saved > 60
    assert too_wide == [], "pages scroll sideways at 320 CSS px:\n" + "\n".join(too_wide)
    errors = _run_vnu(tmp_path)
    assert errors == [], f"Nu HTML Checker: {len(errors)} error(s)\n" + "\n".join(errors)


# --- axe on the new pages --------------------------------------------------------------

LEGAL_PAGES = ["/impressum", "/kontakt", "/barrierefreiheit", "/barriere-melden",
               "/leichte-sprache", "/gebaerdensprache", "/dialogregeln"]


@pytest.mark.parametrize("path", LEGAL_PAGES)
def test_legal_page_passes_axe(page, check_axe, path):
    assert page.goto(path).status == 200
    expect(page.locator("h1")).to_have_count(1)
    check_axe(page)


def test_admin_accessibility_pages_pass_axe(page, check_axe, live, log_in):
    log_in(page, live.users["admin"])
    for path in ("/admin/angaben", "/admin/barrieren", "/admin/gebaerdensprache"):
        assert page.goto(path).status == 200
        check_axe(page, path)


# --- the keyboard alone ----------------------------------------------------------------------

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40),
          visible: el.matches(':focus-visible') && style.outlineStyle !== 'none'
                   && parseFloat(style.outlineWidth) >= 2};
}"""


def _tab_to(page, matches, limit: int = 80) -> dict:
    """Press Tab until the focused element matches; every element on the way shows its
    focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_VISIBLE)
        assert focused is not None, "focus left the page"
        assert focused["visible"], f"focus not visible on {focused}"
        if matches(focused):
            return focused
    raise AssertionError("never reached the element with Tab")


def _focused_name(page) -> str:
    return page.evaluate("() => document.activeElement.name || ''")


def _named(text: str):
    return lambda focused: focused["text"].startswith(text)


def test_keyboard_log_in_switch_language_and_report_a_barrier(page, live):
    page.goto("/")
    _tab_to(page, _named("Anmelden"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/anmelden**")
    _tab_to(page, lambda f: f["tag"] == "INPUT")
    page.keyboard.type(live.users["asker"])
    page.keyboard.press("Tab")
    page.keyboard.type("falsch-falsch-falsch")
    page.keyboard.press("Enter")
    # a failed submit: the error summary has the focus, the title says "Fehler:"
    expect(page.locator("#fehler")).to_be_focused()
    assert page.title().startswith("Fehler: ")
    page.get_by_label("Passwort", exact=True).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Sie sind angemeldet.")).to_be_visible()

    # switch the language with the keyboard alone
    _tab_to(page, lambda f: f["tag"] == "SELECT")
    page.keyboard.press("ArrowDown")
    _tab_to(page, _named("Sprache wechseln"))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _tab_to(page, lambda f: f["tag"] == "SELECT")
    page.keyboard.press("ArrowUp")
    _tab_to(page, _named("Change language"))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # report a barrier from the header's Leichte Sprache link onwards
    page.goto("/barriere-melden")
    _tab_to(page, lambda f: f["tag"] == "TEXTAREA")
    page.keyboard.type("Das Video hat keine Untertitel.")
    _tab_to(page, _named("Meldung senden"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Meldung")


def test_keyboard_ask_answer_and_report_a_post(page, live, log_in, log_out):
    log_in(page, live.users["expert"])
    page.goto(live.thread_path)
    _tab_to(page, lambda f: f["tag"] == "TEXTAREA")
    page.keyboard.type("Per Tastatur geantwortet: Prüfen Sie jedes Formular ohne Maus.")
    _tab_to(page, _named("Antwort veröffentlichen"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Per Tastatur geantwortet")).to_be_visible()
    log_out(page)

    page.goto(live.reported_thread_path)
    _tab_to(page, _named("Beitrag melden"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/melden")
    _tab_to(page, lambda f: f["tag"] == "INPUT")  # the first category (illegal content)
    page.keyboard.press("ArrowDown")  # the second: against the Dialogregeln
    _tab_to(page, lambda f: _focused_name(page) == "ground")
    page.keyboard.type("Dialogregel 1")
    _tab_to(page, lambda f: f["tag"] == "TEXTAREA")
    page.keyboard.type("Herabsetzend gegenüber anderen.")
    _tab_to(page, lambda f: _focused_name(page) == "good_faith")
    page.keyboard.press("Space")
    _tab_to(page, _named("Meldung senden"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Meldung")


def test_keyboard_ask_a_question(page, live, log_in):
    log_in(page, live.users["asker"])
    page.goto("/fragen/neu")
    _tab_to(page, lambda f: f["tag"] == "SELECT")
    page.keyboard.press("ArrowDown")
    _tab_to(page, lambda f: _focused_name(page) == "title")
    page.keyboard.type("Wie bedienen wir Formulare nur mit der Tastatur?")
    _tab_to(page, lambda f: f["tag"] == "TEXTAREA")
    page.keyboard.type("Wir möchten jeden Ablauf ohne Maus prüfen.")
    page.wait_for_timeout(1100)  # the form refuses what is sent faster than a person could
    _tab_to(page, _named("Frage veröffentlichen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wie bedienen wir Formulare nur mit der Tastatur?")


def test_keyboard_moderate_an_item(page, live, log_in):
    with live.app.app_context():  # a new person's question waits for approval (a person of
        # its own: approving makes them established, and other tests need the demo newcomer)
        newcomer = make_user(display_name="Tastatur Neuling", email="tastatur@browser.example")
        thread = db.session.scalar(sa.select(Thread).where(
            Thread.id == int(live.thread_path.split("/")[2].split("-")[0])))
        waiting = make_thread(thread.board, newcomer, title="Wartet auf die Tastatur-Freigabe")
        assert waiting.posts[0].state == PostState.PENDING
        db.session.remove()
    log_in(page, live.users["moderator"])
    page.goto("/moderation")
    _tab_to(page, lambda f: f["text"].startswith(("Frage:", "Antwort in:")))
    page.keyboard.press("Enter")
    page.wait_for_url("**/moderation/beitraege/**")
    _tab_to(page, _named("Unverändert freigeben"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/moderation**")
    expect(page.locator(".flash")).to_be_visible()
