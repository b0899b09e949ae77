"""The written layering rules (docs/ARCHITECTURE.md), checked with `ast`.

Every import counts: at module level, inside functions and under `if TYPE_CHECKING:`. The
checker takes a package root, so the tests at the bottom point it at small fake trees with
one forbidden edge each and show that it reports every kind.

    views        -> forms, services, permissions, enums, labels, markup, ratelimits,
                    site_pages, jinja (safe_next, author_badge only), mails (external_url only)
    services     -> permissions, models, markup, extensions, enums, labels, site_pages,
                    mails (external_url only)
    permissions  -> models, enums
    models       -> extensions, enums
    forms        -> enums, labels
    labels       -> enums
    enums, markup, extensions, site_pages, security -> nothing of the package
    (each layer may import its own modules; cli, jinja, mails, errors and ratelimits have
    rules of their own in MAY_IMPORT)

Nothing but the app factory (`forum/__init__.py`) and views import views; nobody imports the
app factory; only markup imports a sanitiser; services, permissions, models, forms, markup,
enums, labels and site_pages never touch request, session, g, flash, templates or
current_user; views and forms never import SQLAlchemy; no module imports itself back
through others; no module reaches into another module's `_private` names; no module is over
500 lines; and every module belongs to a layer with a rule here (a new root module needs one).
"""

import ast
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

import pytest

FORUM = Path(__file__).resolve().parent.parent / "forum"

ANY = None  # every name of the target may be imported
APP = "app"  # the layer of the package itself: forum/__init__.py, the app factory
ONLY_VIA_FACTORY = "views"  # imported by the app factory and by views only, see below

# layer -> {layer it may import: the names it may take from it (ANY: all, whole module too)}
# Every layer may also import its own modules (a layer may be a package: permissions/), and
# the app factory (layer APP) may import anything: it wires the app together.
MAY_IMPORT: dict[str, dict[str, frozenset[str] | None]] = {
    "views": {
        "forms": ANY, "services": ANY, "permissions": ANY, "enums": ANY,
        "labels": ANY, "markup": ANY, "ratelimits": ANY, "site_pages": ANY,
        # author_badge: the API gives each post the badge the page shows, from one rule;
        # thread_posts: a question page's posts, rendered once per person and generation;
        # blank_form: a form as first shown, rendered once per generation and language
        "jinja": frozenset({"safe_next", "author_badge", "thread_posts", "blank_form"}),
        "mails": frozenset({"external_url"}),
        # the moderator's queue count in every page's header, once per generation and scope;
        # the start page's content, the same for everybody
        "fragment_cache": frozenset({"cached", "rendered"}),
    },
    "services": {
        "permissions": ANY, "models": ANY, "markup": ANY, "extensions": ANY,
        "enums": ANY, "labels": ANY, "site_pages": ANY, "mails": frozenset({"external_url"}),
        "personal_data": ANY,
    },
    "permissions": {"models": ANY, "enums": ANY},
    "models": {"extensions": ANY, "enums": ANY},
    "forms": {"enums": ANY, "labels": ANY},
    "labels": {"enums": ANY},
    "enums": {},
    "markup": {},
    "extensions": {},
    "site_pages": {},
    "security": {},
    # the registry of personal data: a leaf beside the vocabulary that services and the CLI
    # read (export, deletion, retention, the Datenschutz page)
    "personal_data": {"enums": ANY},
    # Root modules beside the layers. cli is a driver like the views, but may run queries.
    "cli": {
        "services": ANY, "models": ANY, "extensions": ANY, "permissions": ANY, "enums": ANY,
        "labels": ANY, "markup": ANY, "site_pages": ANY, "mails": ANY, "personal_data": ANY,
    },
    # jinja serves the templates the views render, so it sits beside the views: it may ask
    # services (unread counts, watches) but, like a view, takes only utcnow from models.
    "jinja": {
        "services": ANY, "permissions": ANY, "enums": ANY, "labels": ANY, "markup": ANY,
        "site_pages": ANY, "models": frozenset({"utcnow"}), "mails": frozenset({"external_url"}),
        "page_cache": frozenset({"valid_until"}),
        "fragment_cache": frozenset({"cached", "valid_until"}),
        "forms": frozenset({"new_once_key"}),  # a cached blank form's new one-time key
        "template_gettext": frozenset({"install"}),
    },
    # the templates' gettext: Flask-Babel's catalogues, nothing of the package
    "template_gettext": {},
    # the page cache for anonymous visitors: reads the site generation (a service) first
    "page_cache": {"services": ANY, "models": frozenset({"utcnow"})},
    # parts of pages that are the same for everybody, keyed by the site generation too
    "fragment_cache": {"services": ANY, "page_cache": frozenset({"valid_until"})},
    # mails is the outbox worker (above services: it asks services.notifications whether a
    # notification is still public) plus external_url, the one name services and views take.
    "mails": {"services": ANY, "models": ANY, "extensions": ANY, "enums": ANY, "markup": ANY},
    "errors": {"extensions": ANY},  # a 500 rolls the session back
    "ratelimits": {"extensions": ANY},
    # log redaction: reads only the app's url_map, for gunicorn's access log and Flask's
    "access_log": {},
    # when a pooled database connection is tried before use: SQLAlchemy's pool events only
    "connection_check": {},
    # whether a checkout reads without a transaction: the request's method, no data
    "read_only_requests": {},
}

