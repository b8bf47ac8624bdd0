"""Bridge between the catalog/archive and the search index (plain functions).

The index is derived: everything here can be rebuilt from the catalog and the archived
``text.txt`` files, without OCR (``arsip reindex``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from archive.catalog import Catalog
from archive.custody.hardcopy import HardcopyLocation, HardcopyRegister
from archive.records import DocumentRecord, EventRecord
from archive.store import ArchiveLayout
from flows.app.texts import archived_text as archived_text  # re-exported for its callers
from flows.app.texts import text_loader as text_loader
from index import (
    IndexDoc,
    SearchIndexError,
    add_documents,
    contains,
    leftover_dirs,
    rebuild,
)
from tasks.text.metadata import find_personal_data

# A person waits on the page: how long a correction or decision waits for the index.
INDEX_LOCK_SECONDS = 10.0


def location_text(location: HardcopyLocation | None) -> str:
    """Room, cabinet, box and folder as one searchable line ("Lemari 3 Boks 12")."""
    if location is None:
        return ""
    return " ".join(value for value in location.to_json().values() if value)


def locations(catalog: Catalog, ids: Sequence[str] | None = None) -> dict[str, str]:
    """Where the paper originals of ``ids`` (all when None) are kept, as index text."""
    found = HardcopyRegister(catalog.engine).locations(ids)
    return {doc_id: location_text(location) for doc_id, location in found.items()}


def to_index_doc(record: DocumentRecord, text: str, location: str = "") -> IndexDoc:
    personal = find_personal_data(text)
    return IndexDoc(
        id=record.id,
        number=record.number,
        title=record.title,
        text=text,
        doc_type=record.doc_type,
        unit=record.unit,
        access=record.access,
        date=record.date,
        year=record.year,
        source_name=record.source_name,
        codes=(*personal.nik, *personal.kk),
        location=location,
        folder=record.archive_path,
    )


def index_batch(layout: ArchiveLayout, records: Sequence[DocumentRecord]) -> int:
    """One writer, one commit for the whole batch (Whoosh's cheapest way to add)."""
    docs = [to_index_doc(r, archived_text(layout, r) or "") for r in records]
    return add_documents(layout.index, docs) if docs else 0


def index_checkpoint(
    layout: ArchiveLayout, records: Sequence[DocumentRecord], run_id: str
) -> list[EventRecord]:
    """After the commit: each new id must be findable, else it is marked for reindex."""
    events = []
    for r in records:
        ok = contains(layout.index, r.id)
        events.append(
            EventRecord(
                sha256=r.sha256,
                kind="index",
                outcome="ok" if ok else "fail",
                detail={} if ok else {"action": "run `arsip reindex`"},
                document_id=r.id,
                run_id=run_id,
                at=datetime.now(UTC),
                source_name=r.source_name,
            )
        )
    return events


def refresh(
    layout: ArchiveLayout,
    catalog: Catalog,
    records: Sequence[DocumentRecord],
    run_id: str | None = None,
    lock_timeout: float = INDEX_LOCK_SECONDS,
) -> bool:
    """Search reflects ``records`` now (a correction, a changed access). When the index is
    busy or broken the catalog, the truth, already holds the change: one ``fail`` event
    per document asks for ``arsip reindex``, and the caller goes on."""
    if not records:
        return True
    kept = locations(catalog, [r.id for r in records])
    docs = [to_index_doc(r, archived_text(layout, r) or "", kept.get(r.id, "")) for r in records]
    try:
        add_documents(layout.index, docs, lock_timeout=lock_timeout)
    except SearchIndexError as exc:
        for ev in failed_index_events(records, run_id, str(exc)):
            catalog.record_event(ev)
        return False
    return True


def failed_index_events(
    records: Sequence[DocumentRecord], run_id: str | None, reason: str
) -> list[EventRecord]:
    return [
        EventRecord(
            sha256=r.sha256,
            kind="index",
            outcome="fail",
            detail={"error": reason, "action": "run `arsip reindex`"},
            document_id=r.id,
            run_id=run_id,
            at=datetime.now(UTC),
            source_name=r.source_name,
        )
        for r in records
    ]


def catalog_docs(layout: ArchiveLayout, catalog: Catalog) -> Iterator[IndexDoc]:
    """What search holds: every document but the re-scans merged into another."""
    kept = locations(catalog)
    for record in catalog.iter_documents():
        if not record.merged_into:
            text = archived_text(layout, record) or ""
            yield to_index_doc(record, text, kept.get(record.id, ""))


def reindex(layout: ArchiveLayout, catalog: Catalog) -> int:
    """Rebuild from catalog + archive; then clear what killed rebuilds left behind.

    Those leftovers are partial copies of derived data, and only a complete rebuild that
    has just been swapped in makes them certainly useless.
    """
    count = rebuild(layout.index, catalog_docs(layout, catalog))
    for stale in leftover_dirs(layout.index):
        shutil.rmtree(stale)
    return count
