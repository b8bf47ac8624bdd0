"""Two overlapping ingest runs on one data root never both take a file: the second one
exits 75 (busy) or finds nothing left, and every file is archived exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.catalog import Catalog
from flows import demo
from flows.app.inbox import data_root_lock, run_lock

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
EXIT_BUSY = 75


def _env(home: Path, api: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.update(
        ARSIP_HOME=str(home),
        ARSIP_SETTLE_SECONDS="0",
        ARSIP_OCR_WORKERS="1",
        PREFECT_API_URL=api,
        PREFECT_HOME=str(home / ".prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="WARNING",
    )
    return env


def _start(home: Path, api: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ingest", "--json"],
        cwd=REPO,
        env=_env(home, api),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_overlapping_runs_archive_each_file_once(prefect_server: str, arsip_home: Path):
    inbox = arsip_home / "inbox"
    demo.write_scanned_pdf(demo.keputusan(), inbox / "keputusan-scan.pdf")
    demo.write_text_pdf(demo.sop(), inbox / "sop.pdf")
    demo.write_docx(demo.notulen(), inbox / "notulen.docx")
    demo.write_txt(demo.surat(), inbox / "surat.txt")
    runs = [_start(arsip_home, prefect_server) for _ in range(2)]
    outputs = [proc.communicate(timeout=300) for proc in runs]
    codes = [proc.returncode for proc in runs]

    assert set(codes) <= {0, EXIT_BUSY} and 0 in codes, outputs
    archived: list[str] = []
    for code, (out, err) in zip(codes, outputs, strict=True):
        if code == EXIT_BUSY:
            assert "another ingest run" in err
            continue
        results = json.loads(out)["results"]
        assert all(r["outcome"] == "archived" for r in results), results
        archived += [r["file"] for r in results]
    assert sorted(archived) == ["keputusan-scan.pdf", "notulen.docx", "sop.pdf", "surat.txt"]
    catalog = Catalog(f"sqlite:///{arsip_home / 'catalog.db'}")
    docs = list(catalog.iter_documents())
    assert len(docs) == 4
    assert all(len(catalog.receipts(d.id)) == 1 for d in docs)
    catalog.close()


def test_run_while_the_root_is_locked_exits_busy_and_touches_nothing(
    prefect_server: str, arsip_home: Path
):
    inbox = arsip_home / "inbox"
    demo.write_txt(demo.surat(), inbox / "surat.txt")
    with run_lock(data_root_lock(arsip_home)):
        proc = _start(arsip_home, prefect_server)
        _out, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_BUSY, err
    assert [p.name for p in inbox.iterdir()] == ["surat.txt"]
    assert not (arsip_home / "archive").exists() or not any((arsip_home / "archive").rglob("*.txt"))
