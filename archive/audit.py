"""The audit log: who read which restricted document, when, and from where.

Append-only by construction: this module offers no update or delete, and the table
carries triggers (made by the migrations, on SQLite and PostgreSQL) that make the database
itself refuse to change or remove a row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.db import Base, UtcDateTime, utc_now

MAX_AGENT_CHARS = 512


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[str | None] = mapped_column(String(32), index=True)
    access: Mapped[str | None] = mapped_column(String(32))
    client: Mapped[str] = mapped_column(String(128))
    user_agent: Mapped[str] = mapped_column(String(MAX_AGENT_CHARS))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


@dataclass(frozen=True)
class AuditEntry:
    username: str
    role: str
    action: str  # view, download_original, download_searchable, thumbnail, search_hit, ...
    document_id: str | None
    access: str | None  # the document's access level at the time of the read
    client: str
    user_agent: str
    at: datetime | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat() if self.at else None
        return data


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        username=row.username,
        role=row.role,
        action=row.action,
        document_id=row.document_id,
        access=row.access,
        client=row.client,
        user_agent=row.user_agent,
        at=row.at,
        detail=dict(row.detail or {}),
    )


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, entry: AuditEntry) -> None:
        row = AuditRow(
            at=entry.at or utc_now(),
            username=entry.username[:64],
            role=entry.role[:32],
            action=entry.action[:32],
            document_id=entry.document_id,
            access=entry.access,
            client=entry.client[:128],
            user_agent=entry.user_agent[:MAX_AGENT_CHARS],
            detail=dict(entry.detail),
        )
        with Session(self.engine) as s, s.begin():
            s.add(row)

    def record_many(self, entries: list[AuditEntry]) -> None:
        for entry in entries:
            self.record(entry)

    def entries(
        self,
        *,
        document_id: str | None = None,
        username: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Newest first."""
        stmt = select(AuditRow).order_by(AuditRow.id.desc())
        if document_id is not None:
            stmt = stmt.where(AuditRow.document_id == document_id)
        if username is not None:
            stmt = stmt.where(AuditRow.username == username)
        with Session(self.engine) as s:
            return [_entry(r) for r in s.scalars(stmt.limit(limit).offset(offset))]
