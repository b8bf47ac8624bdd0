"""SIGKILL in the middle of index writes, then ``arsip verify`` + ``arsip reindex``.

The index is derived data: whatever a killed writer leaves, verify must say so and a
reindex must bring back an index that agrees with the catalog exactly.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.store import ArchiveLayout, file_document, sha256_bytes
from flows.app.indexing import reindex
from tests.support.records import document_record

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
WORDS = [
    "pemilihan",
    "umum",
    "informasi",
    "publik",
    "dikecualikan",
    "keputusan",
    "komisi",
    "daftar",
    "pemilih",
    "tetap",
    "rekapitulasi",
    "suara",
    "berita",
    "acara",
    "rapat",
    "pleno",
    "kabupaten",
    "provinsi",
]


def _add_docs(home: Path, start: int, count: int) -> None:
    layout = ArchiveLayout(home)
    layout.ensure()
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    rng = random.Random(start)
    for n in range(start, start + count):
        text = " ".join(rng.choice(WORDS) for _ in range(2000)).encode()
        doc_id = f"{n:016x}"
        target = layout.document_dir(2023, "laporan", doc_id)
        file_document(
            layout,
            target,
            {"original.txt": text, "text.txt": text},
            expected={"original.txt": sha256_bytes(text)},
        )
        catalog.add_document(
            document_record(
                doc_id,
                sha256=sha256_bytes(text),
                source_name=f"{doc_id}.txt",
                mime="text/plain",
                doc_type="laporan",
                year=2023,
                title=f"Laporan {n}",
                text_source="plain",
                access="terbuka",
                archive_path=str(target.relative_to(home)),
                received_at=datetime(2023, 1, 1, tzinfo=UTC),
            ),
            [],
        )
    catalog.close()


def _arsip(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ARSIP_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args, "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _kill_when_writing(home: Path, code: str, started: float) -> int:
    env = {**os.environ, "ARSIP_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env)
    index_parent = home
    while proc.poll() is None:
        fresh = [
            p
            for p in index_parent.rglob("*")
            if p.is_file() and "index" in str(p) and p.stat().st_mtime > started
        ]
        if fresh:
            time.sleep(0.3)
            proc.send_signal(signal.SIGKILL)
            return proc.wait()
        time.sleep(0.01)
    return proc.returncode


BATCH = (
    "from flows.settings import load_settings\n"
    "from archive.catalog import Catalog\n"
    "from flows.app.indexing import index_batch\n"
    "s = load_settings(); c = Catalog(s.catalog_url)\n"
    "index_batch(s.layout, [d for d in c.iter_documents()])\n"
)
REBUILD = (
    "from flows.settings import load_settings\n"
    "from archive.catalog import Catalog\n"
    "from flows.app.indexing import reindex\n"
    "s = load_settings(); reindex(s.layout, Catalog(s.catalog_url))\n"
)


@pytest.mark.parametrize("code", [BATCH, REBUILD], ids=["batch-commit", "rebuild"])
def test_verify_then_reindex_restores_a_consistent_index(tmp_path: Path, code: str):
    home = tmp_path / "data"
    _add_docs(home, 0, 60)
    layout = ArchiveLayout(home)
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    reindex(layout, catalog)
    _add_docs(home, 1000, 240)
    started = time.time()
    assert _kill_when_writing(home, code, started) == -signal.SIGKILL

    before = _arsip(home, "verify")
    problems = json.loads(before.stdout)["problems"]
    assert before.returncode == 1 and problems, "the interrupted write must be visible"
    assert {p["kind"] for p in problems} <= {"not_indexed", "index_leftover", "index_unusable"}
    assert _arsip(home, "reindex").returncode == 0
    after = _arsip(home, "verify")
    assert after.returncode == 0, after.stdout
    assert json.loads(after.stdout)["problems"] == []
    found = _arsip(home, "search", "rekapitulasi")
    assert json.loads(found.stdout)["total"] == 300
    catalog.close()
