"""Sign-in limits (issue #11): per account, per address, junk names from a shared address,
and X-Forwarded-For believed only from configured proxies, through the real server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from archive.audit import AuditLog
from archive.catalog import Catalog
from tests.browser_support import free_port
from tests.web.conftest import PASSWORDS, close_app, form_token, make_app

ARSIP = Path(sys.executable).with_name("arsip")


def _attempt(client: TestClient | httpx.Client, username: str, password: str, **kw: object) -> int:
    token = form_token(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, **kw).status_code  # type: ignore[arg-type]


def _copy(template_home: Path, tmp_path: Path) -> Path:
    home = tmp_path / "data"
    shutil.copytree(template_home, home)
    return home


def test_junk_usernames_cannot_lock_out_staff_who_signed_in_here_before(
    template_home: Path, tmp_path: Path
):
    home = _copy(template_home, tmp_path)
    app = make_app(home, login_max_failures=5)
    office = TestClient(app, follow_redirects=False)  # everyone behind one address
    assert _attempt(office, "ppid1", PASSWORDS["ppid1"][1]) == 303
    codes = [_attempt(office, f"tamu{n:02d}", "salah") for n in range(21)]
    assert codes == [401] * 20 + [429]  # the address is over its limit...
    # ... yet the account that signed in from here before still can,
    assert _attempt(office, "ppid1", PASSWORDS["ppid1"][1]) == 303
    # while a name never used from here waits (this is what the address limit is for).
    assert _attempt(office, "atasan1", PASSWORDS["atasan1"][1]) == 429
    close_app(app)
    # After a restart the app remembers who signed in from where (the audit log).
    again = make_app(home, login_max_failures=5)
    office = TestClient(again, follow_redirects=False)
    for n in range(20):
        _attempt(office, f"lagi{n:02d}", "salah")
    assert _attempt(office, "lain", "salah") == 429
    assert _attempt(office, "ppid1", PASSWORDS["ppid1"][1]) == 303
    close_app(again)


def test_account_backoff_across_addresses_spares_the_accounts_own_desk(
    template_home: Path, tmp_path: Path
):
    home = _copy(template_home, tmp_path)
    # The in-process client's address is "testclient": trusted as a proxy here, so the
    # forwarded addresses below are believed, as behind a configured reverse proxy.
    app = make_app(home, login_max_failures=5, trusted_proxies="testclient")
    client = TestClient(app, follow_redirects=False)
    desk = {"X-Forwarded-For": "192.0.2.10"}
    assert _attempt(client, "ppid1", PASSWORDS["ppid1"][1], headers=desk) == 303
    codes = [
        _attempt(client, "ppid1", f"tebakan-{n}", headers={"X-Forwarded-For": f"10.1.0.{n}"})
        for n in range(1, 31)
    ]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    right = PASSWORDS["ppid1"][1]
    assert _attempt(client, "ppid1", right, headers={"X-Forwarded-For": "10.1.1.1"}) == 429
    # From the desk the account signed in at before, the guesser elsewhere changes nothing.
    assert _attempt(client, "ppid1", right, headers=desk) == 303
    clients = {e.client for e in app.state.services.audit.entries(username="ppid1")}
    assert {"192.0.2.10", "10.1.0.1", "10.1.0.5"} <= clients
    close_app(app)


@contextmanager
def _served(home: Path, **env: str) -> Iterator[str]:
    """``arsip serve`` as the office runs it: real uvicorn, real settings from the env."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}
    environ.update(ARSIP_HOME=str(home), ARSIP_WEB_LOGIN_MAX_FAILURES="5", **env)
    cmd = [str(ARSIP), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "arsip serve did not start"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("trusted", [None, "127.0.0.1"], ids=["default", "proxy-configured"])
def test_rotating_forwarded_for_does_not_bypass_the_limit(
    template_home: Path, tmp_path: Path, trusted: str | None
):
    home = _copy(template_home, tmp_path)
    env = {"ARSIP_WEB_TRUSTED_PROXIES": trusted} if trusted else {}
    with _served(home, **env) as base, httpx.Client(base_url=base, timeout=30) as client:
        codes = [
            _attempt(client, "ppid1", f"tebakan-{n}", headers={"X-Forwarded-For": f"10.2.0.{n}"})
            for n in range(1, 31)
        ]
        right = PASSWORDS["ppid1"][1]
        last = _attempt(client, "ppid1", right, headers={"X-Forwarded-For": "10.2.1.1"})
    assert codes.count(401) == 5 and codes[5:] == [429] * 25
    assert last == 429
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    clients = {e.client for e in AuditLog(catalog.engine).entries(username="ppid1")}
    catalog.close()
    # Believed only when configured: otherwise every try is the TCP peer's.
    assert clients == ({"127.0.0.1"} if trusted is None else {f"10.2.0.{n}" for n in range(1, 6)})
