"""Scheduled care of the register as plain use cases: the semiannual review and the
daily expiry check (the Prefect flows in :mod:`flows.exemptions` wrap them).

The review moves every published entry whose review date has come into ``tinjauan``
(the PPID then keeps, revokes or lets it expire) and lists what needs attention. The
expiry check expires entries whose duration has ended, which opens their documents, and
re-indexes those documents. Both act as a named system actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive.catalog import Catalog
from archive.exemptions import Actor, Entry, ExemptionError, ExemptionRegister, StepArgs
from archive.vocabulary import SYSTEM_ROLE
from flows.app.exemptions import reindex_documents
from flows.settings import Settings, today_in

REVIEWER = Actor("prefect:exemption-review", SYSTEM_ROLE)
EXPIRER = Actor("prefect:exemption-expiry", SYSTEM_ROLE)
SOON_DAYS = 60  # entries ending this soon are listed in the review, to prepare for it


@dataclass(frozen=True)
class Decision:
    entry: Entry
    action: str
    detail: str

    def row(self) -> dict[str, str]:
        e = self.entry
        return {
            "entri": f"#{e.id}",
            "informasi": e.draft.description[:120],
            "status": e.status_name,
            "tinjauan berikutnya": e.next_review.isoformat() if e.next_review else "",
            "berakhir": e.expires_on.isoformat() if e.expires_on else "",
            "tindakan": self.action,
            "keterangan": self.detail,
        }


def parse_day(today: str | None, timezone: str) -> date:
    return date.fromisoformat(today) if today else today_in(timezone)


def open_register(settings: Settings, catalog: Catalog) -> ExemptionRegister:
    """The register on the catalog's database, its clock on the office's calendar."""
    return ExemptionRegister(catalog.engine, today=lambda: settings.office_today())


def run_review(
    register: ExemptionRegister, day: date, via: str = "tanpa Prefect"
) -> list[Decision]:
    """``via`` names what ran it (a flow run id), for the entry's event note."""
    decisions = []
    for entry in register.due_for_review(day):
        note = f"Tinjauan berkala ({via})"
        out = register.take(entry.id, "start_review", REVIEWER, StepArgs(note=note, today=day))
        decisions.append(Decision(out.entry, "tinjauan dimulai", "PPID: tetapkan hasil tinjauan"))
    waiting = [
        e for e in register.entries(["tinjauan"]) if e.id not in {d.entry.id for d in decisions}
    ]
    decisions += [Decision(e, "menunggu PPID", "tinjauan belum diselesaikan") for e in waiting]
    live = register.entries(["ditetapkan", "dipublikasikan", "tinjauan"])
    for entry in live:
        if entry.expires_on and 0 <= (entry.expires_on - day).days <= SOON_DAYS:
            decisions.append(Decision(entry, "segera berakhir", f"berakhir {entry.expires_on}"))
        elif entry.draft.period and entry.draft.period.kind == "syarat":
            decisions.append(Decision(entry, "periksa syarat", entry.draft.period.label()[:120]))
    return decisions


def run_expiry(settings: Settings, register: ExemptionRegister, catalog: Catalog,
               day: date, via: str = "tanpa Prefect") -> list[Decision]:  # fmt: skip
    decisions = []
    note = f"Jangka waktu berakhir ({via})"
    for entry in register.due_to_expire(day):
        try:
            out = register.take(entry.id, "expire", EXPIRER, StepArgs(note=note, today=day))
        except ExemptionError as exc:  # changed by a person meanwhile: report, go on
            decisions.append(Decision(entry, "gagal", str(exc)))
            continue
        indexed = reindex_documents(settings.layout, catalog, out.changed_documents)
        opened = ", ".join(out.changed_documents) or "-"
        said = f"dokumen dibuka: {opened}" + ("" if indexed else " (indeks: jalankan reindex)")
        decisions.append(Decision(out.entry, "kedaluwarsa", said))
    return decisions
