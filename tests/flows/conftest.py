from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def prefect_server(prefect_api: str) -> str:
    return prefect_api


@pytest.fixture
def arsip_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("ARSIP_HOME", str(home))
    monkeypatch.setenv("ARSIP_SETTLE_SECONDS", "0")
    monkeypatch.setenv("ARSIP_OCR_WORKERS", "2")
    (home / "inbox").mkdir(parents=True)
    return home
