"""One way to build a catalog record in a test: every field has a plain default, a test
names only what it is about."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from archive.records import DocumentRecord


def document_record(doc_id: str = "0123456789abcdef", **changes: Any) -> DocumentRecord:
    """A filed document ``doc_id`` (a text-layer PDF, not yet reviewed) with ``changes``."""
    record = DocumentRecord(
        id=doc_id,
        sha256=(doc_id * 4)[:64],
        source_name=f"{doc_id}.pdf",
        mime="application/pdf",
        doc_type="surat",
        doc_type_confidence=0.9,
        number=None,
        date=None,
        year=None,
        unit=None,
        title=None,
        pages=1,
        text_source="text_layer",
        ocr_confidence=None,
        flags=(),
        access="belum_ditinjau",
        archive_path=f"archive/{doc_id}",
        received_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    return replace(record, **changes)
