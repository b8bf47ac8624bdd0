"""Ops end to end: a real `prefect server start`, `arsip deploy`, a process worker, ingest and
verify triggered by deployment name, states and artifacts read back through the client,
and a screenshot of the ingest run's page in the Prefect UI (Debian's chromium)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from flows import demo
from tests.browser_support import CHROMIUM, free_port
from tests.ops.conftest import run_artifacts

pytestmark = [pytest.mark.slow, pytest.mark.browser]
REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCREENSHOT = REPO / "test-artifacts" / "prefect-ui-ingest-run.png"
REPORT_SHOT = REPO / "test-artifacts" / "prefect-ui-ingest-report.png"


def _env(prefect_home: Path, api: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.update(
        PATH=f"{BIN}:{env.get('PATH', '')}",
        PREFECT_HOME=str(prefect_home),
        PREFECT_API_URL=api,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        **extra,
    )
    return env


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(15)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`prefect server start` on a free port with its own home; the scheduler is off so
    the ingest schedule cannot start a run of its own in the middle of the test."""
    root = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = _env(
        root / "home",
        api,
        PREFECT_SERVER_UI_API_URL=api,
        PREFECT_UI_API_URL=api,
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
    )
    cmd = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    proc = _start(cmd, env, root / "server.log")
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert proc.poll() is None, (root / "server.log").read_text()
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("prefect server did not answer /api/health in 90 s")
        yield api, root
    finally:
        _stop(proc)


def _inbox(home: Path) -> None:
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    demo.write_text_pdf(demo.sop(), inbox / "sop.pdf")
    demo.write_image(demo.surat(), inbox / "surat.png", seed=5)
    demo.write_random(inbox / "acak.bin")  # quarantined: unsupported_type


def _run(api: str, name: str) -> Any:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        return run_deployment(name, timeout=150, poll_interval=1)


def _read(api: str, flow_run_id: Any) -> tuple[dict[str, Any], list[str], Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def task_names() -> list[str]:
        async with get_client() as client:
            flt = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            return sorted(t.name for t in await client.read_task_runs(flow_run_filter=flt))

    async def deployments() -> Any:
        async with get_client() as client:
            return await client.read_deployments()

    with temporary_settings({PREFECT_API_URL: api}):
        return run_artifacts(flow_run_id), asyncio.run(task_names()), asyncio.run(deployments())


def test_deploy_trigger_by_name_read_back_and_screenshot(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    api, root = server
    home = tmp_path / "data"
    _inbox(home)
    deploy = subprocess.run(
        [sys.executable, "-m", "flows.cli", "deploy", "--name", "ingest", "--name", "verify"],
        cwd=REPO,
        env=_env(root / "cli-home", api, ARSIP_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert deploy.returncode == 0, deploy.stderr + deploy.stdout
    worker_env = _env(
        root / "worker-home",
        api,
        ARSIP_HOME=str(home),
        ARSIP_SETTLE_SECONDS="0",
        ARSIP_OCR_WORKERS="2",
        PREFECT_WORKER_QUERY_SECONDS="1",
    )
    cmd = [str(BIN / "prefect"), "--no-prompt", "worker", "start", "--pool", "arsip"]
    worker = _start([*cmd, "--type", "process"], worker_env, tmp_path / "worker.log")
    try:
        ingest = _run(api, "ingest/ingest")
        assert ingest.state.is_completed(), (tmp_path / "worker.log").read_text()[-4000:]
        verify = _run(api, "verify/verify")
        assert verify.state.is_completed(), (tmp_path / "worker.log").read_text()[-4000:]
    finally:
        _stop(worker)
    _check_ingest(api, ingest, home)
    verify_artifacts, _tasks, _deps = _read(api, verify.id)
    assert {"verify-summary", "verify-report"} <= set(verify_artifacts)
    assert "Archive, manifests, catalog and index agree" in verify_artifacts["verify-report"].data
    _screenshot(api, ingest)


def _check_ingest(api: str, run: Any, home: Path) -> None:
    artifacts, task_names, deployments = _read(api, run.id)
    assert run.name.startswith("ingest · ")
    table = artifacts["ingest-summary"]
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert {r["file"]: r["outcome"] for r in rows} == {
        "sop.pdf": "archived",
        "surat.png": "archived",
        "acak.bin": "quarantined",
    }
    report = artifacts["ingest-report"].data
    reason_file = next((home / "quarantine").glob("*-acak.bin.reason.json"))
    # The reason file's path as text: the UI cannot follow a file:// link.
    assert f"`{reason_file}`" in report and "unsupported_type" in report
    assert "file://" not in report
    assert artifacts["ingest-progress"].data == 100.0
    # One task run per stage, named by what it handled (per-file runs cost more server CPU
    # than the OCR they wrapped); the per-file outcome is in the summary table above.
    assert sorted(task_names) == [
        "documents · 2",
        "index, checkpoint, release · 2 document(s)",
        "intake · 3 file(s)",
    ]
    schedules = {d.name: [s.schedule for s in d.schedules] for d in deployments}
    assert getattr(schedules["ingest"][0], "interval", None).total_seconds() == 300
    assert getattr(schedules["verify"][0], "cron", None) == "30 1 * * *"


def _screenshot(api: str, run: Any) -> None:
    from playwright.sync_api import sync_playwright

    ui = api.removesuffix("/api")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1500})
            page.goto(f"{ui}/runs/flow-run/{run.id}", wait_until="networkidle")
            page.get_by_text(run.name).first.wait_for(timeout=30_000)
            tab = page.get_by_text("Artifacts", exact=True)
            if tab.count():
                tab.first.click()
                page.get_by_text("ingest-summary").first.wait_for(timeout=15_000)
            page.wait_for_timeout(1000)  # let the cards finish their transitions
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            page.get_by_text("ingest-report").first.click()
            page.get_by_text("Quarantined").first.wait_for(timeout=15_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(REPORT_SHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
