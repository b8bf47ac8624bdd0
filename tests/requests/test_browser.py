"""In a real browser (Debian's chromium), at a desktop and a phone size: a visitor files
a request on the public form, gets a tracking code, and the status page shows the status
and nothing else. No horizontal overflow, no console errors, no CSP violation; the staff
request page is checked the same way at desktop size. Screenshots: test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from flows.settings import Settings, WebSettings
from tests.browser_support import ARTIFACTS, VIEWPORTS, launch_chromium, serve_app
from tests.requests.support import NIK
from tests.web.conftest import PASSWORDS, TEST_KDF, build_home
from web.app import create_app
from web.runner import IngestRunner

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NAME, SUBJECT = "Yohanes Sitorus", "Salinan berita acara rekapitulasi Kecamatan Pondok Kelapa"
# Chromium reports CSP violations as DOM events and console errors; record both.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("requests-browser") / "data"
    build_home(home)
    app = create_app(
        Settings(home=home),
        WebSettings(),
        kdf=TEST_KDF,
        runner=IngestRunner(home, command=["true"]),
    )
    with serve_app(app) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


class Visit:
    def __init__(self, browser: Any, size: tuple[int, int]) -> None:
        self.context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, locale="id-ID"
        )
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console", lambda m: self.problems.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda exc: self.problems.append(str(exc)))

    def check(self, shot: str) -> None:
        page = self.page
        wide = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wide <= 0, f"{shot}: {wide}px horizontal overflow"
        assert page.evaluate("window.__csp") == [], shot
        assert self.problems == [], (shot, self.problems)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_public_form_and_status_page_leak_nothing(server: str, chromium: Any, size: str):
    from playwright.sync_api import expect

    visit = Visit(chromium, VIEWPORTS[size])
    page = visit.page
    page.goto(f"{server}/permohonan")
    page.fill("#name", NAME)
    page.fill("#contact", "yohanes@contoh.id")
    page.fill("#identity_number", NIK)
    page.fill("#subject", SUBJECT)
    page.fill("#purpose", "Pemantauan pemilu oleh lembaga pemantau")
    visit.check(f"permohonan-form-{size}")
    page.click("#public-submit")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    visit.check(f"permohonan-terkirim-{size}")

    page.goto(f"{server}/permohonan/status")
    page.fill("#code", code.lower())
    page.click("#status-submit")
    expect(page.locator("#status-result")).to_have_text("Permohonan diterima dan sedang diproses.")
    main = page.locator("main").inner_text()
    for secret in (NAME, NIK, SUBJECT, "yohanes", "/PPID/", "Pondok Kelapa"):
        assert secret not in main and secret not in page.content(), secret
    assert not re.search(r"\b20\d\d\b", main)  # no date, no number with its year
    visit.check(f"permohonan-status-{size}")

    page.fill("#code", "ZZZZ-ZZZZ-ZZZZ")
    page.click("#status-submit")
    expect(page.locator("#status-result")).to_contain_text("tidak ditemukan")
    visit.check(f"permohonan-status-tidak-ada-{size}")
    visit.context.close()


def test_staff_see_the_request_with_its_due_date(server: str, chromium: Any):
    visit = Visit(chromium, VIEWPORTS["desk"])
    page = visit.page
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "ppid1")
    page.fill("input[name=password]", PASSWORDS["ppid1"][1])
    page.click("button:has-text('Masuk')")
    page.wait_for_url(re.compile(r"/search"))
    page.click("nav >> text=Permohonan")
    row = page.locator("#request-table tbody tr", has_text=NAME).first
    assert "sesuai jadwal" in row.inner_text()
    visit.check("permohonan-daftar")
    row.locator("a").first.click()
    assert NIK in page.locator("#requester-identity").inner_text()  # the PPID may see it
    page.fill("#request-search input[name=q]", "koordinasi")
    page.click("#request-search button")
    visit.check("permohonan-halaman")
    visit.context.close()
