"""Procedure A's handover record: which division handed over which document, when, who
handed it over and who at the PPID received it. Append-only, like the event logs: a
correction is a new record, never an edit (the database's triggers refuse changes)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.catalog import document_in, record_event_in
from archive.catalog_tables import DocumentRow
from archive.custody import InvalidCustody, UnknownDocument
from archive.db import Base, UtcDateTime, as_utc, utc_now
from archive.records import Actor, DocumentRecord, EventRecord
from archive.vocabulary import CAN_RECORD_HANDOVER

MAX_FIELD = 200
EVENT_KIND = "serah_terima"


class HandoverRow(Base):
    __tablename__ = "handovers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(32), index=True)
    division: Mapped[str] = mapped_column(String(MAX_FIELD))
    handed_over_by: Mapped[str] = mapped_column(String(MAX_FIELD))
    handed_over_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_by: Mapped[str] = mapped_column(String(64))
    received_role: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    verified: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class Handover:
    id: int
    document_id: str
    division: str
    handed_over_by: str
    handed_over_at: datetime
    received_by: str
    received_role: str
    recorded_at: datetime
    verified: bool  # the division confirmed the data is up to date and verified
    note: str

    def to_json(self) -> dict[str, object]:
        data = dict(self.__dict__)
        data["handed_over_at"] = self.handed_over_at.isoformat()
        data["recorded_at"] = self.recorded_at.isoformat()
        return data


def _to_handover(row: HandoverRow) -> Handover:
    return Handover(
        row.id, row.document_id, row.division, row.handed_over_by, row.handed_over_at,
        row.received_by, row.received_role, row.recorded_at, bool(row.verified), row.note,
    )  # fmt: skip


def _field(value: str, what: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise InvalidCustody(f"{what} wajib diisi.")
    if len(text) > MAX_FIELD:
        raise InvalidCustody(f"{what} terlalu panjang (maks. {MAX_FIELD} karakter).")
    return text


class HandoverRegister:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(
        self,
        document_id: str,
        division: str,
        handed_over_by: str,
        handed_over_at: datetime,
        receiver: Actor,
        *,
        verified: bool,
        note: str = "",
    ) -> Handover:
        """One handover, with a ``serah_terima`` event on the document, in one transaction."""
        if receiver.role not in CAN_RECORD_HANDOVER:
            raise InvalidCustody("Serah terima dicatat oleh Petugas PPID atau Pejabat PPID.")
        at = as_utc(handed_over_at)  # as it is stored and read back
        if at > utc_now():
            raise InvalidCustody("Waktu serah terima tidak boleh di masa depan.")
        row = HandoverRow(
            document_id=document_id,
            division=_field(division, "Bidang/divisi"),
            handed_over_by=_field(handed_over_by, "Nama yang menyerahkan"),
            handed_over_at=at,
            received_by=receiver.username,
            received_role=receiver.role,
            recorded_at=utc_now(),
            verified=verified,
            note=note.strip()[:2000],
        )
        with Session(self.engine) as s, s.begin():
            doc = document_in(s, document_id)
            if doc is None:
                raise UnknownDocument(f"Dokumen {document_id} tidak ditemukan.")
            s.add(row)
            s.flush()
            handover = _to_handover(row)
            record_event_in(s, _event(doc, handover))
            return handover

    def list(
        self,
        document_id: str | None = None,
        limit: int = 200,
        *,
        visible: Collection[str] | None = None,
    ) -> list[Handover]:
        """Newest first; with ``visible``, only handovers of documents at those access
        levels (filtered in the query, as search is: a row of a restricted document never
        reaches a role that may not see it, not even its id)."""
        stmt = select(HandoverRow).order_by(HandoverRow.id.desc()).limit(limit)
        if document_id is not None:
            stmt = stmt.where(HandoverRow.document_id == document_id)
        if visible is not None:
            stmt = stmt.join(DocumentRow, DocumentRow.id == HandoverRow.document_id).where(
                DocumentRow.access.in_(sorted(visible))
            )
        with Session(self.engine) as s:
            return [_to_handover(r) for r in s.scalars(stmt)]


def _event(doc: DocumentRecord, h: Handover) -> EventRecord:
    detail = {
        "by": h.received_by,
        "role": h.received_role,
        "bidang": h.division,
        "diserahkan_oleh": h.handed_over_by,
        "waktu_serah": h.handed_over_at.isoformat(),
        "terverifikasi": h.verified,
    }
    return EventRecord(doc.sha256, EVENT_KIND, "info", detail, doc.id, at=h.recorded_at)
