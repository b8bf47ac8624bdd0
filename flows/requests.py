"""The daily deadline check of information requests, as a Prefect flow.

Warns (a warning log line each, and the artifacts) about requests and objections due in
two working days or fewer, and marks requests past their deadline as ``terlambat`` (an
event on the request, once). The work is :func:`flows.app.requests.check_deadlines`.
Artifacts carry request numbers and dates only: the Prefect UI has no sign-in, so no
requester's name or subject goes there.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from archive.catalog import Catalog
from flows.app.requests import DeadlineCheck, check_deadlines, open_register
from flows.app.review import parse_day
from flows.settings import load_settings
from flows.steps import stamped


def _report(check: DeadlineCheck) -> str:
    late = [d for d in check.due if d.overdue]
    lines = [
        f"# Tenggat permohonan informasi {check.day.isoformat()}",
        "",
        f"{len(check.due) - len(late)} segera jatuh tempo, {len(late)} terlambat; "
        f"{len(check.marked)} baru ditandai terlambat.",
        "",
    ]
    for d in check.due:
        state = (
            f"terlambat {-d.working_days_left} hari kerja"
            if d.overdue
            else (f"sisa {d.working_days_left} hari kerja")
        )
        what = f"keberatan #{d.objection.id}" if d.objection else "jawaban"
        lines.append(f"- **{d.request.number}** ({what}): batas {d.deadline.isoformat()}, {state}")
    if check.doubtful_years:
        years = ", ".join(str(y) for y in check.doubtful_years)
        lines += [
            "",
            f"Hari libur tahun {years} masih perkiraan atau belum diisi: "
            "perbarui `hari_libur.toml` dari SKB.",
        ]
    return "\n".join(lines)


def _check(today: str | None) -> DeadlineCheck:
    """The deadline check of the register in the settings, on ``today`` (default: the
    office's today)."""
    settings = load_settings()
    day = parse_day(today, settings.timezone)
    catalog = Catalog(settings.catalog_url)
    try:
        return check_deadlines(open_register(settings, catalog), day)
    finally:
        catalog.close()


def _log(check: DeadlineCheck) -> None:
    """A warning for each request or objection due, one for provisional holidays, a summary."""
    log = get_run_logger()
    for d in check.due:
        what = f"keberatan #{d.objection.id}" if d.objection else "jawaban"
        if d.overdue:
            log.warning(
                "%s: %s terlambat %d hari kerja (batas %s)",
                d.request.number,
                what,
                -d.working_days_left,
                d.deadline.isoformat(),
            )
        else:
            log.warning(
                "%s: %s jatuh tempo dalam %d hari kerja (batas %s)",
                d.request.number,
                what,
                d.working_days_left,
                d.deadline.isoformat(),
            )
    if check.doubtful_years:
        log.warning("hari libur %s masih perkiraan/belum ada", check.doubtful_years)
    log.info(
        "tenggat: %d perlu perhatian, %d baru ditandai terlambat", len(check.due), len(check.marked)
    )


def _publish(check: DeadlineCheck) -> None:
    """The table and the report as the run's artifacts."""
    empty = {"permohonan": "-", "tenggat": "-", "batas": "-", "sisa hari kerja": "-", "status": "-"}
    create_table_artifact(
        check.rows() or [empty],
        key="request-deadlines",
        description="Permohonan informasi yang segera jatuh tempo atau terlambat",
    )
    create_markdown_artifact(
        _report(check),
        key="request-deadlines-report",
        description="Laporan tenggat permohonan informasi",
    )


@flow(name="request-deadlines", flow_run_name=stamped("deadlines"), log_prints=False)
def deadline_flow(today: str | None = None) -> dict[str, Any]:
    """Requests due within two working days, and overdue ones marked (daily)."""
    check = _check(today)
    _log(check)
    _publish(check)
    return {
        "day": check.day.isoformat(),
        "due": check.rows(),
        "marked": [r.number for r in check.marked],
        "doubtful_years": list(check.doubtful_years),
    }
