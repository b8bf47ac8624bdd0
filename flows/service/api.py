"""What the service and ``arsip doctor`` ask the Prefect server (sync client, plain records).

Imported only by commands that talk to a server: Prefect costs ~2 s to import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterTags,
    FlowRunFilter,
    FlowRunFilterDeploymentId,
    FlowRunFilterExpectedStartTime,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.responses import DeploymentResponse as Deployment
from prefect.client.schemas.sorting import FlowRunSort
from prefect.states import Cancelled, Crashed

# Every deployment of ours carries this tag (flows/deploy.py, prefect.yaml).
TAG = "arsip"
IN_FLIGHT = [StateType.RUNNING, StateType.PENDING, StateType.CANCELLING]


@dataclass(frozen=True)
class DeploymentState:
    name: str
    ready: bool
    upcoming: int  # scheduled runs not yet started
    next_run: datetime | None
    last_state: str | None  # state name of the latest finished run
    last_at: datetime | None
    last_message: str | None


def server_answers(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def _client() -> SyncPrefectClient:
    return get_client(sync_client=True)


def our_deployments(client: SyncPrefectClient) -> list[Deployment]:
    flt = DeploymentFilter(tags=DeploymentFilterTags(all_=[TAG]))
    return list(client.read_deployments(deployment_filter=flt))


def _runs(
    client: SyncPrefectClient,
    deployments: Sequence[Deployment],
    states: Sequence[StateType],
    before: datetime | None = None,
    sort: FlowRunSort | None = None,
    limit: int | None = None,
) -> list[FlowRun]:
    if not deployments:
        return []
    flt = FlowRunFilter(
        deployment_id=FlowRunFilterDeploymentId(any_=[d.id for d in deployments]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=list(states))),
    )
    if before is not None:
        # pydantic validates the datetime into Prefect's DateTime type.
        flt.expected_start_time = FlowRunFilterExpectedStartTime(before_=before)  # type: ignore[arg-type]
    return list(client.read_flow_runs(flow_run_filter=flt, sort=sort, limit=limit))


def settle_after_restart(missed_before: timedelta) -> tuple[int, int]:
    """After a service died: its in-flight runs are marked Crashed (which frees their
    deployment's concurrency slot), and scheduled runs missed by more than
    ``missed_before`` are cancelled (one catch-up run, not a burst of stale ones).

    Only deployment runs: a run started from the CLI has no deployment and may be live.
    """
    note = "the Arsip service stopped while this run was in flight; the restarted service"
    with _client() as client:
        deployments = our_deployments(client)
        crashed = _runs(client, deployments, IN_FLIGHT)
        for run in crashed:
            client.set_flow_run_state(run.id, Crashed(message=f"{note} re-runs ingest"))
        cutoff = datetime.now(UTC) - missed_before
        stale = _runs(client, deployments, [StateType.SCHEDULED], before=cutoff)
        for run in stale:
            client.set_flow_run_state(
                run.id, Cancelled(message="missed while the service was down")
            )
    return len(crashed), len(stale)


def deployment_states() -> list[DeploymentState]:
    """For ``arsip doctor``: each deployment, its upcoming runs and its last result."""
    with _client() as client:
        return [_state_of(client, d) for d in our_deployments(client)]


def _state_of(client: SyncPrefectClient, deployment: Deployment) -> DeploymentState:
    upcoming = _runs(
        client, [deployment], [StateType.SCHEDULED], sort=FlowRunSort.EXPECTED_START_TIME_ASC
    )
    finished = [StateType.COMPLETED, StateType.FAILED, StateType.CRASHED]
    last = _runs(client, [deployment], finished, sort=FlowRunSort.END_TIME_DESC, limit=1)
    status: Any = getattr(deployment, "status", None)
    return DeploymentState(
        name=deployment.name,
        ready=str(getattr(status, "value", status)).upper() == "READY",
        upcoming=len(upcoming),
        next_run=upcoming[0].expected_start_time if upcoming else None,
        last_state=last[0].state_name if last else None,
        last_at=last[0].end_time if last else None,
        last_message=last[0].state.message if last and last[0].state else None,
    )
