"""The data root's contract: document folders, quarantine names and reason files."""

from __future__ import annotations

import json
from pathlib import Path

from archive.layout import (
    ArchiveLayout,
    DocumentFiles,
    find_reason,
    original_name,
    quarantined_files,
    read_reason,
    reason_path,
)
from archive.store import quarantine_file, sha256_path


def test_original_name_uses_the_usual_extension():
    assert [original_name(k) for k in ("pdf", "png", "jpeg", "tiff")] == [
        "original.pdf", "original.png", "original.jpg", "original.tiff",
    ]  # fmt: skip


def test_document_files_find_one_plain_original(tmp_path: Path):
    files = DocumentFiles(tmp_path)
    assert files.original() is None and files.read_text() is None
    (tmp_path / "original.pdf").write_bytes(b"%PDF")
    (tmp_path / "text.txt").write_text("isi", encoding="utf-8")
    assert files.original() == tmp_path / "original.pdf" and files.read_text() == "isi"
    (tmp_path / "original.png").write_bytes(b"png")
    assert files.original() is None  # two originals: which one is the document is unknown
    (tmp_path / "original.png").unlink()
    (tmp_path / "searchable.pdf").symlink_to(tmp_path / "original.pdf")
    assert files.searchable_if_present() is None  # never follow a link out of the archive
    assert DocumentFiles(tmp_path / "missing").read_text() is None


def test_quarantine_names_and_reasons(tmp_path: Path):
    layout = ArchiveLayout(tmp_path)
    layout.ensure()
    src = layout.inbox / "acak.bin"
    src.write_bytes(b"\x00acak")
    sha = sha256_path(src)
    reason = {"code": "unsupported_type", "detail": "data", "file": "acak.bin", "run_id": "r1"}
    dest = quarantine_file(layout, src, sha, reason)
    assert dest == layout.quarantined(sha, "acak.bin") and dest.name == f"{sha[:12]}-acak.bin"
    read = read_reason(reason_path(dest))
    assert read is not None and (read.code, read.detail, read.run_id) == (
        "unsupported_type",
        "data",
        "r1",
    )
    (layout.quarantine / "x.part").write_bytes(b"")
    assert list(quarantined_files(layout)) == [dest]
    assert find_reason(layout.quarantine, "acak.bin", "r1") == reason_path(dest)
    assert find_reason(layout.quarantine, "acak.bin", "r0") is None  # another run's file


def test_an_unreadable_reason_is_none(tmp_path: Path):
    assert read_reason(tmp_path / "none.reason.json") is None
    bad = tmp_path / "bad.reason.json"
    bad.write_text("{not json", encoding="utf-8")
    assert read_reason(bad) is None
    bad.write_text(json.dumps(["code"]), encoding="utf-8")
    assert read_reason(bad) is None
