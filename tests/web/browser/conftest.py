"""The real app served by uvicorn on a free port, uploads ingested by real `arsip ingest`
runs against a test Prefect server, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from prefect.settings import PREFECT_API_URL
from prefect.testing.utilities import prefect_test_harness

from flows.settings import Settings
from tests.web.conftest import build_home
from web.app import create_app
from web.config import WebSettings
from web.runner import IngestRunner

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see ./dev)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    """A one-page scan (PNG) with no heading a rule knows: it lands in the review queue
    as `tipe_tidak_pasti`, which the test then corrects."""
    from flows import samples

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
