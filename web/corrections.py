"""Corrections made by a person: catalog update, a ``correction`` event, and a re-index.

A correction is an event with who, role, and each changed field before and after, so the
machine's reading of the document is never overwritten without a trace. Confirming the
document clears the flags that only asked for a person to look (``perlu_tinjauan`` and
friends); ``data_pribadi`` stays: it describes the content, and the access decision that
answers it belongs to the PPID's exemption workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from archive.records import DocumentRecord, EventRecord
from archive.vocabulary import FLAG_PERSONAL, REVIEW_FLAGS
from flows.indexing import archived_text, to_index_doc
from index import SearchIndexError, add_documents
from web.deps import Services, Viewer

MAX_FIELD_CHARS = {"number": 256, "unit": 256, "title": 1000}
FIELD_NAMES = {"number": "Nomor", "unit": "Unit penerbit", "title": "Judul"}
INDEX_LOCK_SECONDS = 10.0


class InvalidCorrection(Exception):
    """Shown to the person as it is (Bahasa Indonesia)."""


@dataclass(frozen=True)
class Correction:
    doc_type: str
    number: str | None
    date: date | None
    unit: str | None
    title: str | None
    confirmed: bool


def needs_review(record: DocumentRecord) -> bool:
    flags = set(record.flags)
    if flags & REVIEW_FLAGS:
        return True
    return FLAG_PERSONAL in flags and record.access == "belum_ditinjau"


def _text(name: str, value: str) -> str | None:
    cleaned = " ".join(value.split())
    if len(cleaned) > MAX_FIELD_CHARS[name]:
        limit = MAX_FIELD_CHARS[name]
        raise InvalidCorrection(f"Isian {FIELD_NAMES[name]} terlalu panjang (maks. {limit}).")
    return cleaned or None


def parse_correction(form: dict[str, str], doc_types: tuple[str, ...]) -> Correction:
    doc_type = form.get("doc_type", "")
    if doc_type not in doc_types:
        raise InvalidCorrection("Jenis dokumen tidak dikenal.")
    raw_date = form.get("date", "").strip()
    try:
        when = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise InvalidCorrection("Tanggal harus berformat TTTT-BB-HH, mis. 2022-01-05.") from None
    return Correction(
        doc_type=doc_type,
        number=_text("number", form.get("number", "")),
        date=when,
        unit=_text("unit", form.get("unit", "")),
        title=_text("title", form.get("title", "")),
        confirmed=form.get("confirm") in ("1", "on", "true"),
    )


def _changes(record: DocumentRecord, fix: Correction) -> dict[str, Any]:
    changes: dict[str, Any] = {
        name: getattr(fix, name)
        for name in ("doc_type", "number", "date", "unit", "title")
        if getattr(fix, name) != getattr(record, name)
    }
    if "date" in changes and fix.date is not None:
        changes["year"] = fix.date.year
    if "doc_type" in changes:
        changes["doc_type_confidence"] = 1.0  # a person said so
    if fix.confirmed:
        flags = tuple(f for f in record.flags if f not in REVIEW_FLAGS)
        if flags != record.flags:
            changes["flags"] = flags
    return changes


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def apply_correction(
    services: Services, viewer: Viewer, record: DocumentRecord, fix: Correction
) -> tuple[DocumentRecord, bool]:
    """Store the correction; returns the updated record and whether the index has it."""
    changes = _changes(record, fix)
    if not changes:
        return record, True
    services.catalog.update_document(record.id, **changes)
    services.catalog.record_event(
        _event(
            record,
            "correction",
            by=viewer.username,
            role=viewer.role,
            confirmed=fix.confirmed,
            before={k: _jsonable(getattr(record, k)) for k in changes},
            after={k: _jsonable(v) for k, v in changes.items()},
        )
    )
    updated = services.catalog.get(record.id) or record
    return updated, _reindex(services, updated)


def _reindex(services: Services, record: DocumentRecord) -> bool:
    layout = services.settings.layout
    doc = to_index_doc(record, archived_text(layout, record) or "")
    try:
        add_documents(layout.index, [doc], lock_timeout=INDEX_LOCK_SECONDS)
    except SearchIndexError as exc:
        # The catalog already holds the correction; `arsip reindex` brings the index up.
        detail = {"error": str(exc), "action": "run `arsip reindex`"}
        services.catalog.record_event(_event(record, "index", outcome="fail", **detail))
        return False
    return True


def _event(record: DocumentRecord, kind: str, outcome: str = "info", **detail: Any) -> EventRecord:
    return EventRecord(
        sha256=record.sha256,
        kind=kind,
        outcome=outcome,  # type: ignore[arg-type]
        detail=detail,
        document_id=record.id,
        at=datetime.now(UTC),
    )
