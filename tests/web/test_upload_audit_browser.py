"""In Debian's chromium, on a desk and on a phone: a petugas uploads with the optional
note, reads why a file was quarantined (in Indonesian) and finds it in "Unggahan saya";
the PPID filters the audit log and sees one row per search. Fails on horizontal overflow,
console errors and CSP violations; screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from flows.app.ingest import run_once
from flows.settings import Settings
from tests.browser_support import (
    ARTIFACTS,
    VIEWPORTS,
    launch_chromium,
    serve_app,
    sign_in_page,
    watch_problems,
)
from tests.web.conftest import PASSWORDS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def served(fresh_app: FastAPI) -> Iterator[str]:
    with serve_app(fresh_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_chromium() as chromium:
        yield chromium


def _page(browser: Any, size: tuple[int, int], problems: list[str]) -> Any:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    watch_problems(page, problems)
    return page


def _sign_in(page: Any, url: str, username: str, then: str) -> None:
    sign_in_page(page, url, username, PASSWORDS[username][1], then)


def _look(page: Any, name: str, view: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{view}.png"), full_page=True)
    assert page.evaluate(OVERFLOW) <= 0, f"{name} overflows at {view}"


@pytest.mark.parametrize("view", VIEWPORTS)
def test_intake_and_audit_pages(
    browser: Any, served: str, fresh_app: FastAPI, tmp_path: Path, view: str
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _page(browser, VIEWPORTS[view], problems)
    _sign_in(page, served, "petugas1", "/upload")
    broken = tmp_path / "rusak.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    page.set_input_files("#files", str(broken))
    page.click("#upload-note summary")
    page.select_option("select[name=doc_type]", "berita_acara")
    page.fill("input[name=box]", "Boks 12")
    _look(page, "upload-form", view)
    page.click("#upload-submit")
    page.wait_for_url(re.compile(r"/upload/[0-9a-f]{24}$"))
    home = fresh_app.state.services.settings.home
    run_once(Settings(home=home, settle_seconds=0, ocr_workers=1), f"browser-{view}")
    page.reload()
    expect(page.locator("#upload-files .status")).to_have_text("Dikarantina")
    expect(page.locator("#upload-files .reason-text")).to_contain_text("Berkas rusak")
    _look(page, "upload-status", view)
    page.click("main a:has-text('Unggahan saya')")  # the page's link (the menu folds on a phone)
    expect(page.locator(".upload-batch").first).to_contain_text("rusak.pdf")
    _look(page, "upload-mine", view)

    ppid = _page(browser, VIEWPORTS[view], problems)
    _sign_in(ppid, served, "ppid1", "/search")
    ppid.goto(f"{served}/search?q=koordinasi")
    ppid.goto(f"{served}/audit")
    ppid.select_option("select[name=action]", "search")
    ppid.click("#audit-filters button[type=submit]")
    rows = ppid.locator("#audit-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("«koordinasi» — 4 hasil")
    expect(rows.first).to_contain_text("Notulen Internal Anggaran")
    _look(ppid, "audit", view)
    assert problems == []
