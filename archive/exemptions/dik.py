"""The public list (Daftar Informasi yang Dikecualikan) as rows: from published entries
only, with the columns PPID practice uses. The rows describe what is exempted and why;
they never carry the exempted content (the register refuses 16-digit numbers in its
texts, and nothing from the documents themselves is read here)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass
from datetime import date
from typing import Any

from archive.exemptions.records import PUBLISHED, Entry, LegalBasis
from archive.spreadsheet import csv_text
from archive.vocabulary import tanggal

COLUMNS: tuple[str, ...] = (
    "No",
    "Informasi yang dikecualikan",
    "Dasar hukum",
    "Konsekuensi bila dibuka",
    "Pertimbangan bila ditutup",
    "Jangka waktu",
    "Keputusan",
    "Keterangan",
)


@dataclass(frozen=True)
class DikRow:
    no: int
    information: str
    legal_basis: str
    consequence: str
    consideration: str
    period: str
    decree: str
    remarks: str
    # Not columns: the decree's parts, for the JSON twin and the page's phone layout.
    decree_number: str = ""
    decree_date: date | None = None
    # The entry, and how many redacted public copies it holds (partial exemptions): the
    # public page links each one; the copies are what may be handed out, never the originals.
    entry_id: int = 0
    public_copies: int = 0

    def values(self) -> tuple[str, ...]:
        return tuple(str(v) for v in astuple(self)[: len(COLUMNS)])

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(zip(COLUMNS, (self.no, *self.values()[1:]), strict=True))
        when = self.decree_date.isoformat() if self.decree_date else None
        return data | {"decree_number": self.decree_number, "decree_date": when}


def _basis_text(entry: Entry, lookup: Callable[[str], LegalBasis | None]) -> str:
    main = lookup(entry.draft.legal_basis)
    parts = [main.cite(entry.draft.legal_point) if main else entry.draft.legal_basis]
    for code in entry.draft.other_bases:
        other = lookup(code)
        parts.append(other.cite() if other else code)
    return "; ".join(parts)


def _period_text(entry: Entry) -> str:
    period = entry.draft.period
    text = period.label() if period else "—"
    if entry.expires_on is not None:
        text += f" (sampai dengan {tanggal(entry.expires_on)})"
    return text


def _remarks(entry: Entry) -> str:
    scope = (
        "Dikecualikan seluruhnya"
        if entry.draft.scope == "seluruh"
        else "Dikecualikan sebagian; salinan publik disamarkan"
    )
    return f"{scope}. {entry.draft.remarks}".strip()


def copied_documents(entry: Entry) -> list[str]:
    """The documents of a partial exemption whose public copy was made from the bytes the
    entry covers now, in link order (the public page numbers them 1, 2, ...)."""
    if entry.draft.scope != "sebagian":
        return []
    return [d.document_id for d in entry.documents if d.has_current_copy]


def dik_rows(entries: Sequence[Entry], lookup: Callable[[str], LegalBasis | None]) -> list[DikRow]:
    """Rows of the entries in force and published, oldest decree first."""
    published = sorted(
        (e for e in entries if e.status in PUBLISHED),
        key=lambda e: (e.decree_date or date.min, e.id),
    )
    return [
        DikRow(
            no=n,
            information=e.draft.description,
            legal_basis=_basis_text(e, lookup),
            consequence=e.draft.consequence,
            consideration=e.draft.consideration,
            period=_period_text(e),
            decree=f"{e.decree_number}, tanggal {tanggal(e.decree_date)}",
            remarks=_remarks(e),
            decree_number=e.decree_number or "",
            decree_date=e.decree_date,
            entry_id=e.id,
            public_copies=len(copied_documents(e)),
        )
        for n, e in enumerate(published, start=1)
    ]


def dik_csv(rows: Sequence[DikRow]) -> str:
    """The public list as CSV; no cell can start a spreadsheet formula."""
    return csv_text(COLUMNS, (row.values() for row in rows))
