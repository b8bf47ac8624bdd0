"""Which Prefect server a command talks to, decided before Prefect is imported.

1. ``PREFECT_API_URL`` set by the operator: that server (scale-out, shared server).
2. The Arsip service running on this data root (``arsip start``): its server, found
   through the service file, so no variable has to be exported.
3. Neither: a temporary server for this one command, started here rather than by Prefect
   so that it dies with the command (even after ``kill -9``) and gets a start-up timeout
   long enough for a loaded machine (Prefect's own 20 s failed 3 of 14 runs at load 4-7).
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flows.service import processes
from flows.service.files import running_service
from flows.settings import Settings

TEMPORARY_STARTUP_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Connection:
    api_url: str
    kind: str  # "configured" | "service" | "temporary"


def prefect_home(settings: Settings) -> Path:
    return settings.home.resolve() / ".prefect"


def base_environment(settings: Settings, verbose: bool = False) -> None:
    """Prefect reads these at import: they must be set before the first ``import prefect``."""
    os.environ.setdefault("PREFECT_HOME", str(prefect_home(settings)))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not verbose:
        # Console only: the Prefect UI still receives every INFO log of the run.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


@contextmanager
def connected(settings: Settings, verbose: bool = False) -> Iterator[Connection]:
    """The environment for a command that runs flows, for as long as it runs."""
    base_environment(settings, verbose)
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield Connection(configured, "configured")
        return
    service = running_service(settings.home)
    if service is not None:
        os.environ["PREFECT_API_URL"] = service.api_url
        yield Connection(service.api_url, "service")
        return
    print(
        f"arsip: no Arsip service runs on {settings.home.resolve()}: this command starts a "
        "temporary Prefect server (no UI, ~10 s); `arsip start` runs the office's service",
        file=sys.stderr,
    )
    with temporary_server(settings) as url:
        os.environ["PREFECT_API_URL"] = url
        try:
            yield Connection(url, "temporary")
        finally:
            del os.environ["PREFECT_API_URL"]


@contextmanager
def temporary_server(settings: Settings) -> Iterator[str]:
    """Prefect's API (no UI, no background services) on a free loopback port."""
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",  # Prefect's own marker: no background services
        "PREFECT__SERVER_FINAL": "1",
    }
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error"]
    log = prefect_home(settings) / "temporary-server.log"
    proc = processes.spawn(cmd, env, log)
    try:
        processes.wait_until_healthy(
            f"http://127.0.0.1:{port}/api/health",
            TEMPORARY_STARTUP_TIMEOUT_S,
            proc,
            lambda: processes.tail(log),
        )
        yield f"http://127.0.0.1:{port}/api"
    finally:
        processes.stop(proc, timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
