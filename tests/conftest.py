from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Prefect reads its home at import time; keep test runs away from ~/.prefect.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="arsip-test-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")

import pytest

from archive.catalog import Catalog
from archive.layout import ArchiveLayout
from tasks.detect import Limits
from tests.support.db import migrated_catalog

LIMITS = Limits(max_bytes=50 * 1024 * 1024, max_pages=200, max_pixels=120_000_000)


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """The one temporary Prefect server of a test run (~10 s once): every flow test and
    every `arsip` subprocess under test talks to it through its URL."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def layout(tmp_path: Path) -> ArchiveLayout:
    lay = ArchiveLayout(tmp_path / "home")
    lay.ensure()
    return lay


@pytest.fixture
def catalog(layout: ArchiveLayout) -> Catalog:
    cat = migrated_catalog(layout.home / "catalog.db")
    yield cat
    cat.close()
