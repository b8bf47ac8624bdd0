"""Deadlines and answers: the extension (once, with its reason), the answer itself (bound
to the plan the PPID was shown), and the daily deadline check's reading and marking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.records import Actor
from archive.requests.answering import AnswerPlan, plan_answer
from archive.requests.records import (
    AnswerChanged,
    InfoRequest,
    InvalidRequest,
    NotAllowed,
    Objection,
    StepRefused,
)
from archive.requests.register import RegisterCore
from archive.requests.tables import ObjectionRow, RequestRow, add_event, to_objection, to_request
from archive.vocabulary import CAN_ANSWER_REQUESTS

MAX_NOTE = 4000


@dataclass(frozen=True)
class Due:
    """A request (or objection) whose deadline is near or past, as the daily check sees it."""

    request: InfoRequest
    deadline: date
    working_days_left: int  # 0: due today; negative: that many working days late
    objection: Objection | None = None

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0

    def row(self) -> dict[str, Any]:
        # No requester names here: the Prefect UI that shows these rows has no sign-in.
        what = f"keberatan #{self.objection.id}" if self.objection else "jawaban"
        return {
            "permohonan": self.request.number,
            "tenggat": what,
            "batas": self.deadline.isoformat(),
            "sisa hari kerja": self.working_days_left,
            "status": "terlambat" if self.overdue else "segera",
        }


def _note(note: str, label: str, required: bool) -> str:
    text = note.strip()
    if required and not text:
        raise InvalidRequest(f"{label} wajib diisi.")
    if len(text) > MAX_NOTE:
        raise InvalidRequest(f"{label} terlalu panjang (maks. {MAX_NOTE} karakter).")
    return text


class AnswerSteps(RegisterCore):
    def extend(
        self, request_id: int, actor: Actor, reason: str, today: date | None = None
    ) -> InfoRequest:
        """Once, before the deadline, +7 working days (UU 14/2008 Pasal 22 ayat (8))."""
        if actor.role not in CAN_ANSWER_REQUESTS:
            raise NotAllowed("Hanya Pejabat PPID yang dapat memperpanjang jangka waktu.")
        why = _note(reason, "Alasan perpanjangan", required=True)
        day = today or date.today()

        def mutate(s: Session, row: RequestRow, req: InfoRequest) -> dict[str, Any]:
            if row.status != "diproses":
                raise StepRefused(f"Permohonan {row.number} sudah dijawab.")
            if row.extended_due_on is not None:
                raise StepRefused("Jangka waktu hanya dapat diperpanjang satu kali.")
            if day > row.due_on:
                raise StepRefused("Perpanjangan harus diberitahukan sebelum jangka waktu berakhir.")
            row.extended_due_on = self.calendar.add_working_days(
                row.due_on, self.rules.extension.days
            )
            row.extension_reason = why
            return {
                "from": row.due_on.isoformat(),
                "to": row.extended_due_on.isoformat(),
                "basis": self.rules.extension.basis,
            }

        return self.step(request_id, "diperpanjang", actor, why, mutate)

    def plan(self, request_id: int) -> AnswerPlan:
        request = self.get(request_id)
        with Session(self.engine) as s:
            return plan_answer(s, self.exemptions, request)

    def answer(
        self,
        request_id: int,
        actor: Actor,
        digest: str,
        note: str = "",
        *,
        not_held: bool = False,
        letter_sha256: str | None = None,
        today: date | None = None,
    ) -> InfoRequest:
        """Answer as planned. ``digest`` is the plan's the PPID saw (and the letter was
        made from); a plan that changed meanwhile is refused, never answered blind.
        ``not_held``: the information is not held here (no document can be attached)."""
        if actor.role not in CAN_ANSWER_REQUESTS:
            raise NotAllowed("Hanya Pejabat PPID yang dapat menjawab permohonan.")
        text = _note(note, "Catatan jawaban", required=not_held)
        day = today or date.today()

        def mutate(s: Session, row: RequestRow, req: InfoRequest) -> dict[str, Any]:
            self.require_answerable(s, row)
            plan = self._plan_as_shown(s, req, digest, not_held)
            if day < row.received_on:
                raise InvalidRequest("Tanggal jawaban sebelum tanggal permohonan diterima.")
            row.outcome = plan.outcome or "tidak_dikuasai"
            row.answered_on = row.answered_on or day  # the first answer is what the report times
            late = day > (row.extended_due_on or row.due_on)
            row.status = "dijawab"
            return {
                "outcome": row.outcome,
                "on": day.isoformat(),
                "late": late,
                "letter_sha256": letter_sha256,
                "_items": plan.items(),
            }

        return self.step(request_id, "dijawab", actor, text, mutate)

    def _plan_as_shown(
        self, s: Session, req: InfoRequest, digest: str, not_held: bool
    ) -> AnswerPlan:
        """The plan to answer by: the one the PPID was shown (``digest``), complete, and
        without documents exactly when the answer says the information is not held."""
        plan = plan_answer(s, self.exemptions, req)
        if plan.digest() != digest:
            raise AnswerChanged("Dokumen yang dijawab berubah sejak halaman dibuka; periksa lagi.")
        if plan.problems:
            raise StepRefused("Belum dapat dijawab: " + "; ".join(plan.problems))
        if not_held != (plan.outcome is None):
            raise InvalidRequest(
                "Tanpa dokumen, jawabannya hanya 'informasi tidak dikuasai'; dengan dokumen, "
                "jawabannya ditentukan oleh dokumen itu."
            )
        return plan

    # ------------------------------------------------------------------ deadline check

    def due(self, today: date, within: int | None = None) -> list[Due]:
        """Open requests and undecided objections due in ``within`` working days or late."""
        ahead = self.rules.warn_ahead if within is None else within
        found = []
        for req in self.requests(statuses=["diproses"]):
            left = self.calendar.working_days_between(today, req.deadline)
            if left <= ahead:
                found.append(Due(req, req.deadline, left))
        with Session(self.engine) as s:
            pending = s.scalars(select(ObjectionRow).where(ObjectionRow.status == "diajukan"))
            objections = [to_objection(o) for o in pending]
        for obj in objections:
            left = self.calendar.working_days_between(today, obj.due_on)
            if left <= ahead:
                found.append(Due(self.get(obj.request_id), obj.due_on, left, obj))
        return sorted(found, key=lambda d: (d.working_days_left, d.request.id))

    def mark_overdue(self, actor: Actor, today: date) -> list[InfoRequest]:
        """Open requests past their deadline get a ``terlambat`` event, once each."""
        marked = []
        with Session(self.engine) as s, s.begin():
            stmt = select(RequestRow).where(RequestRow.status == "diproses")
            for row in list(s.scalars(stmt.where(RequestRow.overdue_marked_on.is_(None)))):
                deadline = row.extended_due_on or row.due_on
                if today <= deadline:
                    continue
                row.overdue_marked_on = today
                late = self.calendar.working_days_between(deadline, today)
                add_event(
                    s,
                    row.id,
                    "terlambat",
                    actor,
                    "",
                    None,
                    deadline=deadline.isoformat(),
                    working_days_late=late,
                )
                s.flush()
                marked.append(to_request(s, row))
        return marked
