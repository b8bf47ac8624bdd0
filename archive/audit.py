"""The audit log: who read which restricted document, when, and from where.

A search that shows restricted text is ONE row (action ``search``), its hit count and the
restricted documents it showed in ``detail``: one row per hit made most of the log and
competed with ingest for the single SQLite writer. Filtering by a document finds those
search rows too.

Append-only by construction: this module offers no update or delete, and the table
carries triggers (made by the migrations, on SQLite and PostgreSQL) that make the database
itself refuse to change or remove a row.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, cast, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql import Select

from archive.db import Base, UtcDateTime, utc_now

MAX_AGENT_CHARS = 512
_HEX = re.compile(r"[0-9a-f]{1,32}")


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
    action: str  # view, download_original, download_searchable, thumbnail, search, ...
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


@dataclass
class _Pending:
    row: AuditRow
    written: threading.Event = field(default_factory=threading.Event)
    leads: bool = False  # this caller writes the next group
    error: BaseException | None = None


class _GroupCommit:
    """Rows written by many threads at once go in one transaction, one wait for the disk.

    Each caller still returns only once its own row is committed (or raises what the
    commit raised): the same guarantee as a transaction per row. One caller at a time
    writes what is queued; the first of those queued meanwhile writes the next group.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._queue: list[_Pending] = []
        self._busy = False

    def write(self, row: AuditRow) -> None:
        mine = _Pending(row)
        with self._lock:
            self._queue.append(mine)
            mine.leads = not self._busy
            self._busy = True
        if not mine.leads:
            mine.written.wait()
        if mine.leads:
            self._write_queued()
        if mine.error is not None:
            raise mine.error

    def _write_queued(self) -> None:
        with self._lock:
            group, self._queue = self._queue, []
        error: BaseException | None = None
        try:
            with Session(self.engine) as s, s.begin():
                s.add_all(p.row for p in group)
        except BaseException as exc:  # every caller of the group gets it, as before
            error = exc
        with self._lock:
            following = self._queue[0] if self._queue else None
            self._busy = following is not None
            if following is not None:
                following.leads = True
        for pending in group:
            pending.error = error
            pending.written.set()
        if following is not None:
            following.written.set()


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # The web app writes a row per restricted read from many threads, and a commit
        # waits for the disk: one at a time, ten at once took 24 ms each (p50).
        self._commits = _GroupCommit(engine)

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
        self._commits.write(row)

    def entries(
        self,
        where: AuditFilter | None = None,
        *,
        document_id: str | None = None,
        username: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Newest first."""
        where = where or AuditFilter(username=username, document_id=document_id)
        stmt = where.apply(select(AuditRow)).order_by(AuditRow.id.desc())
        with Session(self.engine) as s:
            return [_entry(r) for r in s.scalars(stmt.limit(limit).offset(offset))]

    def count(self, where: AuditFilter) -> int:
        stmt = where.apply(select(func.count()).select_from(AuditRow))
        with Session(self.engine) as s:
            return int(s.scalar(stmt) or 0)


@dataclass(frozen=True)
class AuditFilter:
    """Which rows: every field given narrows; times are instants (``since`` <= at <
    ``until``). A document matches its own rows and the search rows that showed it."""

    username: str | None = None
    action: str | None = None
    document_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, stmt: Select[Any]) -> Select[Any]:
        if self.username is not None:
            stmt = stmt.where(AuditRow.username == self.username)
        if self.action is not None:
            stmt = stmt.where(AuditRow.action == self.action)
        if self.document_id is not None:
            # Ids are hex digits: no LIKE wildcard can hide in one. JSON as text works
            # on SQLite and PostgreSQL alike.
            mine = AuditRow.document_id == self.document_id
            if _HEX.fullmatch(self.document_id):
                shown = cast(AuditRow.detail, String).like(f'%"{self.document_id}"%')
                mine = or_(mine, shown)
            stmt = stmt.where(mine)
        if self.since is not None:
            stmt = stmt.where(AuditRow.at >= self.since)
        if self.until is not None:
            stmt = stmt.where(AuditRow.at < self.until)
        return stmt
