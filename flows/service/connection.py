"""Which Prefect server a command talks to, decided before Prefect is imported.

1. ``PREFECT_API_URL`` set by the operator: that server (scale-out, shared server).
2. The Arsip service running on this data root (``arsip start``): its server, found
   through the service file, so no variable has to be exported.
3. Neither: a temporary server for this one command, started here rather than by Prefect
   so that it dies with the command (even after ``kill -9``) and gets a start-up timeout
   long enough for a loaded machine (Prefect's own 20 s failed 3 of 14 runs at load 4-7).
   Its database lives in the data root's ``.prefect``; a fresh one starts as a copy of an
   already migrated empty database, so only the machine's first run pays for migrations.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from flows.service import processes
from flows.service.files import running_service
from flows.settings import Settings

TEMPORARY_STARTUP_TIMEOUT_S = 180.0
# Prefect's server analytics, and its SDK's telemetry sent from an interactive terminal:
# an office archive does not report its use to a third party (most offices' machines
# cannot). Every command and every process of the service runs with these.
NO_TELEMETRY = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}


@dataclass
class Connection:
    api_url: str
    kind: str  # "configured" | "service" | "temporary"
    ready: Callable[[], None] = lambda: None  # blocks until the server answers

    def wait_ready(self) -> None:
        self.ready()


def prefect_home(settings: Settings) -> Path:
    return settings.home.resolve() / ".prefect"


def base_environment(settings: Settings, verbose: bool = False) -> None:
    """Prefect reads these at import: they must be set before the first ``import prefect``."""
    os.environ.setdefault("PREFECT_HOME", str(prefect_home(settings)))
    for name, value in NO_TELEMETRY.items():
        os.environ.setdefault(name, value)
    if not verbose:
        # Console only: the Prefect UI still receives every INFO log of the run.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


@contextmanager
def connected(settings: Settings, verbose: bool = False) -> Iterator[Connection]:
    """The environment for a command that runs flows, for as long as it runs.

    Prefect is not imported here. With a temporary server, the caller imports what it
    needs *while* the server starts (two processes, two cores), then calls
    :meth:`Connection.wait_ready`.
    """
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
        "temporary Prefect server (no UI); `arsip start` runs the office's service",
        file=sys.stderr,
    )
    with temporary_server(settings) as connection:
        os.environ["PREFECT_API_URL"] = connection.api_url
        try:
            yield connection
        finally:
            del os.environ["PREFECT_API_URL"]


@contextmanager
def temporary_server(settings: Settings) -> Iterator[Connection]:
    """Prefect's API (no UI, no background services) on a free loopback port."""
    port = free_port()
    home = prefect_home(settings)
    database = _seed_database(home)
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",  # Prefect's own marker: no background services
        "PREFECT__SERVER_FINAL": "1",
    }
    if database == "seeded":  # at Prefect's head revision, its block types registered
        env |= {"PREFECT_API_DATABASE_MIGRATE_ON_START": "false"}
        env |= {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false"}
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error"]
    log = home / "temporary-server.log"
    proc = processes.spawn(cmd, env, log)
    url = f"http://127.0.0.1:{port}/api"

    def ready() -> None:
        describe = lambda: processes.tail(log)  # noqa: E731
        processes.wait_until_healthy(f"{url}/health", TEMPORARY_STARTUP_TIMEOUT_S, proc, describe)
        if database == "fresh":
            _keep_template(home)

    try:
        yield Connection(url, "temporary", ready)
    finally:
        processes.stop(proc, timeout=10)


def _template() -> Path:
    """A migrated, empty Prefect database for this Prefect version, per machine user."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "arsip"
    return cache / f"prefect-{version('prefect')}.db"


def _seed_database(home: Path) -> str:
    """A data root's first temporary server would spend ~4 s of CPU on Prefect's
    migrations and block registration; a copy of an already migrated empty database
    skips both. "existing", "seeded" (from the template) or "fresh" (no template yet:
    this server migrates, and its database becomes the template)."""
    db = home / "prefect.db"
    if db.exists():
        return "existing"
    home.mkdir(parents=True, exist_ok=True)
    if _template().is_file():
        shutil.copyfile(_template(), db)
        return "seeded"
    return "fresh"


def _keep_template(home: Path) -> None:
    """Snapshot the just-migrated database (SQLite's backup API: consistent while the
    server holds it open) before any run is recorded in it."""
    target = _template()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with sqlite3.connect(home / "prefect.db") as src, sqlite3.connect(tmp) as dst:
            src.backup(dst)
        tmp.replace(target)
    except (OSError, sqlite3.Error):
        return  # only an optimisation: the next fresh data root migrates again


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
