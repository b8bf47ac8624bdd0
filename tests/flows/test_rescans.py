"""A re-scan of a paper already in the archive (other bytes, the same text) is filed,
flagged `kemungkinan_duplikat` with the first document's id, and merged by a person into
a `rescan` receipt of the first: it leaves listings and search, its files stay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL

from archive.catalog import Catalog
from archive.vocabulary import FLAG_NEAR_DUPLICATE, visible_access
from flows import demo
from flows.ingest import ingest_flow
from index import search

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _arsip(home: Path, *args: str, role: str = "ppid") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}
    env |= {
        "ARSIP_HOME": str(home),
        "ARSIP_ROLE": role,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
    }
    cmd = [sys.executable, "-m", "flows.cli", *args]
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_a_rescan_is_flagged_then_merged_into_the_first(arsip_home: Path) -> None:
    inbox = arsip_home / "inbox"
    demo.write_image(demo.surat(), inbox / "surat.png", seed=1)
    demo.write_image(demo.notulen(), inbox / "notulen.png", seed=2)
    first = {r["file"]: r for r in ingest_flow()["results"]}
    assert all(FLAG_NEAR_DUPLICATE not in r["flags"] for r in first.values())

    # The same letter scanned again a day later: another seed, turned 1°, other bytes.
    demo.write_image(demo.surat(), inbox / "surat-lagi.png", seed=9, rotate=1)
    demo.write_image(demo.berita_acara(), inbox / "berita.png", seed=3)
    second = {r["file"]: r for r in ingest_flow()["results"]}
    rescan = second["surat-lagi.png"]
    assert rescan["outcome"] == "archived" and FLAG_NEAR_DUPLICATE in rescan["flags"]
    assert FLAG_NEAR_DUPLICATE not in second["berita.png"]["flags"]
    catalog = Catalog(f"sqlite:///{arsip_home / 'catalog.db'}")
    event = catalog.events(document_id=rescan["id"], kind="near_duplicate")[-1]
    assert event.detail["of"] == first["surat.png"]["id"] and event.detail["resemblance"] >= 0.85

    refused = _arsip(arsip_home, "merge", rescan["id"], "--into", first["surat.png"]["id"],
                     role="atasan")  # fmt: skip
    assert refused.returncode == 2 and "tidak dapat menggabungkan" in refused.stderr
    merged = _arsip(arsip_home, "merge", rescan["id"], "--into", first["surat.png"]["id"], "--json")
    assert merged.returncode == 0, merged.stderr
    assert json.loads(merged.stdout)["search_updated"] is True

    listed = {d["id"] for d in json.loads(_arsip(arsip_home, "list", "--json").stdout)}
    assert rescan["id"] not in listed and first["surat.png"]["id"] in listed
    hits = {
        h.id
        for h in search(arsip_home / "index", "", visible=visible_access("ppid"), page_size=50).hits
    }
    assert rescan["id"] not in hits
    receipts = [(r.source_name, r.kind) for r in catalog.receipts(first["surat.png"]["id"])]
    assert ("surat-lagi.png", "rescan") in receipts
    assert any((arsip_home / catalog.get(rescan["id"]).archive_path).iterdir())  # type: ignore[union-attr]
    catalog.close()
    assert _arsip(arsip_home, "reindex").returncode == 0
    hits = {
        h.id
        for h in search(arsip_home / "index", "", visible=visible_access("ppid"), page_size=50).hits
    }
    assert rescan["id"] not in hits, "a rebuild leaves merged re-scans out too"
    verify = _arsip(arsip_home, "verify", "--json")
    assert verify.returncode == 0, verify.stdout
