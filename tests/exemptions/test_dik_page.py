"""The public DIK page as the public opens it (no sign-in): the office named in settings,
PDF and CSV downloads, the decree number and date per entry, and the redacted public copy
of a partial exemption, served only while published and only with its recorded bytes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from flows.app.exemptions import PUBLIC_PDF, public_dir
from flows.settings import Settings
from tests.exemptions.dik_setup import Seeded, build_dik_home
from tests.exemptions.web_setup import PERSONAL_ID, login
from tests.web.conftest import TEST_KDF, TestClient, close_app
from web.app import create_app
from web.runner import IngestRunner

OFFICE = "KPU Kabupaten Seluma"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[FastAPI, Seeded, Path]]:
    home = tmp_path / "data"
    seeded = build_dik_home(home)
    settings = Settings(home=home, office_name=OFFICE)
    app = create_app(settings, settings.web, kdf=TEST_KDF,
                     runner=IngestRunner(home, command=["true"]))  # fmt: skip
    yield app, seeded, home
    close_app(app)


def test_the_public_reads_office_downloads_decree_and_public_copy(
    site: tuple[FastAPI, Seeded, Path],
) -> None:
    app, seeded, _home = site
    anon = TestClient(app)
    page = anon.get("/dik")
    assert page.status_code == 200
    assert re.search(rf'id="dik-office">{OFFICE}<', page.text)
    assert "Arsip PPID — KPU" not in page.text  # the default name nowhere
    assert 'href="/dik.pdf"' in page.text and 'href="/dik.csv"' in page.text
    assert "77/PP.06-Kpt/1709/2024, tanggal 1 Maret 2024" in page.text
    copy_url = f"/dik/salinan/{seeded.published}-1.pdf"
    assert f'href="{copy_url}"' in page.text
    assert PERSONAL_ID not in page.text  # the copy is named by entry, not by document id

    row = anon.get("/dik.json").json()["rows"][0]
    assert row["decree_number"] == "77/PP.06-Kpt/1709/2024"
    assert row["decree_date"] == "2024-03-01"
    assert row["public_copies"] == [copy_url]

    filed = public_dir(app.state.exemption_desk.layout, PERSONAL_ID) / PUBLIC_PDF
    copy = anon.get(copy_url)
    assert copy.status_code == 200
    assert copy.headers["content-type"] == "application/pdf"
    assert copy.content == filed.read_bytes()
    assert anon.get("/dik.pdf").headers["content-type"] == "application/pdf"


def test_a_public_copy_is_refused_unless_published_present_and_unchanged(
    site: tuple[FastAPI, Seeded, Path],
) -> None:
    app, seeded, _home = site
    anon = TestClient(app)
    assert anon.get(f"/dik/salinan/{seeded.published}-2.pdf").status_code == 404
    assert anon.get(f"/dik/salinan/{seeded.waiting}-1.pdf").status_code == 404
    assert anon.get(f"/dik/salinan/{seeded.draft}-1.pdf").status_code == 404
    assert anon.get("/dik/salinan/999-1.pdf").status_code == 404
    filed = public_dir(app.state.exemption_desk.layout, PERSONAL_ID) / PUBLIC_PDF
    filed.write_bytes(filed.read_bytes() + b"\n% changed")
    assert anon.get(f"/dik/salinan/{seeded.published}-1.pdf").status_code == 404
    assert f"/dik/salinan/{seeded.published}-1.pdf" in anon.get("/dik").text  # still recorded


def test_a_staff_download_of_the_public_copy_is_audited(
    site: tuple[FastAPI, Seeded, Path],
) -> None:
    app, seeded, _home = site
    ppid = login(app, "ppid1")
    assert ppid.get(f"/dik/salinan/{seeded.published}-1.pdf").status_code == 200
    entries = ppid.get(f"/audit.json?document={PERSONAL_ID}").json()["entries"]
    assert any(e["action"] == "download_public_copy" for e in entries), entries
