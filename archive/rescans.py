"""Re-scans in the catalog: documents whose text is (almost) another's, and merging one
into the other as a receipt.

A merged re-scan keeps its row, its files and its events (nothing archived is ever
deleted); it only leaves listings and the search index, and its arrival is recorded as a
``rescan`` receipt of the document it repeats.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalog import Catalog, document_in, record_event_in
from archive.catalog_tables import DocumentRow, ReceiptRow
from archive.errors import ArchiveError, NotFound
from archive.records import Actor, DocumentRecord, EventRecord
from archive.vocabulary import CAN_CORRECT, visible_access


class MergeRefused(ArchiveError):
    """The two documents cannot be merged; the message (Bahasa Indonesia) says why."""

    exit_code = 2


def simhash_neighbours(
    catalog: Catalog, value: int, max_bits: int, exclude: str
) -> list[tuple[str, int]]:
    """Documents whose text SimHash differs from ``value`` in at most ``max_bits`` bits,
    nearest first. One integer per document: 10,000 documents compare in milliseconds."""
    mask = (1 << 64) - 1
    stmt = select(DocumentRow.id, DocumentRow.text_simhash).where(
        DocumentRow.text_simhash.is_not(None), DocumentRow.merged_into.is_(None)
    )
    with Session(catalog.engine) as s:
        rows = s.execute(stmt).all()
    found = [(doc_id, ((h ^ value) & mask).bit_count()) for doc_id, h in rows if doc_id != exclude]
    return sorted((d for d in found if d[1] <= max_bits), key=lambda d: (d[1], d[0]))


def merge_rescan(catalog: Catalog, doc_id: str, into_id: str, actor: Actor) -> DocumentRecord:
    """Record re-scan ``doc_id`` as a receipt of ``into_id``; returns the merged re-scan."""
    if doc_id == into_id:
        raise MergeRefused("Dokumen tidak dapat digabung dengan dirinya sendiri.")
    if actor.role not in CAN_CORRECT:
        raise MergeRefused("Peran Anda tidak dapat menggabungkan dokumen.")
    now = datetime.now(UTC)
    with Session(catalog.engine) as s, s.begin():
        rescan, first = s.get(DocumentRow, doc_id), s.get(DocumentRow, into_id)
        visible = visible_access(actor.role)
        for wanted, row in ((doc_id, rescan), (into_id, first)):
            if row is None or row.access not in visible:  # hidden answers like missing
                raise NotFound(f"no document {wanted}")
        assert rescan is not None and first is not None
        if rescan.merged_into is not None or first.merged_into is not None:
            raise MergeRefused("Salah satu dokumen sudah digabung ke dokumen lain.")
        rescan.merged_into = into_id
        s.add(ReceiptRow(document_id=into_id, source_name=rescan.source_name,
                         received_at=rescan.received_at, kind="rescan"))  # fmt: skip
        detail = {"by": actor.username, "role": actor.role}
        record_event_in(s, _event(rescan.sha256, doc_id, "merged", now, into=into_id, **detail))
        record_event_in(s, _event(first.sha256, into_id, "rescan", now, of=doc_id, **detail))
        merged = document_in(s, doc_id)
    assert merged is not None
    return merged


def _event(sha: str, doc_id: str, kind: str, at: datetime, **detail: str) -> EventRecord:
    return EventRecord(sha256=sha, kind=kind, outcome="info", detail=detail,
                       document_id=doc_id, at=at)  # fmt: skip
