"""Registering the flows with a Prefect server (`arsip deploy`) or serving them in one
process (`arsip serve-flows`).

``prefect.yaml`` is what `arsip deploy` registers (it runs ``prefect deploy``, the
documented path); :data:`PLANS` is the same schedule table for ``prefect.serve``. A test
keeps the two in step.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
POOL = "arsip"
TIMEZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class Plan:
    name: str
    entrypoint: str
    description: str
    interval: int | None = None  # seconds
    cron: str | None = None
    concurrency_limit: int | None = None


PLANS: tuple[Plan, ...] = (
    Plan("ingest", "flows/ingest.py:ingest_flow", "Inbox to archive", 300, None, 1),
    Plan("verify", "flows/maintenance.py:verify_flow", "Nightly fixity", None, "30 1 * * *", 1),
    Plan("reindex", "flows/maintenance.py:reindex_flow", "Rebuild the index", concurrency_limit=1),
    Plan("review", "flows/exemptions.py:review_flow", "Semiannual review", None, "0 6 1 1,7 *"),
    Plan("expiry", "flows/exemptions.py:expiry_flow", "Exemption expiry", None, "0 5 * * *"),
    Plan("publish", "flows/exemptions.py:publish_flow", "Publish the public DIK"),
    Plan("deadlines", "flows/requests.py:deadline_flow", "Request deadlines", None, "0 7 * * *"),
)


class DeployError(Exception):
    """No server to deploy to, or ``prefect deploy`` failed; the message says what to do."""


def api_url() -> str:
    """The server's API URL, checked to answer; a clear error instead of a 30 s timeout."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise DeployError(
            "PREFECT_API_URL is not set: start `prefect server start` and "
            "export PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        raise DeployError(f"no Prefect server answers at {url}: {exc}") from exc
    return str(url)


async def _ensure_pool(name: str) -> bool:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    async with get_client() as client:
        try:
            await client.read_work_pool(name)
            return False
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            pool = WorkPoolCreate(name=name, type="process", base_job_template=template)
            await client.create_work_pool(pool)
            return True


def ensure_work_pool(name: str = POOL) -> bool:
    """Create the process work pool unless it exists (True when created)."""
    return asyncio.run(_ensure_pool(name))


def _prefect_command() -> list[str]:
    beside = Path(sys.executable).with_name("prefect")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("prefect")
    return [found] if found else [sys.executable, "-m", "prefect"]


def deploy(names: Sequence[str] = (), pool: str = POOL) -> list[str]:
    """Register ``names`` (default: all) from prefect.yaml; returns the names deployed."""
    url = api_url()
    ensure_work_pool(pool)
    chosen = list(names) or [p.name for p in PLANS]
    selection = ["--all"] if not names else [arg for n in names for arg in ("--name", n)]
    # prefect.yaml's pull step records {{ $PWD }}: it must be the repository.
    env = {**os.environ, "PREFECT_API_URL": url, "PWD": str(REPO)}
    proc = subprocess.run(
        [*_prefect_command(), "--no-prompt", "deploy", *selection],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
        raise DeployError("prefect deploy failed:\n" + "\n".join(tail))
    return chosen


def runner_deployments(
    plans: Sequence[Plan] = PLANS, ingest_every: int | None = None, first_run_in: float = 15.0
) -> tuple[list[Any], list[str]]:
    """``RunnerDeployment`` objects for ``prefect.serve``, and the plans that could not load
    (a flow module another change has not landed yet must not stop the others).

    Interval schedules are anchored ``first_run_in`` seconds from now: a (re)started
    service takes what arrived in the inbox while it was down without waiting a full
    interval, and that first run is a scheduled one like every other.
    """
    from prefect.flows import load_flow_from_entrypoint
    from prefect.schedules import Cron, Interval

    anchor = datetime.now(UTC) + timedelta(seconds=first_run_in)

    deployments: list[Any] = []
    skipped: list[str] = []
    for plan in plans:
        try:
            flow: Any = load_flow_from_entrypoint(str(REPO / plan.entrypoint))
        except Exception as exc:  # missing module or attribute: report and go on
            skipped.append(f"{plan.name} ({type(exc).__name__}: {exc})")
            continue
        schedules: list[Any] = []
        if plan.interval:
            every = ingest_every if ingest_every and plan.name == "ingest" else plan.interval
            schedules.append(Interval(every, anchor_date=anchor))
        if plan.cron:
            schedules.append(Cron(plan.cron, timezone=TIMEZONE))
        deployments.append(
            flow.to_deployment(
                name=plan.name,
                schedules=schedules or None,
                concurrency_limit=plan.concurrency_limit,
                description=plan.description,
                tags=["arsip", plan.name],
            )
        )
    return deployments, skipped


def serve_flows(plans: Sequence[Plan] = PLANS, ingest_every: int | None = None) -> None:
    """One process runs every schedule (no work pool, no worker); blocks until stopped."""
    from prefect import serve

    deployments, skipped = runner_deployments(plans, ingest_every)
    for line in skipped:
        print(f"arsip: not serving {line}", file=sys.stderr)
    if not deployments:
        raise DeployError("no flow could be loaded")
    serve(*deployments)
