"""Starting ingest runs for uploads: one ``arsip ingest`` process at a time.

An upload only asks for a run. If one is already going, the request is remembered and a
single further run starts when it ends (it takes whatever arrived meanwhile). The ingest
command holds the data root's lock and exits 75 when another run (a scheduled deployment,
a person at the terminal) has it; then the runner waits and tries again.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("arsip.web.runner")
EXIT_BUSY = 75


@dataclass(frozen=True)
class RunnerStatus:
    running: bool
    pending: bool
    runs: int
    last_exit: int | None
    last_error: str | None

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def ingest_command() -> list[str]:
    return [sys.executable, "-m", "flows.cli", "ingest", "--json"]


class IngestRunner:
    def __init__(
        self,
        home: Path,
        *,
        env: Mapping[str, str] | None = None,
        command: Sequence[str] | None = None,
        busy_retry_seconds: float = 5.0,
        timeout_seconds: float = 6 * 3600,
    ) -> None:
        # The child sees this process's environment (so its config and Prefect server),
        # the same data root, and no settle delay: uploads are renamed into place whole.
        self.env = {**os.environ, **(env or {})}
        self.env.update(ARSIP_HOME=str(home), ARSIP_SETTLE_SECONDS="0")
        self.command = list(command or ingest_command())
        self.busy_retry_seconds = busy_retry_seconds
        self.timeout_seconds = timeout_seconds
        self._lock = threading.Lock()
        self._pending = False
        self._thread: threading.Thread | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._runs = 0
        self._last_exit: int | None = None
        self._last_error: str | None = None
        self._closed = False

    def request(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._pending = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="ingest-runner")
                self._thread.daemon = True
                self._thread.start()

    def status(self) -> RunnerStatus:
        with self._lock:
            running = self._thread is not None and self._thread.is_alive()
            return RunnerStatus(
                running, self._pending, self._runs, self._last_exit, self._last_error
            )

    def _loop(self) -> None:
        while True:
            with self._lock:
                if not self._pending or self._closed:
                    return
                self._pending = False
            code = self._run_once()
            if code == EXIT_BUSY:
                with self._lock:
                    self._pending = True
                time.sleep(self.busy_retry_seconds)

    def _run_once(self) -> int:
        log.info("starting ingest run: %s", " ".join(self.command))
        proc = subprocess.Popen(
            self.command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        with self._lock:
            self._proc = proc
        try:
            _out, err = proc.communicate(timeout=self.timeout_seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
        with self._lock:
            self._proc = None
            self._runs += 1
            self._last_exit = proc.returncode
            failed = proc.returncode not in (0, EXIT_BUSY)
            self._last_error = err.decode(errors="replace").strip()[-500:] if failed else None
        if failed:
            log.error("ingest run failed (exit %s): %s", proc.returncode, self._last_error)
        return proc.returncode

    def close(self, timeout: float = 30.0) -> None:
        """Stop taking requests; let a running ingest finish, or stop it after ``timeout``
        (ingest is crash-safe: a stopped run is completed by the next one)."""
        with self._lock:
            self._closed = True
            thread, proc = self._thread, self._proc
        if thread is None:
            return
        thread.join(timeout)
        if thread.is_alive() and proc is not None:
            proc.terminate()
            thread.join(10)
