"""What each step changes, inside the register's one transaction (after the lifecycle
table's guards have passed): the entry's row, its document links, and the documents'
access in the catalog. Each returns an :class:`Effect`: the event's detail and the access
changes it made, typed (the register turns them into the :class:`StepResult`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from archive.db import utc_now
from archive.exemptions.errors import (
    DocumentsChanged,
    InvalidEntry,
    TransitionRefused,
    UnknownDocument,
)
from archive.exemptions.records import IN_FORCE, Actor, Entry, EntryEvent, add_months
from archive.exemptions.rules import Lookup, check_not_over, check_test, check_texts, clean_text
from archive.exemptions.step_io import AccessChange, StepArgs
from archive.exemptions.store import EntryDocumentRow, EntryRow, covering, documents, set_access
from archive.exemptions.store import write_draft as _write_draft

REVIEW_EVERY_MONTHS = 6  # the SOP: the list is reviewed at least twice a year
T = TypeVar("T")


@dataclass(frozen=True)
class StepTx:
    """One step being taken: the locked row, the entry as it was, and its input."""

    s: Session
    row: EntryRow
    entry: Entry
    actor: Actor
    args: StepArgs
    today: date
    approvals: Mapping[str, EntryEvent]
    lookup: Lookup
    approvers: tuple[str, ...]  # configured now: what a submission will require


@dataclass(frozen=True)
class Effect:
    detail: dict[str, Any] = field(default_factory=dict)
    access: tuple[AccessChange, ...] = ()


def _given(value: T | None, what: str) -> T:
    if value is None or value == "":
        raise InvalidEntry(f"{what} wajib diisi.")
    return value


def edit(tx: StepTx) -> Effect:
    draft = _given(tx.args.draft, "Isi draf")
    check_texts(draft)
    _write_draft(tx.row, draft)
    return Effect()


def link(tx: StepTx) -> Effect:
    """Cover documents by the entry. Under a decree they are exempted at once; under a
    proposal they are only restricted (``belum_ditinjau``) until the decree."""
    ids = tx.args.documents
    found = documents(tx.s, ids)
    missing = sorted(set(ids) - found.keys())
    if missing or not ids:
        raise UnknownDocument(f"Dokumen tidak ditemukan: {', '.join(missing) or '-'}.")
    have = {d.document_id for d in tx.entry.documents}
    for doc in found.values():
        if doc.id not in have:
            row = EntryDocumentRow(entry_id=tx.row.id, document_id=doc.id, sha256=doc.sha256)
            row.linked_by, row.linked_at = tx.actor.username, utc_now()
            tx.s.add(row)
    tx.s.flush()
    if tx.entry.status in IN_FORCE:
        why = f"ditautkan ke entri #{tx.row.id} yang telah ditetapkan"
        changed = set_access(tx.s, sorted(found), "dikecualikan", tx.actor, tx.row.id, why)
    else:
        opened = sorted(d.id for d in found.values() if d.access == "terbuka")
        why = f"diusulkan dikecualikan (entri #{tx.row.id})"
        changed = set_access(tx.s, opened, "belum_ditinjau", tx.actor, tx.row.id, why)
    return Effect({"added": sorted(found.keys() - have)}, tuple(changed))


def unlink(tx: StepTx) -> Effect:
    """Before the decree only; the document stays restricted (``belum_ditinjau``) unless
    another live entry still covers it."""
    doc_id = _given(tx.args.document, "Dokumen yang dilepas")
    row = tx.s.get(EntryDocumentRow, (tx.row.id, doc_id))
    if row is None:
        raise UnknownDocument(f"Dokumen {doc_id} tidak ditautkan ke entri #{tx.row.id}.")
    tx.s.delete(row)
    tx.s.flush()
    changed: list[AccessChange] = []
    if not covering(tx.s, [doc_id], tx.row.id):
        why = f"dilepas dari entri #{tx.row.id}"
        changed = set_access(tx.s, [doc_id], "belum_ditinjau", tx.actor, tx.row.id, why)
    return Effect({"removed": doc_id}, tuple(changed))


def record_test(tx: StepTx) -> Effect:
    basis = check_test(tx.entry.draft, tx.lookup)
    period = tx.entry.draft.period.label() if tx.entry.draft.period else ""
    return Effect({"basis": basis.cite(tx.entry.draft.legal_point), "period": period})


def submit(tx: StepTx) -> Effect:
    check_test(tx.entry.draft, tx.lookup)
    tx.row.round += 1  # approvals of an earlier round no longer count
    tx.row.required_approvers = list(tx.approvers)
    return Effect({"round": tx.row.round, "required": list(tx.approvers)})


def approve(tx: StepTx) -> Effect:
    """Bound to the consequence test and documents the approver was shown: the page's
    digest must come with it, and be the entry's as it is now."""
    if not tx.args.digest:
        raise InvalidEntry(
            "Persetujuan harus menyertakan tanda (digest) halaman yang Anda periksa; buka "
            f"kembali entri #{tx.entry.id} lalu setujui dari halamannya."
        )
    if tx.args.digest != tx.entry.approval_digest():
        raise DocumentsChanged(
            f"Entri #{tx.entry.id} atau dokumennya berubah sejak Anda membukanya; periksa "
            "kembali lalu setujui lagi."
        )
    return Effect({"round": tx.entry.round, "seen": tx.args.digest})


