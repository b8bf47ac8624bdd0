"""Child processes that must not outlive the process that started them.

The Arsip service and a one-off CLI run start Prefect servers, flow runners and the web
app as children. A child outliving its parent is how ports stay taken and ~200 MB
servers pile up after a ``kill -9`` (shared FACTS.md: 8 of 10 killed CLI runs left the
temporary server running). Two defences: the kernel signals each direct child when its
parent dies (``PR_SET_PDEATHSIG``), and every descendant carries a tag in its
environment, so a restarted service can find and stop what an earlier one left.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1
TAG_VARIABLE = "ARSIP_SERVICE_ID"


class ChildFailed(Exception):
    """A child process exited or did not answer in time; the message says which and why."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def die_with_parent(parent: int) -> None:
    """This process gets SIGTERM when its parent (pid ``parent``) dies, for a child that
    a library started (uvicorn's workers); already gone, it is sent now."""
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def spawn(cmd: Sequence[str], env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``cmd`` in its own session (a Ctrl-C reaches only the parent, which stops
    the children in order), output to ``log``, signalled if this process dies."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen(
            list(cmd),
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def stop(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> int | None:
    """SIGTERM the child's whole process group, SIGKILL what is left after ``timeout``."""
    if proc.poll() is None:
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, signal.SIGKILL)
            proc.wait(10)
    return proc.returncode


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def wait_until_healthy(
    url: str, timeout: float, proc: subprocess.Popen[bytes], describe: Callable[[], str]
) -> None:
    """Poll ``url`` until it answers 200; fail fast if the child exits meanwhile."""
    import httpx  # ~0.3 s to import: only for the commands that start servers

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ChildFailed(f"exited with code {proc.returncode} before answering: {describe()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise ChildFailed(f"did not answer {url} within {timeout:.0f} s: {describe()}")


def tagged_processes(tag: str) -> list[int]:
    """Pids of live processes whose environment carries ``ARSIP_SERVICE_ID=tag``."""
    wanted = f"{TAG_VARIABLE}={tag}".encode()
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if wanted in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def kill_tagged(tag: str, grace: float = 10.0) -> int:
    """Stop every process left with ``tag`` (SIGTERM, then SIGKILL); returns how many."""
    pids = tagged_processes(tag)
    for pid in pids:
        _kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and tagged_processes(tag):
        time.sleep(0.2)
    for pid in tagged_processes(tag):
        _kill(pid, signal.SIGKILL)
    return len(pids)


def _kill(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.strip().splitlines()[-lines:])
