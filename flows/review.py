"""Scheduled care of the register: the semiannual review and the daily expiry check.

``review_flow`` moves every published entry whose review date has come into ``tinjauan``
(the PPID then keeps, revokes or lets it expire) and lists what needs attention.
``expiry_flow`` expires entries whose duration has ended, which opens their documents,
and re-indexes those documents. Both act as a named system actor and leave a table
artifact, so ops can see in the Prefect UI what each run decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.context import FlowRunContext

from archive.catalog import Catalog
from archive.exemptions import SYSTEM_ROLE, Actor, Entry, ExemptionError, ExemptionRegister
from flows.exemption_ops import after_step
from flows.settings import Settings, load_settings
from flows.steps import stamped

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


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else date.today()


def _run_note(what: str) -> str:
    ctx = FlowRunContext.get()
    run = str(ctx.flow_run.id) if ctx and ctx.flow_run else "tanpa Prefect"
    return f"{what} (flow run {run})"


def run_review(register: ExemptionRegister, day: date) -> list[Decision]:
    decisions = []
    for entry in register.due_for_review(day):
        out = register.start_review(entry.id, REVIEWER, _run_note("Tinjauan berkala"))
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
               day: date) -> list[Decision]:  # fmt: skip
    decisions = []
    for entry in register.due_to_expire(day):
        try:
            out = register.expire(entry.id, EXPIRER, _run_note("Jangka waktu berakhir"), today=day)
        except ExemptionError as exc:  # changed by a person meanwhile: report, go on
            decisions.append(Decision(entry, "gagal", str(exc)))
            continue
        indexed = after_step(settings.layout, catalog, out)
        opened = ", ".join(out.changed_documents) or "-"
        note = f"dokumen dibuka: {opened}" + ("" if indexed else " (indeks: jalankan reindex)")
        decisions.append(Decision(out.entry, "kedaluwarsa", note))
    return decisions


def _publish(decisions: list[Decision], key: str, description: str) -> None:
    rows = [d.row() for d in decisions] or [{"entri": "-", "tindakan": "tidak ada"}]
    create_table_artifact(rows, key=key, description=description)


@flow(name="exemption-review", flow_run_name=stamped("review"), log_prints=False)
def review_flow(today: str | None = None) -> dict[str, Any]:
    """Entries due for their (semiannual) review go into ``tinjauan``; lists what is due."""
    settings = load_settings()
    catalog = Catalog(settings.catalog_url)
    try:
        decisions = run_review(ExemptionRegister(catalog.engine), _day(today))
    finally:
        catalog.close()
    get_run_logger().info("tinjauan: %d entri perlu perhatian", len(decisions))
    _publish(decisions, "exemption-review", "Tinjauan berkala daftar informasi dikecualikan")
    return {"entries": [d.row() for d in decisions]}


@flow(name="exemption-expiry", flow_run_name=stamped("expiry"), log_prints=False)
def expiry_flow(today: str | None = None) -> dict[str, Any]:
    """Expire entries whose duration has ended and open their documents."""
    settings = load_settings()
    catalog = Catalog(settings.catalog_url)
    try:
        decisions = run_expiry(settings, ExemptionRegister(catalog.engine), catalog, _day(today))
    finally:
        catalog.close()
    get_run_logger().info(
        "kedaluwarsa: %d entri", sum(d.action == "kedaluwarsa" for d in decisions)
    )
    _publish(decisions, "exemption-expiry", "Pengecualian yang berakhir hari ini")
    return {"entries": [d.row() for d in decisions]}
