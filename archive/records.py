"""Records the archive package owns: catalog documents, receipts, events, actors."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from archive.vocabulary import Access


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    sha256: str
    source_name: str
    mime: str
    doc_type: str
    doc_type_confidence: float
    number: str | None
    date: date | None
    year: int | None  # of the date, else of the number; archive folder and search facet
    unit: str | None
    title: str | None
    pages: int
    text_source: str
    ocr_confidence: float | None
    flags: tuple[str, ...]
    access: Access
    archive_path: str  # relative to the data root
    received_at: datetime
    archived_at: datetime | None = None
    released_at: datetime | None = None
    text_simhash: int | None = None  # SimHash of the text: near-duplicate candidates
    merged_into: str | None = None  # a re-scan merged into that document

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["flags"] = list(self.flags)
        for key in ("date", "received_at", "archived_at", "released_at"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data


@dataclass(frozen=True)
class EventRecord:
    sha256: str
    kind: str  # checkpoint or action: intake, extraction, classification, archive_write, ...
    outcome: Literal["ok", "flag", "fail", "info"]
    detail: dict[str, Any] = field(default_factory=dict)
    document_id: str | None = None
    run_id: str | None = None
    at: datetime | None = None
    source_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat() if self.at else None
        return data


@dataclass(frozen=True)
class Receipt:
    """One arrival of a file: the original, or a duplicate linked to the same document."""

    document_id: str
    source_name: str
    received_at: datetime
    kind: Literal["original", "duplicate", "rescan"]


@dataclass(frozen=True)
class Actor:
    """Who acts: every recorded step names a person (or a scheduled flow) and the role used."""

    username: str
    role: str
