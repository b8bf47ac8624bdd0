from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(scope="session", autouse=True)
def prefect_server() -> Iterator[None]:
    # One real (temporary) Prefect server for every flow test: ~10 s once, then fast runs.
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def arsip_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("ARSIP_HOME", str(home))
    monkeypatch.setenv("ARSIP_SETTLE_SECONDS", "0")
    monkeypatch.setenv("ARSIP_OCR_WORKERS", "2")
    (home / "inbox").mkdir(parents=True)
    return home
