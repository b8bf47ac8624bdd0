"""The catalog: documents, receipts and an append-only event log, via SQLAlchemy.

SQLite by default; the same code runs on PostgreSQL given another URL. The schema is the
migrations' (``archive.db``). Writes that may be repeated after a crash (receipts,
quarantine events) carry a unique key so a re-run cannot record them twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.db import Base, UtcDateTime, open_engine, utc_now
from archive.errors import CatalogUnavailable
from archive.records import DocumentRecord, EventRecord, Receipt
from archive.vocabulary import Access


# Columns holding file names, text read from documents or keys built from them are Text:
# PostgreSQL enforces VARCHAR lengths where SQLite never did, so a long name would be
# refused only on PostgreSQL.
class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    source_name: Mapped[str] = mapped_column(Text)
    mime: Mapped[str] = mapped_column(String(128))
    doc_type: Mapped[str] = mapped_column(String(64), index=True)
    doc_type_confidence: Mapped[float] = mapped_column(Float)
    number: Mapped[str | None] = mapped_column(Text, index=True)
    date: Mapped[Any] = mapped_column(Date, nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    unit: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer)
    text_source: Mapped[str] = mapped_column(String(32))
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    flags: Mapped[list[str]] = mapped_column(JSON)
    access: Mapped[str] = mapped_column(String(32), index=True)
    archive_path: Mapped[str] = mapped_column(String(1024))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Near-duplicate detection (archive/rescans.py): the text's SimHash, and the document
    # a re-scan was merged into (it then leaves listings and the index, keeps its files).
    text_simhash: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    merged_into: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)


class ReceiptRow(Base):
    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("document_id", "source_name", "received_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    source_name: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(16))


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    once_key: Mapped[str | None] = mapped_column(Text, unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    document_id: Mapped[str | None] = mapped_column(String(32), index=True)
    source_name: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class MetaRow(Base):
    """Release 0.1's schema marker (``schema_version`` = 1); the revision is now Alembic's."""

    __tablename__ = "catalog_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


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
            return _to_record(row) if row else None

    def get(self, doc_id: str) -> DocumentRecord | None:
        with Session(self.engine) as s:
            row = s.get(DocumentRow, doc_id)
            return _to_record(row) if row else None

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
                s.add(_to_row(record))
                s.flush()
                s.add(
                    ReceiptRow(
                        document_id=record.id,
                        source_name=record.source_name,
                        received_at=record.received_at,
                        kind="original",
                    )
                )
                s.add_all(_event_row(e, None) for e in events)
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
            return [_to_record(r) for r in rows]

    def iter_documents(self) -> Iterator[DocumentRecord]:
        with Session(self.engine) as s:
            for row in s.scalars(select(DocumentRow).order_by(DocumentRow.id)):
                yield _to_record(row)

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
                Receipt(r.document_id, r.source_name, r.received_at, _receipt_kind(r.kind))
                for r in rows
            ]

    def record_event(self, ev: EventRecord, once_key: str | None = None) -> bool:
        """Append an event; with ``once_key`` a repeat of the same event is ignored."""
        try:
            with Session(self.engine) as s, s.begin():
                s.add(_event_row(ev, once_key))
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
            return [_event_record(r) for r in s.scalars(stmt)]


# ---------------------------------------------------------------------- in a caller's transaction
# The exemption register and the custody records change documents and append catalog
# events in the same transaction as their own rows: through these, never the rows.


def _receipt_kind(kind: str) -> Literal["original", "duplicate", "rescan"]:
    if kind == "duplicate":
        return "duplicate"
    return "rescan" if kind == "rescan" else "original"


def documents_in(s: Session, ids: Iterable[str]) -> dict[str, DocumentRecord]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = s.scalars(select(DocumentRow).where(DocumentRow.id.in_(wanted)))
    return {r.id: _to_record(r) for r in rows}


def document_in(s: Session, doc_id: str) -> DocumentRecord | None:
    row = s.get(DocumentRow, doc_id)
    return _to_record(row) if row else None


def set_access_in(s: Session, doc_id: str, access: Access) -> None:
    row = s.get(DocumentRow, doc_id)
    if row is None:
        raise KeyError(doc_id)
    row.access = access


def record_event_in(s: Session, ev: EventRecord) -> None:
    s.add(_event_row(ev, None))


def _to_row(r: DocumentRecord) -> DocumentRow:
    return DocumentRow(
        id=r.id,
        sha256=r.sha256,
        source_name=r.source_name,
        mime=r.mime,
        doc_type=r.doc_type,
        doc_type_confidence=r.doc_type_confidence,
        number=r.number,
        date=r.date,
        year=r.year,
        unit=r.unit,
        title=r.title,
        pages=r.pages,
        text_source=r.text_source,
        ocr_confidence=r.ocr_confidence,
        flags=list(r.flags),
        access=r.access,
        archive_path=r.archive_path,
        received_at=r.received_at,
        archived_at=r.archived_at or utc_now(),
        released_at=r.released_at,
        text_simhash=r.text_simhash,
        merged_into=r.merged_into,
    )


def _to_record(row: DocumentRow) -> DocumentRecord:
    return DocumentRecord(
        id=row.id,
        sha256=row.sha256,
        source_name=row.source_name,
        mime=row.mime,
        doc_type=row.doc_type,
        doc_type_confidence=row.doc_type_confidence,
        number=row.number,
        date=row.date,
        year=row.year,
        unit=row.unit,
        title=row.title,
        pages=row.pages,
        text_source=row.text_source,
        ocr_confidence=row.ocr_confidence,
        flags=tuple(row.flags or ()),
        access=row.access,  # type: ignore[arg-type]
        archive_path=row.archive_path,
        received_at=row.received_at,
        archived_at=row.archived_at,
        released_at=row.released_at,
        text_simhash=row.text_simhash,
        merged_into=row.merged_into,
    )


def _event_row(ev: EventRecord, once_key: str | None) -> EventRow:
    return EventRow(
        once_key=once_key,
        sha256=ev.sha256,
        document_id=ev.document_id,
        source_name=ev.source_name,
        run_id=ev.run_id,
        kind=ev.kind,
        outcome=ev.outcome,
        detail=dict(ev.detail),
        at=ev.at or utc_now(),
    )


def _event_record(row: EventRow) -> EventRecord:
    return EventRecord(
        sha256=row.sha256,
        kind=row.kind,
        outcome=row.outcome,  # type: ignore[arg-type]
        detail=dict(row.detail or {}),
        document_id=row.document_id,
        run_id=row.run_id,
        at=row.at,
        source_name=row.source_name,
    )
