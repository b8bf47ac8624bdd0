"""Tables of the request register, on the catalog's database, and row <-> record helpers.

The event table is append-only: nothing here updates or deletes an event, and triggers
(migration 0004) make the database refuse to, as for the exemption events. A request's
row holds its current state; every change of it is also an event in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.db import Base, UtcDateTime, utc_now
from archive.records import Actor
from archive.requests.records import (
    Attachment,
    InfoRequest,
    Objection,
    Requester,
    RequestEvent,
    UnknownRequest,
    items_digest,
)


class RequestRow(Base):
    __tablename__ = "info_requests"
    __table_args__ = (UniqueConstraint("year", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    requester_name: Mapped[str] = mapped_column(Text)
    requester_contact: Mapped[str] = mapped_column(Text)
    requester_identity: Mapped[str] = mapped_column(Text)  # personal data
    subject: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column(Date)
    extended_due_on: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))
    answered_on: Mapped[date | None] = mapped_column(Date)
    overdue_marked_on: Mapped[date | None] = mapped_column(Date)
    tracking_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    formulir_sha256: Mapped[str | None] = mapped_column(String(64), index=True)


class CounterRow(Base):
    """The last number given in a year: numbers are NNN per year, never reused."""

    __tablename__ = "info_request_counters"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class AttachmentRow(Base):
    __tablename__ = "info_request_documents"
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    attached_by: Mapped[str] = mapped_column(String(64))
    attached_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ObjectionRow(Base):
    __tablename__ = "info_objections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"), index=True)
    reason: Mapped[str] = mapped_column(String(4))
    statement: Mapped[str] = mapped_column(Text)
    filed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(Text, default="")
    ki_number: Mapped[str | None] = mapped_column(String(128))
    ki_filed_on: Mapped[date | None] = mapped_column(Date)


class RequestEventRow(Base):
    __tablename__ = "info_request_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))


def lock_request(s: Session, request_id: int) -> RequestRow:
    """The request, write-locked for the rest of the transaction (the version bump is the
    first statement: on SQLite it takes the write lock before anything is read)."""
    bump = update(RequestRow).where(RequestRow.id == request_id)
    s.execute(bump.values(version=RequestRow.version + 1))
    row = s.get(RequestRow, request_id, populate_existing=True)
    if row is None:
        raise UnknownRequest(f"Permohonan #{request_id} tidak ditemukan.")
    return row


def next_seq(s: Session, year: int) -> int:
    done = s.execute(
        update(CounterRow).where(CounterRow.year == year).values(last=CounterRow.last + 1)
    )
    if getattr(done, "rowcount", 0) == 0:
        s.add(CounterRow(year=year, last=1))
        s.flush()
        return 1
    return int(s.scalar(select(CounterRow.last).where(CounterRow.year == year)) or 0)


def add_event(
    s: Session,
    request_id: int,
    kind: str,
    actor: Actor,
    note: str = "",
    items: list[dict[str, Any]] | None = None,
    **detail: Any,
) -> None:
    s.add(
        RequestEventRow(
            request_id=request_id,
            kind=kind,
            username=actor.username,
            role=actor.role,
            at=utc_now(),
            note=note.strip(),
            detail=detail,
            items=list(items or []),
            digest=items_digest(items or []),
        )
    )


def to_objection(row: ObjectionRow) -> Objection:
    return Objection(
        row.id,
        row.request_id,
        row.reason,
        row.statement,
        row.filed_on,
        row.recorded_by,
        row.due_on,
        row.status,  # type: ignore[arg-type]
        row.decided_on,
        row.decided_by,
        row.decision or "",
        row.ki_number,
        row.ki_filed_on,
    )


def to_request(s: Session, row: RequestRow) -> InfoRequest:
    attached = s.scalars(
        select(AttachmentRow)
        .where(AttachmentRow.request_id == row.id)
        .order_by(AttachmentRow.attached_at, AttachmentRow.document_id)
    )
    objections = s.scalars(
        select(ObjectionRow).where(ObjectionRow.request_id == row.id).order_by(ObjectionRow.id)
    )
    return InfoRequest(
        id=row.id,
        number=row.number,
        channel=row.channel,  # type: ignore[arg-type]
        requester=Requester(row.requester_name, row.requester_contact, row.requester_identity),
        subject=row.subject,
        purpose=row.purpose,
        received_on=row.received_on,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        due_on=row.due_on,
        status=row.status,  # type: ignore[arg-type]
        extended_due_on=row.extended_due_on,
        extension_reason=row.extension_reason or "",
        outcome=row.outcome,  # type: ignore[arg-type]
        answered_on=row.answered_on,
        overdue_marked_on=row.overdue_marked_on,
        formulir_sha256=row.formulir_sha256,
        attachments=tuple(
            Attachment(a.document_id, a.sha256, a.attached_by, a.attached_at) for a in attached
        ),
        objections=tuple(to_objection(o) for o in objections),
    )


def to_event(row: RequestEventRow) -> RequestEvent:
    return RequestEvent(
        row.request_id,
        row.kind,
        row.username,
        row.role,
        row.at,
        row.note,
        dict(row.detail or {}),
        tuple(row.items or ()),
        row.digest,
    )


def request_events(s: Session, request_id: int) -> list[RequestEvent]:
    stmt = select(RequestEventRow).where(RequestEventRow.request_id == request_id)
    return [to_event(r) for r in s.scalars(stmt.order_by(RequestEventRow.id))]
