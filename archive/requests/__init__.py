"""The register of requests for public information (permohonan informasi publik, UU
14/2008 Pasal 22): intake and numbering, deadlines in working days, answers decided by
the documents' access and the DIK, objections to the Atasan PPID, the yearly report.

    diproses --(extend once)--> diproses --answer--> dijawab
                                                  \\--objection--> upheld: answer again

Every step writes its append-only event in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from archive.requests.answering import AnswerPlan, Disposition
from archive.requests.calendar import (
    OVERRIDE_NAME,
    CalendarError,
    Holiday,
    HolidayYear,
    WorkingCalendar,
)
from archive.requests.exemption_link import Citation
from archive.requests.intake import new_tracking_code, request_number, tracking_digest
from archive.requests.objections import ObjectionSteps
from archive.requests.records import (
    CHANNEL_NAMES,
    FORM_NAMES,
    OBJECTION_NAMES,
    OUTCOME_NAMES,
    PUBLIC_ACTOR,
    AnswerChanged,
    Attachment,
    Channel,
    InfoRequest,
    Intake,
    InvalidRequest,
    NotAllowed,
    Objection,
    Requester,
    RequestError,
    RequestEvent,
    StepRefused,
    UnknownRequest,
    sees_personal_data,
)
from archive.requests.report import OUTCOME_LABELS, YearReport, report_csv, year_report
from archive.requests.rules import ServiceRules, load_rules
from archive.requests.steps import Due

# What the public status page may say: the state, nothing else (no dates, no names).
PUBLIC_STATUS: Mapping[str, str] = MappingProxyType(
    {
        "diproses": "Permohonan diterima dan sedang diproses.",
        "diperpanjang": "Permohonan sedang diproses; jangka waktu jawaban diperpanjang.",
        "dijawab": "Permohonan sudah dijawab; pemberitahuan tertulis telah disampaikan.",
        "keberatan": "Keberatan sedang diperiksa oleh Atasan PPID.",
        "keberatan_diputus": "Keberatan sudah diputus oleh Atasan PPID.",
    }
)


def public_status(request: InfoRequest) -> str:
    if request.open_objection is not None:
        return "keberatan"
    if request.status == "diproses":
        return "diperpanjang" if request.extended_due_on else "diproses"
    decided = [o for o in request.objections if o.status != "diajukan"]
    return "keberatan_diputus" if decided else "dijawab"


class RequestRegister(ObjectionSteps):
    """Intake, documents, deadlines, answers and objections over one set of tables."""

    def report(self, year: int) -> YearReport:
        requests = self.requests(year=year)
        last: dict[int, RequestEvent] = {}
        for request in requests:
            answers = [e for e in self.events(request.id) if e.kind == "dijawab"]
            if answers:
                last[request.id] = answers[-1]
        return year_report(requests, last, self.calendar, year)

    def public_status(self, code: str) -> str | None:
        """The status code of the request with this tracking code, or None."""
        found = self.by_tracking_code(code)
        return public_status(found) if found is not None else None


__all__ = [
    "CHANNEL_NAMES",
    "FORM_NAMES",
    "OBJECTION_NAMES",
    "OUTCOME_LABELS",
    "OUTCOME_NAMES",
    "OVERRIDE_NAME",
    "PUBLIC_ACTOR",
    "PUBLIC_STATUS",
    "AnswerChanged",
    "AnswerPlan",
    "Attachment",
    "CalendarError",
    "Channel",
    "Citation",
    "Disposition",
    "Due",
    "Holiday",
    "HolidayYear",
    "InfoRequest",
    "Intake",
    "InvalidRequest",
    "NotAllowed",
    "Objection",
    "RequestError",
    "RequestEvent",
    "RequestRegister",
    "Requester",
    "ServiceRules",
    "StepRefused",
    "UnknownRequest",
    "WorkingCalendar",
    "YearReport",
    "load_rules",
    "new_tracking_code",
    "public_status",
    "report_csv",
    "request_number",
    "sees_personal_data",
    "tracking_digest",
    "year_report",
]
