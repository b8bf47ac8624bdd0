"""The register's foundation: construction, reading, intake and attaching documents.

Every change goes through :meth:`RegisterCore.step`: the request row is write-locked,
the guard checked, the change and its append-only event written in ONE transaction.
The actor (username, role) is always passed in; role checks are made here, not only in
the pages, so the CLI and the flows obey the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from archive.catalog import documents_in
from archive.db import utc_now
from archive.records import Actor
from archive.requests.calendar import WorkingCalendar
from archive.requests.exemption_link import ExemptionLookup
from archive.requests.intake import (
    SHA256,
    check_intake,
    new_tracking_code,
    request_number,
    tracking_digest,
)
from archive.requests.records import (
    PUBLIC_ACTOR,
    InfoRequest,
    Intake,
    InvalidRequest,
    NotAllowed,
    RequestEvent,
    StepRefused,
    UnknownRequest,
)
from archive.requests.rules import ServiceRules, load_rules
from archive.requests.tables import (
    AttachmentRow,
    RequestRow,
    add_event,
    lock_request,
    next_seq,
    request_events,
    to_request,
)
from archive.vocabulary import CAN_RECORD_REQUESTS, visible_access

Mutation = Callable[[Session, RequestRow, InfoRequest], dict[str, Any] | None]


def _new_request_row(clean: Intake, actor: Actor, seq: int, due: date, code: str) -> RequestRow:
    """The register's row of a checked intake: numbered ``seq`` of its year, due on ``due``,
    found by its tracking ``code`` (only the code's digest is kept)."""
    r = clean.requester
    return RequestRow(
        year=clean.received_on.year,
        seq=seq,
        number=request_number(seq, clean.received_on),
        channel=clean.channel,
        requester_name=r.name,
        requester_contact=r.contact,
        requester_identity=r.identity_number,
        subject=clean.subject,
        purpose=clean.purpose,
        received_on=clean.received_on,
        recorded_at=utc_now(),
        recorded_by=actor.username,
        due_on=due,
        extension_reason="",
        status="diproses",
        tracking_sha256=tracking_digest(code),
        formulir_sha256=clean.formulir_sha256,
    )


class RegisterCore:
    def __init__(
        self, engine: Engine, calendar: WorkingCalendar, rules: ServiceRules | None = None
    ) -> None:
        self.engine = engine
        self.calendar = calendar
        self.rules = rules or load_rules()
        self.exemptions = ExemptionLookup(engine)

    # ------------------------------------------------------------------ reading

    def get(self, request_id: int) -> InfoRequest:
        with Session(self.engine) as s:
            row = s.get(RequestRow, request_id)
            if row is None:
                raise UnknownRequest(f"Permohonan #{request_id} tidak ditemukan.")
            return to_request(s, row)

    def find(self, number: str) -> InfoRequest:
        with Session(self.engine) as s:
            row = s.scalar(select(RequestRow).where(RequestRow.number == number.strip()))
            if row is None:
                raise UnknownRequest(f"Permohonan {number} tidak ditemukan.")
            return to_request(s, row)

    def requests(
        self, year: int | None = None, statuses: Sequence[str] | None = None
    ) -> list[InfoRequest]:
        stmt = select(RequestRow).order_by(RequestRow.received_on.desc(), RequestRow.id.desc())
        if year is not None:
            stmt = stmt.where(RequestRow.year == year)
        if statuses is not None:
            stmt = stmt.where(RequestRow.status.in_(list(statuses)))
        with Session(self.engine) as s:
            return [to_request(s, r) for r in s.scalars(stmt)]

    def by_tracking_code(self, code: str) -> InfoRequest | None:
        with Session(self.engine) as s:
            row = s.scalar(
                select(RequestRow).where(RequestRow.tracking_sha256 == tracking_digest(code))
            )
            return to_request(s, row) if row else None

    def events(self, request_id: int) -> list[RequestEvent]:
        with Session(self.engine) as s:
            return request_events(s, request_id)

    def requests_of_document(self, doc_id: str) -> list[int]:
        stmt = select(AttachmentRow.request_id).where(AttachmentRow.document_id == doc_id)
        with Session(self.engine) as s:
            return sorted(set(s.scalars(stmt)))

    # ------------------------------------------------------------------ one step

    def step(
        self, request_id: int, kind: str, actor: Actor, note: str, mutate: Mutation
    ) -> InfoRequest:
        """Guard, change and event in one transaction: all of it or none."""
        with Session(self.engine) as s, s.begin():
            row = lock_request(s, request_id)
            detail = mutate(s, row, to_request(s, row)) or {}
            items = detail.pop("_items", None)
            s.flush()
            add_event(s, row.id, kind, actor, note, items, **detail)
            return to_request(s, row)

    # ------------------------------------------------------------------ intake

    def intake(
        self, actor: Actor, intake: Intake, today: date | None = None
    ) -> tuple[InfoRequest, str]:
        """Record a request; returns it and its tracking code (shown once, stored hashed)."""
        day = today or date.today()
        clean = check_intake(intake, actor, day)
        code = new_tracking_code()
        due = self.calendar.add_working_days(clean.received_on, self.rules.answer.days)
        with Session(self.engine) as s, s.begin():
            seq = next_seq(s, clean.received_on.year)
            row = _new_request_row(clean, actor, seq, due, code)
            s.add(row)
            s.flush()
            add_event(
                s,
                row.id,
                "diterima",
                actor,
                "",
                None,
                number=row.number,
                channel=row.channel,
                received_on=row.received_on.isoformat(),
                due_on=due.isoformat(),
                formulir_sha256=row.formulir_sha256,
            )
            return to_request(s, row), code

    # ------------------------------------------------------------------ documents

    def attach(self, request_id: int, actor: Actor, doc_ids: Sequence[str]) -> InfoRequest:
        """Attach archived documents the actor may see to the request being answered."""
        if actor.role not in CAN_RECORD_REQUESTS:
            raise NotAllowed("Peran Anda tidak dapat melampirkan dokumen.")

        def mutate(s: Session, row: RequestRow, req: InfoRequest) -> dict[str, Any]:
            self.require_answerable(s, row)
            found = documents_in(s, doc_ids)
            seen = visible_access(actor.role)
            missing = [i for i in doc_ids if i not in found or found[i].access not in seen]
            if missing or not doc_ids:
                raise InvalidRequest(f"Dokumen tidak ditemukan: {', '.join(missing) or '-'}.")
            have = {a.document_id for a in req.attachments}
            added = [found[i] for i in dict.fromkeys(doc_ids) if i not in have]
            for doc in added:
                s.add(
                    AttachmentRow(
                        request_id=row.id,
                        document_id=doc.id,
                        sha256=doc.sha256,
                        attached_by=actor.username,
                        attached_at=utc_now(),
                    )
                )
            return {"documents": [{"id": d.id, "sha256": d.sha256} for d in added]}

        return self.step(request_id, "dokumen_dilampirkan", actor, "", mutate)

    def detach(self, request_id: int, actor: Actor, doc_id: str) -> InfoRequest:
        if actor.role not in CAN_RECORD_REQUESTS:
            raise NotAllowed("Peran Anda tidak dapat melepas dokumen.")

        def mutate(s: Session, row: RequestRow, req: InfoRequest) -> dict[str, Any]:
            self.require_answerable(s, row)
            link = s.get(AttachmentRow, (row.id, doc_id))
            if link is None:
                raise InvalidRequest(f"Dokumen {doc_id} tidak dilampirkan pada permohonan ini.")
            s.delete(link)
            return {"documents": [{"id": doc_id, "sha256": link.sha256}]}

        return self.step(request_id, "dokumen_dilepas", actor, "", mutate)

    def link_formulir(self, request_id: int, actor: Actor, sha256: str) -> InfoRequest:
        """The formulir made or scanned after the request was recorded (by its SHA-256)."""
        if actor != PUBLIC_ACTOR and actor.role not in CAN_RECORD_REQUESTS:
            raise NotAllowed("Peran Anda tidak dapat menautkan formulir.")
        if not SHA256.fullmatch(sha256):
            raise InvalidRequest("SHA-256 formulir tidak valid.")

        def mutate(s: Session, row: RequestRow, req: InfoRequest) -> dict[str, Any]:
            if row.formulir_sha256:
                raise StepRefused("Formulir permohonan ini sudah ditautkan.")
            row.formulir_sha256 = sha256
            return {"formulir_sha256": sha256, "document_id": sha256[:16]}

        return self.step(request_id, "formulir_ditautkan", actor, "", mutate)

    def require_answerable(self, s: Session, row: RequestRow) -> None:
        """Open for answering: not answered yet, or an objection was upheld since the last
        answer (the Atasan PPID ordered the information given)."""
        if row.status == "diproses":
            return
        kinds = [
            e.kind
            for e in request_events(s, row.id)
            if e.kind in ("dijawab", "keberatan_dikabulkan")
        ]
        if not kinds or kinds[-1] != "keberatan_dikabulkan":
            raise StepRefused(f"Permohonan {row.number} sudah dijawab.")
