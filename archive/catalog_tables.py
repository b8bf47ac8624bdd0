"""The catalog's tables (documents, receipts, events, the 0.1 schema marker) and the
conversions between their rows and the records every caller reads.

Apart from ``archive.catalog`` so that the modules changing documents in their own
transaction (rescans, custody) can name the columns without the class, and so that
``archive.models`` can register the tables by importing this alone.
"""

from __future__ import annotations

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
)
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base, UtcDateTime, utc_now
from archive.records import DocumentRecord, EventRecord


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


def receipt_kind(kind: str) -> Literal["original", "duplicate", "rescan"]:
    if kind == "duplicate":
        return "duplicate"
    return "rescan" if kind == "rescan" else "original"


def to_row(r: DocumentRecord) -> DocumentRow:
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


def to_record(row: DocumentRow) -> DocumentRecord:
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


def event_row(ev: EventRecord, once_key: str | None) -> EventRow:
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


def event_record(row: EventRow) -> EventRecord:
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
