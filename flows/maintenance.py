"""Maintenance flows: nightly verify (fixity) and reindex, with artifacts for the Prefect UI.

Both queue behind a running ingest on the data root's lock: mid-ingest, a directory that
is filed but not yet in the catalog (or committed but not yet indexed) would be reported
as a problem that is only in flight.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from archive.catalog import Catalog
from archive.fixity import FixityReport, Problem, verify_archive
from archive.store import ArchiveLayout
from flows.app import indexing
from flows.app.inbox import data_root_lock, run_lock
from flows.app.verify import (
    BACKLOG_WARN_DAYS,
    Quarantined,
    index_check,
    quarantine_backlog,
    stray_files,
)
from flows.settings import load_settings
from flows.steps import stamped

# How long a maintenance run waits for a running ingest to release the data root.
LOCK_WAIT_SECONDS = 30 * 60


class VerifyFailed(Exception):
    """The archive, catalog and index disagree: the run must end red in the UI."""


@task(
    name="fixity", task_run_name="fixity: re-hash archive against manifests", cache_policy=NO_CACHE
)
def fixity_task(layout: ArchiveLayout, catalog: Catalog) -> FixityReport:
    report = verify_archive(layout, catalog)
    stray = stray_files(layout)
    return FixityReport(report.checked, report.problems + tuple(stray))


@task(name="index-consistency", task_run_name="catalog vs index", cache_policy=NO_CACHE)
def index_task(layout: ArchiveLayout, catalog: Catalog) -> list[Problem]:
    return index_check(layout, catalog)


@task(name="quarantine-backlog", task_run_name="quarantine backlog", cache_policy=NO_CACHE)
def backlog_task(layout: ArchiveLayout) -> list[Quarantined]:
    return quarantine_backlog(layout)


@flow(name="verify", flow_run_name=stamped("verify"), log_prints=False)
def verify_flow() -> dict[str, Any]:
    """Nightly: fixity of every archived file, catalog vs index, orphans, quarantine backlog.

    Fails (red in the UI) when anything disagrees; the artifacts say what and where.
    """
    settings = load_settings()
    layout = settings.layout
    with run_lock(data_root_lock(layout.home), wait_seconds=LOCK_WAIT_SECONDS):
        catalog = Catalog(settings.catalog_url)
        try:
            fixity = fixity_task(layout, catalog)
            index = index_task(layout, catalog)
        finally:
            catalog.close()
    backlog = backlog_task(layout)
    report = FixityReport(fixity.checked, fixity.problems + tuple(index))
    publish_verify_artifacts(report, len(fixity.problems), len(index), backlog)
    result = {**report.to_json(), "quarantine_backlog": len(backlog)}
    if report.problems:
        kinds = sorted({p.kind for p in report.problems})
        raise VerifyFailed(f"{len(report.problems)} problem(s): {', '.join(kinds)}")
    get_run_logger().info("verified %d archived files: no problems", report.checked)
    return result


def publish_verify_artifacts(
    report: FixityReport, fixity_count: int, index_count: int, backlog: Sequence[Quarantined]
) -> None:
    oldest = f"{backlog[0].age_days:.1f} days" if backlog else "-"
    rows = [
        {"check": "fixity (files re-hashed)", "checked": report.checked, "problems": fixity_count},
        {"check": "catalog vs index", "checked": "", "problems": index_count},
        {"check": f"quarantine backlog (oldest {oldest})", "checked": len(backlog), "problems": 0},
    ]
    create_table_artifact(rows, key="verify-summary", description="Verify: checks and counts")
    create_markdown_artifact(
        verify_markdown(report, backlog), key="verify-report", description="Verify report"
    )


def verify_markdown(report: FixityReport, backlog: Sequence[Quarantined]) -> str:
    lines = [f"# Verify: {report.checked} files re-hashed, {len(report.problems)} problem(s)", ""]
    if report.problems:
        lines += [
            f"- **{p.kind}** `{p.path}`"
            + (f" (document {p.id})" if p.id else "")
            + f" — {_one_line(p.detail)}"
            for p in report.problems
        ]
        lines += [
            "",
            "Nothing was changed. `arsip reindex` repairs index problems; a corrupt or "
            "missing archived file needs its backup copy.",
        ]
    else:
        lines.append("Archive, manifests, catalog and index agree.")
    lines += ["", f"## Quarantine backlog: {len(backlog)} file(s)", ""]
    for q in backlog[:50]:
        stale = " **(waiting too long)**" if q.age_days > BACKLOG_WARN_DAYS else ""
        where = q.reason_file
        link = f" — reason: [{where}]({where.as_uri()})" if where else ""
        lines.append(
            f"- `{q.name}`: {q.code}: {_one_line(q.detail)} ({q.age_days:.1f} days){stale}{link}"
        )
    if len(backlog) > 50:
        lines.append(f"- … and {len(backlog) - 50} more")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


@flow(name="reindex", flow_run_name=stamped("reindex"), log_prints=False)
def reindex_flow() -> dict[str, Any]:
    """Rebuild the search index from catalog + archived text (no OCR), like `arsip reindex`."""
    settings = load_settings()
    layout = settings.layout
    with run_lock(data_root_lock(layout.home), wait_seconds=LOCK_WAIT_SECONDS):
        catalog = Catalog(settings.catalog_url)
        try:
            count = indexing.reindex(layout, catalog)
        finally:
            catalog.close()
    create_markdown_artifact(
        f"# Reindex\n\n{count} document(s) indexed from the catalog and archived text.",
        key="reindex-report",
        description="Reindex report",
    )
    return {"indexed": count}
