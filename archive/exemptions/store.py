"""Tables of the exemption register, on the catalog's database, and row <-> record helpers.

The event table is append-only: no code here updates or deletes an event, and triggers
(made by the migrations) make the database itself refuse to, as for the audit log.
Documents' access is changed in the same transaction as the step that causes it, through
the catalog's functions, so an entry can never be "expired" while its documents stay
closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.catalog import documents_in, record_event_in, set_access_in
from archive.db import Base, UtcDateTime, utc_now
from archive.exemptions.errors import UnknownEntry
from archive.exemptions.records import (
    FINAL,
    Actor,
    Draft,
    Entry,
    EntryEvent,
    LinkedDocument,
    Period,
    RedactionSpec,
)
from archive.exemptions.step_io import AccessChange
from archive.records import DocumentRecord, EventRecord
from archive.vocabulary import Access


class EntryRow(Base):
    __tablename__ = "exemption_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text)
    doc_type: Mapped[str | None] = mapped_column(String(64))
    legal_basis: Mapped[str] = mapped_column(String(64))
    legal_point: Mapped[int | None] = mapped_column(Integer)
    other_bases: Mapped[list[str]] = mapped_column(JSON)
    consequence: Mapped[str] = mapped_column(Text)
    consideration: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(16))
    redaction: Mapped[dict[str, Any]] = mapped_column(JSON)
    period: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    remarks: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(64))
    proposed_role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    round: Mapped[int] = mapped_column(Integer, default=0)
    required_approvers: Mapped[list[str]] = mapped_column(JSON)
    decree_number: Mapped[str | None] = mapped_column(String(256))
    decree_date: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    next_review: Mapped[date | None] = mapped_column(Date, index=True)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)


class EntryDocumentRow(Base):
    __tablename__ = "exemption_documents"
    entry_id: Mapped[int] = mapped_column(ForeignKey("exemption_entries.id"), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    linked_by: Mapped[str] = mapped_column(String(64))
    public_sha256: Mapped[str | None] = mapped_column(String(64))
    public_path: Mapped[str | None] = mapped_column(String(1024))
    public_source_sha256: Mapped[str | None] = mapped_column(String(64))


class EntryEventRow(Base):
    __tablename__ = "exemption_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text)
    documents: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class LegalBasisRow(Base):
    __tablename__ = "legal_bases"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    law: Mapped[str] = mapped_column(String(256))
    article: Mapped[str] = mapped_column(String(256))
    letter: Mapped[str] = mapped_column(String(4))
    summary: Mapped[str] = mapped_column(Text)
    points: Mapped[list[str]] = mapped_column(JSON)
    permanent_allowed: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


class SettingRow(Base):
    __tablename__ = "exemption_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


def lock_entry(s: Session, entry_id: int) -> EntryRow:
    """The entry, write-locked for the rest of the transaction.

    The version bump is the transaction's first statement: on SQLite it takes the write
    lock before anything is read, so two approvers acting at once are serialized instead
    of both deciding on the same stale state (on PostgreSQL it locks the row).
    """
    s.execute(update(EntryRow).where(EntryRow.id == entry_id).values(version=EntryRow.version + 1))
    row = s.get(EntryRow, entry_id, populate_existing=True)
    if row is None:
        raise UnknownEntry(f"Entri pengecualian #{entry_id} tidak ditemukan.")
    return row


def linked_rows(s: Session, entry_id: int) -> list[EntryDocumentRow]:
    stmt = select(EntryDocumentRow).where(EntryDocumentRow.entry_id == entry_id)
    return list(s.scalars(stmt.order_by(EntryDocumentRow.document_id)))


def to_entry(s: Session, row: EntryRow) -> Entry:
    docs = tuple(
        LinkedDocument(
            d.document_id, d.sha256, d.linked_at, d.linked_by,
            d.public_sha256, d.public_path, d.public_source_sha256,
        )
        for d in linked_rows(s, row.id)
    )  # fmt: skip
    return Entry(
        id=row.id,
        status=row.status,  # type: ignore[arg-type]
        draft=to_draft(row),
        proposed_by=row.proposed_by,
        proposed_role=row.proposed_role,
        created_at=row.created_at,
        round=row.round,
        required_approvers=tuple(row.required_approvers or ()),
        documents=docs,
        decree_number=row.decree_number,
        decree_date=row.decree_date,
        published_on=row.published_on,
        next_review=row.next_review,
        expires_on=row.expires_on,
    )


def to_draft(row: EntryRow) -> Draft:
    return Draft(
        description=row.description,
        legal_basis=row.legal_basis,
        legal_point=row.legal_point,
        other_bases=tuple(row.other_bases or ()),
        doc_type=row.doc_type,
        consequence=row.consequence,
        consideration=row.consideration,
        scope=row.scope,  # type: ignore[arg-type]
        redaction=RedactionSpec.from_json(row.redaction),
        period=Period.from_json(row.period),
        remarks=row.remarks,
    )


def write_draft(row: EntryRow, draft: Draft) -> None:
    row.description = draft.description
    row.legal_basis = draft.legal_basis
    row.legal_point = draft.legal_point
    row.other_bases = list(draft.other_bases)
    row.doc_type = draft.doc_type
    row.consequence = draft.consequence
    row.consideration = draft.consideration
    row.scope = draft.scope
    row.redaction = draft.redaction.to_json()
    row.period = draft.period.to_json() if draft.period else None
    row.remarks = draft.remarks


def add_event(
    s: Session,
    row: EntryRow,
    kind: str,
    actor: Actor,
    from_status: str | None,
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> EntryEvent:
    """Append one event naming the documents the entry covers at this moment."""
    docs = linked_rows(s, row.id)
    event = EntryEventRow(
        entry_id=row.id,
        kind=kind,
        from_status=from_status,
        to_status=row.status,
        username=actor.username,
        role=actor.role,
        at=utc_now(),
        note=note,
        documents=[{"id": d.document_id, "sha256": d.sha256} for d in docs],
        digest=to_entry(s, row).digest(),
        detail=detail or {},
    )
    s.add(event)
    s.flush()
    return to_event(event)


def to_event(row: EntryEventRow) -> EntryEvent:
    return EntryEvent(
        row.entry_id, row.kind, row.from_status, row.to_status, row.username, row.role,
        row.at, row.note, tuple(row.documents or ()), row.digest, dict(row.detail or {}),
    )  # fmt: skip


def entry_events(s: Session, entry_id: int) -> list[EntryEvent]:
    stmt = select(EntryEventRow).where(EntryEventRow.entry_id == entry_id)
    return [to_event(r) for r in s.scalars(stmt.order_by(EntryEventRow.id))]


def documents(s: Session, ids: Iterable[str]) -> dict[str, DocumentRecord]:
    return documents_in(s, ids)


def set_access(
    s: Session, doc_ids: Sequence[str], access: Access, actor: Actor, entry_id: int, reason: str
) -> list[AccessChange]:
    """Change the documents' access in the catalog, with a catalog event for each that
    changed (who, role, entry, before and after); returns the changes made."""
    changes = []
    for doc in documents_in(s, doc_ids).values():
        if doc.access == access:
            continue
        detail = {
            "by": actor.username,
            "role": actor.role,
            "entri": entry_id,
            "before": doc.access,
            "after": access,
            "alasan": reason,
        }
        record_event_in(
            s, EventRecord(doc.sha256, "perubahan_akses", "info", detail, doc.id, at=utc_now())
        )
        set_access_in(s, doc.id, access)
        changes.append(AccessChange(doc.id, doc.access, access))
    return sorted(changes, key=lambda c: c.document_id)


def covering(s: Session, doc_ids: Iterable[str], except_entry: int) -> dict[str, set[str]]:
    """For each of ``doc_ids`` covered by another entry that has not ended, the statuses
    of those entries (a document may be in force under one and proposed under another)."""
    stmt = (
        select(EntryDocumentRow.document_id, EntryRow.status)
        .join(EntryRow, EntryRow.id == EntryDocumentRow.entry_id)
        .where(EntryDocumentRow.document_id.in_(list(doc_ids)))
        .where(EntryRow.id != except_entry)
        .where(EntryRow.status.not_in(list(FINAL)))
    )
    found: dict[str, set[str]] = {}
    for doc_id, status in s.execute(stmt):
        found.setdefault(doc_id, set()).add(status)
    return found


def active_links(s: Session, doc_ids: Iterable[str], except_entry: int) -> set[str]:
    """Documents among ``doc_ids`` still covered by another entry that has not ended."""
    return set(covering(s, doc_ids, except_entry))


def approval_events(s: Session) -> dict[int, list[EntryEvent]]:
    """Every approval event, by entry (one query for a whole list page)."""
    stmt = select(EntryEventRow).where(EntryEventRow.kind == "disetujui")
    found: dict[int, list[EntryEvent]] = {}
    for row in s.scalars(stmt.order_by(EntryEventRow.id)):
        found.setdefault(row.entry_id, []).append(to_event(row))
    return found
