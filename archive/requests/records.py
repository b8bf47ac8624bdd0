"""Records and errors of the information-request register (permohonan informasi publik).

Plain frozen dataclasses: the register builds them from its tables; the web app, the CLI
and the flows read them. Error messages are in Bahasa Indonesia and shown as they are.
The requester's identity number is personal data: only roles that may see restricted
documents see it (:func:`sees_personal_data`); everyone else gets :meth:`masked` records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Literal

from archive.errors import ArchiveError, NotFound
from archive.records import Actor
from archive.vocabulary import RESTRICTED, visible_access

Channel = Literal["langsung", "surat", "surel", "web"]
CHANNEL_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "langsung": "Datang langsung (loket)",
        "surat": "Surat / pos",
        "surel": "Surel (e-mail)",
        "web": "Formulir web",
    }
)
Status = Literal["diproses", "dijawab"]
Outcome = Literal["dipenuhi", "dipenuhi_sebagian", "ditolak", "tidak_dikuasai"]
OUTCOME_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "dipenuhi": "Dipenuhi seluruhnya",
        "dipenuhi_sebagian": "Dipenuhi sebagian",
        "ditolak": "Ditolak",
        "tidak_dikuasai": "Informasi tidak dikuasai",
    }
)
Form = Literal["asli", "salinan_tersamar", "ditolak"]
FORM_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "asli": "Diberikan (dokumen asli)",
        "salinan_tersamar": "Diberikan (salinan tersamar)",
        "ditolak": "Ditolak (dikecualikan)",
    }
)
ObjectionStatus = Literal["diajukan", "dikabulkan", "ditolak"]
OBJECTION_NAMES: Mapping[str, str] = MappingProxyType(
    {"diajukan": "Menunggu putusan Atasan PPID", "dikabulkan": "Dikabulkan", "ditolak": "Ditolak"}
)
# The public web form files requests under this actor; it may do nothing else.
PUBLIC_ACTOR = Actor("pemohon:formulir-web", "publik")
IDENTITY_MASK = "•••• (data pribadi)"


def sees_personal_data(role: str) -> bool:
    """Roles that may see restricted documents may see a requester's identity number."""
    return bool(visible_access(role) & RESTRICTED)


class RequestError(ArchiveError):
    """Base of the register's refusals; the message is for the person who asked."""


class UnknownRequest(RequestError, NotFound):
    pass


class InvalidRequest(RequestError):
    """A field is missing or wrong."""

    exit_code = 2


class NotAllowed(RequestError):
    """The actor's role may not take this step."""


class StepRefused(RequestError):
    """The request is not in a state that allows this step."""


class AnswerChanged(StepRefused):
    """What would be given differs from what the PPID was shown (a document changed)."""


@dataclass(frozen=True)
class Requester:
    name: str
    contact: str  # telephone, e-mail or postal address
    identity_number: str = ""  # NIK / passport / other: personal data

    def masked(self) -> Requester:
        return replace(self, identity_number=IDENTITY_MASK if self.identity_number else "")


@dataclass(frozen=True)
class Intake:
    requester: Requester
    channel: Channel
    subject: str  # rincian informasi yang dibutuhkan
    purpose: str  # tujuan penggunaan informasi
    received_on: date
    formulir_sha256: str | None = None  # the formulir's bytes, ingested as a document


@dataclass(frozen=True)
class Attachment:
    document_id: str
    sha256: str  # of the archived original when attached
    attached_by: str
    attached_at: datetime


@dataclass(frozen=True)
class Objection:
    id: int
    request_id: int
    reason: str  # Pasal 35 ayat (1) letter
    statement: str
    filed_on: date
    recorded_by: str
    due_on: date
    status: ObjectionStatus
    decided_on: date | None = None
    decided_by: str | None = None
    decision: str = ""
    ki_number: str | None = None  # registration of the dispute at the Komisi Informasi
    ki_filed_on: date | None = None

    @property
    def status_name(self) -> str:
        return OBJECTION_NAMES[self.status]

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        for key in ("filed_on", "due_on", "decided_on", "ki_filed_on"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


@dataclass(frozen=True)
class InfoRequest:
    id: int
    number: str  # NNN/PPID/<roman month>/<year>
    channel: Channel
    requester: Requester
    subject: str
    purpose: str
    received_on: date
    recorded_at: datetime
    recorded_by: str
    due_on: date
    status: Status
    extended_due_on: date | None = None
    extension_reason: str = ""
    outcome: Outcome | None = None
    answered_on: date | None = None
    overdue_marked_on: date | None = None
    formulir_sha256: str | None = None
    attachments: tuple[Attachment, ...] = ()
    objections: tuple[Objection, ...] = ()

    @property
    def deadline(self) -> date:
        return self.extended_due_on or self.due_on

    @property
    def formulir_document_id(self) -> str | None:
        # A document's id is the first 16 hex digits of its SHA-256 (archive.store).
        return self.formulir_sha256[:16] if self.formulir_sha256 else None

    @property
    def open_objection(self) -> Objection | None:
        return next((o for o in self.objections if o.status == "diajukan"), None)

    def masked(self) -> InfoRequest:
        return replace(self, requester=self.requester.masked())

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k not in ("attachments", "objections")}
        data["requester"] = dict(self.requester.__dict__)
        for key in (
            "received_on",
            "recorded_at",
            "due_on",
            "extended_due_on",
            "answered_on",
            "overdue_marked_on",
        ):
            data[key] = data[key].isoformat() if data[key] else None
        data["deadline"] = self.deadline.isoformat()
        data["formulir_document_id"] = self.formulir_document_id
        data["attachments"] = [
            {
                "document_id": a.document_id,
                "sha256": a.sha256,
                "attached_by": a.attached_by,
                "attached_at": a.attached_at.isoformat(),
            }
            for a in self.attachments
        ]
        data["objections"] = [o.to_json() for o in self.objections]
        return data


@dataclass(frozen=True)
class RequestEvent:
    request_id: int
    kind: str
    username: str
    role: str
    at: datetime
    note: str
    detail: dict[str, Any]
    items: tuple[dict[str, Any], ...]  # what was given or refused, each with its SHA-256
    digest: str

    def to_json(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "kind": self.kind,
            "username": self.username,
            "role": self.role,
            "at": self.at.isoformat(),
            "note": self.note,
            "detail": self.detail,
            "items": list(self.items),
            "digest": self.digest,
        }


def items_digest(items: Any) -> str:
    """SHA-256 over each item's document, form and hash: what an answer is bound to."""
    lines = sorted(f"{i['document_id']} {i['form']} {i.get('sha256') or '-'}" for i in items)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
