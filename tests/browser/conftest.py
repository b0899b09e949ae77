"""Browser tests: Debian Chromium driven by Playwright against the app served for real.

One live server per session: the app on its own database (demo data plus a few accounts and a
thread made with the factories), sending mail over real SMTP to a sink on 127.0.0.1. Every test
records the requests its pages make; none may leave the live server.
"""

import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from forum import mails
from forum.extensions import db
from forum.models import GroundKind, Project, ProjectRole, RejectionReason, SiteRole
from forum.services import demo
from tests.conftest import fresh_database, make_app, running_sink
from tests.factories import PASSWORD, make_answer, make_expert, make_thread, make_user

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MIN_FILL_SECONDS = 1  # the ask and register forms refuse what is sent faster


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin",
            "viewport": {"width": 1280, "height": 900}}


# --- the live server ------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_database_url(tmp_path_factory):
    """A database of the live server's own, so the seeded demo data never meets the
    function-scoped `app` fixture's tests (which expect empty tables)."""
    with fresh_database(tmp_path_factory, "forum_browser") as url:
        yield url


@pytest.fixture(scope="session")
def mail_sink():
    with running_sink() as sink:
        yield sink


@dataclass
class Live:
    url: str
    app: object
    messages: list
    users: dict = field(default_factory=dict)  # role name -> e-mail (password: PASSWORD)
    demo_passwords: dict = field(default_factory=dict)
    thread_path: str = ""
    question_id: int = 0
    answer_id: int = 0
    project_id: int = 0
    reported_thread_path: str = ""  # a published thread of users["author"], for reporting
    reason_id: int = 0  # a rejection reason in the catalogue

    def wait_for_mail(self, to: str, subject: str | None = None, timeout: float = 10.0):
        """The first mail to `to` (whose subject contains `subject`, if given)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in list(self.messages):
                if to in message["To"] and (subject is None or subject in message["Subject"]):
                    return message
            time.sleep(0.05)
        got = [(m["To"], m["Subject"]) for m in self.messages]
        raise AssertionError(f"no mail to {to} ({subject or 'any subject'}) within {timeout} s;"
                             f" got {got}")


@pytest.fixture(scope="session")
def live(browser_database_url, mail_sink):
    controller, messages = mail_sink
    app = make_app(
        browser_database_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_USE_TLS=False,
        MAIL_SUPPRESS_SEND=False,
        SERVER_NAME=None,
        BASE_URL="http://127.0.0.1",
        # Real behaviour, unlike the unit tests: posts of new users wait for approval, and
        # the ask and register forms refuse what is sent faster than a person could.
        PREMODERATION_THRESHOLD=1,
        MIN_FILL_SECONDS=MIN_FILL_SECONDS,
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    state = Live(url=url, app=app, messages=messages)

    with app.app_context():
        db.drop_all()
        db.create_all()

        def echo(line: str) -> None:
            match = re.search(r"(\S+@\S+)\s+Passwort:\s+(\S+)", line)
            if match:
                state.demo_passwords[match.group(1)] = match.group(2)

        demo.seed(echo=echo)
        # Established users (an approved post before) post directly; new ones wait.
        asker = make_user(display_name="Browser Fragende", email="fragende@browser.example",
                          approved_post_count=3)
        author = make_user(display_name="Browser Autorin", email="autorin@browser.example",
                           approved_post_count=3)
        newcomer = make_user(display_name="Browser Neuling", email="neuling@browser.example")
        expert = make_expert(display_name="Dr. Browser Fachperson",
                           email="fachperson@browser.example", organisation="Institut Test")
        admin = make_user(role=SiteRole.ADMIN, display_name="Browser Administration",
                          email="admin@browser.example")
        moderator = make_user(role=SiteRole.MODERATOR, display_name="Browser Moderation A",
                              email="moderation-a@browser.example")
        moderator2 = make_user(role=SiteRole.MODERATOR, display_name="Browser Moderation B",
                               email="moderation-b@browser.example")
        projects = list(db.session.scalars(sa.select(Project).order_by(Project.id)))
        project = projects[0]
        # Moderates one project's board only, where nothing ever waits: the empty queue.
        quiet = next(p for p in reversed(projects)
                     if p.id != project.id and p.board.thread_count == 0)
        project_moderator = make_user(display_name="Browser Projektmoderation",
                                      email="projektmoderation@browser.example",
                                      project=quiet, project_role=ProjectRole.MODERATOR)
        state.users = {"asker": asker.email, "author": author.email, "newcomer": newcomer.email,
                       "expert": expert.email, "admin": admin.email,
                       "moderator": moderator.email, "moderator2": moderator2.email,
                       "project_moderator": project_moderator.email}
        reason = RejectionReason(
            title="Kein Bezug zum Dialog", ground_kind=GroundKind.RULE, ground="Dialogregel 3",
            explanation="Beiträge müssen zum Thema des Bereichs passen.")
        db.session.add(reason)
        db.session.commit()
        state.reason_id = reason.id
        thread = make_thread(project.board, asker, title="Wie testen wir barrierefreie Formulare?",
                             body="Wir suchen **Erfahrungen** mit Screenreadern.")
        answer = make_answer(thread, expert, body="Mit echten Nutzenden und *axe-core*.")
        state.thread_path = f"/fragen/{thread.id}-{thread.slug}"
        state.question_id = thread.posts[0].id
        state.answer_id = answer.id
        state.project_id = project.id
        reported = make_thread(project.board, author,
                               title="Sind Großraumbüros für alle das Richtige?",
                               body="Wer das anders sieht, hat keine Ahnung von Arbeit.")
        state.reported_thread_path = f"/fragen/{reported.id}-{reported.slug}"
        db.session.remove()

    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    stop_outbox = threading.Event()

    def send_outbox():  # the mail worker, as `flask forum outbox run` in production
        with app.app_context():
            mails.run_forever(interval=0.2, stop=stop_outbox)

    outbox_worker = threading.Thread(target=send_outbox, daemon=True)
    outbox_worker.start()
    try:
        yield state
    finally:
        stop_outbox.set()
        outbox_worker.join(timeout=5)
        server.shutdown()
        worker.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live):
    return live.url


# --- every page stays on the live server ----------------------------------------------------

@dataclass
class Traffic:
    requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)


@pytest.fixture(autouse=True)
def traffic(context, base_url):
    """Record every request and console error of the test's browser context; at the end, no
    request may have left the live server and no page may have logged an error (a CSP
    violation, for one). A test expecting an error status removes its message itself."""
    seen = Traffic()
    context.on("request", lambda request: seen.requests.append(request.url))

    def on_page(page):
        page.on("console", lambda msg: seen.console_errors.append(msg.text)
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: seen.console_errors.append(str(exc)))

    context.on("page", on_page)
    yield seen
    offsite = [u for u in seen.requests
               if not (u.startswith(base_url + "/") or u.startswith("data:"))]
    assert seen.requests, "no request recorded"
    assert not offsite, f"requests leaving the live server: {offsite}"
    assert not seen.console_errors, f"console errors: {seen.console_errors}"


# --- helpers --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in {ROOT}")
    return AXE_JS.read_text(encoding="utf-8")


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '')}"
                         .replace("\n", " | "))
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture
def check_axe(axe_source):
    """check_axe(page): zero WCAG 2.1 A/AA violations on the page as it is now."""

    def run(page, label: str = "") -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # page.evaluate runs through the DevTools protocol, so the page's CSP (which
            # blocks injected <script> elements) does not apply.
            page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(r => ({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
            " help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map(n => ({target: n.target,"
            " html: n.html, failureSummary: n.failureSummary}))})), passes: r.passes.length}))",
            WCAG_TAGS,
        )
        violations = result["violations"]
        where = label or page.url
        assert not violations, (
            f"axe: {len(violations)} violation(s) on {where}\n{format_violations(violations)}"
        )
        assert result["passes"] > 0, f"axe checked nothing on {where}"

    return run


@pytest.fixture
def log_in():
    """log_in(page, email[, password]) through the login form, as a person would."""

    def run(page, email: str, password: str = PASSWORD) -> None:
        page.goto("/konto/anmelden")
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort", exact=True).fill(password)
        page.get_by_role("button", name="Anmelden", exact=True).click()
        page.get_by_text("Sie sind angemeldet.").wait_for()

    return run


@pytest.fixture
def log_out():
    def run(page) -> None:
        page.get_by_role("button", name="Abmelden").click()
        page.get_by_text("Sie sind abgemeldet.").wait_for()

    return run


@pytest.fixture
def take_time():
    """take_time(page): a person needs a moment to fill a form; wait out the minimum fill time
    of the spam defence before sending the ask or register form."""

    def run(page) -> None:
        page.wait_for_timeout(MIN_FILL_SECONDS * 1000 + 100)

    return run


@pytest.fixture
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