NO_QUERIES = {"views", "forms"}  # never import SQLAlchemy
SANITISERS = {"nh3", "bleach"}
SANITISER_LAYER = "markup"
REQUEST_FREE = {"services", "permissions", "models", "forms", "markup", "enums", "labels",
                "site_pages", "personal_data"}
REQUEST_GLOBALS = {"request", "session", "g", "flash", "get_flashed_messages",
                   "render_template", "render_template_string", "current_user", "login_user",
                   "logout_user"}
REQUEST_PACKAGES = {"flask", "flask_login"}
MAX_LINES = 500


# --- reading the package --------------------------------------------------------------

@dataclass(frozen=True)
class Edge:
    source: str  # dotted module name, e.g. forum.views.auth
    target: str  # dotted module name, e.g. forum.models or sqlalchemy.orm
    names: frozenset[str] | None  # imported names; None: the module itself
    where: str  # forum/views/auth.py:12
    in_function: bool


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


def find_modules(root: Path) -> dict[str, Path]:
    """Dotted name -> file for every module of the package at `root`."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


class _Imports(ast.NodeVisitor):
    def __init__(self, module: str, path: Path, root: Path, known: dict[str, Path]):
        self.module, self.path, self.known = module, path, known
        self.rel = path.relative_to(root.parent).as_posix()
        self.package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        self.depth = 0
        self.edges: list[Edge] = []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def _add(self, node, target: str, names) -> None:
        self.edges.append(Edge(self.module, target, names, f"{self.rel}:{node.lineno}",
                               self.depth > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name, None)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        names = set()
        for alias in node.names:
            if f"{module}.{alias.name}" in self.known:  # `from forum import labels`
                self._add(node, f"{module}.{alias.name}", None)
            else:
                names.add(alias.name)
        if names:
            self._add(node, module, frozenset(names))


def read_imports(root: Path) -> tuple[dict[str, Path], list[Edge]]:
    known = find_modules(root)
    edges = []
    for module, path in known.items():
        visitor = _Imports(module, path, root, known)
        visitor.visit(ast.parse(path.read_text(), str(path)))
        edges += visitor.edges
    return known, edges


def layer_of(module: str, package: str) -> str | None:
    """forum -> app; forum.views.auth -> views; forum.jinja -> jinja; outside -> None."""
    if module == package:
        return APP
    if module.startswith(package + "."):
        return module.split(".")[1]
    return None


# --- the rules --------------------------------------------------------------------------

def check(root: Path) -> list[Violation]:
    """Every broken rule in the package at `root` (a directory named like the package)."""
    package = root.name
    known, edges = read_imports(root)
    found: list[Violation] = []

    for module, path in known.items():
        layer = layer_of(module, package)
        if layer != APP and layer not in MAY_IMPORT:
            found.append(Violation("unruled", path.relative_to(root.parent).as_posix(),
                                   f"{module} belongs to no layer with a rule; add one to "
                                   "MAY_IMPORT in tests/test_architecture.py"))
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            found.append(Violation("size", path.relative_to(root.parent).as_posix(),
                                   f"{lines} lines; split it by sub-noun (at most {MAX_LINES})"))

    for edge in edges:
        found += _check_edge(edge, package)
    for module, path in known.items():
        if layer_of(module, package) in REQUEST_FREE:
            found += _request_attributes(module, path, root)
    for module, path in known.items():
        found += _private_reach(module, path, root, known)
    found += _cycles(edges, known)
    return found


def _describe(edge: Edge) -> str:
    names = f" ({', '.join(sorted(edge.names))})" if edge.names else ""
    inside = ", inside a function" if edge.in_function else ""
    return f"{edge.source} imports {edge.target}{names}{inside}"


def _check_edge(edge: Edge, package: str) -> list[Violation]:
    layer = layer_of(edge.source, package)
    target = layer_of(edge.target, package)
    top = edge.target.split(".")[0]
    found = []
    if target is None:  # outside the package
        if top in SANITISERS and layer != SANITISER_LAYER:
            found.append(Violation("sanitiser", edge.where,
                                   f"{_describe(edge)}: only {SANITISER_LAYER} sanitises"))
        if top == "sqlalchemy" and layer in NO_QUERIES:
            found.append(Violation("layers", edge.where,
                                   f"{_describe(edge)}: {layer} run no queries"))
        if top in REQUEST_PACKAGES and layer in REQUEST_FREE:
            touched = REQUEST_GLOBALS & (edge.names or set())
            if touched:
                found.append(Violation("request", edge.where,
                                       f"{_describe(edge)}: {layer} take what they need as "
                                       f"arguments, never {', '.join(sorted(touched))}"))
        return found
    if target == ONLY_VIA_FACTORY:
        if layer not in (APP, ONLY_VIA_FACTORY):
            found.append(Violation("views", edge.where, f"{_describe(edge)}: nothing but the "
                                   "app factory and views import views"))
        return found
    if layer == APP or layer not in MAY_IMPORT or target == layer:
        return found  # the factory may import anything; an unruled module is reported above
    allowed = MAY_IMPORT[layer]
    if target not in allowed:
        what = "the app factory" if target == APP else target
        found.append(Violation("layers", edge.where,
                               f"{_describe(edge)}: {layer} may not import {what}"))
        return found
    names = allowed[target]
    if names is not ANY:
        extra = sorted((edge.names or {"the whole module"}) - names)
        if extra:
            found.append(Violation("layers", edge.where,
                                   f"{_describe(edge)}: {layer} may take only "
                                   f"{', '.join(sorted(names))} from {target}, not "
                                   f"{', '.join(extra)}"))
    return found


def _request_attributes(module: str, path: Path, root: Path) -> list[Violation]:
    """`import flask` ... `flask.request`: request globals reached through the module."""
    tree = ast.parse(path.read_text(), str(path))
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {a.asname or a.name.split(".")[0] for a in node.names
                        if a.name.split(".")[0] in REQUEST_PACKAGES}
        elif isinstance(node, ast.ImportFrom) and node.module in REQUEST_PACKAGES:
            aliases |= {a.asname or a.name for a in node.names if a.name == "globals"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in REQUEST_GLOBALS:
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in aliases:
                where = f"{path.relative_to(root.parent).as_posix()}:{node.lineno}"
                found.append(Violation("request", where, f"{module} uses {ast.unparse(node)}: "
                                       "take what is needed as an argument"))
    return found


def _private_reach(module: str, path: Path, root: Path, known) -> list[Violation]:
    """`from .moderation import _claim` or `moderation._claim(...)` from another module: a
    building block another module needs is a public function of its own module."""
    tree = ast.parse(path.read_text(), str(path))
    rel = path.relative_to(root.parent).as_posix()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    bound = set()  # local names of the package's modules
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound |= {a.asname for a in node.names if a.asname and a.name in known}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                if f"{source}.{alias.name}" in known:
                    bound.add(alias.asname or alias.name)
                elif source in known and _private(alias.name) and source != module:
                    found.append(Violation("private", f"{rel}:{node.lineno}",
                                           f"{module} imports {alias.name} from {source}"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr)
                and isinstance(node.value, ast.Name) and node.value.id in bound):
            found.append(Violation("private", f"{rel}:{node.lineno}",
                                   f"{module} uses {ast.unparse(node)}"))
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _cycles(edges: list[Edge], known: dict[str, Path]) -> list[Violation]:
    """One cycle (with the path and each import's place) per strongly connected group."""
    graph: dict[str, dict[str, Edge]] = defaultdict(dict)
    for edge in edges:
        if edge.target in known and edge.target != edge.source:
            graph[edge.source].setdefault(edge.target, edge)
    found = []
    for group in _strongly_connected(sorted(known), graph):
        if len(group) < 2:
            continue
        start = min(group)
        path = _shortest_cycle(start, graph, group)
        hops = [graph[a][b] for a, b in zip(path, path[1:], strict=False)]
        places = ", ".join(f"{e.where}{' (in a function)' if e.in_function else ''}"
                           for e in hops)
        found.append(Violation("cycles", hops[0].where,
                               f"import cycle {' -> '.join(path)} [{places}]"
                               + (f"; the group also holds {', '.join(sorted(group - set(path)))}"
                                  if group - set(path) else "")))
    return found


def _strongly_connected(nodes, graph) -> list[set[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, {}))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, {})))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    groups.append(group)
    return groups


