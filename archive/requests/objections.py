"""Objections (keberatan, UU 14/2008 Pasal 35-37): filed by the requester within 30
working days of their reason, decided by the Atasan PPID within 30 working days, and, if
the requester is still not satisfied, taken to the Komisi Informasi (recorded here).

An upheld objection reopens the request for a new answer (the Atasan PPID ordered the
information given); the first answer stays the one the yearly report times.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.records import Actor
from archive.requests.records import InfoRequest, InvalidRequest, NotAllowed, StepRefused
from archive.requests.steps import AnswerSteps, _note
from archive.requests.tables import ObjectionRow, RequestRow
from archive.vocabulary import CAN_DECIDE_OBJECTIONS, CAN_RECORD_REQUESTS

Decision = Literal["dikabulkan", "ditolak"]


class ObjectionSteps(AnswerSteps):
    def file_objection(
        self,
        request_id: int,
        actor: Actor,
        reason: str,
        statement: str,
        filed_on: date,
        today: date | None = None,
    ) -> InfoRequest:
        text = self._objection_statement(actor, reason, statement, filed_on, today)

        def mutate(s: Session, row: RequestRow, req: InfoRequest) -> dict[str, Any]:
            if req.open_objection is not None:
                raise StepRefused("Masih ada keberatan yang belum diputus untuk permohonan ini.")
            self._require_filing_window(row, filed_on)
            due = self.calendar.add_working_days(filed_on, self.rules.objection_answer.days)
            obj = ObjectionRow(
                request_id=row.id,
                reason=reason,
                statement=text,
                filed_on=filed_on,
                recorded_by=actor.username,
                due_on=due,
                status="diajukan",
                decision="",
            )
            s.add(obj)
            s.flush()
            return {
                "objection": obj.id,
                "reason": self.rules.objection_reason(reason),
                "filed_on": filed_on.isoformat(),
                "due_on": due.isoformat(),
            }

        return self.step(request_id, "keberatan_diajukan", actor, "", mutate)

    def _objection_statement(
        self, actor: Actor, reason: str, statement: str, filed_on: date, today: date | None
    ) -> str:
        """The objection's statement, once who files it, its reason and its date are valid."""
        if actor.role not in CAN_RECORD_REQUESTS:
            raise NotAllowed("Peran Anda tidak dapat mencatat keberatan.")
        if reason not in self.rules.objection_reasons:
            raise InvalidRequest("Pilih alasan keberatan (Pasal 35 ayat (1) huruf a–g).")
        text = _note(statement, "Uraian keberatan", required=True)
        if filed_on > (today or date.today()):
            raise InvalidRequest("Tanggal keberatan tidak boleh di masa depan.")
        return text

    def _require_filing_window(self, row: RequestRow, filed_on: date) -> None:
        """An objection is filed after its reason arose and within the days allowed."""
        # Its reason arose with the answer, or when the deadline passed unanswered.
        arose = row.answered_on or (row.extended_due_on or row.due_on)
        if row.status == "diproses" and filed_on <= arose:
            raise StepRefused(
                "Keberatan atas permohonan yang belum dijawab baru dapat "
                "diajukan setelah jangka waktunya berakhir."
            )
        last = self.calendar.add_working_days(arose, self.rules.objection_filing.days)
        if filed_on > last or filed_on < row.received_on:
            raise StepRefused(
                f"Keberatan harus diajukan paling lambat {last.isoformat()} "
                f"({self.rules.objection_filing.basis})."
            )

    def decide_objection(
        self,
        objection_id: int,
        actor: Actor,
        decision: Decision,
        reasons: str,
        decided_on: date | None = None,
    ) -> InfoRequest:
        """The Atasan PPID's written answer (Pasal 36 ayat (2)); nobody else may give it."""
        if actor.role not in CAN_DECIDE_OBJECTIONS:
            raise NotAllowed("Hanya Atasan PPID yang dapat memutus keberatan.")
        if decision not in ("dikabulkan", "ditolak"):
            raise InvalidRequest("Putusan keberatan: dikabulkan atau ditolak.")
        text = _note(reasons, "Pertimbangan putusan", required=True)
        day = decided_on or date.today()
        obj = self._objection(objection_id)

        def mutate(s: Session, row: RequestRow, req: InfoRequest) -> dict[str, Any]:
            found = s.get(ObjectionRow, objection_id, populate_existing=True)
            assert found is not None
            if found.status != "diajukan":
                raise StepRefused(f"Keberatan #{objection_id} sudah diputus.")
            if day < found.filed_on:
                raise InvalidRequest("Tanggal putusan sebelum keberatan diajukan.")
            found.status, found.decided_on, found.decided_by = decision, day, actor.username
            found.decision = text
            late = day > found.due_on
            return {
                "objection": found.id,
                "decision": decision,
                "on": day.isoformat(),
                "late": late,
            }

        kind = "keberatan_dikabulkan" if decision == "dikabulkan" else "keberatan_ditolak"
        return self.step(obj.request_id, kind, actor, text, mutate)

    def record_dispute(
        self, objection_id: int, actor: Actor, ki_number: str, filed_on: date
    ) -> InfoRequest:
        """The requester took the matter to the Komisi Informasi (Pasal 37)."""
        if actor.role not in CAN_RECORD_REQUESTS:
            raise NotAllowed("Peran Anda tidak dapat mencatat sengketa informasi.")
        number = _note(ki_number, "Nomor register sengketa Komisi Informasi", required=True)[:128]
        obj = self._objection(objection_id)

        def mutate(s: Session, row: RequestRow, req: InfoRequest) -> dict[str, Any]:
            found = s.get(ObjectionRow, objection_id, populate_existing=True)
            assert found is not None
            if found.ki_number:
                raise StepRefused("Sengketa untuk keberatan ini sudah dicatat.")
            if found.status == "diajukan" and filed_on <= found.due_on:
                raise StepRefused("Keberatan belum diputus dan jangka waktunya belum berakhir.")
            if filed_on < found.filed_on:
                raise InvalidRequest("Tanggal sengketa sebelum keberatan diajukan.")
            found.ki_number, found.ki_filed_on = number, filed_on
            return {"objection": found.id, "ki_number": number, "on": filed_on.isoformat()}

        return self.step(obj.request_id, "sengketa_ki", actor, "", mutate)

    def _objection(self, objection_id: int) -> ObjectionRow:
        with Session(self.engine) as s:
            row = s.scalar(select(ObjectionRow).where(ObjectionRow.id == objection_id))
            if row is None:
                raise InvalidRequest(f"Keberatan #{objection_id} tidak ditemukan.")
            s.expunge(row)
            return row
