"""Steps from proposal to decree: propose, edit, link/unlink documents, record the
consequence test, submit, approve or send back, set by decree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from archive.db import utc_now
from archive.exemption_records import (
    Actor,
    DocumentsChanged,
    Draft,
    Entry,
    InvalidEntry,
    NotAllowed,
    Outcome,
    TransitionRefused,
    UnknownDocument,
)
from archive.exemption_register import RegisterCore
from archive.exemption_rules import check_all_approved, check_test, clean_text, valid_approvals
from archive.exemption_store import (
    EntryDocumentRow,
    EntryRow,
    active_links,
    add_event,
    documents,
    entry_events,
    set_access,
    to_entry,
    write_draft,
)
from archive.vocabulary import ACTOR_NAMES


def _check_texts(draft: Draft) -> None:
    clean_text(draft.description, "Uraian informasi yang dikecualikan")
    optional = (
        (draft.consequence, "Konsekuensi bila dibuka"),
        (draft.consideration, "Pertimbangan bila ditutup"),
        (draft.remarks, "Keterangan"),
    )
    for value, what in optional:
        clean_text(value, what, required=False)


class ProposalSteps(RegisterCore):
    def propose(self, actor: Actor, draft: Draft) -> Entry:
        """A new entry in ``draf``. Only the description must be there yet; the rest is
        checked in full when the consequence test is recorded."""
        if actor.role != "ppid":
            raise NotAllowed("Hanya Pejabat PPID yang dapat mengusulkan pengecualian.")
        _check_texts(draft)
        with Session(self.engine) as s, s.begin():
            row = EntryRow(
                status="draf",
                proposed_by=actor.username,
                proposed_role=actor.role,
                created_at=utc_now(),
                round=0,
                required_approvers=[],
            )
            write_draft(row, draft)
            s.add(row)
            s.flush()
            add_event(s, row, "diusulkan", actor, None)
            return to_entry(s, row)

    def edit(self, entry_id: int, actor: Actor, draft: Draft, note: str = "") -> Outcome:
        _check_texts(draft)

        def mutate(_s: Session, row: EntryRow, _e: Entry) -> dict[str, Any]:
            write_draft(row, draft)
            return {}

        return self.step(entry_id, "edit", actor, note, mutate)

    def link_documents(self, entry_id: int, actor: Actor, doc_ids: Sequence[str]) -> Outcome:
        """Cover documents by the entry: their access becomes ``dikecualikan`` at once.
        While approvals are under way, approvals given for the old set stop counting."""

        def mutate(s: Session, row: EntryRow, entry: Entry) -> dict[str, Any]:
            found = documents(s, doc_ids)
            missing = sorted(set(doc_ids) - found.keys())
            if missing or not doc_ids:
                raise UnknownDocument(f"Dokumen tidak ditemukan: {', '.join(missing) or '-'}.")
            have = {d.document_id for d in entry.documents}
            for doc in found.values():
                if doc.id not in have:
                    link = EntryDocumentRow(entry_id=row.id, document_id=doc.id)
                    link.sha256, link.linked_by = doc.sha256, actor.username
                    link.linked_at = utc_now()
                    s.add(link)
            s.flush()
            changed = set_access(s, sorted(found), "dikecualikan", actor, row.id, "ditautkan")
            return {"added": sorted(found.keys() - have), "_changed": changed}

        return self.step(entry_id, "link", actor, "", mutate)

    def unlink_document(self, entry_id: int, actor: Actor, doc_id: str) -> Outcome:
        """Before the decree only; the document goes back to ``belum_ditinjau`` unless
        another live entry still covers it."""

        def mutate(s: Session, row: EntryRow, _e: Entry) -> dict[str, Any]:
            link = s.get(EntryDocumentRow, (row.id, doc_id))
            if link is None:
                raise UnknownDocument(f"Dokumen {doc_id} tidak ditautkan ke entri #{row.id}.")
            s.delete(link)
            s.flush()
            changed: list[str] = []
            if not active_links(s, [doc_id], row.id):
                changed = set_access(s, [doc_id], "belum_ditinjau", actor, row.id, "dilepas")
            return {"removed": doc_id, "_changed": changed}

        return self.step(entry_id, "unlink", actor, "", mutate)

    def record_test(self, entry_id: int, actor: Actor, note: str = "") -> Outcome:
        def mutate(_s: Session, _row: EntryRow, entry: Entry) -> dict[str, Any]:
            basis = check_test(entry.draft, self.bases.get)
            period = entry.draft.period.label() if entry.draft.period else ""
            return {"basis": basis.cite(entry.draft.legal_point), "period": period}

        return self.step(entry_id, "record_test", actor, note, mutate)

    def submit(self, entry_id: int, actor: Actor, note: str = "") -> Outcome:
        approvers = self.required_approvers()

        def mutate(_s: Session, row: EntryRow, entry: Entry) -> dict[str, Any]:
            check_test(entry.draft, self.bases.get)
            if not entry.documents:
                raise InvalidEntry("Tautkan dahulu dokumen yang dikecualikan sebelum diajukan.")
            row.round += 1  # approvals of an earlier round no longer count
            row.required_approvers = list(approvers)
            return {"round": row.round, "required": list(approvers)}

        return self.step(entry_id, "submit", actor, note, mutate)

    def approve(
        self, entry_id: int, actor: Actor, note: str = "", expected_digest: str | None = None
    ) -> Outcome:
        """Bound to the SHA-256 of the documents covered now (the event records them).
        ``expected_digest``: the documents the approver was shown; if they changed in the
        meantime the approval is refused rather than bound to documents unseen."""

        def mutate(s: Session, _row: EntryRow, entry: Entry) -> dict[str, Any]:
            if expected_digest is not None and expected_digest != entry.digest():
                raise DocumentsChanged(
                    f"Dokumen entri #{entry.id} berubah sejak Anda membukanya; periksa kembali "
                    "lalu setujui lagi."
                )
            if actor.role in valid_approvals(entry, entry_events(s, entry.id)):
                who = ACTOR_NAMES.get(actor.role, actor.role)
                raise TransitionRefused(f"{who} sudah menyetujui entri #{entry.id}.")
            return {"round": entry.round}

        return self.step(entry_id, "approve", actor, note, mutate)

    def reject(self, entry_id: int, actor: Actor, note: str) -> Outcome:
        """Send back for revision: the entry returns to ``draf``; a new submission starts a
        new round of approvals."""
        if not note.strip():
            raise InvalidEntry("Tuliskan alasan pengembalian agar PPID dapat memperbaikinya.")

        def mutate(_s: Session, _row: EntryRow, entry: Entry) -> dict[str, Any]:
            return {"round": entry.round}

        return self.step(entry_id, "reject", actor, note, mutate)

    def set_decree(
        self, entry_id: int, actor: Actor, number: str, on: date, note: str = ""
    ) -> Outcome:
        number = clean_text(number, "Nomor keputusan")
        if on > date.today():
            raise InvalidEntry("Tanggal keputusan tidak boleh di masa depan.")

        def mutate(s: Session, row: EntryRow, entry: Entry) -> dict[str, Any]:
            check_test(entry.draft, self.bases.get)
            check_all_approved(entry, entry_events(s, entry.id))
            row.decree_number, row.decree_date = number, on
            period = entry.draft.period
            row.expires_on = period.end(on) if period else None  # a duration runs from here
            ends = row.expires_on.isoformat() if row.expires_on else None
            return {"decree": number, "decree_date": on.isoformat(), "expires_on": ends}

        return self.step(entry_id, "set_decree", actor, note, mutate)
