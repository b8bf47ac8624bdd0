"""Checkpoints 4 and 5: file the document into the archive, commit it to the catalog."""

from __future__ import annotations

import json
from pathlib import Path

from archive.errors import IntegrityFailure
from archive.layout import METADATA, SEARCHABLE, TEXT, original_name
from archive.records import DocumentRecord, EventRecord
from archive.store import file_document
from flows.app.analysis import Analysis
from flows.app.pipeline import Accepted, RunContext, event_for, ocr_cache_dir
from tasks.extract import build_searchable_pdf


def build_record(doc: Accepted, analysis: Analysis, archive_path: str) -> DocumentRecord:
    d, meta, cls = doc.detected, analysis.metadata, analysis.classification
    return DocumentRecord(
        id=doc.doc_id,
        sha256=d.sha256,
        source_name=d.path.name,
        mime=d.mime,
        doc_type=cls.doc_type,
        doc_type_confidence=round(cls.confidence, 3),
        number=meta.number,
        date=meta.date,
        year=meta.year,
        unit=meta.unit,
        title=meta.title,
        pages=d.pages,
        text_source=analysis.extraction.text_source,
        ocr_confidence=analysis.extraction.ocr_confidence,
        flags=analysis.flags,
        text_simhash=analysis.text_simhash,
        access="belum_ditinjau",
        archive_path=archive_path,
        received_at=doc.received_at,
    )


def file_to_archive(
    ctx: RunContext, doc: Accepted, analysis: Analysis
) -> tuple[DocumentRecord, EventRecord]:
    """Checkpoint 4: the archived original re-reads to the inbox file's SHA-256."""
    d = doc.detected
    target = ctx.layout.document_dir(
        analysis.metadata.year, analysis.classification.doc_type, doc.doc_id
    )
    record = build_record(doc, analysis, str(target.relative_to(ctx.layout.home)))
    original = original_name(d.kind)
    files: dict[str, Path | bytes] = {
        original: d.path,
        TEXT: analysis.extraction.text.encode("utf-8"),
        METADATA: _metadata_json(record, analysis),
    }
    searchable = ocr_cache_dir(ctx, d.sha256) / SEARCHABLE
    if build_searchable_pdf(d, analysis.extraction, searchable):
        files[SEARCHABLE] = searchable
    filed = file_document(ctx.layout, target, files, expected={original: d.sha256})
    ev = event_for(
        ctx,
        d.sha256,
        "archive_write",
        "ok",
        d.path.name,
        path=record.archive_path,
        files=dict(filed.manifest),
    )
    return record, ev


def _metadata_json(record: DocumentRecord, analysis: Analysis) -> bytes:
    data = record.to_json()
    for key in ("archived_at", "released_at"):
        data.pop(key)
    data["classification_cues"] = list(analysis.classification.matched)
    data["personal_data"] = {"nik": len(analysis.personal.nik), "kk": len(analysis.personal.kk)}
    data["page_confidence"] = [
        {"page": p.page, "confidence": p.confidence, "rotated": p.rotated}
        for p in analysis.extraction.ocr_pages
    ]
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


def commit_catalog(
    ctx: RunContext, record: DocumentRecord, events: tuple[EventRecord, ...]
) -> DocumentRecord:
    """Checkpoint 5: the record is in the catalog and reads back."""
    ctx.catalog.add_document(record, events)
    stored = ctx.catalog.get(record.id)
    if stored is None or stored.sha256 != record.sha256:
        raise IntegrityFailure(f"catalog did not keep document {record.id}")
    return stored
