"""``index`` is a leaf package: stdlib, Whoosh and Sastrawi only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import index

ALLOWED = set(sys.stdlib_module_names) | {"whoosh", "Sastrawi", "index", "__future__"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_index_imports_only_stdlib_whoosh_and_sastrawi() -> None:
    package = Path(index.__file__).parent
    for path in package.glob("*.py"):
        assert _imports(path) <= ALLOWED, path.name


def test_public_api_is_exported() -> None:
    for name in index.__all__:
        assert hasattr(index, name), name
