"""OCR on a Dask cluster (ARSIP_DASK_ADDRESS) files the same archive as local processes."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.catalog import Catalog
from flows import demo
from flows.ingest import ingest_flow

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("dask-src")
    demo.write_scanned_pdf(demo.keputusan(), src / "keputusan-scan.pdf")
    demo.write_image(demo.surat(), src / "surat.png", seed=5)
    demo.write_image(demo.formulir_with_nik(), src / "formulir.tiff", seed=7)
    return src


def _ingest(root: Path, scans: Path, monkeypatch: pytest.MonkeyPatch, dask: str | None) -> Path:
    home = root / "data"
    shutil.copytree(scans, home / "inbox")  # copy2 keeps mtimes: same received_at
    monkeypatch.setenv("ARSIP_HOME", str(home))
    if dask:
        monkeypatch.setenv("ARSIP_DASK_ADDRESS", dask)
    else:
        monkeypatch.delenv("ARSIP_DASK_ADDRESS", raising=False)
    summary = ingest_flow()
    assert [r["outcome"] for r in summary["results"]] == ["archived"] * 3, summary
    return home


def _archive(home: Path) -> dict[str, bytes]:
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    files: dict[str, bytes] = {}
    for doc in catalog.iter_documents():
        folder = home / doc.archive_path
        for path in folder.iterdir():
            if path.name.startswith(("original.", "text.txt", "metadata.json")):
                files[f"{doc.archive_path}/{path.name}"] = path.read_bytes()
    catalog.close()
    return files


def test_dask_cluster_ocr_gives_the_same_archive(
    prefect_server: str,
    arsip_home: Path,
    scans: Path,
    cluster: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    local = _ingest(tmp_path / "local", scans, monkeypatch, None)
    remote = _ingest(tmp_path / "dask", scans, monkeypatch, address)

    # The pages really went to the cluster's worker processes.
    prefixes = cluster.scheduler.task_prefixes  # type: ignore[attr-defined]
    assert "ocr_page" in prefixes, sorted(prefixes)
    expected, got = _archive(local), _archive(remote)
    assert len(expected) == 9  # 3 documents x original, text.txt, metadata.json
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        assert got[name] == data, name
    assert b"Undangan" in b"".join(v for k, v in got.items() if k.endswith("text.txt"))
