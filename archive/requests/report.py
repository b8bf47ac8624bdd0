"""The yearly report of the information service (laporan layanan informasi publik,
Perki 1/2021): how many requests were received, how each ended, why refusals were made
(by legal basis), how long the answers took, and what became of the objections.

Built from the register only; it names no requester and no document. Days to answer are
working days from receipt to the first answer, counted in the same calendar as the
deadlines.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from archive.requests.calendar import WorkingCalendar
from archive.requests.records import CHANNEL_NAMES, OUTCOME_NAMES, InfoRequest, RequestEvent

PENDING = "belum_dijawab"
_OUTCOMES = (*OUTCOME_NAMES, PENDING)
OUTCOME_LABELS = {**OUTCOME_NAMES, PENDING: "Belum dijawab"}


@dataclass(frozen=True)
class YearReport:
    year: int
    received: int
    by_channel: dict[str, int]
    by_outcome: dict[str, int]
    refusal_bases: list[tuple[str, int]]  # (legal basis as cited, requests citing it)
    answered: int
    median_days: float | None  # working days, receipt to first answer
    max_days: int | None
    on_time: int
    late: int
    extended: int
    objections: dict[str, int] = field(default_factory=dict)
    doubtful_years: tuple[int, ...] = ()  # calendar years counted without official holidays

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The report as titled tables of (label, value): one shape for HTML, CSV and PDF."""
        num = str
        median = "—" if self.median_days is None else f"{self.median_days:g}"
        return [
            (
                "Ringkasan",
                [
                    ("Permohonan diterima", num(self.received)),
                    ("Sudah dijawab", num(self.answered)),
                    ("Dijawab tepat waktu", num(self.on_time)),
                    ("Dijawab melewati batas waktu", num(self.late)),
                    ("Jangka waktu diperpanjang", num(self.extended)),
                    ("Median waktu jawab (hari kerja)", median),
                    (
                        "Waktu jawab terlama (hari kerja)",
                        num(self.max_days or 0) if self.max_days is not None else "—",
                    ),
                ],
            ),
            (
                "Permohonan menurut saluran",
                [(CHANNEL_NAMES[k], num(v)) for k, v in self.by_channel.items()],
            ),
            (
                "Permohonan menurut hasil",
                [(OUTCOME_LABELS[k], num(v)) for k, v in self.by_outcome.items()],
            ),
            (
                "Alasan penolakan menurut dasar hukum (seluruhnya atau sebagian)",
                [(basis, num(n)) for basis, n in self.refusal_bases]
                or [("Tidak ada penolakan", "0")],
            ),
            (
                "Keberatan",
                [
                    ("Diajukan", num(self.objections.get("diajukan_total", 0))),
                    ("Dikabulkan Atasan PPID", num(self.objections.get("dikabulkan", 0))),
                    ("Ditolak Atasan PPID", num(self.objections.get("ditolak", 0))),
                    ("Belum diputus", num(self.objections.get("diajukan", 0))),
                    ("Berlanjut ke Komisi Informasi", num(self.objections.get("sengketa", 0))),
                ],
            ),
        ]

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["refusal_bases"] = [{"basis": b, "requests": n} for b, n in self.refusal_bases]
        data["doubtful_years"] = list(self.doubtful_years)
        return data


def _refusal_bases(last_answers: Sequence[RequestEvent]) -> list[tuple[str, int]]:
    counted: Counter[str] = Counter()
    for event in last_answers:
        bases = {
            b
            for item in event.items
            if item.get("form") in ("ditolak", "salinan_tersamar")
            for b in item.get("legal_bases", ())
        }
        counted.update(bases)  # each basis once per request
    return sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))


def year_report(
    requests: Sequence[InfoRequest],
    last_answer: dict[int, RequestEvent],
    calendar: WorkingCalendar,
    year: int,
) -> YearReport:
    """``requests`` received in ``year``; ``last_answer`` each one's latest answer event."""
    mine = [r for r in requests if r.received_on.year == year]
    answered = [r for r in mine if r.answered_on is not None]
    days = [
        calendar.working_days_between(r.received_on, r.answered_on)
        for r in answered
        if r.answered_on is not None
    ]
    late = sum(1 for r in answered if r.answered_on and r.answered_on > r.deadline)
    outcomes = Counter(r.outcome or PENDING for r in mine)
    objections = [o for r in mine for o in r.objections]
    spans = [r.received_on for r in mine] + [r.deadline for r in mine]
    return YearReport(
        year=year,
        received=len(mine),
        by_channel={k: sum(r.channel == k for r in mine) for k in CHANNEL_NAMES},
        by_outcome={k: outcomes.get(k, 0) for k in _OUTCOMES},
        refusal_bases=_refusal_bases([last_answer[r.id] for r in answered if r.id in last_answer]),
        answered=len(answered),
        median_days=float(statistics.median(days)) if days else None,
        max_days=max(days) if days else None,
        on_time=len(answered) - late,
        late=late,
        extended=sum(r.extended_due_on is not None for r in mine),
        objections={
            "diajukan_total": len(objections),
            **{
                s: sum(o.status == s for o in objections)
                for s in ("diajukan", "dikabulkan", "ditolak")
            },
            "sengketa": sum(o.ki_number is not None for o in objections),
        },
        doubtful_years=tuple(calendar.doubtful_years(spans)),
    )


def report_csv(report: YearReport) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["Bagian", "Uraian", "Jumlah"])
    for title, rows in report.sections():
        writer.writerows([title, label, value] for label, value in rows)
    return buf.getvalue()
