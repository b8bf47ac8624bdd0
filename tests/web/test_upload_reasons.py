"""Every quarantine reason code the code can write has an Indonesian explanation and an
action. The codes are read from the code itself (every ``Rejected(...)`` in tasks/ and
flows/app, every literal code given to a ``quarantine(...)``, the retriable ones), so a new
code without a text fails here."""

from __future__ import annotations

import ast
from pathlib import Path

from flows.app.recovery import RETRIABLE
from web.labels import QUARANTINE_REASONS, quarantine_reason

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("tasks", "flows/app")


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def reason_codes() -> set[str]:
    codes: set[str] = set(RETRIABLE) | {"unknown"}  # unknown: an unreadable reason file
    for path in (p for folder in SOURCES for p in (ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if _name(node) == "Rejected":
                code = _literal(node.args[0]) if node.args else None
                # A code that is not a literal would hide from this test: refuse it.
                assert code, f"{path}:{node.lineno}: Rejected() needs a literal code"
                codes.add(code)
            elif _name(node) == "quarantine" and len(node.args) >= 3:
                code = _literal(node.args[2])
                if code:
                    codes.add(code)
    return codes


def test_the_scan_finds_the_codes_of_every_layer():
    codes = reason_codes()
    assert {"corrupt", "encrypted", "zip_bomb", "too_many_pages"} <= codes  # tasks
    assert {"processing_error", "timeout"} <= codes  # flows/app
    assert len(codes) >= 10


def test_every_quarantine_reason_has_an_indonesian_text_and_an_action():
    missing = sorted(reason_codes() - set(QUARANTINE_REASONS))
    assert missing == [], f"no Indonesian text for quarantine reasons {missing}"
    for code, (explanation, action) in QUARANTINE_REASONS.items():
        assert explanation.endswith(".") and action.endswith("."), code
        assert explanation != action, code


def test_an_unknown_code_is_sent_to_the_admin():
    assert quarantine_reason("belum_ada") == QUARANTINE_REASONS["unknown"]
    assert "admin" in quarantine_reason(None)[1]
