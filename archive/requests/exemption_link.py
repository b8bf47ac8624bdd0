"""What the exemption register (the DIK) says about a document asked for.

The only module of the request register that reads the exemption register, and only
through its public names (``archive.exemptions``): when that package moves, this is the
one import to change. It turns an entry into a :class:`Citation`, the part of the DIK
entry and its consequence test that a refusal must cite (UU 14/2008 Pasal 22 ayat (7)
huruf c and Pasal 19).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from archive.exemptions import PUBLISHED, Entry, ExemptionRegister
from archive.vocabulary import tanggal

# An entry decided by decree: its documents may be refused (whole) or given redacted (part).
IN_FORCE: frozenset[str] = frozenset({"ditetapkan", *PUBLISHED})


@dataclass(frozen=True)
class Citation:
    entry_id: int
    status: str
    status_name: str
    description: str  # the DIK's "informasi yang dikecualikan"
    legal_basis: str  # code of the main basis
    legal_text: str  # "UU 14/2008 Pasal 17 huruf h angka 1; UU 27/2022 ..."
    letter: str  # Pasal 17 letter of the main basis ("" for another law)
    consequence: str  # konsekuensi bila dibuka
    consideration: str  # pertimbangan bila ditutup
    period: str
    decree: str
    scope: str  # seluruh | sebagian

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Cover:
    """One entry in force over a document, and its redacted public copy if it has one."""

    citation: Citation
    public_sha256: str | None  # set only when made from the document's current bytes


@dataclass(frozen=True)
class Exemptions:
    in_force: tuple[Cover, ...]
    pending: tuple[tuple[int, str], ...]  # (entry id, status name) not decided yet


class ExemptionLookup:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._register: ExemptionRegister | None = None

    @property
    def register(self) -> ExemptionRegister:
        if self._register is None:  # seeds the legal bases: only when first needed
            self._register = ExemptionRegister(self._engine)
        return self._register

    def of_document(self, doc_id: str, current_sha256: str) -> Exemptions:
        covers, pending = [], []
        for entry in self.register.entries_of_document(doc_id):
            if entry.status in IN_FORCE:
                covers.append(
                    Cover(self.citation(entry), _public_sha(entry, doc_id, current_sha256))
                )
            elif entry.status not in ("kedaluwarsa", "dicabut", "dibatalkan"):
                pending.append((entry.id, entry.status_name))
        return Exemptions(tuple(covers), tuple(pending))

    def citation(self, entry: Entry) -> Citation:
        d = entry.draft
        main = self.register.bases.get(d.legal_basis)
        parts = [main.cite(d.legal_point) if main else d.legal_basis]
        for code in d.other_bases:
            other = self.register.bases.get(code)
            parts.append(other.cite() if other else code)
        decree = (
            f"{entry.decree_number}, tanggal {tanggal(entry.decree_date)}"
            if entry.decree_number
            else "—"
        )
        return Citation(
            entry_id=entry.id,
            status=entry.status,
            status_name=entry.status_name,
            description=d.description,
            legal_basis=d.legal_basis,
            legal_text="; ".join(parts),
            letter=main.letter if main else "",
            consequence=d.consequence,
            consideration=d.consideration,
            period=d.period.label() if d.period else "—",
            decree=decree,
            scope=d.scope,
        )


def _public_sha(entry: Entry, doc_id: str, current_sha256: str) -> str | None:
    link = next((d for d in entry.documents if d.document_id == doc_id), None)
    if link is None or link.public_sha256 is None:
        return None
    # A copy redacted from an older version of the document is not this document's copy.
    if link.public_source_sha256 != current_sha256:
        return None
    return link.public_sha256
