"""The service's contract on disk: one lock and one file per data root.

``<home>/.service.lock`` is held (flock) for as long as the service lives; the kernel
drops it when the process dies, however it dies, so "is a service running here?" is
answered by the lock, never by a pid that may have been reused. ``<home>/.service.json``
says where its parts listen; every CLI command reads it to find the Prefect server.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

LOCK_NAME = ".service.lock"
FILE_NAME = ".service.json"


class ServiceRunning(Exception):
    """A service already runs on this data root; the message says where to find it."""

    exit_code = 75


@dataclass(frozen=True)
class ServiceInfo:
    service_id: str
    pid: int
    home: str
    api_url: str
    ui_url: str
    web_url: str
    started_at: str
    children: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def service_file(home: Path) -> Path:
    return home.resolve() / FILE_NAME


def read_service_file(home: Path) -> ServiceInfo | None:
    """What the last service wrote (possibly one that was killed: see :func:`running_service`)."""
    try:
        data = json.loads(service_file(home).read_text(encoding="utf-8"))
        return ServiceInfo(**data)
    except (OSError, ValueError, TypeError):
        return None


def write_service_file(home: Path, info: ServiceInfo) -> None:
    target = service_file(home)
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(info.to_json(), indent=2), encoding="utf-8")
    tmp.replace(target)


def running_service(home: Path) -> ServiceInfo | None:
    """The live service on ``home``, or None (no file, or its lock is free: it died)."""
    info = read_service_file(home)
    if info is None or not service_lock_held(home):
        return None
    return info


def service_lock_held(home: Path) -> bool:
    lock = home.resolve() / LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock this probe may have taken
    return False


@contextmanager
def service_lock(home: Path) -> Iterator[None]:
    """Held for the service's life; a second service on the same root is refused."""
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ServiceRunning(_already_running(home)) from exc
        yield
    finally:
        os.close(fd)


def _already_running(home: Path) -> str:
    info = read_service_file(home)
    if info is None:
        return f"an Arsip service is already starting on {home}"
    return (
        f"an Arsip service already runs on {home} (pid {info.pid}): web app {info.web_url}, "
        f"Prefect UI {info.ui_url}; stop it first (Ctrl-C in its terminal, or kill {info.pid})"
    )
