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

from archive.catalog import Catalog
from archive.records import DocumentRecord, EventRecord
from archive.store import ArchiveLayout
from archive.vocabulary import FLAG_PERSONAL, REVIEW_FLAGS
from flows.app.indexing import refresh

MAX_FIELD_CHARS = {"number": 256, "unit": 256, "title": 1000}
FIELD_NAMES = {"number": "Nomor", "unit": "Unit penerbit", "title": "Judul"}


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
    catalog: Catalog,
    layout: ArchiveLayout,
    by: tuple[str, str],
    record: DocumentRecord,
    fix: Correction,
) -> tuple[DocumentRecord, bool]:
    """Store the correction made by ``by`` (username, role); returns the updated record and
    whether the index has it already."""
    changes = _changes(record, fix)
    if not changes:
        return record, True
    catalog.update_document(record.id, **changes)
    catalog.record_event(
        _event(
            record,
            "correction",
            by=by[0],
            role=by[1],
            confirmed=fix.confirmed,
            before={k: _jsonable(getattr(record, k)) for k in changes},
            after={k: _jsonable(v) for k, v in changes.items()},
        )
    )
    updated = catalog.get(record.id) or record
    return updated, refresh(layout, catalog, [updated])


def _event(record: DocumentRecord, kind: str, outcome: str = "info", **detail: Any) -> EventRecord:
    return EventRecord(
        sha256=record.sha256,
        kind=kind,
        outcome=outcome,  # type: ignore[arg-type]
        detail=detail,
        document_id=record.id,
        at=datetime.now(UTC),
    )