def reject(tx: StepTx) -> Effect:
    """Back to ``draf``; a new submission starts a new round of approvals."""
    if not tx.args.note.strip():
        raise InvalidEntry("Tuliskan alasan pengembalian agar PPID dapat memperbaikinya.")
    return Effect({"round": tx.entry.round})


def _decree(tx: StepTx, what: str) -> tuple[str, date]:
    number = clean_text(tx.args.number, f"Nomor {what}")
    on = _given(tx.args.on, f"Tanggal {what}")
    if on > tx.today:
        raise InvalidEntry(f"Tanggal {what} tidak boleh di masa depan.")
    return number, on


def set_decree(tx: StepTx) -> Effect:
    """Decided: the documents become ``dikecualikan``; a duration runs from the decree."""
    number, on = _decree(tx, "keputusan")
    check_test(tx.entry.draft, tx.lookup)
    period = tx.entry.draft.period
    ends = period.end(on) if period else None
    check_not_over(ends, tx.today, "penetapan")
    tx.row.decree_number, tx.row.decree_date, tx.row.expires_on = number, on, ends
    ids = [d.document_id for d in tx.entry.documents]
    why = f"ditetapkan dengan keputusan {number} (entri #{tx.row.id})"
    changed = set_access(tx.s, ids, "dikecualikan", tx.actor, tx.row.id, why)
    detail = {"decree": number, "decree_date": on.isoformat(),
              "expires_on": ends.isoformat() if ends else None}  # fmt: skip
    return Effect(detail, tuple(changed))


def public_copy(tx: StepTx) -> Effect:
    """Remember the redacted public copy of a partly exempted document."""
    copy = _given(tx.args.copy, "Salinan publik")
    row = tx.s.get(EntryDocumentRow, (tx.row.id, copy.document_id))
    if row is None or row.sha256 != copy.source_sha256:
        raise UnknownDocument(f"Dokumen {copy.document_id} tidak ditautkan ke entri #{tx.row.id}.")
    row.public_sha256, row.public_path = copy.sha256, copy.path
    row.public_source_sha256 = copy.source_sha256
    return Effect({"document": copy.document_id, "source_sha256": copy.source_sha256,
                   "public_sha256": copy.sha256})  # fmt: skip


def publish(tx: StepTx) -> Effect:
    check_not_over(tx.entry.expires_on, tx.today, "publikasi")
    tx.row.published_on = tx.today
    tx.row.next_review = add_months(tx.today, REVIEW_EVERY_MONTHS)
    return Effect({"published_on": tx.today.isoformat(),
                   "next_review": tx.row.next_review.isoformat()})  # fmt: skip


def start_review(_tx: StepTx) -> Effect:
    return Effect()


def keep(tx: StepTx) -> Effect:
    """Review done and the exemption still holds: next review in six months."""
    clean_text(tx.args.note, "Hasil tinjauan")
    tx.row.next_review = add_months(tx.today, REVIEW_EVERY_MONTHS)
    return Effect({"next_review": tx.row.next_review.isoformat()})


def expire(tx: StepTx) -> Effect:
    period = tx.entry.draft.period
    if (period is None or period.kind != "durasi") and not tx.args.note.strip():
        raise TransitionRefused(
            "Pengecualian bersyarat hanya dapat dinyatakan berakhir oleh PPID, dengan "
            "catatan bahwa syaratnya telah terpenuhi."
        )
    return _end(tx, {"on": tx.today.isoformat()})


def revoke(tx: StepTx) -> Effect:
    """Ended early by a new decree (number and date of the revoking decree)."""
    number, on = _decree(tx, "keputusan pencabutan")
    return _end(tx, {"decree": number, "decree_date": on.isoformat()})


def annul(tx: StepTx) -> Effect:
    """Set aside by an Information Commission or court ruling."""
    number = clean_text(tx.args.number, "Nomor putusan Komisi Informasi/pengadilan")
    on = _given(tx.args.on, "Tanggal putusan")
    return _end(tx, {"ruling": number, "ruling_date": on.isoformat()})


def withdraw(tx: StepTx) -> Effect:
    """The PPID drops a proposal that was never submitted. Its documents stay restricted
    (``belum_ditinjau``) until the PPID decides on them."""
    clean_text(tx.args.note, "Alasan penarikan")
    return Effect({"released": [d.document_id for d in tx.entry.documents]})


def _end(tx: StepTx, detail: dict[str, Any]) -> Effect:
    """The entry ends: each document opens unless another live entry covers it (in force:
    it stays exempted; only proposed: it becomes restricted, pending that decision)."""
    ids = [d.document_id for d in tx.entry.documents]
    others = covering(tx.s, ids, tx.row.id)
    kept = {d for d, statuses in others.items() if statuses & IN_FORCE}
    pending = sorted(set(others) - kept)
    why = f"entri #{tx.row.id} berakhir"
    opened = set_access(tx.s, [i for i in ids if i not in others], "terbuka", tx.actor,
                        tx.row.id, why)  # fmt: skip
    held = set_access(tx.s, pending, "belum_ditinjau", tx.actor, tx.row.id, why)
    opened_ids = [c.document_id for c in opened]
    return Effect({**detail, "opened": opened_ids, "still_covered": sorted(others)},
                  tuple(opened + held))  # fmt: skip
