"""Fixtures for the operations tests: catalog backends, a Prefect test server, scans."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.db import POSTGRES_ENV, postgres_schema, postgres_url


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A fresh schema per test in the CI's PostgreSQL, as a URL whose search_path is it.

    Skipped only when ./dev (which starts a throwaway server) did not set the variable.
    """
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} not set (./dev test starts a PostgreSQL and sets it)")
    with postgres_schema(base) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.db'}"
    return str(request.getfixturevalue("postgres_schema_url"))


@pytest.fixture(scope="session")
def prefect_server(prefect_api: str) -> str:
    return prefect_api


@pytest.fixture
def arsip_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("ARSIP_HOME", str(home))
    monkeypatch.setenv("ARSIP_SETTLE_SECONDS", "0")
    monkeypatch.setenv("ARSIP_OCR_WORKERS", "2")
    monkeypatch.delenv("ARSIP_DASK_ADDRESS", raising=False)
    monkeypatch.delenv("ARSIP_DATABASE_URL", raising=False)
    (home / "inbox").mkdir(parents=True)
    return home


def run_artifacts(flow_run_id: object) -> dict[str, object]:
    """The artifacts of one flow run by key (the progress artifact has no data to compare)."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async def read() -> list[object]:
        async with get_client() as client:
            flt = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
            return list(await client.read_artifacts(artifact_filter=flt))

    return {a.key: a for a in asyncio.run(read())}  # type: ignore[attr-defined]
