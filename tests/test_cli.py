"""The ``arsip`` CLI contract for the commands that need no Prefect run."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.errors import CatalogUnavailable, IntegrityFailure, NotFound
from archive.store import ArchiveLayout, file_document, sha256_bytes
from flows import cli
from flows.app.inbox import IngestBusy
from flows.app.indexing import reindex
from flows.service.files import ServiceRunning
from index import IndexBusy, QueryError
from tasks.errors import ToolMissing
from tests.support.records import document_record


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("ARSIP_HOME", str(home))
    layout = ArchiveLayout(home)
    layout.ensure()
    target = layout.document_dir(2022, "surat", "0123456789abcdef")
    text = b"Undangan rapat koordinasi pemutakhiran data pemilih"
    file_document(
        layout,
        target,
        {"original.txt": text, "text.txt": text},
        expected={"original.txt": sha256_bytes(text)},
    )
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    catalog.add_document(
        document_record(
            sha256=sha256_bytes(text),
            source_name="surat.txt",
            mime="text/plain",
            number="123/PP.01-SD/06/KPU-Kab/2022",
            year=2022,
            title="Undangan Rapat",
            text_source="plain",
            access="terbuka",
            archive_path=str(target.relative_to(home)),
            received_at=datetime(2022, 1, 5, tzinfo=UTC),
        ),
        [],
    )
    reindex(layout, catalog)
    catalog.close()
    return home


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    code = cli.main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_show_list_search_verify(home: Path, capsys: pytest.CaptureFixture[str]):
    code, doc = _run(capsys, "show", "0123456789abcdef")
    assert code == 0 and isinstance(doc, dict)
    for key in (
        "id",
        "sha256",
        "source_name",
        "mime",
        "doc_type",
        "doc_type_confidence",
        "number",
        "date",
        "unit",
        "title",
        "pages",
        "text_source",
        "ocr_confidence",
        "flags",
        "access",
        "archive_path",
        "received_at",
    ):
        assert key in doc, key
    code, rows = _run(capsys, "list")
    assert code == 0 and [r["id"] for r in rows] == ["0123456789abcdef"]  # type: ignore[union-attr]
    code, found = _run(capsys, "search", "koordinasi")
    assert code == 0 and found["hits"][0]["id"] == "0123456789abcdef"  # type: ignore[index]
    assert "<mark>" in found["hits"][0]["snippet"]  # type: ignore[index]
    code, report = _run(capsys, "verify")
    assert code == 0 and report == {"checked": 2, "problems": []}


def test_exit_codes_come_from_the_error_classes(home: Path, capsys: pytest.CaptureFixture[str]):
    # The codes the README documents, taken from the classes that raise them.
    assert (NotFound.exit_code, QueryError.exit_code, ToolMissing.exit_code) == (3, 2, 4)
    assert (IntegrityFailure.exit_code, CatalogUnavailable.exit_code) == (5, 6)
    assert IngestBusy.exit_code == IndexBusy.exit_code == ServiceRunning.exit_code == 75
    assert cli.main(["show", "tidak-ada"]) == NotFound.exit_code
    assert "no document" in capsys.readouterr().err
    assert cli.main(["search", '"kutipan tanpa tutup']) == QueryError.exit_code
    with pytest.raises(SystemExit) as info:
        cli.main(["tidak-ada-perintah"])
    assert info.value.code == 2


def test_verify_fails_on_a_corrupted_archive(home: Path, capsys: pytest.CaptureFixture[str]):
    original = next((home / "archive").rglob("original.txt"))
    original.write_bytes(b"diubah")
    code, report = _run(capsys, "verify")
    assert code == 1
    assert [p["kind"] for p in report["problems"]] == ["corrupt"]  # type: ignore[index]


def test_doctor_reports_every_tool(home: Path, capsys: pytest.CaptureFixture[str]):
    code, checks = _run(capsys, "doctor", "--no-service")
    assert code == 0
    names = {c["name"] for c in checks}  # type: ignore[union-attr]
    assert names == {
        "tesseract",
        "tesseract languages",
        "poppler-utils",
        "libmagic",
        "disk space",
        "data root writable",
        "index vs catalog",
        "quarantine backlog",
        "leftovers of killed runs",
    }


# What `arsip search` must not load (issue #15): each costs a tenth of a second or more
# at every start, and a search at the shell needs none of them. Snippets are read from
# the folder the index stores with each hit, so not even the catalog's database library.
_NOT_FOR_SEARCH = {"prefect", "PIL", "pytesseract", "magic", "pikepdf", "fastapi", "sqlalchemy"}
_SEARCH_LOADS = (
    "import contextlib, io, json, sys\n"
    "from flows import cli\n"
    "out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out):\n"
    "    code = cli.main(sys.argv[1:])\n"
    "loaded = sorted({name.split('.')[0] for name in sys.modules})\n"
    "print(json.dumps({'code': code, 'answer': json.loads(out.getvalue()), 'loaded': loaded}))\n"
)


def _search_loads(*argv: str) -> tuple[dict[str, object], set[str]]:
    """A search in a fresh interpreter, as at the shell: its answer and the packages loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _SEARCH_LOADS, "search", *argv, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["code"] == 0, data
    return data["answer"], set(data["loaded"])


def test_search_loads_no_prefect_ocr_or_magic(home: Path):
    answer, loaded = _search_loads("koordinasi")
    assert "<mark>" in answer["hits"][0]["snippet"]  # type: ignore[index]
    assert loaded & _NOT_FOR_SEARCH == set()
    answer, loaded = _search_loads("koordinasi", "--year", "1999")
    assert answer["total"] == 0
    assert loaded & _NOT_FOR_SEARCH == set()
