"""The catalog database on each engine: SQLite always, PostgreSQL where ./dev started one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.db import POSTGRES_ENV, postgres_schema, postgres_url, sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables yet, on each engine."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "catalog.db")
        return
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} not set (./dev test starts a PostgreSQL and sets it)")
    with postgres_schema(base) as url:
        yield url