def _shortest_cycle(start: str, graph, group: set[str]) -> list[str]:
    came_from = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph.get(node, {})):
            if nxt == start:
                path = [node]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if nxt in group and nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def _broken(root: Path, rule: str) -> list[str]:
    return [str(v) for v in check(root) if v.rule == rule]


# --- the package ------------------------------------------------------------------------

def test_every_module_belongs_to_a_layer_with_a_rule():
    assert _broken(FORUM, "unruled") == []


def test_imports_follow_the_layers():
    assert _broken(FORUM, "layers") == []


def test_nothing_but_the_app_factory_imports_views():
    assert _broken(FORUM, "views") == []


def test_only_markup_imports_the_sanitiser():
    assert _broken(FORUM, "sanitiser") == []


def test_services_and_lower_layers_never_touch_request_session_or_templates():
    assert _broken(FORUM, "request") == []


def test_no_import_cycles():
    assert _broken(FORUM, "cycles") == []


def test_no_module_reaches_into_another_modules_private_names():
    assert _broken(FORUM, "private") == []


def test_no_module_over_500_lines():
    assert _broken(FORUM, "size") == []


# --- the checker, on fake trees ---------------------------------------------------------

GOOD = {
    "__init__.py": "def create_app():\n    from .views import topics\n    from . import cli\n",
    "enums.py": "import enum\n",
    "labels.py": "from flask_babel import lazy_gettext\nfrom .enums import enum\n",
    "markup.py": "import nh3\n",
    "extensions.py": "from flask import current_app, request\n",
    "site_pages.py": "FOOTER = ()\n",
    "mails.py": "from .models import User\n\ndef external_url(): ...\n\n"
                "def run_once():\n    from .services import notifications\n",
    "jinja.py": "from flask import request\nfrom . import enums, labels, permissions\n"
                "from .mails import external_url\n\n"
                "def days():\n    from .models import utcnow\n"
                "    from .services import notifications\n",
    "cli.py": "from sqlalchemy import select\nfrom .models import User\n"
              "from .services import accounts\nfrom . import mails\n",
    "errors.py": "from flask import render_template, request\nfrom .extensions import db\n",
    "models/__init__.py": "from ..enums import enum\nfrom .user import User\n",
    "models/user.py": "from ..extensions import db\n\ndef utcnow(): ...\n",
    "permissions.py": "import sqlalchemy as sa\nfrom werkzeug.exceptions import Forbidden\n"
                      "from .models import User\nfrom . import enums\n",
    "services/__init__.py": "class ServiceError(Exception): ...\n",
    "services/accounts.py": "from flask import current_app\nfrom .. import permissions\n"
                            "from ..extensions import db\nfrom ..mails import external_url\n"
                            "from . import ServiceError, notifications\n",
    "services/notifications.py": "import flask\n\ndef config():\n"
                                 "    return flask.current_app.config\n",
    "forms/__init__.py": "from flask_wtf import FlaskForm\n",
    "forms/topics.py": "from forum import labels\nfrom . import FlaskForm\n"
                       "from ..enums import enum\n",
    "views/__init__.py": "from flask import request\n",
    "views/topics.py": "from flask import flash, request\nfrom flask_login import current_user\n"
                       "from .. import permissions, ratelimits\nfrom ..forms.topics import x\n"
                       "from ..jinja import safe_next\nfrom ..mails import external_url\n"
                       "from ..markup import render\nfrom ..services import accounts\n"
                       "from .threads import detail\n",
    "views/threads.py": "def detail():\n    from forum.services import notifications\n",
    "ratelimits.py": "from flask_login import current_user\nfrom .extensions import limiter\n",
    "security.py": "from flask import Flask\n",
}


