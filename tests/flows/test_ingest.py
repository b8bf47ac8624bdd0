"""The ingest flow end to end: real Prefect run, real Tesseract, real SQLite, real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.store import ArchiveLayout
from archive.vocabulary import visible_access
from flows import demo
from flows.app.verify import verify_all
from flows.ingest import ingest_flow
from index import search

pytestmark = pytest.mark.slow


def _outcomes(summary: dict) -> dict[str, dict]:
    return {r["file"]: r for r in summary["results"]}


def test_every_input_ends_archived_duplicate_or_quarantined(arsip_home: Path):
    inbox = arsip_home / "inbox"
    demo.demo_inbox(inbox)
    expected_bad = demo.hostile_files(inbox)
    shutil.copy(inbox / "sop-dik.pdf", inbox / "zz-salinan-sop.pdf")
    names = sorted(p.name for p in inbox.iterdir())

    summary = ingest_flow()
    got = _outcomes(summary)

    assert sorted(got) == names, "every input must have exactly one result"
    for name, code in {**expected_bad, "rusak.pdf": "corrupt"}.items():
        assert got[name]["outcome"] == "quarantined", name
        assert got[name]["reason"].startswith(code), (name, got[name]["reason"])
        kept = list((arsip_home / "quarantine").glob(f"*-{name}"))
        assert len(kept) == 1, name
        reason = json.loads(Path(f"{kept[0]}.reason.json").read_text())
        assert reason["code"] == code
    assert got["zz-salinan-sop.pdf"]["outcome"] == "duplicate"
    assert got["zz-salinan-sop.pdf"]["id"] == got["sop-dik.pdf"]["id"]
    archived = [r for r in got.values() if r["outcome"] == "archived"]
    assert len(archived) == 7
    assert list(inbox.iterdir()) == [], "nothing may stay in the inbox"
    assert list((arsip_home / "cache" / "ocr").iterdir()) == [], "OCR cache of archived docs"

    catalog = Catalog(f"sqlite:///{arsip_home / 'catalog.db'}")
    assert catalog.count_documents() == 7
    report = verify_all(ArchiveLayout(arsip_home), catalog)
    assert report.problems == ()
    _check_records(catalog, got)
    _check_search(arsip_home, got)


def _check_search(home: Path, got: dict[str, dict]) -> None:
    """What the OCR read is findable, but only by a role that may see unreviewed files."""
    index = home / "index"
    found = search(index, "undangan koordinasi", visible=visible_access("ppid"))
    assert [h.id for h in found.hits] == [got["surat-undangan.png"]["id"]]
    assert search(index, "undangan koordinasi", visible=visible_access("petugas")).total == 0
    by_number = search(index, "123/PP.01-SD/06/KPU-Kab/2022", visible=visible_access("ppid"))
    assert by_number.hits[0].id == got["surat-undangan.png"]["id"]


def _check_records(catalog: Catalog, got: dict[str, dict]) -> None:
    scan = catalog.get(got["keputusan-dpt-scan.pdf"]["id"])
    assert scan is not None
    assert scan.text_source == "ocr" and scan.pages == 2
    assert scan.ocr_confidence is not None and scan.ocr_confidence > 80
    assert scan.access == "belum_ditinjau"
    folder = Path(catalog.url.removeprefix("sqlite:///")).parent / scan.archive_path
    assert {p.name for p in folder.iterdir()} == {
        "original.pdf",
        "searchable.pdf",
        "text.txt",
        "metadata.json",
        "manifest-sha256.txt",
    }
    form = catalog.get(got["formulir-permohonan.tiff"]["id"])
    assert form is not None and "data_pribadi" in form.flags
    sop = catalog.get(got["sop-dik.pdf"]["id"])
    assert sop is not None and sop.text_source == "text_layer"
    assert [r.kind for r in catalog.receipts(sop.id)] == ["original", "duplicate"]
    kinds = [e.kind for e in catalog.events(document_id=scan.id)]
    assert kinds == [
        "intake",
        "extraction",
        "classification",
        "metadata",
        "near_duplicate",
        "archive_write",
        "index",
    ]


def test_rerun_of_same_files_gives_duplicates_not_new_records(
    arsip_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ARSIP_RELEASE_MODE", "move")
    inbox = arsip_home / "inbox"
    original = demo.write_text_pdf(demo.surat(), tmp_path / "surat.pdf")
    shutil.copy(original, inbox / "surat.pdf")
    first = _outcomes(ingest_flow())
    shutil.copy(original, inbox / "surat-lagi.pdf")
    second = _outcomes(ingest_flow())
    assert first["surat.pdf"]["outcome"] == "archived"
    assert second["surat-lagi.pdf"]["outcome"] == "duplicate"
    assert Catalog(f"sqlite:///{arsip_home / 'catalog.db'}").count_documents() == 1
    doc_id = first["surat.pdf"]["id"]
    moved = sorted(p.name for p in (arsip_home / "processed").iterdir())
    assert moved == [f"{doc_id}-surat-lagi.pdf", f"{doc_id}-surat.pdf"]


def test_the_flow_parameters_reach_the_api_as_prefect_would_send_them():
    # flows.steps.plain_parameters skips Prefect's FastAPI encoder for plain values only.
    from prefect import Flow

    for parameters in ({"inbox": None}, {"inbox": "/data/inbox"}, {"inbox": Path("/data/x")}):
        sent = ingest_flow.serialize_parameters(dict(parameters))
        assert sent == Flow.serialize_parameters(ingest_flow, dict(parameters))
    assert ingest_flow.serialize_parameters({"inbox": Path("/data/x")}) == {"inbox": "/data/x"}
