"""DESIGN.md's dependency rules, checked on the source.

Leaves (``tasks``, ``archive``, ``index``) -> the application layer (``flows.app``, with
``flows.settings``) -> the Prefect flows (``flows/*.py``, ``flows.service``), the web app
(``web``) and the CLI (``flows.cli``) on top. Nothing imports upward, the web app and the
Prefect flows never import each other, there is no import cycle, and each outside tool
is imported in exactly one module (which turns its errors into ours).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEAVES = ("tasks", "archive", "index")
FRAMEWORKS = {"prefect", "fastapi", "starlette", "uvicorn"}
# Generates test and demo documents; it uses PDF/image libraries to *write* samples.
SAMPLE_GENERATOR = "flows/demo/render.py"
MIGRATIONS = {str(p.relative_to(ROOT)) for p in (ROOT / "archive" / "migrations").rglob("*.py")}
# The web framework stays inside the web app.
WEB_MODULES = {str(p.relative_to(ROOT)) for p in (ROOT / "web").rglob("*.py")}
TOOL_OWNERS = {
    "magic": {"tasks/detect.py"},
    "pytesseract": {"tasks/tesseract.py"},
    "pikepdf": {"tasks/pdf.py", SAMPLE_GENERATOR},
    "img2pdf": {"tasks/image_pdf.py", SAMPLE_GENERATOR},
    # Schema changes: the migrations, and the one module that runs them.
    "alembic": {"archive/db.py"} | MIGRATIONS,
    # PDF writing: the redacted public copy's pages and the published DIK (and samples).
    # ... and the letters, formulir and yearly report of information requests.
    "fpdf": {
        "tasks/redact.py",
        "flows/app/publish.py",
        "flows/app/request_pdf.py",
        SAMPLE_GENERATOR,
    },
    "docx": {"tasks/extract.py", SAMPLE_GENERATOR},
    "fastapi": WEB_MODULES,
    "starlette": WEB_MODULES,
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Full dotted names imported by ``path`` (``from a.b import c`` gives ``a.b`` and
    ``a.b.c``); with ``top_level_only``, imports inside functions are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _roots(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def _sources(*packages: str) -> Iterator[Path]:
    for pkg in packages or (*LEAVES, "flows", "web"):
        yield from (ROOT / pkg).rglob("*.py")


def _is_under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("package", LEAVES)
def test_leaf_packages_import_no_framework_and_no_sibling(package: str) -> None:
    siblings = set(LEAVES) - {package}
    for path in _sources(package):
        bad = _roots(_imports(path)) & (FRAMEWORKS | siblings | {"flows", "web"})
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_application_layer_imports_only_leaves_and_settings() -> None:
    allowed = (*LEAVES, "flows.app", "flows.settings")
    for path in _sources("flows/app"):
        ours = {n for n in _imports(path) if _roots({n}) & {"flows", "web", *LEAVES}}
        bad = {n for n in ours if not _is_under(n, allowed)}
        bad |= _roots(_imports(path)) & FRAMEWORKS
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_web_imports_the_application_layer_never_the_flows() -> None:
    allowed = (*LEAVES, "flows.app", "flows.settings", "web")
    for path in _sources("web"):
        ours = {n for n in _imports(path) if _roots({n}) & {"flows", "web", *LEAVES}}
        bad = {n for n in ours if not _is_under(n, allowed)} | (
            _roots(_imports(path)) & {"prefect"}
        )
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_prefect_flows_and_service_never_import_web_or_cli() -> None:
    for path in _sources("flows"):
        rel = path.relative_to(ROOT)
        if rel.parts[1] in ("cli", "app", "demo"):
            continue
        bad = {n for n in _imports(path) if _is_under(n, ("web", "flows.cli"))}
        assert not bad, f"{rel} imports {sorted(bad)}"


def _depends_on(path: Path, modules: set[str]) -> set[str]:
    """Our modules that ``path`` imports, at the top or inside a function (an import moved
    into a function to dodge a cycle is still a cycle); ``from pkg import submodule`` needs
    the submodule, not the package's ``__init__`` (which may import the importer itself)."""
    names = _imports(path)
    used = {n for n in names if n in modules}
    return {n for n in used if not any(m.startswith(n + ".") and m in used for m in used)}


def test_no_import_cycle_between_our_modules() -> None:
    modules = {_module(p): p for p in _sources()}
    graph = {name: _depends_on(path, set(modules)) - {name} for name, path in modules.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            assert state.get(nxt) != 1, "import cycle: " + " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])


def test_each_outside_tool_has_one_owner() -> None:
    for path in _sources():
        rel = str(path.relative_to(ROOT))
        for tool in _roots(_imports(path)) & set(TOOL_OWNERS):
            assert rel in TOOL_OWNERS[tool], f"{rel} imports {tool}"


def test_whoosh_only_inside_index() -> None:
    for path in _sources():
        rel = str(path.relative_to(ROOT))
        if {"whoosh", "Sastrawi"} & _roots(_imports(path)):
            assert rel.startswith("index/"), rel


def test_sqlalchemy_only_inside_archive() -> None:
    for path in _sources():
        rel = str(path.relative_to(ROOT))
        if "sqlalchemy" in _roots(_imports(path)):
            assert rel.startswith("archive/"), rel


def test_the_rules_see_real_imports() -> None:
    """The checks above would pass on an empty tree: make sure they read the code."""
    assert "flows.app.ingest" in _imports(ROOT / "flows/ingest.py")
    assert "prefect" in _roots(_imports(ROOT / "flows/ingest.py"))
    assert any(True for _ in _sources("flows/app"))
