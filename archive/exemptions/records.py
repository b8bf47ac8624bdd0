"""Records of the exemption register (Daftar Informasi yang Dikecualikan): plain frozen
dataclasses the register builds from its tables and every caller reads. What a step is
given and returns is in ``archive.exemptions.step_io``."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from archive.records import Actor as Actor  # re-exported: the register's callers use it

Status = Literal[
    "draf",
    "uji_konsekuensi",
    "menunggu_persetujuan",
    "ditetapkan",
    "dipublikasikan",
    "tinjauan",
    "kedaluwarsa",
    "dicabut",
    "dibatalkan",
    "ditarik",
]
STATUS_NAMES: dict[str, str] = {
    "draf": "Draf",
    "uji_konsekuensi": "Uji konsekuensi tercatat",
    "menunggu_persetujuan": "Menunggu persetujuan",
    "ditetapkan": "Ditetapkan",
    "dipublikasikan": "Dipublikasikan",
    "tinjauan": "Dalam tinjauan",
    "kedaluwarsa": "Kedaluwarsa",
    "dicabut": "Dicabut",
    "dibatalkan": "Dibatalkan",
    "ditarik": "Ditarik (usulan dibatalkan)",
}
# Not yet decided: the documents are restricted but not exempted.
PROPOSED: frozenset[str] = frozenset({"draf", "uji_konsekuensi", "menunggu_persetujuan"})
# Decided by decree and not ended: the documents are exempted.
IN_FORCE: frozenset[str] = frozenset({"ditetapkan", "dipublikasikan", "tinjauan"})
# In force and on the public list.
PUBLISHED: frozenset[str] = frozenset({"dipublikasikan", "tinjauan"})
# Ended (or never decided): the entry only remains as history.
FINAL: frozenset[str] = frozenset({"kedaluwarsa", "dicabut", "dibatalkan", "ditarik"})
Scope = Literal["seluruh", "sebagian"]
DEFAULT_APPROVERS: tuple[str, ...] = ("tim_pertimbangan", "atasan", "pembina")
# A 16-digit NIK / KK number (optionally grouped by 4): exempted content itself, which the
# register's public texts must never carry.
ID_NUMBER = re.compile(r"(?<!\d)\d{4}([ .-]?)\d{4}\1\d{4}\1\d{4}(?!\d)")


@dataclass(frozen=True)
class Period:
    kind: Literal["durasi", "syarat", "permanen"]
    years: int = 0
    months: int = 0
    condition: str = ""

    def label(self) -> str:
        if self.kind == "permanen":
            return "Permanen"
        if self.kind == "syarat":
            return self.condition
        parts = [f"{self.years} tahun"] if self.years else []
        parts += [f"{self.months} bulan"] if self.months else []
        return " ".join(parts)

    def end(self, start: date) -> date | None:
        """Last day of a duration counted from ``start``; None for other kinds."""
        if self.kind != "durasi":
            return None
        return add_months(start, self.years * 12 + self.months)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "years": self.years, "months": self.months,
                "condition": self.condition, "label": self.label()}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Period | None:
        if not data:
            return None
        return cls(data["kind"], data.get("years", 0), data.get("months", 0),
                   data.get("condition", ""))  # fmt: skip


def add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    day = min(start.day, _days_in(start.year + year, month + 1))
    return date(start.year + year, month + 1, day)


def _days_in(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days


@dataclass(frozen=True)
class Region:
    """A box on one page, as fractions (0-1) of the page width and height. It applies to
    that page of every document the entry covers."""

    page: int
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class RedactionSpec:
    """What to black out in the public copy of a partly exempted document."""

    personal_numbers: bool = False  # every NIK / Nomor KK the OCR finds
    numbers: tuple[str, ...] = ()  # specific numbers (digits)
    regions: tuple[Region, ...] = ()

    def is_empty(self) -> bool:
        return not (self.personal_numbers or self.numbers or self.regions)

    def to_json(self) -> dict[str, Any]:
        return {
            "personal_numbers": self.personal_numbers,
            "numbers": list(self.numbers),
            "regions": [r.__dict__ for r in self.regions],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RedactionSpec:
        data = data or {}
        return cls(
            bool(data.get("personal_numbers")),
            tuple(str(n) for n in data.get("numbers", ())),
            tuple(Region(**r) for r in data.get("regions", ())),
        )


@dataclass(frozen=True)
class LegalBasis:
    code: str
    law: str
    article: str
    letter: str  # UU 14/2008 Pasal 17 letter; "" for a supporting law
    summary: str
    points: tuple[str, ...]
    permanent_allowed: bool
    active: bool = True

    def cite(self, point: int | None = None) -> str:
        text = f"{self.law} {self.article}".strip()
        return f"{text} angka {point}" if point else text


@dataclass(frozen=True)
class LinkedDocument:
    document_id: str
    sha256: str
    linked_at: datetime
    linked_by: str
    public_sha256: str | None = None  # the redacted public copy, when there is one
    public_path: str | None = None
    public_source_sha256: str | None = None

    @property
    def has_current_copy(self) -> bool:
        """A public copy made from the bytes the entry covers now."""
        return self.public_sha256 is not None and self.public_source_sha256 == self.sha256


@dataclass(frozen=True)
class Draft:
    """What the PPID fills in; checked in full when the consequence test is recorded."""

    description: str
    legal_basis: str
    legal_point: int | None = None
    other_bases: tuple[str, ...] = ()
    doc_type: str | None = None
    consequence: str = ""
    consideration: str = ""
    scope: Scope = "seluruh"
    redaction: RedactionSpec = field(default_factory=RedactionSpec)
    period: Period | None = None
    remarks: str = ""

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data.update(other_bases=list(self.other_bases), redaction=self.redaction.to_json(),
                    period=self.period.to_json() if self.period else None)  # fmt: skip
        return data


@dataclass(frozen=True)
class Entry:
    id: int
    status: Status
    draft: Draft
    proposed_by: str
    proposed_role: str
    created_at: datetime
    round: int
    required_approvers: tuple[str, ...]
    documents: tuple[LinkedDocument, ...]
    decree_number: str | None = None
    decree_date: date | None = None
    published_on: date | None = None
    next_review: date | None = None
    expires_on: date | None = None

    def digest(self) -> str:
        """The documents the entry covers now (every event records it)."""
        return documents_digest(d.sha256 for d in self.documents)

    def approval_digest(self) -> str:
        """What an approver is shown and approves: this round's consequence test and the
        exact documents. An approval must carry it, so it is never bound to a text or a
        document the approver did not see."""
        seen = {"round": self.round, "documents": self.digest(), "draft": self.draft.to_json()}
        text = json.dumps(seen, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


@dataclass(frozen=True)
class EntryEvent:
    entry_id: int
    kind: str
    from_status: str | None
    to_status: str
    username: str
    role: str
    at: datetime
    note: str
    documents: tuple[dict[str, str], ...]  # [{"id", "sha256"}] the step concerned
    digest: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id, "kind": self.kind, "from_status": self.from_status,
            "to_status": self.to_status, "username": self.username, "role": self.role,
            "at": self.at.isoformat(), "note": self.note, "documents": list(self.documents),
            "digest": self.digest, "detail": self.detail,
        }  # fmt: skip


def documents_digest(shas: Any) -> str:
    """SHA-256 over the sorted document checksums: what an approval is bound to."""
    return hashlib.sha256("\n".join(sorted(shas)).encode()).hexdigest()
