"""Where the paper original of a document is kept: room, cabinet, box, folder.

One current row per document; every change also appends a ``hardcopy_location`` event
(who, role, before and after) to the catalog in the same transaction, so the history is
never lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.catalog import document_in, record_event_in
from archive.custody import InvalidCustody, UnknownDocument
from archive.db import Base, UtcDateTime, utc_now
from archive.records import Actor, EventRecord

FIELDS: tuple[str, ...] = ("room", "cabinet", "box", "folder")
# The custody package's refusals are read by staff, as the form labels them.
FIELD_NAMES = {"room": "Ruang", "cabinet": "Lemari", "box": "Boks", "folder": "Map"}
MAX_FIELD_CHARS = 120
EVENT_KIND = "hardcopy_location"


class InvalidLocation(InvalidCustody):
    pass


class HardcopyRow(Base):
    __tablename__ = "hardcopy_locations"
    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    room: Mapped[str] = mapped_column(String(MAX_FIELD_CHARS))
    cabinet: Mapped[str] = mapped_column(String(MAX_FIELD_CHARS))
    box: Mapped[str] = mapped_column(String(MAX_FIELD_CHARS))
    folder: Mapped[str] = mapped_column(String(MAX_FIELD_CHARS))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class HardcopyLocation:
    room: str = ""
    cabinet: str = ""
    box: str = ""
    folder: str = ""

    @classmethod
    def clean(cls, **values: str) -> HardcopyLocation:
        cleaned = {}
        for name in FIELDS:
            value = " ".join(values.get(name, "").split())
            if len(value) > MAX_FIELD_CHARS:
                raise InvalidLocation(
                    f"{FIELD_NAMES[name]} terlalu panjang (maks. {MAX_FIELD_CHARS} karakter)."
                )
            cleaned[name] = value
        return cls(**cleaned)

    def to_json(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}

    def is_empty(self) -> bool:
        return not any(self.to_json().values())


@dataclass(frozen=True)
class StoredLocation:
    location: HardcopyLocation
    updated_at: datetime
    updated_by: str


def _location(row: HardcopyRow | None) -> HardcopyLocation:
    if row is None:
        return HardcopyLocation()
    return HardcopyLocation(row.room, row.cabinet, row.box, row.folder)


class HardcopyRegister:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, document_id: str) -> StoredLocation | None:
        with Session(self.engine) as s:
            row = s.get(HardcopyRow, document_id)
            if row is None:
                return None
            return StoredLocation(_location(row), row.updated_at, row.updated_by)

    def locations(self, document_ids: Iterable[str] | None = None) -> dict[str, HardcopyLocation]:
        """Current locations by document id (every one when ``document_ids`` is None): the
        search index holds them (``flows.app.indexing``)."""
        with Session(self.engine) as s:
            stmt = select(HardcopyRow)
            if document_ids is not None:
                stmt = stmt.where(HardcopyRow.document_id.in_(list(document_ids)))
            return {row.document_id: _location(row) for row in s.scalars(stmt)}

    def set(self, document_id: str, location: HardcopyLocation, by: Actor) -> HardcopyLocation:
        """Store ``location`` and, when it changed, its event; returns the one it replaced
        (empty when there was none)."""
        with Session(self.engine) as s, s.begin():
            doc = document_in(s, document_id)
            if doc is None:
                raise UnknownDocument(f"Dokumen {document_id} tidak ditemukan.")
            row = s.get(HardcopyRow, document_id)
            before = _location(row)
            if row is None:
                row = HardcopyRow(document_id=document_id)
                s.add(row)
            for name in FIELDS:
                setattr(row, name, getattr(location, name))
            row.updated_at, row.updated_by = utc_now(), by.username
            if before != location:
                detail = {
                    "by": by.username,
                    "role": by.role,
                    "before": before.to_json(),
                    "after": location.to_json(),
                }
                ev = EventRecord(doc.sha256, EVENT_KIND, "info", detail, doc.id, at=row.updated_at)
                record_event_in(s, ev)
        return before
