"""The register's foundation: construction, settings, reading, and the one transaction
every step goes through (:meth:`RegisterCore.step`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from archive.exemption_bases import LegalBases
from archive.exemption_records import (
    DEFAULT_APPROVERS,
    Actor,
    Entry,
    EntryEvent,
    InvalidEntry,
    NotAllowed,
    Outcome,
    UnknownEntry,
)
from archive.exemption_rules import check_transition, valid_approvals
from archive.exemption_store import (
    EntryDocumentRow,
    EntryRow,
    SettingRow,
    add_event,
    entry_events,
    lock_entry,
    to_entry,
)
from archive.vocabulary import ROLES

# Changes the locked row (and may add rows); returns the event's detail. The key
# "_changed" (documents whose access changed) is taken out of the detail for the caller.
Mutation = Callable[[Session, EntryRow, Entry], dict[str, Any] | None]


class RegisterCore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.bases = LegalBases(engine)

    # ------------------------------------------------------------------ settings

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

    def entries_of_document(self, doc_id: str) -> list[Entry]:
        stmt = select(EntryDocumentRow.entry_id).where(EntryDocumentRow.document_id == doc_id)
        with Session(self.engine) as s:
            ids = list(s.scalars(stmt.order_by(EntryDocumentRow.entry_id)))
        return [self.get(i) for i in ids]

    # ------------------------------------------------------------------ one step

    def step(self, entry_id: int, name: str, actor: Actor, note: str, mutate: Mutation) -> Outcome:
        """Guards, change, status and event in one transaction: all of it or none."""
        with Session(self.engine) as s, s.begin():
            row = lock_entry(s, entry_id)
            entry = to_entry(s, row)
            transition = check_transition(name, entry, actor)
            detail = mutate(s, row, entry) or {}
            changed = detail.pop("_changed", [])
            before = row.status
            if transition.target is not None:
                row.status = transition.target
            s.flush()
            add_event(s, row, transition.event, actor, before, note.strip(), **detail)
            return Outcome(to_entry(s, row), tuple(changed))
