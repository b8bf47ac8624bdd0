"""The catalog: documents, receipts and an append-only event log, via SQLAlchemy.

SQLite by default; the same code runs on PostgreSQL given another URL. The schema is the
migrations' (``archive.db``). Writes that may be repeated after a crash (receipts,
quarantine events) carry a unique key so a re-run cannot record them twice. The
tables, and how their rows become records, are in ``archive.catalog_tables``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from archive.catalog_tables import (
    DocumentRow,
    EventRow,
    ReceiptRow,
    event_record,
    event_row,
    receipt_kind,
    to_record,
    to_row,
)
from archive.db import open_engine
from archive.errors import CatalogUnavailable
from archive.records import DocumentRecord, EventRecord, Receipt
from archive.vocabulary import Access

_PATH_OF = select(DocumentRow.archive_path).where(DocumentRow.id == bindparam("id"))


class Catalog:
    def __init__(self, url: str) -> None:
        """Open the catalog at ``url``: a brand-new database is migrated, one at another
        schema revision is refused (:class:`~archive.errors.SchemaOutdated`)."""
        self.url = url
        self.engine: Engine = open_engine(url)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ documents

    def find_by_sha(self, sha256: str) -> DocumentRecord | None:
        with Session(self.engine) as s:
            row = s.scalar(select(DocumentRow).where(DocumentRow.sha256 == sha256))
            return to_record(row) if row else None

    def get(self, doc_id: str) -> DocumentRecord | None:
        with Session(self.engine) as s:
            row = s.get(DocumentRow, doc_id)
            return to_record(row) if row else None

    def archive_path(self, doc_id: str) -> str | None:
        """The document's folder (relative to the data root), or None when unknown: one
        column by primary key, for the snippets of an index that stores no folders."""
        with self.engine.connect() as conn:
            found: str | None = conn.execute(_PATH_OF, {"id": doc_id}).scalar()
        return found

    def add_document(self, record: DocumentRecord, events: Sequence[EventRecord]) -> bool:
        """Insert the document, its first receipt and its checkpoint events atomically.

        Returns False (and writes nothing) when the document is already there: the
        commit of an interrupted earlier run.
        """
        try:
            with Session(self.engine) as s, s.begin():
                s.add(to_row(record))
                s.flush()
                s.add(
                    ReceiptRow(
                        document_id=record.id,
                        source_name=record.source_name,
                        received_at=record.received_at,
                        kind="original",
                    )
                )
                s.add_all(event_row(e, None) for e in events)
        except IntegrityError:
            return False
        except OperationalError as exc:
            raise CatalogUnavailable(str(exc)) from exc
        return True

    def mark_released(self, doc_id: str, at: datetime) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(DocumentRow, doc_id)
            if row is not None and row.released_at is None:
                row.released_at = at

    def update_document(self, doc_id: str, **changes: Any) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(DocumentRow, doc_id)
            if row is None:
                raise KeyError(doc_id)
            for key, value in changes.items():
                setattr(row, key, list(value) if key == "flags" else value)

    def list_documents(self, limit: int = 100, offset: int = 0) -> list[DocumentRecord]:
        """Documents in the order they arrived; re-scans merged into another are left out."""
        with Session(self.engine) as s:
            stmt = select(DocumentRow).where(DocumentRow.merged_into.is_(None))
            stmt = stmt.order_by(DocumentRow.received_at, DocumentRow.id)
            rows = s.scalars(stmt.limit(limit).offset(offset))
            return [to_record(r) for r in rows]

    def iter_documents(self) -> Iterator[DocumentRecord]:
        with Session(self.engine) as s:
            for row in s.scalars(select(DocumentRow).order_by(DocumentRow.id)):
                yield to_record(row)

    def count_documents(self) -> int:
        with Session(self.engine) as s:
            # COUNT in the database: verify and doctor call this on the whole archive.
            return int(s.scalar(select(func.count()).select_from(DocumentRow)) or 0)

    def units(self, access: Iterable[str]) -> list[str]:
        """The issuing units named on documents of these access levels (for the search
        form's autocomplete: a unit only restricted documents name is not listed)."""
        with Session(self.engine) as s:
            stmt = (
                select(DocumentRow.unit)
                .where(DocumentRow.unit.is_not(None), DocumentRow.access.in_(list(access)))
                .where(DocumentRow.merged_into.is_(None))
                .distinct()
            )
            return sorted({u for u in s.scalars(stmt) if u and u.strip()}, key=str.casefold)

    # ------------------------------------------------------------------ receipts, events

    def add_receipt(self, receipt: Receipt) -> bool:
        try:
            with Session(self.engine) as s, s.begin():
                s.add(
                    ReceiptRow(
                        document_id=receipt.document_id,
                        source_name=receipt.source_name,
                        received_at=receipt.received_at,
                        kind=receipt.kind,
                    )
                )
        except IntegrityError:
            return False
        return True

    def receipts(self, doc_id: str) -> list[Receipt]:
        with Session(self.engine) as s:
            rows = s.scalars(
                select(ReceiptRow).where(ReceiptRow.document_id == doc_id).order_by(ReceiptRow.id)
            )
            return [
                Receipt(r.document_id, r.source_name, r.received_at, receipt_kind(r.kind))
                for r in rows
            ]

    def record_event(self, ev: EventRecord, once_key: str | None = None) -> bool:
        """Append an event; with ``once_key`` a repeat of the same event is ignored."""
        try:
            with Session(self.engine) as s, s.begin():
                s.add(event_row(ev, once_key))
        except IntegrityError:
            return False
        return True

    def events(
        self, *, document_id: str | None = None, sha256: str | None = None, kind: str | None = None
    ) -> list[EventRecord]:
        stmt = select(EventRow).order_by(EventRow.id)
        if document_id is not None:
            stmt = stmt.where(EventRow.document_id == document_id)
        if sha256 is not None:
            stmt = stmt.where(EventRow.sha256 == sha256)
        if kind is not None:
            stmt = stmt.where(EventRow.kind == kind)
        with Session(self.engine) as s:
            return [event_record(r) for r in s.scalars(stmt)]


# ---------------------------------------------------------------------- in a caller's transaction
# The exemption register and the custody records change documents and append catalog
# events in the same transaction as their own rows: through these, never the rows.


def documents_in(s: Session, ids: Iterable[str]) -> dict[str, DocumentRecord]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = s.scalars(select(DocumentRow).where(DocumentRow.id.in_(wanted)))
    return {r.id: to_record(r) for r in rows}


def document_in(s: Session, doc_id: str) -> DocumentRecord | None:
    row = s.get(DocumentRow, doc_id)
    return to_record(row) if row else None


def set_access_in(s: Session, doc_id: str, access: Access) -> None:
    row = s.get(DocumentRow, doc_id)
    if row is None:
        raise KeyError(doc_id)
    row.access = access


def record_event_in(s: Session, ev: EventRecord) -> None:
    s.add(event_row(ev, None))
