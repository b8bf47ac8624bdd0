"""What an answer would give: each attached document's disposition, decided by its access
level and the DIK, never by the person answering.

- ``terbuka``: given as the archived original (its SHA-256 recorded);
- ``dikecualikan`` by an entry in force that exempts it whole: refused, citing the entry's
  legal basis and consequence test;
- ``dikecualikan`` in part: given as the entry's redacted public copy (its SHA-256);
- anything else (not reviewed yet, an exemption not decided yet, a partial exemption
  without its public copy) cannot be answered yet: the plan names the problem and the
  answer step refuses until it is solved (or the deadline extended).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from archive.catalog import documents_in
from archive.records import DocumentRecord
from archive.requests.exemption_link import Citation, ExemptionLookup, Exemptions
from archive.requests.records import Form, InfoRequest, Outcome, items_digest


@dataclass(frozen=True)
class Disposition:
    document_id: str
    title: str
    access: str | None  # None: the document is no longer in the catalog
    form: Form | None  # None: cannot be answered yet; ``problem`` says why
    sha256: str | None  # of what is given: the original or the public copy
    source_sha256: str | None  # the archived original
    citations: tuple[Citation, ...] = ()
    problem: str | None = None

    def item(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "form": self.form,
            "sha256": self.sha256,
            "source_sha256": self.source_sha256,
            "entries": [c.entry_id for c in self.citations],
            "legal_bases": [c.legal_text for c in self.citations],
        }

    def to_json(self) -> dict[str, Any]:
        return self.item() | {
            "access": self.access,
            "problem": self.problem,
            "citations": [c.to_json() for c in self.citations],
        }


@dataclass(frozen=True)
class AnswerPlan:
    request_id: int
    dispositions: tuple[Disposition, ...]

    @property
    def problems(self) -> list[str]:
        return [f"{d.document_id}: {d.problem}" for d in self.dispositions if d.problem]

    @property
    def outcome(self) -> Outcome | None:
        """None without documents: the only answer then is "tidak dikuasai"."""
        forms = {d.form for d in self.dispositions}
        if not forms or None in forms:
            return None
        if forms == {"asli"}:
            return "dipenuhi"
        return "ditolak" if forms == {"ditolak"} else "dipenuhi_sebagian"

    @property
    def refused(self) -> list[Disposition]:
        return [d for d in self.dispositions if d.form == "ditolak"]

    @property
    def given(self) -> list[Disposition]:
        return [d for d in self.dispositions if d.form in ("asli", "salinan_tersamar")]

    def items(self) -> list[dict[str, Any]]:
        return [d.item() for d in self.dispositions]

    def digest(self) -> str:
        return items_digest(self.items())

    def citations(self) -> list[Citation]:
        """Every DIK entry the answer rests on, once, in entry order."""
        seen = {c.entry_id: c for d in self.dispositions for c in d.citations}
        return [seen[k] for k in sorted(seen)]


def plan_answer(s: Session, lookup: ExemptionLookup, request: InfoRequest) -> AnswerPlan:
    ids = [a.document_id for a in request.attachments]
    records = documents_in(s, ids)
    found = tuple(_dispose(i, records.get(i), lookup) for i in ids)
    return AnswerPlan(request.id, found)


def _dispose(doc_id: str, record: DocumentRecord | None, lookup: ExemptionLookup) -> Disposition:
    if record is None:
        return Disposition(
            doc_id,
            doc_id,
            None,
            None,
            None,
            None,
            problem="dokumen tidak ada lagi di katalog; lepaskan dari permohonan",
        )
    title = record.title or record.source_name
    base = Disposition(doc_id, title, record.access, None, None, record.sha256)
    if record.access == "terbuka":
        return _with(base, "asli", record.sha256)
    if record.access != "dikecualikan":
        return _problem(base, "belum ditinjau PPID: tetapkan terbuka atau kecualikan dahulu")
    return _exempted(base, lookup.of_document(doc_id, record.sha256))


def _exempted(base: Disposition, found: Exemptions) -> Disposition:
    whole = tuple(c.citation for c in found.in_force if c.citation.scope == "seluruh")
    if whole:
        return _with(base, "ditolak", None, whole)
    parts = [c for c in found.in_force if c.citation.scope == "sebagian"]
    ready = next((c for c in parts if c.public_sha256), None)
    if ready is not None:
        return _with(base, "salinan_tersamar", ready.public_sha256, (ready.citation,))
    if parts:
        entry = parts[0].citation.entry_id
        return _problem(
            base, f"dikecualikan sebagian (entri #{entry}): buat salinan tersamarnya dahulu"
        )
    if found.pending:
        entry, status = found.pending[0]
        return _problem(base, f"pengecualiannya belum ditetapkan (entri #{entry}: {status})")
    return _problem(
        base, "dikecualikan tanpa entri DIK yang berlaku; periksa register pengecualian"
    )


def _with(
    base: Disposition, form: Form, sha256: str | None, citations: Sequence[Citation] = ()
) -> Disposition:
    return Disposition(
        base.document_id,
        base.title,
        base.access,
        form,
        sha256,
        base.source_sha256,
        tuple(citations),
    )


def _problem(base: Disposition, problem: str) -> Disposition:
    return Disposition(
        base.document_id, base.title, base.access, None, None, base.source_sha256, problem=problem
    )
