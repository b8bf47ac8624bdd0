"""The real app on a bench's data root: ``arsip serve`` on a free port, its accounts, a
signed-in client, and the CPU its processes used. Shared by ``bench_web_load`` and
``bench_index`` (whose web figures are searches as staff send them)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ARSIP = Path(sys.executable).with_name("arsip")
USERS = {
    "petugas": ("bench-petugas", "sandi-bench-petugas"),
    "ppid": ("bench-ppid", "sandi-bench-ppid"),
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_environment(home: Path) -> dict[str, str]:
    """This process's environment with only the data root's Arsip and Prefect settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env["ARSIP_HOME"] = str(home)
    return env


class Server:
    """``arsip serve`` on a free port, with only this data root's settings."""

    def __init__(self, home: Path, workers: int | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = bench_environment(home)
        env["ARSIP_WEB_LOGIN_MAX_FAILURES"] = "1000"
        if workers is not None:
            env["ARSIP_WEB_WORKERS"] = str(workers)
        cmd = [str(ARSIP), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait_healthy(time.monotonic() + 90)

    def _wait_healthy(self, deadline: float) -> None:
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"arsip serve exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("arsip serve did not start")
            time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def sign_in_form(page_text: str, role: str) -> dict[str, str]:
    """The sign-in form of the bench account for ``role``, with the page's form token."""
    username, password = USERS[role]
    match = TOKEN.search(page_text)
    assert match, "no form token on /login"
    return {"username": username, "password": password, "csrf_token": match.group(1)}


def signed_in(base: str, role: str) -> httpx.Client:
    """A client with its own session, signed in as the bench account for ``role``."""
    client = httpx.Client(base_url=base, timeout=60)
    answer = client.post("/login", data=sign_in_form(client.get("/login").text, role))
    if answer.status_code != 303:
        raise SystemExit(f"sign-in as {role} failed: {answer.status_code}")
    return client


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live descendants (the web workers), in
    seconds, from ``/proc/<pid>/stat``."""
    ticks, parents = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")
