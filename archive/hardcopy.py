"""Where the paper original of a document is kept: room, cabinet, box, folder.

One current row per document; every change is also written to the catalog's event log
by the caller (who changed it, before and after), so the history is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from archive.errors import ArchiveError

FIELDS: tuple[str, ...] = ("room", "cabinet", "box", "folder")
MAX_FIELD_CHARS = 120


class InvalidLocation(ArchiveError):
    pass


class Base(DeclarativeBase):
    pass


class HardcopyRow(Base):
    __tablename__ = "hardcopy_locations"
    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    room: Mapped[str] = mapped_column(String(MAX_FIELD_CHARS))
    cabinet: Mapped[str] = mapped_column(String(MAX_FIELD_CHARS))
    box: Mapped[str] = mapped_column(String(MAX_FIELD_CHARS))
    folder: Mapped[str] = mapped_column(String(MAX_FIELD_CHARS))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
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
                raise InvalidLocation(f"{name} is longer than {MAX_FIELD_CHARS} characters")
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


class HardcopyRegister:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        Base.metadata.create_all(engine)

    def get(self, document_id: str) -> StoredLocation | None:
        with Session(self.engine) as s:
            row = s.get(HardcopyRow, document_id)
            if row is None:
                return None
            at = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
            where = HardcopyLocation(row.room, row.cabinet, row.box, row.folder)
            return StoredLocation(where, at, row.updated_by)

    def set(self, document_id: str, location: HardcopyLocation, by: str) -> HardcopyLocation:
        """Store ``location``; returns the one it replaced (empty when there was none)."""
        with Session(self.engine) as s, s.begin():
            row = s.get(HardcopyRow, document_id)
            before = (
                HardcopyLocation(row.room, row.cabinet, row.box, row.folder)
                if row
                else HardcopyLocation()
            )
            if row is None:
                row = HardcopyRow(document_id=document_id)
                s.add(row)
            for name in FIELDS:
                setattr(row, name, getattr(location, name))
            row.updated_at = datetime.now(UTC)
            row.updated_by = by
        return before
