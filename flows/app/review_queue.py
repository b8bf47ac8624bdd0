"""The review queue and the decisions taken in it, for the web app and ``arsip review``.

A document waits in the queue while the machine doubts it (a flag of ``REVIEW_FLAGS``)
or while it holds personal data and nobody has decided on it yet. Three decisions empty
it, one document at a time or many at once, each leaving ONE catalog event per document:

- ``open``: the PPID declares it public (the exemption register's rule and its
  ``perubahan_akses`` event, which also answers the queue);
- ``confirm_type``: a person confirms (or sets) its type: ``correction`` event;
- ``done``: a person has looked at it: ``reviewed`` event, the doubt flags cleared.

Why a ``reviewed`` event and not just cleared flags: ``data_pribadi`` describes the
content and stays, so a reviewed document with personal data looked exactly like an
unreviewed one and never left the queue. The event is the person's mark.

Search follows at once: one re-index for the whole batch, not one per document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from archive.catalog import Catalog
from archive.errors import ArchiveError
from archive.records import Actor, DocumentRecord, EventRecord
from archive.vocabulary import (
    CAN_CORRECT,
    FLAG_PERSONAL,
    FLAG_REVIEW,
    FLAG_UNSURE_TYPE,
    REVIEW_FLAGS,
    visible_access,
)
from flows.app.corrections import needs_review
from flows.app.exemptions import Desk, reindex_documents

Action = Literal["open", "confirm_type", "done"]
ACTIONS: tuple[Action, ...] = get_args(Action)
# CAN_DECLARE_OPEN (archive.vocabulary) is the register's own rule (mark_open): pages
# offer the button only to whom it accepts; tests/web/test_review_decisions.py checks it.
MAX_BATCH = 500  # one form of the queue holds a page of 50; a CLI list a few hundred
REVIEWED = "reviewed"
DECIDED_ACCESS = frozenset({"terbuka", "dikecualikan"})


class InvalidDecision(ArchiveError):
    """The decision asked for cannot be taken as asked (unknown action or type)."""

    exit_code = 2


@dataclass(frozen=True)
class Outcome:
    doc_id: str
    ok: bool
    message: str  # for the person (Bahasa Indonesia)


@dataclass(frozen=True)
class Decided:
    action: Action
    outcomes: tuple[Outcome, ...]
    indexed: bool  # False: search lags (an index event asks for ``arsip reindex``)

    @property
    def done(self) -> list[str]:
        return [o.doc_id for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "done": self.done,
            "failed": [{"id": o.doc_id, "error": o.message} for o in self.failed],
            "indexed": self.indexed,
        }


# ---------------------------------------------------------------------- the queue


def decided_ids(catalog: Catalog) -> set[str]:
    """Documents a person has decided on: marked reviewed (a ``reviewed`` event, or a
    correction saved with "tandai sudah ditinjau"), or whose access was last set to open
    or exempted. The machine's doubt flags may stay (the OCR stays weak), the queue's
    question is answered."""
    marked = {e.document_id for e in catalog.events(kind=REVIEWED)}
    marked |= {
        e.document_id for e in catalog.events(kind="correction") if e.detail.get("confirmed")
    }
    latest: dict[str | None, Any] = {}
    for e in catalog.events(kind="perubahan_akses"):  # in order: the last one counts
        latest[e.document_id] = e.detail.get("after")
    marked |= {i for i, after in latest.items() if after in DECIDED_ACCESS}
    return {i for i in marked if i is not None}


def waits(record: DocumentRecord, decided: set[str]) -> bool:
    """Whether the document is (still) in the queue."""
    if record.merged_into is not None:  # a merged re-scan left every listing
        return False
    return needs_review(record) and record.id not in decided


def queue(catalog: Catalog, visible: frozenset[str]) -> list[DocumentRecord]:
    """Waiting documents of the given access levels, newest first. A scan of the
    catalog: an office archive holds thousands of documents, not millions."""
    decided = decided_ids(catalog)
    found = [r for r in catalog.iter_documents() if r.access in visible and waits(r, decided)]
    return sorted(found, key=lambda r: (r.received_at, r.id), reverse=True)


def next_after(
    waiting: Sequence[DocumentRecord], doc_id: str, skip: Iterable[str] = ()
) -> str | None:
    """The document to look at after ``doc_id``: the one below it in the queue (else the
    first), never one in ``skip`` (just decided)."""
    gone = {doc_id, *skip}
    ids = [r.id for r in waiting]
    start = ids.index(doc_id) + 1 if doc_id in ids else 0
    for candidate in ids[start:] + ids[:start]:
        if candidate not in gone:
            return candidate
    return None


# ---------------------------------------------------------------------- decisions


def decide(
    desk: Desk,
    action: str,
    doc_ids: Sequence[str],
    actor: Actor,
    doc_type: str | None = None,
    doc_types: Sequence[str] = (),
) -> Decided:
    """Take ``action`` on each document; a refusal of one does not stop the others."""
    if action not in ACTIONS:
        raise InvalidDecision(f"Tindakan '{action}' tidak dikenal.")
    if doc_type is not None and doc_type not in doc_types:
        raise InvalidDecision(f"Jenis dokumen '{doc_type}' tidak dikenal.")
    ids = list(dict.fromkeys(doc_ids))  # a repeated id is one decision
    if not ids:
        raise InvalidDecision("Pilih sedikitnya satu dokumen.")
    if len(ids) > MAX_BATCH:
        raise InvalidDecision(f"Paling banyak {MAX_BATCH} dokumen sekaligus.")
    outcomes, changed = [], []
    for doc_id in ids:
        outcome, did_change = _one(desk, action, doc_id, actor, doc_type)
        outcomes.append(outcome)
        changed += [doc_id] if did_change else []
    indexed = reindex_documents(desk.layout, desk.catalog, changed)
    return Decided(action, tuple(outcomes), indexed)


def _one(
    desk: Desk, action: str, doc_id: str, actor: Actor, doc_type: str | None
) -> tuple[Outcome, bool]:
    record = desk.catalog.get(doc_id)
    if record is None or record.access not in visible_access(actor.role):
        return Outcome(doc_id, False, f"Dokumen {doc_id} tidak ditemukan."), False
    if record.merged_into is not None:
        return Outcome(doc_id, False, f"Dokumen {doc_id} sudah digabung ke dokumen lain."), False
    try:
        if action == "open":
            # The register's own step: its role rule, its refusal while an entry covers
            # the document, its perubahan_akses event.
            changed = bool(desk.register.mark_open(doc_id, actor, "dinyatakan terbuka"))
            said = "dinyatakan terbuka" if changed else "sudah terbuka"
            return Outcome(doc_id, True, said), changed
        if actor.role not in CAN_CORRECT:
            return Outcome(doc_id, False, "Peran Anda tidak dapat meninjau dokumen."), False
        if action == "confirm_type":
            return _confirm_type(desk.catalog, record, actor, doc_type), True
        return _mark_reviewed(desk.catalog, record, actor), True
    except ArchiveError as exc:
        return Outcome(doc_id, False, str(exc)), False


def _confirm_type(
    catalog: Catalog, record: DocumentRecord, actor: Actor, doc_type: str | None
) -> Outcome:
    """The type a person says (or the machine's, confirmed): confidence 1, the doubt about
    the type cleared, and ``perlu_tinjauan`` too when no other doubt is left."""
    flags = [f for f in record.flags if f != FLAG_UNSURE_TYPE]
    if not (set(flags) & (REVIEW_FLAGS - {FLAG_REVIEW})):
        flags = [f for f in flags if f != FLAG_REVIEW]
    after: dict[str, Any] = {"doc_type": doc_type or record.doc_type, "doc_type_confidence": 1.0}
    after["flags"] = flags
    before = {k: getattr(record, k) for k in after}
    before["flags"] = list(record.flags)
    catalog.update_document(record.id, **after)
    catalog.record_event(_event(record, "correction", actor, confirmed=False,
                                before=before, after=after))  # fmt: skip
    return Outcome(record.id, True, "jenis dikonfirmasi")


def _mark_reviewed(catalog: Catalog, record: DocumentRecord, actor: Actor) -> Outcome:
    flags = [f for f in record.flags if f not in REVIEW_FLAGS]
    catalog.update_document(record.id, flags=flags)
    personal = FLAG_PERSONAL in record.flags and record.access == "belum_ditinjau"
    catalog.record_event(
        _event(record, REVIEWED, actor, before={"flags": list(record.flags)},
               after={"flags": flags}, akses_belum_diputuskan=personal)
    )  # fmt: skip
    return Outcome(record.id, True, "ditandai sudah ditinjau")


def _event(record: DocumentRecord, kind: str, actor: Actor, **detail: Any) -> EventRecord:
    return EventRecord(
        sha256=record.sha256,
        kind=kind,
        outcome="info",
        detail={"by": actor.username, "role": actor.role, **detail},
        document_id=record.id,
        at=datetime.now(UTC),
    )