def _tree(base: Path, files: dict[str, str], package: str = "forum") -> Path:
    root = base / package
    for name, text in {**GOOD, **files}.items():
        if text is None:  # leave GOOD's module out
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(text.replace("forum", package) if package != "forum" else text)
    return root


def test_checker_passes_a_tree_that_follows_every_rule(tmp_path):
    assert [str(v) for v in check(_tree(tmp_path, {}))] == []


# (the bad module, the rule it breaks, words the report must contain)
BAD = {
    "view imports models": (
        {"views/topics.py": "from ..models import User\n"},
        "layers", "forum.views.topics imports forum.models (User): views may not import models"),
    "view imports models, function level": (
        {"views/topics.py": "def show():\n    from forum import models\n"},
        "layers", "imports forum.models, inside a function: views may not import models"),
    "view imports extensions": (
        {"views/topics.py": "from ..extensions import db\n"},
        "layers", "views may not import extensions"),
    "view imports sqlalchemy": (
        {"views/topics.py": "from sqlalchemy.orm import joinedload\n"},
        "layers", "imports sqlalchemy.orm (joinedload): views run no queries"),
    "view takes more than external_url from mails": (
        {"views/topics.py": "from ..mails import run_once\n"},
        "layers", "views may take only external_url from mails, not run_once"),
    "view imports the whole jinja module": (
        {"views/topics.py": "from .. import jinja\n"},
        "layers", "views may take only author_badge, blank_form, safe_next, thread_posts "
                  "from jinja, not the whole module"),
    "service imports request inside a function": (
        {"services/accounts.py": "def register():\n    from flask import request\n"},
        "request", "forum.services.accounts imports flask (request), inside a function"),
    "service reaches flask.session through the module": (
        {"services/accounts.py": "import flask as fl\n\ndef f():\n    return fl.session['x']\n"},
        "request", "forum.services.accounts uses fl.session"),
    "service imports current_user": (
        {"services/accounts.py": "from flask_login import current_user\n"},
        "request", "never current_user"),
    "service renders a template": (
        {"services/accounts.py": "from flask import current_app, render_template\n"},
        "request", "never render_template"),
    "permissions use current_user": (
        {"permissions.py": "from flask_login import current_user\n"},
        "request", "permissions take what they need as arguments"),
    "service imports forms": (
        {"services/accounts.py": "from ..forms.topics import x\n"},
        "layers", "services may not import forms"),
    "service imports views": (
        {"services/accounts.py": "def f():\n    from ..views import topics\n"},
        "views", "forum.services.accounts imports forum.views.topics, inside a function: "
                 "nothing but the app factory and views import views"),
    "jinja imports views": (
        {"jinja.py": "from .views.topics import helper\n"},
        "views", "forum.jinja imports forum.views.topics (helper)"),
    "service imports the app factory": (
        {"services/accounts.py": "from forum import create_app\n"},
        "layers", "services may not import the app factory"),
    "models import services": (
        {"models/user.py": "from ..services import ServiceError\n"},
        "layers", "models may not import services"),
    "models import permissions": (
        {"models/user.py": "def f():\n    from .. import permissions\n"},
        "layers", "models may not import permissions"),
    "permissions import services": (
        {"permissions.py": "from .services import accounts\n"},
        "layers", "permissions may not import services"),
    "enums import labels": (
        {"enums.py": "from .labels import x\n"},
        "layers", "enums may not import labels"),
    "labels import models": (
        {"labels.py": "from .models import User\n"},
        "layers", "labels may not import models"),
    "markup imports models": (
        {"markup.py": "import nh3\nimport forum.models.user\n"},
        "layers", "markup may not import models"),
    "forms import models": (
        {"forms/topics.py": "from ..models import User\n"},
        "layers", "forms may not import models"),
    "forms import services": (
        {"forms/topics.py": "from forum.services import accounts\n"},
        "layers", "forms may not import services"),
    "forms run queries": (
        {"forms/topics.py": "import sqlalchemy as sa\n"},
        "layers", "forms run no queries"),
    "extensions import models": (
        {"extensions.py": "from .models import User\n"},
        "layers", "extensions may not import models"),
    "errors import services": (
        {"errors.py": "from .services import accounts\n"},
        "layers", "errors may not import services"),
    "jinja takes more than utcnow from models": (
        {"jinja.py": "def f():\n    from .models import User\n"},
        "layers", "jinja may take only utcnow from models, not User"),
    "service imports the sanitiser": (
        {"services/accounts.py": "def clean():\n    import bleach\n"},
        "sanitiser", "forum.services.accounts imports bleach, inside a function"),
    "cycle a -> b -> a": (
        {"services/a.py": "from . import b\n", "services/b.py": "def f():\n    from . import a\n"},
        "cycles", "import cycle forum.services.a -> forum.services.b -> forum.services.a "
                  "[forum/services/a.py:1, forum/services/b.py:2 (in a function)]"),
    "cycle across three modules": (
        {"models/a.py": "from .b import x\n", "models/b.py": "from .c import y\n",
         "models/c.py": "from forum.models.a import z\n"},
        "cycles", "forum.models.a -> forum.models.b -> forum.models.c -> forum.models.a"),
    "root module without a rule": (
        {"helpers.py": "x = 1\n"},
        "unruled", "forum.helpers belongs to no layer with a rule"),
    "service calls another module's private function": (
        {"services/reports.py": "from . import accounts\n\ndef f():\n"
                                "    return accounts._claim()\n"},
        "private", "forum/services/reports.py:4: forum.services.reports uses accounts._claim"),
    "service imports another module's private name": (
        {"services/reports.py": "from .accounts import _claim\n"},
        "private", "forum.services.reports imports _claim from forum.services.accounts"),
    "module over 500 lines": (
        {"services/big.py": "x = 1\n" * 501},
        "size", "forum/services/big.py: 501 lines"),
}


@pytest.mark.parametrize("files, rule, words", BAD.values(), ids=BAD.keys())
def test_checker_reports_a_forbidden_edge(tmp_path, files, rule, words):
    found = check(_tree(tmp_path, files))
    broken = [str(v) for v in found if v.rule == rule]
    assert len(broken) == 1 and words in broken[0], broken
    # and no other rule, except that an edge pointing up usually closes a cycle as well
    assert {v.rule for v in found} - {rule, "cycles"} == set(), [str(v) for v in found]


def test_checker_lets_a_layer_that_is_a_package_import_its_own_modules(tmp_path):
    root = _tree(tmp_path, {"permissions.py": None,
                            "permissions/__init__.py": "from . import reasons\n"
                                                       "from ..models import User\n",
                            "permissions/reasons.py": "from flask_babel import lazy_gettext\n"})
    assert [str(v) for v in check(root)] == []


def test_checker_follows_the_package_name(tmp_path):
    root = _tree(tmp_path, {"views/topics.py": "from forum.models import User\n"},
                 package="fachforum")
    assert _broken(root, "layers") == [
        "fachforum/views/topics.py:1: fachforum.views.topics imports fachforum.models (User): "
        "views may not import models"]
