"""``arsip review``: the queue's decisions from the command line, run through the real
entry point (``flows.cli.main``) on a data root the web app would open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.catalog import Catalog
from flows import cli
from tests.web.review_fixtures import LETTER_IDS, MULTIPAGE_ID, PERSONAL_ID, review_home


@pytest.fixture
def home(template_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = review_home(template_home, tmp_path)
    monkeypatch.setenv("ARSIP_HOME", str(root))
    monkeypatch.setenv("ARSIP_ROLE", "ppid")
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object, str]:
    code = cli.main([*argv, "--json"])
    out = capsys.readouterr()
    return code, json.loads(out.out) if out.out.strip() else None, out.err


def _catalog(home: Path) -> Catalog:
    return Catalog(f"sqlite:///{home / 'catalog.db'}")


def test_review_open_confirm_done_empty_the_queue(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    code, queue, _ = _run(capsys, "review", "list")
    assert code == 0 and isinstance(queue, list)
    assert set(LETTER_IDS) <= {r["id"] for r in queue}
    code, opened, _ = _run(capsys, "review", "open", *LETTER_IDS[:3])
    assert code == 0 and opened == {
        "action": "open", "done": list(LETTER_IDS[:3]), "failed": [], "indexed": True,
    }  # fmt: skip
    code, typed, _ = _run(capsys, "review", "confirm-type", LETTER_IDS[3], "--type", "surat")
    assert code == 0 and typed["done"] == [LETTER_IDS[3]]  # type: ignore[index]
    code, done, _ = _run(capsys, "review", "done", LETTER_IDS[4], PERSONAL_ID)
    assert code == 0 and done["done"] == [LETTER_IDS[4], PERSONAL_ID]  # type: ignore[index]
    _, after, _ = _run(capsys, "review", "list")
    assert not {*LETTER_IDS, PERSONAL_ID} & {r["id"] for r in after}  # type: ignore[union-attr]
    catalog = _catalog(home)
    try:
        assert catalog.get(LETTER_IDS[0]).access == "terbuka"  # type: ignore[union-attr]
        assert catalog.get(LETTER_IDS[3]).doc_type == "surat"  # type: ignore[union-attr]
        for doc_id in LETTER_IDS[:3]:
            [event] = catalog.events(document_id=doc_id, kind="perubahan_akses")
            assert event.detail["by"].startswith("cli:") and event.detail["role"] == "ppid"
    finally:
        catalog.close()
    monkeypatch.setenv("ARSIP_ROLE", "petugas")  # the desk finds what the PPID opened
    code, found, _ = _run(capsys, "search", "silaturahmikoordinasi")
    assert code == 0 and {h["id"] for h in found["hits"]} == set(LETTER_IDS[:3])  # type: ignore[index]


def test_refusals_and_usage_errors_set_the_exit_code(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    code, data, err = _run(capsys, "review", "done", MULTIPAGE_ID, "ffffffffffffffff")
    assert code == 1 and "1 of 2 document(s) refused" in err
    assert data["done"] == [MULTIPAGE_ID]  # type: ignore[index]
    assert data["failed"][0]["id"] == "ffffffffffffffff"  # type: ignore[index]
    code, _, err = _run(capsys, "review", "confirm-type", LETTER_IDS[0], "--type", "novel")
    assert code == 2 and "tidak dikenal" in err
    monkeypatch.setenv("ARSIP_ROLE", "admin")
    code, data, err = _run(capsys, "review", "open", LETTER_IDS[0])
    assert code == 1 and "Hanya Pejabat PPID" in data["failed"][0]["error"]  # type: ignore[index]
    monkeypatch.setenv("ARSIP_ROLE", "petugas")
    code, data, _ = _run(capsys, "review", "done", LETTER_IDS[0])  # not open: hidden
    assert code == 1 and "tidak ditemukan" in data["failed"][0]["error"]  # type: ignore[index]
