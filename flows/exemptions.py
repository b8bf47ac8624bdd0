"""Prefect flows of the exemption register: semiannual review, daily expiry, publication
of the public list. The work is in :mod:`flows.app.review` and :mod:`flows.app.publish`;
each flow acts as a named system actor and leaves artifacts, so ops can see in the
Prefect UI what each run decided.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.context import FlowRunContext

from archive.catalog import Catalog
from archive.exemptions import COLUMNS
from flows.app.publish import current_rows, publish_dik
from flows.app.review import Decision, open_register, parse_day, run_expiry, run_review
from flows.settings import load_settings
from flows.steps import stamped


def _via() -> str:
    ctx = FlowRunContext.get()
    return f"flow run {ctx.flow_run.id}" if ctx and ctx.flow_run else "tanpa Prefect"


def _publish(decisions: list[Decision], key: str, description: str) -> None:
    rows = [d.row() for d in decisions] or [{"entri": "-", "tindakan": "tidak ada"}]
    create_table_artifact(rows, key=key, description=description)


@flow(name="exemption-review", flow_run_name=stamped("review"), log_prints=False)
def review_flow(today: str | None = None) -> dict[str, Any]:
    """Entries due for their (semiannual) review go into ``tinjauan``; lists what is due."""
    settings = load_settings()
    catalog = Catalog(settings.catalog_url)
    try:
        day = parse_day(today, settings.timezone)
        decisions = run_review(open_register(settings, catalog), day, _via())
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
        decisions = run_expiry(
            settings,
            open_register(settings, catalog),
            catalog,
            parse_day(today, settings.timezone),
            _via(),
        )
    finally:
        catalog.close()
    get_run_logger().info(
        "kedaluwarsa: %d entri", sum(d.action == "kedaluwarsa" for d in decisions)
    )
    _publish(decisions, "exemption-expiry", "Pengecualian yang berakhir hari ini")
    return {"entries": [d.row() for d in decisions]}


@flow(name="publish-dik", flow_run_name=stamped("publish"), log_prints=False)
def publish_flow(out: str | None = None) -> dict[str, Any]:
    """Write the public DIK files (default ``<home>/publik/``) for the official website."""
    settings = load_settings()
    published = publish_dik(settings, Path(out) if out else None)
    get_run_logger().info("DIK: %d entri ditulis ke %s", published.rows, published.directory)
    create_table_artifact(
        [row.to_json() for row in current_rows(settings)] or [dict.fromkeys(COLUMNS, "")],
        key="dik",
        description="Daftar Informasi yang Dikecualikan yang dipublikasikan",
    )
    files = "\n".join(f"- `{p}`" for p in published.files)
    create_markdown_artifact(
        f"# DIK diterbitkan\n\n{published.rows} entri.\n\n{files}\n",
        key="dik-files",
        description="Berkas DIK untuk situs resmi",
    )
    return published.to_json()
