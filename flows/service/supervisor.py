"""``arsip start``: the office's service on one machine, in one command.

Three children, each its own process, supervised here:

- ``prefect-server``: a standing Prefect server (API, UI, scheduler) whose database lives
  under the data root (``<home>/.prefect``);
- ``flows``: ``arsip serve-flows``, every flow on its schedule (``prefect.serve``; each
  run is a subprocess of it);
- ``web``: ``arsip serve``, the staff web app.

A second service on the same data root is refused (:mod:`flows.service.files`). After a
``kill -9`` nothing is lost: a restart stops what the dead service left running, marks
its in-flight runs Crashed, and the next scheduled ingest takes the inbox files, which
stay in the inbox until their archived copy is verified.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from subprocess import Popen

from flows.service import processes
from flows.service.connection import NO_TELEMETRY, prefect_home
from flows.service.files import (
    ServiceInfo,
    read_service_file,
    service_file,
    service_lock,
    write_service_file,
)
from flows.settings import Settings

STARTUP_TIMEOUT_S = 180.0
# A child that keeps dying is a broken installation, not a hiccup: give up loudly.
MAX_RESTARTS, RESTART_WINDOW_S = 5, 600.0

Say = Callable[[str], None]


@dataclass(frozen=True)
class ServiceOptions:
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    demo_password: str | None = None  # shown once in the banner


@dataclass
class Child:
    name: str
    cmd: list[str]
    env: dict[str, str]
    log: Path
    health_url: str | None = None
    proc: Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self) -> None:
        self.proc = processes.spawn(self.cmd, self.env, self.log)

    def wait_healthy(self) -> None:
        if self.health_url and self.proc:
            describe = lambda: f"{self.name}; log {self.log}:\n{processes.tail(self.log)}"  # noqa: E731
            processes.wait_until_healthy(self.health_url, STARTUP_TIMEOUT_S, self.proc, describe)


class ServiceFailed(Exception):
    """A part of the service could not start or keeps dying; the message says which."""


def run_service(settings: Settings, options: ServiceOptions, say: Say) -> int:
    """Start everything, print where it is, supervise until Ctrl-C / SIGTERM."""
    home = settings.home.resolve()
    with service_lock(home):
        _stop_leftovers(home, say)
        service_id = uuid.uuid4().hex
        env = child_environment(settings, service_id)
        children = _children(settings, options, env)
        stopping = _stop_on_signals()
        try:
            _start_all(children, settings, say)
            info = _info(settings, options, service_id, children)
            write_service_file(home, info)
            say(banner(info, options))

            def restarted() -> None:  # the file names each child's pid, for `arsip doctor`
                write_service_file(home, _info(settings, options, service_id, children))

            return _supervise(children, stopping, say, restarted)
        finally:
            for child in reversed(children):
                if child.proc is not None:
                    processes.stop(child.proc)
            service_file(home).unlink(missing_ok=True)


def child_environment(settings: Settings, service_id: str) -> dict[str, str]:
    api = api_url(settings)
    return {
        **os.environ,
        processes.TAG_VARIABLE: service_id,
        "ARSIP_HOME": str(settings.home.resolve()),
        "PREFECT_HOME": str(prefect_home(settings)),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_UI_API_URL": api,
        **NO_TELEMETRY,
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    }


def api_url(settings: Settings) -> str:
    return f"http://{settings.prefect_host}:{settings.prefect_port}/api"


def _children(settings: Settings, options: ServiceOptions, env: dict[str, str]) -> list[Child]:
    logs = settings.home.resolve() / "logs"
    prefect = [sys.executable, "-m", "prefect", "server", "start"]
    prefect += ["--host", settings.prefect_host, "--port", str(settings.prefect_port)]
    arsip = [sys.executable, "-m", "flows.cli"]
    web = [*arsip, "serve", "--host", options.web_host, "--port", str(options.web_port)]
    return [
        Child(
            "prefect-server",
            prefect,
            env,
            logs / "prefect-server.log",
            f"{api_url(settings)}/health",
        ),
        Child("flows", [*arsip, "serve-flows"], env, logs / "flows.log"),
        Child("web", web, env, logs / "web.log", f"{_web_url(options)}/healthz"),
    ]


def _start_all(children: Sequence[Child], settings: Settings, say: Say) -> None:
    server, *rest = children
    say(f"starting the Prefect server on {settings.prefect_host}:{settings.prefect_port} ...")
    server.start()
    server.wait_healthy()
    _settle_previous_runs(settings, say)
    for child in rest:
        child.start()
    for child in rest:
        child.wait_healthy()


def _settle_previous_runs(settings: Settings, say: Say) -> None:
    # This process talks to its own server too: set before Prefect is first imported.
    os.environ.update(
        PREFECT_HOME=str(prefect_home(settings)),
        PREFECT_API_URL=api_url(settings),
        **NO_TELEMETRY,
    )
    from flows.service.api import settle_after_restart

    crashed, cancelled = settle_after_restart(timedelta(seconds=settings.ingest_every_seconds))
    if crashed or cancelled:
        say(f"previous service: {crashed} run(s) marked crashed, {cancelled} missed cancelled")


def _stop_leftovers(home: Path, say: Say) -> None:
    """Processes an earlier, killed service left behind (they hold ports and locks)."""
    previous = read_service_file(home)
    if previous is None:
        return
    count = processes.kill_tagged(previous.service_id)
    if count:
        say(f"stopped {count} process(es) left by the previous service (pid {previous.pid})")


def _stop_on_signals() -> threading.Event:
    stopping = threading.Event()

    def handler(_signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    return stopping


def _supervise(
    children: Sequence[Child], stopping: threading.Event, say: Say, restarted: Callable[[], None]
) -> int:
    while not stopping.wait(1.0):
        for child in children:
            if child.proc is not None and child.proc.poll() is not None:
                _restart(child, say)
                restarted()
    say("stopping the Arsip service ...")
    return 0


def _restart(child: Child, say: Say) -> None:
    code = child.proc.returncode if child.proc else None
    now = time.monotonic()
    child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW_S] + [now]
    if len(child.restarts) > MAX_RESTARTS:
        raise ServiceFailed(
            f"{child.name} exited {MAX_RESTARTS + 1} times in {RESTART_WINDOW_S / 60:.0f} min "
            f"(last code {code}); log {child.log}:\n{processes.tail(child.log)}"
        )
    say(f"{child.name} exited with code {code}; restarting it (log {child.log})")
    child.start()


def _web_url(options: ServiceOptions) -> str:
    host = "127.0.0.1" if options.web_host in ("0.0.0.0", "::") else options.web_host  # noqa: S104
    return f"http://{host}:{options.web_port}"


def _info(
    settings: Settings, options: ServiceOptions, service_id: str, children: Sequence[Child]
) -> ServiceInfo:
    return ServiceInfo(
        service_id=service_id,
        pid=os.getpid(),
        home=str(settings.home.resolve()),
        api_url=api_url(settings),
        ui_url=api_url(settings).removesuffix("/api"),
        web_url=_web_url(options),
        started_at=datetime.now(UTC).isoformat(),
        children={c.name: c.proc.pid for c in children if c.proc is not None},
    )


def banner(info: ServiceInfo, options: ServiceOptions) -> str:
    lines = [
        f"Arsip PPID service on {info.home}",
        f"  web app    {info.web_url}",
        f"  Prefect UI {info.ui_url}   (no sign-in: keep it on this machine)",
        f"  inbox      {Path(info.home) / 'inbox'}",
        f"  logs       {Path(info.home) / 'logs'}",
    ]
    if options.demo_password:
        lines.append(f"  demo account: demo / {options.demo_password} (role ppid)")
    lines.append("Ctrl-C stops it.")
    return "\n".join(lines)
