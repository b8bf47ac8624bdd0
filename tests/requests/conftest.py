from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.exemptions import ExemptionRegister
from archive.requests import RequestRegister
from tests.requests.support import archive_home, requests_register


@pytest.fixture
def home(tmp_path: Path) -> Iterator[tuple[Catalog, ExemptionRegister]]:
    catalog, exemptions = archive_home(tmp_path)
    yield catalog, exemptions
    catalog.close()


@pytest.fixture
def register(home: tuple[Catalog, ExemptionRegister]) -> RequestRegister:
    return requests_register(home[0])
