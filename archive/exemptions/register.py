"""The register: one class over the register's tables. Every step goes through
:meth:`ExemptionRegister.take`, which checks the lifecycle table's guards and writes the
change, the status, the event and any document access change in ONE transaction.

The actor (username, role) is always passed in: the web app passes the signed-in user,
scheduled flows a named system actor. Every role check is here, not in the callers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from archive.db import utc_now
from archive.exemptions import lifecycle
from archive.exemptions.bases import LegalBases
from archive.exemptions.errors import (
    InvalidEntry,
    NotAllowed,
    TransitionRefused,
    UnknownDocument,
    UnknownEntry,
)
from archive.exemptions.lifecycle import Situation, Step
from archive.exemptions.records import (
    DEFAULT_APPROVERS,
    FINAL,
    IN_FORCE,
    Actor,
    Draft,
    Entry,
    EntryEvent,
)
from archive.exemptions.rules import check_texts, valid_approvals
from archive.exemptions.step_io import StepArgs, StepResult
from archive.exemptions.steps import StepTx
from archive.exemptions.store import (
    EntryDocumentRow,
    EntryRow,
    SettingRow,
    add_event,
    approval_events,
    covering,
    documents,
    entry_events,
    lock_entry,
    set_access,
    to_entry,
    write_draft,
)
from archive.vocabulary import CAN_DECLARE_OPEN, CAN_SEE_REGISTER, ROLES


@dataclass(frozen=True)
class EntryView:
    """An entry as one viewer sees it now: what they may do, and what waits (and why)."""

    situation: Situation
    events: tuple[EntryEvent, ...]
    steps: tuple[Step, ...]
    waiting: tuple[tuple[Step, str], ...]

    @property
    def entry(self) -> Entry:
        return self.situation.entry

    @property
    def stage(self) -> str:
        return lifecycle.stage(self.situation)


class ExemptionRegister:
    def __init__(self, engine: Engine, today: Callable[[], date] = date.today) -> None:
        self.engine = engine
        self.bases = LegalBases(engine)
        self.today = today  # the register's clock; tests pass a fixed day

    # ------------------------------------------------------------------ who and settings

    def check_reader(self, actor: Actor) -> None:
        if actor.role not in CAN_SEE_REGISTER:
            raise NotAllowed("Register pengecualian hanya untuk PPID dan pemberi persetujuan.")

    def can_propose(self, actor: Actor) -> bool:
        return lifecycle.may_act(lifecycle.STEPS["propose"], actor)

    def required_approvers(self) -> tuple[str, ...]:
        with Session(self.engine) as s:
            row = s.get(SettingRow, "required_approvers")
            return tuple(row.value) if row else DEFAULT_APPROVERS

    def set_required_approvers(self, roles: Sequence[str], actor: Actor) -> None:
        """For entries submitted from now on; each entry keeps the list it was submitted
        with, so changing it never rewrites an approval already under way."""
        if actor.role != "admin":
            raise NotAllowed("Hanya Admin yang dapat mengubah daftar pemberi persetujuan.")
        bad = [r for r in roles if r not in ROLES or r == "petugas"]
        if not roles or bad:
            raise InvalidEntry(f"Peran pemberi persetujuan tidak valid: {', '.join(bad) or '-'}.")
        with Session(self.engine) as s, s.begin():
            s.merge(SettingRow(key="required_approvers", value=list(dict.fromkeys(roles))))

    # ------------------------------------------------------------------ reading

    def get(self, entry_id: int) -> Entry:
        with Session(self.engine) as s:
            row = s.get(EntryRow, entry_id)
            if row is None:
                raise UnknownEntry(f"Entri pengecualian #{entry_id} tidak ditemukan.")
            return to_entry(s, row)

    def entries(self, statuses: Sequence[str] | None = None) -> list[Entry]:
        stmt = select(EntryRow).order_by(EntryRow.id)
        if statuses is not None:
            stmt = stmt.where(EntryRow.status.in_(list(statuses)))
        with Session(self.engine) as s:
            return [to_entry(s, r) for r in s.scalars(stmt)]

    def events(self, entry_id: int) -> list[EntryEvent]:
        with Session(self.engine) as s:
            return entry_events(s, entry_id)

    def approvals(self, entry: Entry) -> dict[str, EntryEvent]:
        """Approvals that still count for the entry as it is now."""
        return valid_approvals(entry, self.events(entry.id))

    def situations(self) -> list[Situation]:
        """Every entry with its approvals that count (two queries for the whole list)."""
        with Session(self.engine) as s:
            approvals = approval_events(s)
            rows = s.scalars(select(EntryRow).order_by(EntryRow.id))
            entries = [to_entry(s, r) for r in rows]
        today = self.today()
        return [Situation(e, valid_approvals(e, approvals.get(e.id, [])), today) for e in entries]

    def view(self, entry_id: int, actor: Actor) -> EntryView:
        entry = self.get(entry_id)
        events = self.events(entry_id)
        sit = Situation(entry, valid_approvals(entry, events), self.today())
        steps = tuple(lifecycle.available(sit, actor))
        return EntryView(sit, tuple(events), steps, tuple(lifecycle.waiting(sit, actor)))

    def entries_of_document(self, doc_id: str) -> list[Entry]:
        stmt = select(EntryDocumentRow.entry_id).where(EntryDocumentRow.document_id == doc_id)
        with Session(self.engine) as s:
            ids = list(s.scalars(stmt.order_by(EntryDocumentRow.entry_id)))
        return [self.get(i) for i in ids]

    def standing(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """``dikecualikan`` for documents an entry in force covers, ``diusulkan`` for those
        only a proposal covers; documents no live entry covers are left out."""
        with Session(self.engine) as s:
            found = covering(s, doc_ids, except_entry=-1)
        return {d: "dikecualikan" if st & IN_FORCE else "diusulkan" for d, st in found.items()}

    # ------------------------------------------------------------------ steps

    def propose(self, actor: Actor, draft: Draft) -> Entry:
        """A new entry in ``draf``. Only the description must be there yet; the rest is
        checked in full when the consequence test is recorded."""
        step = lifecycle.STEPS["propose"]
        if (refused := lifecycle.role_refusal(step, actor)) is not None:
            raise refused
        check_texts(draft)
        with Session(self.engine) as s, s.begin():
            row = EntryRow(status="draf", proposed_by=actor.username, proposed_role=actor.role,
                           created_at=utc_now(), round=0, required_approvers=[])  # fmt: skip
            write_draft(row, draft)
            s.add(row)
            s.flush()
            add_event(s, row, step.event, actor, None)
            return to_entry(s, row)

    def check(self, entry_id: int, name: str, actor: Actor) -> Step:
        """The step if ``actor`` may take it now (before slow work such as OCR)."""
        with Session(self.engine) as s:
            row = s.get(EntryRow, entry_id)
            if row is None:
                raise UnknownEntry(f"Entri pengecualian #{entry_id} tidak ditemukan.")
            entry = to_entry(s, row)
            sit = Situation(entry, valid_approvals(entry, entry_events(s, entry_id)), self.today())
        return lifecycle.check(name, sit, actor)

    def take(
        self, entry_id: int, name: str, actor: Actor, args: StepArgs | None = None
    ) -> StepResult:
        """Guards, change, status and event in one transaction: all of it or none."""
        args = args or StepArgs()
        today = args.today or self.today()
        approvers = self.required_approvers()
        with Session(self.engine) as s, s.begin():
            row = lock_entry(s, entry_id)
            entry = to_entry(s, row)
            sit = Situation(entry, valid_approvals(entry, entry_events(s, entry_id)), today)
            step = lifecycle.check(name, sit, actor)
            assert step.apply is not None, name
            tx = StepTx(s, row, entry, actor, args, today, sit.approvals, self.bases.get,
                        approvers)  # fmt: skip
            effect = step.apply(tx)
            before = row.status
            if step.target is not None:
                row.status = step.target
            s.flush()
            event = add_event(s, row, step.event, actor, before, args.note.strip(), effect.detail)
            return StepResult(to_entry(s, row), event, effect.access)

    def mark_open(self, doc_id: str, actor: Actor, note: str = "") -> list[str]:
        """The PPID's decision that a document is public; refused while an entry covers it."""
        if actor.role not in CAN_DECLARE_OPEN:
            raise NotAllowed("Hanya Pejabat PPID yang dapat menyatakan dokumen terbuka.")
        with Session(self.engine) as s, s.begin():
            if not documents(s, [doc_id]):
                raise UnknownDocument(f"Dokumen {doc_id} tidak ditemukan.")
            stmt = (
                select(EntryRow.id, EntryRow.status)
                .join(EntryDocumentRow, EntryDocumentRow.entry_id == EntryRow.id)
                .where(EntryDocumentRow.document_id == doc_id, EntryRow.status.not_in(FINAL))
            )
            live = s.execute(stmt.order_by(EntryRow.id)).all()
            if live:
                decreed = any(status in IN_FORCE for _, status in live)
                how = "dikecualikan" if decreed else "diusulkan dikecualikan"
                ids = ", ".join(f"#{i}" for i, _ in live)
                raise TransitionRefused(
                    f"Dokumen {doc_id} {how} oleh entri {ids}; dokumen dapat dibuka bila "
                    "entri itu berakhir, dicabut, dibatalkan atau ditarik."
                )
            why = note or "dinyatakan terbuka"
            return [c.document_id for c in set_access(s, [doc_id], "terbuka", actor, 0, why)]

    # ------------------------------------------------------------------ schedules

    def due_for_review(self, today: date) -> list[Entry]:
        published = self.entries(["dipublikasikan"])
        return [e for e in published if e.next_review is not None and e.next_review <= today]

    def due_to_expire(self, today: date) -> list[Entry]:
        live = self.entries(sorted(IN_FORCE))
        return [e for e in live if e.expires_on is not None and e.expires_on <= today]
