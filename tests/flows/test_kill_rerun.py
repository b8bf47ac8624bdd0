"""Kill an ingest run with SIGKILL at awkward moments, re-run it, and compare with a clean run.

Principle 1 of DESIGN.md: a crash at any point, then a re-run, ends in the same state as an
uninterrupted run. The runs are real ``arsip ingest`` processes against the test server.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from prefect.settings import PREFECT_API_URL

from archive.catalog import Catalog
from archive.layout import ArchiveLayout, document_dirs
from flows import demo

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def source_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("kill-src")
    demo.write_scanned_pdf(demo.long_document(3), src / "laporan-scan.pdf")
    demo.write_scanned_pdf(demo.keputusan(), src / "keputusan.pdf")
    demo.write_image(demo.surat(), src / "surat.png", seed=5)
    demo.write_image(demo.berita_acara(), src / "berita-acara.jpg", seed=6)
    demo.write_image(demo.formulir_with_nik(), src / "formulir.tiff", seed=7)
    demo.write_text_pdf(demo.sop(), src / "sop.pdf")
    demo.write_docx(demo.notulen(), src / "notulen.docx")
    shutil.copy2(src / "sop.pdf", src / "sop-salinan.pdf")
    demo.write_random(src / "acak.bin")
    (src / "kosong.txt").write_bytes(b"")
    return src


def _home_with_inbox(root: Path, src: Path) -> Path:
    home = root / "data"
    shutil.copytree(src, home / "inbox")  # copy2 keeps mtimes: received_at is the same
    return home


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.update(
        ARSIP_HOME=str(home),
        ARSIP_SETTLE_SECONDS="0",
        ARSIP_OCR_WORKERS="2",
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
        PREFECT_HOME=str(home / ".prefect"),
        PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="WARNING",
    )
    return env


def _ingest(home: Path, kill_when: Callable[[Path], bool] | None = None) -> bool:
    """Run ``arsip ingest``; with ``kill_when``, SIGKILL its process group once it holds."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ingest", "--json"],
        cwd=REPO,
        env=_env(home),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if kill_when is None:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        return True
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        if kill_when(home):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.02)
    return False  # finished before the moment came: the test would prove nothing


def _ocr_started(home: Path) -> bool:
    return any((home / "cache" / "ocr").glob("*/page-*.json"))


def _first_archived(home: Path) -> bool:
    return any(document_dirs(ArchiveLayout(home)))


def _comparable(f: Path) -> bytes:
    """The file's bytes; for the searchable PDF (whose bytes carry creation times and a
    random /ID) its text layer, and its manifest line is left out for the same reason."""
    if f.name == "searchable.pdf":
        return subprocess.run(["pdftotext", str(f), "-"], capture_output=True, check=True).stdout
    if f.name == "manifest-sha256.txt":
        return b"".join(x for x in f.read_bytes().splitlines(True) if b"searchable" not in x)
    return f.read_bytes()


def _state(home: Path) -> dict[str, object]:
    layout = ArchiveLayout(home)
    files = {}
    for d in document_dirs(layout):
        for f in sorted(d.iterdir()):
            rel = str(f.relative_to(home))
            files[rel] = _comparable(f)
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    docs = [
        {k: v for k, v in d.to_json().items() if k not in ("archived_at", "released_at")}
        for d in catalog.iter_documents()
    ]
    receipts = {
        d["id"]: [(r.source_name, r.kind) for r in catalog.receipts(str(d["id"]))] for d in docs
    }
    events = sorted((e.document_id or e.sha256, e.kind) for e in catalog.events())
    catalog.close()
    quarantined = sorted(p.name for p in (home / "quarantine").iterdir())
    return {
        "files": files,
        "docs": docs,
        "receipts": receipts,
        "events": events,
        "inbox": sorted(p.name for p in (home / "inbox").iterdir()),
        "quarantine": quarantined,
    }


@pytest.fixture(scope="module")
def reference(source_files: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    home = _home_with_inbox(tmp_path_factory.mktemp("reference"), source_files)
    started = time.monotonic()
    _ingest(home)
    state = _state(home)
    assert state["inbox"] == []
    assert len(state["docs"]) == 7  # type: ignore[arg-type]
    return {**state, "seconds": time.monotonic() - started}


@pytest.mark.parametrize(
    "moment", [_ocr_started, _first_archived], ids=["during-ocr", "after-first-filing"]
)
def test_killed_run_then_rerun_equals_uninterrupted_run(
    moment: Callable[[Path], bool],
    source_files: Path,
    reference: dict[str, object],
    tmp_path: Path,
) -> None:
    home = _home_with_inbox(tmp_path, source_files)
    assert _ingest(home, kill_when=moment), "the run ended before it could be killed"
    assert (home / "inbox").exists() and any((home / "inbox").iterdir())
    _ingest(home)
    state = _state(home)
    for key in ("files", "docs", "receipts", "inbox", "quarantine"):
        assert state[key] == reference[key], key
    # No checkpoint recorded twice for a document, whatever the crash interrupted.
    events = state["events"]
    assert isinstance(events, list) and len(events) == len(set(events)), json.dumps(events)


def _processes_of(home: Path) -> list[int]:
    """Live processes started for this data root (the CLI and its tesseract children)."""
    wanted = f"ARSIP_HOME={home}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if wanted in (entry / "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def test_twenty_random_kills_then_rerun_equals_uninterrupted_run(
    source_files: Path, reference: dict[str, object], tmp_path: Path
) -> None:
    """SIGKILL at random moments (start-up, intake, OCR, filing, index, release): up to five
    killed runs per data root, each restarting where the last one died, until twenty runs
    were killed. The moments are drawn within the length of an uninterrupted run, so a
    faster machine still sees every stage; a run that ends before its moment leaves
    nothing to kill on its root (the next root starts)."""
    rng = random.Random(20261202)
    longest = max(1.0, 0.9 * float(reference["seconds"]))  # type: ignore[arg-type]
    kills = roots = 0
    while kills < 20:
        assert roots < 10, f"only {kills} runs were still going when their moment came"
        home = _home_with_inbox(tmp_path / f"root-{roots}", source_files)
        roots += 1
        for _ in range(5):
            delay = rng.uniform(0.5, longest)
            started = time.monotonic()
            killed = _ingest(
                home, kill_when=lambda _h, s=started, d=delay: time.monotonic() - s > d
            )
            leftover = [p for p in _processes_of(home) if psutil.pid_exists(p)]
            assert not leftover, f"processes outlived the killed run: {leftover}"
            if not killed:
                break
            kills += 1
        _ingest(home)
        _assert_same_as_reference(home, reference, roots)


def _assert_same_as_reference(home: Path, reference: dict[str, object], root: int) -> None:
    state = _state(home)
    for key in ("files", "docs", "receipts", "inbox", "quarantine"):
        assert state[key] == reference[key], (root, key)
    events = state["events"]
    assert isinstance(events, list) and len(events) == len(set(events))
    verify = subprocess.run(
        [sys.executable, "-m", "flows.cli", "verify"], cwd=REPO, env=_env(home), check=False
    )
    assert verify.returncode == 0
