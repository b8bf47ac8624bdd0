from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.errors import IntegrityFailure
from archive.fixity import verify_archive
from archive.layout import MANIFEST
from archive.records import DocumentRecord
from archive.store import (
    ArchiveLayout,
    file_document,
    quarantine_file,
    read_manifest,
    sha256_bytes,
)
from tests.support.records import document_record


def _file(layout: ArchiveLayout, data: bytes = b"isi dokumen", doc_id: str = "abc") -> Path:
    src = layout.inbox / "in.pdf"
    src.write_bytes(data)
    target = layout.document_dir(2023, "surat", doc_id)
    file_document(
        layout,
        target,
        {"original.pdf": src, "text.txt": b"teks"},
        expected={"original.pdf": sha256_bytes(data)},
    )
    return target


def test_filing_writes_files_and_manifest(layout: ArchiveLayout):
    target = _file(layout)
    assert (target / "original.pdf").read_bytes() == b"isi dokumen"
    manifest = read_manifest(target)
    assert manifest == {
        "original.pdf": sha256_bytes(b"isi dokumen"),
        "text.txt": sha256_bytes(b"teks"),
    }
    assert not any(layout.staging.iterdir()), "staging must be cleaned"


def test_filing_twice_is_idempotent(layout: ArchiveLayout):
    first = _file(layout)
    second = _file(layout)
    assert first == second
    assert not layout.replaced.exists()


def test_changed_derived_files_keep_the_old_copy(layout: ArchiveLayout):
    target = _file(layout)
    src = layout.inbox / "in.pdf"
    file_document(
        layout,
        target,
        {"original.pdf": src, "text.txt": b"teks baru"},
        expected={"original.pdf": sha256_bytes(b"isi dokumen")},
    )
    assert (target / "text.txt").read_bytes() == b"teks baru"
    kept = list(layout.replaced.iterdir())
    assert len(kept) == 1 and (kept[0] / "text.txt").read_bytes() == b"teks"


def test_source_changed_during_filing_fails_loudly(layout: ArchiveLayout):
    src = layout.inbox / "in.pdf"
    src.write_bytes(b"versi dua")
    target = layout.document_dir(2023, "surat", "x")
    with pytest.raises(IntegrityFailure):
        file_document(
            layout,
            target,
            {"original.pdf": src},
            expected={"original.pdf": sha256_bytes(b"versi satu")},
        )
    assert not target.exists()
    assert src.exists(), "the inbox file must stay"


def test_quarantine_keeps_bytes_and_reason(layout: ArchiveLayout):
    src = layout.inbox / "rusak.pdf"
    src.write_bytes(b"%PDF-1.4 broken")
    sha = sha256_bytes(src.read_bytes())
    dest = quarantine_file(layout, src, sha, {"code": "corrupt", "detail": "x"})
    assert not src.exists()
    assert dest.read_bytes() == b"%PDF-1.4 broken"
    reason = json.loads(dest.with_name(dest.name + ".reason.json").read_text())
    assert reason["code"] == "corrupt"


def _record(doc_id: str, path: str) -> DocumentRecord:
    from datetime import UTC, datetime

    return document_record(
        doc_id,
        source_name="in.pdf",
        archive_path=path,
        received_at=datetime.now(UTC),
    )


def test_verify_reports_corruption_orphans_and_missing(layout: ArchiveLayout, catalog: Catalog):
    good = _file(layout, b"satu", "good")
    bad = _file(layout, b"dua", "bad")
    orphan = _file(layout, b"tiga", "orphan")
    for target in (good, bad):
        catalog.add_document(_record(target.name, str(target.relative_to(layout.home))), [])
    catalog.add_document(_record("gone", "archive/2023/surat/gone"), [])
    assert orphan.exists()
    with (bad / "original.pdf").open("r+b") as fh:
        fh.write(b"X")
    (good / "extra.txt").write_text("?")
    report = verify_archive(layout, catalog)
    kinds = sorted((p.kind, p.id) for p in report.problems)
    assert kinds == [
        ("corrupt", "bad"),
        ("missing_document", "gone"),
        ("orphan", "orphan"),
        ("unlisted_file", "good"),
    ]
    assert report.checked == 6


def test_manifest_is_sha256sum_compatible(layout: ArchiveLayout):
    import subprocess

    target = _file(layout)
    out = subprocess.run(
        ["sha256sum", "-c", MANIFEST], cwd=target, capture_output=True, text=True, check=True
    )
    assert "original.pdf: OK" in out.stdout
