"""The office's service as ops run it: `arsip start` in a subprocess, nothing started by hand.

The Prefect scheduler itself must create the ingest runs, and one of those scheduled runs
(executed by the service's `serve` runner) must archive a file dropped in the inbox. A
`run_deployment` test would pass with a broken scheduler (shared FACTS.md: SQLAlchemy 2.1
made Prefect's scheduler fail every minute while deployments looked Ready). Then: the CLI
finds the service's server by itself, a second copy is refused, `kill -9` during a run
leaves no process behind, and a restart finishes the work exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from flows import demo
from flows.service.processes import tagged_processes
from tests.browser_support import free_port

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
INTERVAL_S = 3  # test-only ingest interval; the office default is 300


@dataclass
class Service:
    home: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None

    @property
    def info(self) -> dict[str, Any]:
        return json.loads((self.home / ".service.json").read_text())

    def start(self, log_name: str) -> None:
        out = (self.home.parent / log_name).open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "start", "--demo"],
            cwd=REPO,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._written_by_this_start, 180, self.log, log_name)

    def _written_by_this_start(self) -> bool:
        # A killed service leaves its file behind: only this process's own counts.
        try:
            return self.proc is not None and self.info["pid"] == self.proc.pid
        except (OSError, ValueError):
            return False

    def log(self, name: str) -> str:
        return (self.home.parent / name).read_text(errors="replace")[-4000:]

    def arsip(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A CLI command as a person types it: no PREFECT_API_URL, only the data root."""
        env = {k: v for k, v in self.env.items() if k != "PREFECT_API_URL"}
        return subprocess.run(
            [sys.executable, "-m", "flows.cli", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )


def wait_for(ok: Callable[[], Any], seconds: float, log: Callable[[str], str], name: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = ok()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out after {seconds} s; {name}:\n{log(name)}")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    home = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.update(
        ARSIP_HOME=str(home),
        ARSIP_SETTLE_SECONDS="0",
        ARSIP_OCR_WORKERS="2",
        ARSIP_INGEST_EVERY_SECONDS=str(INTERVAL_S),
        ARSIP_PREFECT_PORT=str(free_port()),
        ARSIP_WEB_PORT=str(free_port()),
        # Faster loops than the defaults (scheduler 60 s, runner poll 10 s); the code
        # paths are the production ones.
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
        PREFECT_RUNNER_POLL_FREQUENCY="1",
    )
    svc = Service(home, env)
    yield svc
    if svc.proc is not None and svc.proc.poll() is None:
        svc.proc.send_signal(signal.SIGINT)
        svc.proc.wait(60)


def _runs(api: str) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        ingest = client.read_deployment_by_name("ingest/ingest")
        return [r for r in client.read_flow_runs(limit=200) if r.deployment_id == ingest.id]


def _completed(api: str) -> list[Any]:
    return [r for r in _runs(api) if r.state_name == "Completed" and "1 archived" in r.name]


def _archived(svc: Service) -> list[dict[str, Any]]:
    listed = svc.arsip("list", "--json")
    return json.loads(listed.stdout) if listed.returncode == 0 else []


def test_scheduled_runs_archive_the_inbox_and_survive_kill_9(service: Service) -> None:
    service.start("service-1.log")
    info = service.info
    banner = service.log("service-1.log")
    assert info["web_url"] in banner and info["ui_url"] in banner and "demo / " in banner
    assert httpx.get(f"{info['web_url']}/healthz", timeout=5).status_code == 200

    second = service.arsip("start")
    assert second.returncode == 75 and "already runs on" in second.stderr

    inbox = service.home / "inbox"
    demo.write_text_pdf(demo.sop(), inbox / "sop.pdf")
    first = wait_for(lambda: _archived(service), 120, service.log, "service-1.log")
    assert [d["source_name"] for d in first] == ["sop.pdf"]
    # The document is committed before its run reports Completed and takes its name.
    done = wait_for(lambda: _completed(info["api_url"]), 60, service.log, "service-1.log")
    assert all(r.auto_scheduled for r in done), "archived by a scheduled run"
    upcoming = [r for r in _runs(info["api_url"]) if r.state_name == "Scheduled"]
    assert upcoming, "the scheduler keeps creating upcoming runs"

    _cli_uses_the_service(service, info["api_url"])
    _doctor_sees_the_service(service)
    _kill_9_mid_run_then_restart(service)


def _cli_uses_the_service(service: Service, api: str) -> None:
    ingest = service.arsip("ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert "temporary Prefect server" not in ingest.stderr
    run_id = json.loads(ingest.stdout)["run"]
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        assert str(client.read_flow_run(run_id).id) == run_id  # recorded by the service


def _doctor_sees_the_service(service: Service) -> None:
    doctor = service.arsip("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(doctor.stdout)}
    for name in ("service", "prefect server", "deployments", "schedule: ingest"):
        assert checks[name]["ok"], checks[name]
    assert "upcoming" in checks["schedule: ingest"]["detail"]


def _kill_9_mid_run_then_restart(service: Service) -> None:
    """SIGKILL of the service while a scheduled run OCRs a scan: nothing of it survives,
    and the restarted service archives the scan exactly once."""
    old = service.info
    demo.write_scanned_pdf(demo.long_document(3), service.home / "inbox" / "scan.pdf")

    def running() -> bool:
        return any(r.state_name == "Running" for r in _runs(old["api_url"]))

    wait_for(running, 60, service.log, "service-1.log")
    assert service.proc is not None
    service.proc.kill()
    service.proc.wait(10)
    orphans = tagged_processes(old["service_id"])

    service.start("service-2.log")
    assert not tagged_processes(old["service_id"]), f"left by the killed service: {orphans}"
    new_id = service.info["service_id"]
    assert new_id != old["service_id"]
    inbox = service.home / "inbox"

    def finished() -> list[dict[str, Any]]:
        # A document is in the catalog before its run indexes it and releases the inbox file.
        docs = _archived(service)
        return docs if len(docs) == 2 and not list(inbox.iterdir()) else []

    docs = wait_for(finished, 300, service.log, "service-2.log")
    assert sorted(d["source_name"] for d in docs) == ["scan.pdf", "sop.pdf"]
    verify = service.arsip("verify", "--json")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert service.proc is not None
    service.proc.send_signal(signal.SIGINT)
    assert service.proc.wait(60) == 0
    assert not (service.home / ".service.json").exists()
    assert not tagged_processes(new_id), "Ctrl-C stops every part of the service"
