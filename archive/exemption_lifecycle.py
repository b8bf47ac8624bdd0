"""Steps after the decree: public copy, publication, periodic review, and the three ways an
exemption ends (expiry, revocation, annulment), each of which opens its documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.exemption_records import (
    Actor,
    Entry,
    InvalidEntry,
    NotAllowed,
    Outcome,
    TransitionRefused,
    UnknownDocument,
    add_months,
)
from archive.exemption_register import RegisterCore
from archive.exemption_rules import clean_text
from archive.exemption_store import (
    EntryDocumentRow,
    EntryRow,
    active_links,
    documents,
    set_access,
)

REVIEW_EVERY_MONTHS = 6  # the SOP: the list is reviewed at least twice a year


def _lacking_copies(entry: Entry) -> list[str]:
    """Linked documents with no public copy made from their current bytes."""
    return [
        d.document_id
        for d in entry.documents
        if d.public_sha256 is None or d.public_source_sha256 != d.sha256
    ]


class LifecycleSteps(RegisterCore):
    def record_public_copy(
        self, entry_id: int, actor: Actor, doc_id: str, source_sha: str, copy_sha: str, path: str
    ) -> Outcome:
        """Remember the redacted public copy of a partly exempted document."""

        def mutate(s: Session, row: EntryRow, _e: Entry) -> dict[str, Any]:
            link = s.get(EntryDocumentRow, (row.id, doc_id))
            if link is None or link.sha256 != source_sha:
                raise UnknownDocument(f"Dokumen {doc_id} tidak ditautkan ke entri #{row.id}.")
            link.public_sha256, link.public_path = copy_sha, path
            link.public_source_sha256 = source_sha
            return {"document": doc_id, "source_sha256": source_sha, "public_sha256": copy_sha}

        return self.step(entry_id, "public_copy", actor, "", mutate)

    def publish(self, entry_id: int, actor: Actor, today: date | None = None) -> Outcome:
        day = today or date.today()

        def mutate(_s: Session, row: EntryRow, entry: Entry) -> dict[str, Any]:
            if not entry.documents:
                raise InvalidEntry("Entri tanpa dokumen tidak dapat dipublikasikan.")
            lacking = _lacking_copies(entry) if entry.draft.scope == "sebagian" else []
            if lacking:
                raise TransitionRefused(
                    f"Buat dahulu salinan publik tersamar untuk dokumen: {', '.join(lacking)}."
                )
            row.published_on = day
            row.next_review = add_months(day, REVIEW_EVERY_MONTHS)
            return {"published_on": day.isoformat(), "next_review": row.next_review.isoformat()}

        return self.step(entry_id, "publish", actor, "", mutate)

    def start_review(self, entry_id: int, actor: Actor, note: str = "") -> Outcome:
        return self.step(entry_id, "start_review", actor, note, lambda *_: {})

    def keep(self, entry_id: int, actor: Actor, note: str, today: date | None = None) -> Outcome:
        """Review done and the exemption still holds: next review in six months."""
        clean_text(note, "Hasil tinjauan")

        def mutate(_s: Session, row: EntryRow, _e: Entry) -> dict[str, Any]:
            row.next_review = add_months(today or date.today(), REVIEW_EVERY_MONTHS)
            return {"next_review": row.next_review.isoformat()}

        return self.step(entry_id, "keep", actor, note, mutate)

    def expire(
        self, entry_id: int, actor: Actor, note: str = "", today: date | None = None
    ) -> Outcome:
        """The period has ended: a duration past its end date (a scheduled flow may say
        so), or a condition the PPID declares met (with a note saying how)."""
        day = today or date.today()

        def guard(entry: Entry) -> None:
            period = entry.draft.period
            if period is not None and period.kind == "durasi":
                if entry.expires_on is None or entry.expires_on > day:
                    raise TransitionRefused(
                        f"Jangka waktu entri #{entry.id} belum berakhir (berakhir "
                        f"{entry.expires_on}); untuk mengakhirinya lebih awal gunakan "
                        "pencabutan dengan keputusan baru."
                    )
            elif actor.role != "ppid" or not note.strip():
                raise TransitionRefused(
                    "Pengecualian bersyarat hanya dapat dinyatakan berakhir oleh PPID, dengan "
                    "catatan bahwa syaratnya telah terpenuhi."
                )

        return self._end(entry_id, "expire", actor, note, guard, {"on": day.isoformat()})

    def revoke(self, entry_id: int, actor: Actor, number: str, on: date, note: str = "") -> Outcome:
        """Ended early by a new decree (number and date of the revoking decree)."""
        decree = clean_text(number, "Nomor keputusan pencabutan")
        detail = {"decree": decree, "decree_date": on.isoformat()}
        return self._end(entry_id, "revoke", actor, note, lambda _e: None, detail)

    def annul(self, entry_id: int, actor: Actor, ruling: str, on: date, note: str = "") -> Outcome:
        """Set aside by an Information Commission or court ruling."""
        ref = clean_text(ruling, "Nomor putusan Komisi Informasi/pengadilan")
        detail = {"ruling": ref, "ruling_date": on.isoformat()}
        return self._end(entry_id, "annul", actor, note, lambda _e: None, detail)

    def _end(
        self,
        entry_id: int,
        name: str,
        actor: Actor,
        note: str,
        guard: Callable[[Entry], None],
        detail: dict[str, Any],
    ) -> Outcome:
        """The documents no other live entry covers become ``terbuka`` in the same
        transaction as the entry's end."""

        def mutate(s: Session, row: EntryRow, entry: Entry) -> dict[str, Any]:
            guard(entry)
            ids = [d.document_id for d in entry.documents]
            still = active_links(s, ids, row.id)
            why = f"entri #{row.id} berakhir ({name})"
            opened = set_access(
                s, [i for i in ids if i not in still], "terbuka", actor, row.id, why
            )
            return {**detail, "opened": opened, "still_covered": sorted(still), "_changed": opened}

        return self.step(entry_id, name, actor, note, mutate)

    def mark_open(self, doc_id: str, actor: Actor, note: str = "") -> list[str]:
        """The PPID's decision that a document is public; refused while an entry covers it."""
        if actor.role != "ppid":
            raise NotAllowed("Hanya Pejabat PPID yang dapat menyatakan dokumen terbuka.")
        with Session(self.engine) as s, s.begin():
            if not documents(s, [doc_id]):
                raise UnknownDocument(f"Dokumen {doc_id} tidak ditemukan.")
            if active_links(s, [doc_id], except_entry=-1):
                stmt = select(EntryDocumentRow.entry_id).where(
                    EntryDocumentRow.document_id == doc_id
                )
                ids = ", ".join(f"#{i}" for i in s.scalars(stmt))
                raise TransitionRefused(
                    f"Dokumen {doc_id} dikecualikan oleh entri {ids}; dokumen terbuka kembali "
                    "bila entri itu berakhir, dicabut atau dibatalkan."
                )
            return set_access(s, [doc_id], "terbuka", actor, 0, note or "dinyatakan terbuka")

    # ------------------------------------------------------------------ schedules

    def due_for_review(self, today: date) -> list[Entry]:
        published = self.entries(["dipublikasikan"])
        return [e for e in published if e.next_review is not None and e.next_review <= today]

    def due_to_expire(self, today: date) -> list[Entry]:
        live = self.entries(["ditetapkan", "dipublikasikan", "tinjauan"])
        return [e for e in live if e.expires_on is not None and e.expires_on <= today]
