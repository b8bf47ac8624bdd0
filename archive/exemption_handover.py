"""Procedure A's handover record: which division handed over which document, when, who
handed it over and who at the PPID received it. Append-only, like the event logs: a
correction is a new record, never an edit (SQLite triggers refuse changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from archive.append_only import protect_append_only
from archive.catalog import DocumentRow, EventRow
from archive.exemption_records import Actor, InvalidEntry, UnknownDocument

MAX_FIELD = 200
RECEIVING_ROLES = frozenset({"petugas", "ppid", "admin"})


class Base(DeclarativeBase):
    pass


class HandoverRow(Base):
    __tablename__ = "handovers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(32), index=True)
    division: Mapped[str] = mapped_column(String(MAX_FIELD))
    handed_over_by: Mapped[str] = mapped_column(String(MAX_FIELD))
    handed_over_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[str] = mapped_column(String(64))
    received_role: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
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


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _to_handover(row: HandoverRow) -> Handover:
    return Handover(
        row.id, row.document_id, row.division, row.handed_over_by, _aware(row.handed_over_at),
        row.received_by, row.received_role, _aware(row.recorded_at), bool(row.verified), row.note,
    )  # fmt: skip


def _field(value: str, what: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise InvalidEntry(f"{what} wajib diisi.")
    if len(text) > MAX_FIELD:
        raise InvalidEntry(f"{what} terlalu panjang (maks. {MAX_FIELD} karakter).")
    return text


class HandoverRegister:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        Base.metadata.create_all(engine)
        protect_append_only(engine, "handovers")

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
        if receiver.role not in RECEIVING_ROLES:
            raise InvalidEntry("Serah terima dicatat oleh Petugas PPID atau Pejabat PPID.")
        # Stored in UTC: SQLite keeps no offset, and everything read back is taken as UTC.
        at = _aware(handed_over_at).astimezone(UTC)
        if at > datetime.now(UTC):
            raise InvalidEntry("Waktu serah terima tidak boleh di masa depan.")
        row = HandoverRow(
            document_id=document_id,
            division=_field(division, "Bidang/divisi"),
            handed_over_by=_field(handed_over_by, "Nama yang menyerahkan"),
            handed_over_at=at,
            received_by=receiver.username,
            received_role=receiver.role,
            recorded_at=datetime.now(UTC),
            verified=verified,
            note=note.strip()[:2000],
        )
        with Session(self.engine) as s, s.begin():
            doc = s.get(DocumentRow, document_id)
            if doc is None:
                raise UnknownDocument(f"Dokumen {document_id} tidak ditemukan.")
            s.add(row)
            s.flush()
            s.add(_event(doc, row))
            return _to_handover(row)

    def list(self, document_id: str | None = None, limit: int = 200) -> list[Handover]:
        """Newest first."""
        stmt = select(HandoverRow).order_by(HandoverRow.id.desc()).limit(limit)
        if document_id is not None:
            stmt = stmt.where(HandoverRow.document_id == document_id)
        with Session(self.engine) as s:
            return [_to_handover(r) for r in s.scalars(stmt)]


def _event(doc: DocumentRow, row: HandoverRow) -> EventRow:
    return EventRow(
        sha256=doc.sha256,
        document_id=doc.id,
        kind="serah_terima",
        outcome="info",
        detail={
            "by": row.received_by,
            "role": row.received_role,
            "bidang": row.division,
            "diserahkan_oleh": row.handed_over_by,
            "waktu_serah": row.handed_over_at.isoformat(),
            "terverifikasi": row.verified,
        },
        at=row.recorded_at,
    )
