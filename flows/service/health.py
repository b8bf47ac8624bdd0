"""``arsip doctor``, the service's half: is the office's service up and doing its work?"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from flows.app.doctor import Check
from flows.deploy import PLANS
from flows.service.connection import base_environment
from flows.service.files import running_service
from flows.settings import Settings

if TYPE_CHECKING:  # the module imports Prefect: only once its environment is set
    from flows.service.api import DeploymentState


def service_checks(settings: Settings) -> list[Check]:
    """Is the office's service up and doing its scheduled work?"""
    info = running_service(settings.home)
    if info is None:
        detail = f"not running on {settings.home.resolve()}: start it with `arsip start`"
        return [Check("service", False, detail)]
    alive = {name: _alive(pid) for name, pid in info.children.items()}
    dead = [name for name, ok in alive.items() if not ok]
    checks = [
        Check(
            "service",
            not dead,
            f"pid {info.pid}, web {info.web_url}, UI {info.ui_url}"
            + (f"; not running: {', '.join(dead)}" if dead else ""),
        )
    ]
    base_environment(settings)
    os.environ.setdefault("PREFECT_API_URL", info.api_url)
    from flows.service.api import deployment_states, server_answers  # imports Prefect

    if not server_answers(info.api_url):
        return [*checks, Check("prefect server", False, f"no answer at {info.api_url}")]
    states = {d.name: d for d in deployment_states()}
    return [*checks, Check("prefect server", True, info.api_url), *_schedule_checks(states)]


def _schedule_checks(states: Mapping[str, DeploymentState]) -> list[Check]:
    missing = [p.name for p in PLANS if p.name not in states]
    checks = [
        Check(
            "deployments",
            not missing,
            ", ".join(sorted(states)) + (f"; missing {', '.join(missing)}" if missing else ""),
        )
    ]
    for plan in PLANS:
        state = states.get(plan.name)
        if state is None or not (plan.interval or plan.cron):
            continue
        ok = state.ready and state.upcoming > 0
        nxt = f"next {state.next_run:%Y-%m-%d %H:%M} UTC" if state.next_run else "none upcoming"
        ready = "runner polling" if state.ready else "no runner polls it"
        checks.append(
            Check(f"schedule: {plan.name}", ok, f"{state.upcoming} upcoming, {nxt}, {ready}")
        )
    return [*checks, _last_verify(states.get("verify"))]


def _last_verify(state: DeploymentState | None) -> Check:
    if state is None or state.last_state is None:
        return Check("last verify", True, "no verify run yet (nightly at 01:30)")
    when = f"{state.last_at:%Y-%m-%d %H:%M} UTC" if state.last_at else "?"
    ok = state.last_state == "Completed"
    detail = f"{state.last_state} at {when}" + (f": {state.last_message}" if not ok else "")
    return Check("last verify", ok, detail)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
