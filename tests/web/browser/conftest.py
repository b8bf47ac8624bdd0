"""The real app served by uvicorn on a free port, uploads ingested by real `arsip ingest`
runs against a test Prefect server, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.settings import Settings, WebSettings
from tests.browser_support import ARTIFACTS, launch_chromium, serve_app
from tests.web.conftest import build_home
from web.app import create_app
from web.runner import IngestRunner


@pytest.fixture(scope="module")
def live_server(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser") / "data"
    build_home(home)
    runner = IngestRunner(
        home,
        env={
            "PREFECT_API_URL": prefect_api,
            "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
            "ARSIP_OCR_WORKERS": "2",
        },
        busy_retry_seconds=1.0,
    )
    app = create_app(Settings(home=home), WebSettings(), runner=runner)
    with serve_app(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    """A one-page scan (PNG) with no heading a rule knows: it lands in the review queue
    as `tipe_tidak_pasti`, which the test then corrects."""
    from flows import demo as samples

    doc = samples.SampleDoc(
        "lainnya",
        None,
        None,
        None,
        None,
        (
            *samples.LETTERHEAD,
            "Catatan kegiatan harian",
            "",
            "Rapat koordinasi persiapan pemutakhiran data pemilih berkelanjutan",
            "di aula kantor bersama panitia pemilihan kecamatan.",
            "Hasil: jadwal kunjungan lapangan disepakati bersama.",
        ),
    )
    path = samples.write_image(doc, tmp_path / "catatan-kegiatan.png", seed=11)
    shutil.copy2(path, tmp_path / "copy.png")
    return path
