"""What a step of the exemption register is given (:class:`StepArgs`, with a filed
:class:`PublicCopy`) and what it returns (:class:`StepResult`, with each
:class:`AccessChange`): the register's calling convention, apart from the records it
reads and writes (``archive.exemptions.records``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive.exemptions.records import Draft, Entry, EntryEvent
from archive.vocabulary import Access


@dataclass(frozen=True)
class PublicCopy:
    """A redacted public copy already filed, to be recorded on the entry."""

    document_id: str
    source_sha256: str
    sha256: str
    path: str


@dataclass(frozen=True)
class StepArgs:
    """Everything any step may be given; each step reads the fields it needs (the
    transition table says which) and refuses when a required one is missing."""

    note: str = ""
    digest: str = ""  # approve: Entry.approval_digest() of the page the approver saw
    number: str = ""  # set_decree, revoke: decree number; annul: ruling number
    on: date | None = None  # the date of that decree or ruling
    documents: tuple[str, ...] = ()  # link
    document: str = ""  # unlink
    draft: Draft | None = None  # edit
    copy: PublicCopy | None = None  # public_copy
    today: date | None = None  # scheduled runs name their day; else the register's clock


@dataclass(frozen=True)
class AccessChange:
    document_id: str
    before: Access
    after: Access


@dataclass(frozen=True)
class StepResult:
    """The entry after a step, the event the step wrote, and the documents whose access it
    changed (the caller re-indexes those, so search reflects the step at once)."""

    entry: Entry
    event: EntryEvent
    access: tuple[AccessChange, ...] = ()

    @property
    def changed_documents(self) -> tuple[str, ...]:
        return tuple(sorted(c.document_id for c in self.access))
