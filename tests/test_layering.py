"""DESIGN.md's dependency rules, checked on the source: leaf packages stay leaves, and each
outside tool is imported in exactly one module (which turns its errors into ours)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEAVES = ("tasks", "archive", "index")
FORBIDDEN_IN_LEAVES = ("prefect", "fastapi", "starlette", "flows", "web")
# Generates test and demo documents; it uses PDF/image libraries to *write* samples.
SAMPLE_GENERATOR = "flows/samples/render.py"
# The exemption register's modules that own tables or run its transactions.
EXEMPTION_TABLES = ("store", "bases", "register", "proposal", "lifecycle")
MIGRATIONS = {str(p.relative_to(ROOT)) for p in (ROOT / "archive" / "migrations").rglob("*.py")}
# The web framework stays inside the web app.
WEB_MODULES = {str(p.relative_to(ROOT)) for p in (ROOT / "web").rglob("*.py")}
TOOL_OWNERS = {
    "magic": {"tasks/detect.py"},
    "pytesseract": {"tasks/ocr.py"},
    "pdf2image": {"tasks/ocr.py"},
    "pikepdf": {"tasks/pdf.py", SAMPLE_GENERATOR},
    "img2pdf": {"tasks/pdf.py", SAMPLE_GENERATOR},
    "sqlalchemy": {
        f"archive/{m}.py"
        for m in (
            "db",
            "models",
            "catalog",
            "accounts",
            "audit",
            "custody/handover",
            "custody/hardcopy",
        )
    }
    | {f"archive/exemption_{m}.py" for m in EXEMPTION_TABLES}
    | MIGRATIONS,
    # Schema changes: the migrations, and the one module that runs them.
    "alembic": {"archive/db.py"} | MIGRATIONS,
    # PDF writing: the redacted public copy's pages and the published DIK (and samples).
    "fpdf": {"tasks/redact.py", "flows/publish.py", SAMPLE_GENERATOR},
    "docx": {"tasks/extract.py", SAMPLE_GENERATOR},
    "fastapi": WEB_MODULES,
    "starlette": WEB_MODULES,
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _sources() -> list[Path]:
    return [p for pkg in (*LEAVES, "flows", "web") for p in (ROOT / pkg).rglob("*.py")]


@pytest.mark.parametrize("package", LEAVES)
def test_leaf_packages_import_no_framework_and_no_sibling(package: str):
    siblings = set(LEAVES) - {package}
    for path in (ROOT / package).rglob("*.py"):
        bad = _imports(path) & (set(FORBIDDEN_IN_LEAVES) | siblings)
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_each_outside_tool_has_one_owner():
    for path in _sources():
        rel = str(path.relative_to(ROOT))
        for tool in _imports(path) & set(TOOL_OWNERS):
            assert rel in TOOL_OWNERS[tool], f"{rel} imports {tool}"


def test_whoosh_only_inside_index():
    for path in _sources():
        rel = str(path.relative_to(ROOT))
        if {"whoosh", "Sastrawi"} & _imports(path):
            assert rel.startswith("index/"), rel
