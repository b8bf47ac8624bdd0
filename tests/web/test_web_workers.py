"""``arsip serve`` with two worker processes (issue #11): both serve, a sign-in works
whichever worker answers each request, and nothing outlives it: not after SIGTERM, not
after ``kill -9`` of uvicorn's parent process, nor of the supervisor that started it."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from flows.service.processes import TAG_VARIABLE, tagged_processes
from tests.browser_support import free_port
from tests.web.conftest import PASSWORDS, form_token

WORKERS = 2


def _environment(home: Path, tag: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.update(
        ARSIP_HOME=str(home),
        ARSIP_WEB_WORKERS=str(WORKERS),
        ARSIP_WEB_PORT=str(port),
        **{TAG_VARIABLE: tag},
    )
    return env


def _serve_cmd() -> list[str]:
    return [sys.executable, "-m", "flows.cli", "serve", "--host", "127.0.0.1"]


def _wait(ok: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not ok():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _workers_of(pid: int) -> list[int]:
    """The worker processes uvicorn started (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _sign_in_on_fresh_connections(base: str) -> int:
    """GET the form and POST it on separate connections (so either worker may take
    each): the form's token must be good on both."""
    username, (_role, password) = "petugas1", PASSWORDS["petugas1"]
    with httpx.Client(base_url=base, timeout=10) as first:
        page = first.get("/login")
    with httpx.Client(base_url=base, timeout=10, cookies=page.cookies) as second:
        data = {"username": username, "password": password, "csrf_token": form_token(page.text)}
        return second.post("/login", data=data).status_code


@pytest.fixture
def home(template_home: Path, tmp_path: Path) -> Path:
    copied = tmp_path / "data"
    shutil.copytree(template_home, copied)
    return copied


def test_two_workers_serve_and_stop_on_sigterm_leaving_nothing(home: Path, tmp_path: Path):
    tag, port = uuid.uuid4().hex, free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        _serve_cmd(), env=_environment(home, tag, port), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait(lambda: _answers(base), 90, "arsip serve did not answer")
        _wait(lambda: len(_workers_of(proc.pid)) == WORKERS, 30, "not two workers")
        assert [_sign_in_on_fresh_connections(base) for _ in range(6)] == [303] * 6
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    _wait(lambda: not tagged_processes(tag), 20, f"left running: {tagged_processes(tag)}")


@pytest.mark.slow
def test_kill_9_of_uvicorns_parent_stops_its_workers(home: Path, tmp_path: Path):
    tag, port = uuid.uuid4().hex, free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        _serve_cmd(), env=_environment(home, tag, port), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait(lambda: _answers(f"http://127.0.0.1:{port}"), 90, "arsip serve did not answer")
        workers = _workers_of(proc.pid)
        assert len(workers) == WORKERS
        proc.kill()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    _wait(lambda: not tagged_processes(tag), 20, f"orphans: {tagged_processes(tag)}")


SUPERVISOR = """
import sys
from pathlib import Path
from flows.service.processes import spawn
child = spawn(sys.argv[2:], dict(__import__("os").environ), Path(sys.argv[1]))
print(child.pid, flush=True)
child.wait()
"""


@pytest.mark.slow
def test_kill_9_of_the_supervisor_leaves_no_worker(home: Path, tmp_path: Path):
    """As the service starts it (``processes.spawn``: own session, signalled when the
    supervisor dies), then the supervisor is killed with SIGKILL."""
    tag, port = uuid.uuid4().hex, free_port()
    cmd = [sys.executable, "-c", SUPERVISOR, str(tmp_path / "web.log"), *_serve_cmd()]
    supervisor = subprocess.Popen(
        cmd, env=_environment(home, tag, port), stdout=subprocess.PIPE, text=True
    )
    try:
        assert supervisor.stdout is not None
        serve_pid = int(supervisor.stdout.readline())
        _wait(lambda: _answers(f"http://127.0.0.1:{port}"), 90, "arsip serve did not answer")
        assert len(_workers_of(serve_pid)) == WORKERS
        supervisor.kill()
        supervisor.wait(10)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    _wait(lambda: not tagged_processes(tag), 30, f"orphans: {tagged_processes(tag)}")


def _answers_after_idle(port: int, idle_s: float) -> bool:
    """One connection: a request, ``idle_s`` of silence, a second request on the same
    connection. False when the server closed it meanwhile."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/healthz")
        first = conn.getresponse()
        assert first.status == 200 and first.read()
        opened = conn.sock
        time.sleep(idle_s)
        try:
            conn.request("GET", "/healthz")
            assert conn.sock is opened  # the same connection, not a new one
            second = conn.getresponse()
            return second.status == 200 and bool(second.read())
        except (http.client.RemoteDisconnected, OSError):
            return False
    finally:
        conn.close()


@pytest.mark.slow
def test_idle_connections_stay_open_as_long_as_configured(home: Path, tmp_path: Path):
    """Longer than uvicorn's own 5 s (a proxy's reused connection must not meet a close),
    and closed after the configured time."""
    tag, port = uuid.uuid4().hex, free_port()
    env = {**_environment(home, tag, port), "ARSIP_WEB_KEEP_ALIVE_SECONDS": "7"}
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(_serve_cmd(), env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: _answers(f"http://127.0.0.1:{port}"), 90, "arsip serve did not answer")
        assert _answers_after_idle(port, 5.5)
        assert not _answers_after_idle(port, 8.5)
    finally:
        proc.terminate()
        proc.wait(30)
    _wait(lambda: not tagged_processes(tag), 20, f"left running: {tagged_processes(tag)}")
