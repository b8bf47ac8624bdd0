"""Fast checks of the ops pieces: schedules in step, reports, doctor, lock, deploy errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from archive.catalog import Catalog
from archive.store import ArchiveLayout
from flows.app.doctor import machine_checks
from flows.app.inbox import IngestBusy, run_lock
from flows.app.verify import quarantine_backlog
from flows.deploy import PLANS, TIMEZONE, runner_deployments
from flows.ingest import report_markdown
from flows.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_prefect_yaml_and_serve_plans_agree():
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text())
    assert spec["pull"][0]["prefect.deployments.steps.set_working_directory"]
    deployed = {d["name"]: d for d in spec["deployments"]}
    assert sorted(deployed) == sorted(p.name for p in PLANS)
    for plan in PLANS:
        d = deployed[plan.name]
        assert d["entrypoint"] == plan.entrypoint
        assert d["work_pool"]["name"] == "arsip"
        assert d.get("concurrency_limit") == plan.concurrency_limit, plan.name
        schedules = d.get("schedules", [])
        assert [s.get("interval") for s in schedules if "interval" in s] == (
            [plan.interval] if plan.interval else []
        )
        crons = [(s["cron"], s["timezone"]) for s in schedules if "cron" in s]
        assert crons == ([(plan.cron, TIMEZONE)] if plan.cron else []), plan.name


def test_serve_builds_deployments_for_every_loadable_flow():
    deployments, skipped = runner_deployments()
    names = {d.name for d in deployments} | {s.split(" ")[0] for s in skipped}
    assert names == {p.name for p in PLANS}
    assert {"ingest", "verify", "reindex"} <= {d.name for d in deployments}
    ingest = next(d for d in deployments if d.name == "ingest")
    assert ingest.concurrency_limit == 1 and ingest.schedules


def test_ingest_report_names_each_quarantine_reason_file(tmp_path: Path):
    quarantine = tmp_path / "quarantine"
    quarantine.mkdir()
    reason = quarantine / "abc123-acak.bin.reason.json"
    reason.write_text(json.dumps({"file": "acak.bin", "run_id": "r1", "code": "x"}))
    old = quarantine / "def456-acak.bin.reason.json"  # same name, an earlier run
    old.write_text(json.dumps({"file": "acak.bin", "run_id": "r0", "code": "x"}))
    summary = {
        "run": "r1",
        "counts": {"archived": 1, "duplicate": 0, "quarantined": 1, "flagged": 0},
        "results": [
            {"file": "ok.pdf", "outcome": "archived", "reason": None},
            {"file": "acak.bin", "outcome": "quarantined", "reason": "unsupported_type: a|b"},
        ],
        "waiting": [],
    }
    text = report_markdown(summary, quarantine)
    assert f"reason file: `{reason}`" in text
    assert "file://" not in text, "browsers block file:// links from the Prefect UI"
    assert old.name not in text
    assert "`acak.bin` — unsupported_type: a|b" in text


def test_doctor_reports_index_gaps_and_stale_quarantine(tmp_path: Path):
    home = tmp_path / "data"
    layout = ArchiveLayout(home)
    layout.ensure()
    settings = Settings(home=home)
    checks = {c.name: c for c in machine_checks(settings)}
    assert checks["index vs catalog"].ok and checks["quarantine backlog"].ok

    from tests.test_catalog import _doc

    Catalog(settings.catalog_url).add_document(_doc(), [])
    stale = layout.quarantine / "aaa-lama.pdf"
    stale.write_bytes(b"x")
    week_ago = time.time() - 8 * 86400
    os.utime(stale, (week_ago, week_ago))
    checks = {c.name: c for c in machine_checks(settings)}
    assert not checks["index vs catalog"].ok
    assert "not_indexed: 1" in checks["index vs catalog"].detail
    assert not checks["quarantine backlog"].ok
    assert quarantine_backlog(layout)[0].code == "unknown"  # no reason file beside it


def test_run_lock_waits_for_the_holder_or_gives_up(tmp_path: Path):
    lock = tmp_path / ".ingest.lock"
    released = threading.Event()

    def hold() -> None:
        with run_lock(lock):
            released.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    with pytest.raises(IngestBusy), run_lock(lock, wait_seconds=0.3):
        pass
    threading.Timer(0.3, released.set).start()
    with run_lock(lock, wait_seconds=5):
        pass
    holder.join()


def test_deploy_without_a_server_says_what_to_do(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.update(ARSIP_HOME=str(tmp_path / "data"), PREFECT_HOME=str(tmp_path / "ph"))
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "deploy"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "PREFECT_API_URL is not set" in proc.stderr


def test_commands_and_service_children_send_no_prefect_telemetry(tmp_path: Path):
    """Prefect's SDK reports use from an interactive terminal unless DO_NOT_TRACK is set:
    every `arsip` command that imports Prefect, and every process of the service."""
    from flows.service.supervisor import child_environment

    settings = Settings(home=tmp_path)
    code = (
        "import os, sys\n"
        "for k in [k for k in os.environ if k.startswith(('PREFECT_', 'DO_NOT', 'CI'))]:\n"
        "    del os.environ[k]\n"
        "from flows.service.connection import base_environment\n"
        "from flows.settings import Settings\n"
        f"base_environment(Settings(home={str(tmp_path)!r}))\n"
        "from prefect._internal.analytics.enabled import is_telemetry_enabled\n"
        "sys.exit(10 + is_telemetry_enabled())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False)
    assert done.returncode == 10  # telemetry off after the command's environment
    assert child_environment(settings, "svc")["DO_NOT_TRACK"] == "1"
