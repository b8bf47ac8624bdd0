"""In a real browser (Debian's chromium): the PPID proposes an exemption, the three
approvers approve it each in their own session, the PPID records the decree and
publishes; an anonymous visitor then sees the row on the public DIK page and cannot
reach the document. A screenshot of the DIK page goes to test-artifacts/dik-page.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from flows.settings import Settings, WebSettings
from tests.browser_support import ARTIFACTS, launch_chromium, serve_app
from tests.exemptions.web_setup import APPROVER_NAMES, PERSONAL_ID, USERS, build_exemption_home
from tests.web.conftest import TEST_KDF
from web.app import create_app
from web.runner import IngestRunner

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESCRIPTION = "NIK dan Nomor KK pemohon pada formulir permohonan informasi publik"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("exemption-browser") / "data"
    build_exemption_home(home)
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


class Session:
    """One person in their own browser context (own cookies, own session)."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[str] = []
        self.page.on(
            "console", lambda m: self.problems.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda exc: self.problems.append(str(exc)))

    def sign_in(self, username: str) -> Session:
        self.page.goto(f"{self.base}/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", USERS[username][1])
        self.page.click("button:has-text('Masuk')")
        self.page.wait_for_url(re.compile(r"/search"))
        return self

    def step(self, entry_url: str, step: str, **fields: str) -> None:
        from playwright.sync_api import expect

        self.page.goto(entry_url)
        form = self.page.locator(f"#step-{step}")
        for name, value in fields.items():
            form.locator(f"[name={name}]").fill(value)
        form.locator("button[type=submit]").click()
        expect(self.page.locator("#step-ok")).to_be_visible()

    def close(self) -> None:
        assert self.problems == [], self.problems
        self.context.close()


def test_propose_approve_in_three_sessions_publish_and_public_dik(server: str, chromium: Any):
    from playwright.sync_api import expect

    ppid = Session(chromium, server).sign_in("ppid1")
    page = ppid.page
    page.click("nav >> text=Pengecualian")
    page.click("#propose-link")
    page.fill("#description", DESCRIPTION)
    page.select_option("#legal_basis", "uu14-2008-p17h")
    page.fill("#legal_point", "1")
    page.fill("#consequence", "Membuka rahasia pribadi pemohon dan keluarganya.")
    page.fill("#consideration", "Pelindungan data pribadi lebih besar daripada kepentingan publik.")
    page.select_option("#period_kind", "durasi")
    page.fill("#period_years", "5")
    page.check(f"input[name=documents][value='{PERSONAL_ID}']")  # suggested: personal data
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "exemption-form.png"), full_page=True)
    page.click("#save-entry")
    expect(page).to_have_url(re.compile(r"/exemptions/\d+\?ok=diusulkan$"))
    entry_url = page.url.split("?")[0]
    expect(page.locator("#entry-documents")).to_contain_text(PERSONAL_ID)
    ppid.step(entry_url, "record_test", note="Rapat uji konsekuensi 3 Mei 2024")
    ppid.step(entry_url, "submit")
    expect(page.locator("#entry-status")).to_have_text("Menunggu persetujuan")

    for name in APPROVER_NAMES:  # each approver in their own browser session
        approver = Session(chromium, server).sign_in(name)
        approver.step(entry_url, "approve", note=f"Setuju — {name}")
        approver.close()

    ppid.step(
        entry_url, "set_decree", decree_number="12/PP.06-Kpt/05/2024", decree_date="2024-05-20"
    )
    ppid.step(entry_url, "publish")
    expect(page.locator("#entry-status")).to_have_text("Dipublikasikan")
    page.screenshot(path=str(ARTIFACTS / "exemption-entry.png"), full_page=True)
    history = page.locator("#entry-history").inner_text()
    assert all(name in history for name in APPROVER_NAMES)
    ppid.close()

    public = Session(chromium, server)
    public.page.goto(f"{server}/dik")
    row = public.page.locator("#dik-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DESCRIPTION)
    expect(row).to_contain_text("UU 14/2008 Pasal 17 huruf h angka 1")
    expect(row).to_contain_text("12/PP.06-Kpt/05/2024, tanggal 20 Mei 2024")
    assert public.page.locator("a[href*='/documents/']").count() == 0
    public.page.screenshot(path=str(ARTIFACTS / "dik-page.png"), full_page=True)
    for url in (
        f"/documents/{PERSONAL_ID}",
        f"/documents/{PERSONAL_ID}/original",
        f"/documents/{PERSONAL_ID}/searchable.pdf",
        entry_url.removeprefix(server),
    ):
        public.page.goto(f"{server}{url}")
        expect(public.page).to_have_url(re.compile(r"/login\?next="))
    api = public.page.request.get(f"{server}/documents/{PERSONAL_ID}.json")
    assert api.status == 401
    public.close()
