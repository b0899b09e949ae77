"""Imports run one way: views -> forms, services, permissions; services -> permissions, models,
markup, extensions; permissions -> models; models -> extensions. Only markup imports nh3."""

import ast
from pathlib import Path

FORUM = Path(__file__).resolve().parent.parent / "forum"

FORBIDDEN = {
    "models": {"views", "services", "forms", "permissions", "markup"},
    "permissions": {"views", "services", "forms"},
    "services": {"views", "forms"},
    "forms": {"views", "services"},
    "markup": {"views", "services", "models", "forms", "permissions"},
}


def _layer(path: Path) -> str:
    parts = path.relative_to(FORUM).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against the package
                base = list(path.relative_to(FORUM).parent.parts)
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = [*base, *module.split(".")] if module else base
                found.add(target[0] if target else "")
                if not module:
                    found.update(alias.name for alias in node.names)
            elif module.startswith("forum."):
                found.add(module.split(".")[1])
            else:
                found.add(module)
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_import_layers_point_one_way():
    problems = []
    for path in FORUM.rglob("*.py"):
        layer = _layer(path)
        for target in _imports(path) & FORBIDDEN.get(layer, set()):
            problems.append(f"{path.relative_to(FORUM)} imports {target}")
    assert problems == []


def test_only_markup_imports_the_sanitiser():
    users = [p.relative_to(FORUM) for p in FORUM.rglob("*.py")
             if {"nh3", "bleach"} & _imports(p)]
    assert [str(p) for p in users] == ["markup.py"]


def test_services_never_touch_request_flash_or_templates():
    for path in (FORUM / "services").rglob("*.py"):
        source = path.read_text()
        for name in ("request", "flash", "render_template", "current_user"):
            assert f"import {name}" not in source and f", {name}" not in source, (path, name)


def test_no_module_over_500_lines():
    long = [str(p) for p in FORUM.rglob("*.py") if len(p.read_text().splitlines()) > 500]
    assert long == []
