"""In a real browser (Debian's chromium), on a desk (1366 x 900) and on a phone (390 x 844):
the PPID proposes a partial exemption, finds the document by search and links it (shown
as proposed), marks the area to black out on the page image (dragged on the desk, typed
on the phone: the keyboard fallback), records the test and submits. Each approver, in
their own session, sees Setujui and Kembalikan, confirms, and then sees neither; after
the third the entry reads "Disetujui, menunggu penetapan". The PPID decrees and publishes
(each confirmed on its own page), makes the redacted copy, whose pixels and text lack the
marked area; the public reads the DIK and downloads its PDF.

Every page is checked for horizontal overflow, console errors and CSP violations, and
screenshotted to test-artifacts/exemption-<viewport>-<page>.png."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from flows.settings import Settings
from tests.browser_support import ARTIFACTS, VIEWPORTS, launch_chromium, serve_app
from tests.exemptions.web_setup import APPROVER_NAMES, PERSONAL_ID, USERS, build_exemption_home
from tests.web.conftest import TEST_KDF
from web.app import create_app
from web.runner import IngestRunner

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESCRIPTION = "NIK dan Nomor KK pemohon pada formulir permohonan informasi publik"
OFFICE = "KPU Kabupaten Bengkulu Tengah"
# The form's third line (name and NIK), in percent of the page: left, top, width, height.
AREA = (3.0, 6.4, 94.0, 3.6)
SLOW_MS = 180_000  # the redacted copy is OCRed
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "data"
    build_exemption_home(home)
    settings = Settings(home=home, office_name=OFFICE)
    app = create_app(settings, settings.web, kdf=TEST_KDF,
                     runner=IngestRunner(home, command=["true"]))  # fmt: skip
    with serve_app(app) as url:
        yield url


class Person:
    """One person in their own browser context (own cookies, own session), whose every
    page is checked and screenshotted."""

    def __init__(self, browser: Any, base: str, viewport: str, who: str) -> None:
        width, height = VIEWPORTS[viewport]
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale="id-ID")  # fmt: skip
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.base, self.viewport, self.who = base, viewport, who
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda exc: self.problems.append(str(exc)))

    def sign_in(self) -> Person:
        self.page.goto(f"{self.base}/login")
        self.page.fill("input[name=username]", self.who)
        self.page.fill("input[name=password]", USERS[self.who][1])
        self.page.click("button:has-text('Masuk')")
        self.page.wait_for_url(re.compile(r"/search"))
        return self

    def check(self, name: str) -> None:
        """No sideways scrolling, no console error, no CSP violation; a screenshot."""
        self.page.wait_for_load_state("load")
        wide, view = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert wide <= view, f"{name}: the page is {wide} px wide in a {view} px window"
        assert self.page.evaluate("() => window.__csp") == [], name
        assert self.problems == [], (name, self.problems)
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"exemption-{self.viewport}-{name}.png"
        self.page.screenshot(path=str(shot), full_page=True)

    def buttons(self) -> set[str]:
        ids = self.page.locator("[id^=step-]").evaluate_all("els => els.map(e => e.id)")
        return {i.removeprefix("step-") for i in ids} - {"ok", "error"}

    def confirm(self, entry_url: str, step: str, **fields: str) -> None:
        """An irreversible step: its link, its confirmation page, the one button."""
        from playwright.sync_api import expect

        self.page.goto(entry_url)
        self.page.click(f"#step-{step}")
        expect(self.page.locator("#confirm-warning")).to_contain_text("tidak dapat dibatalkan")
        for name, value in fields.items():
            self.page.fill(f"#confirm-form [name={name}]", value)
        self.check(f"confirm-{step}")
        self.page.click("#confirm-step")
        expect(self.page.locator("#step-ok")).to_be_visible(timeout=SLOW_MS)

    def close(self) -> None:
        assert self.problems == [], self.problems
        self.context.close()


def _propose_and_link(ppid: Person) -> str:
    from playwright.sync_api import expect

    page = ppid.page
    page.goto(f"{ppid.base}/exemptions")
    ppid.check("list")
    page.click("#propose-link")
    page.fill("#description", DESCRIPTION)
    page.select_option("#legal_basis", "uu14-2008-p17h")
    page.fill("#legal_point", "1")
    page.fill("#consequence", "Membuka rahasia pribadi pemohon dan keluarganya.")
    page.fill("#consideration", "Pelindungan data pribadi lebih besar daripada kepentingan publik.")
    page.check("#scope-part")
    page.select_option("#period_kind", "durasi")
    page.fill("#period_years", "5")
    ppid.check("form")
    page.click("#save-entry")
    expect(page).to_have_url(re.compile(r"/exemptions/\d+\?ok=diusulkan$"))
    entry_url = page.url.split("?")[0]
    # The picker: search as the PPID sees the archive, tick the hit, link it.
    page.fill("#cari", "formulir permohonan")
    page.press("#cari", "Enter")
    page.check(f"#link-form input[value='{PERSONAL_ID}']")
    expect(page.locator("nav.mainnav")).to_contain_text("Unggah")  # the viewer's own menu
    ppid.check("picker")
    page.click("#link-submit")
    row = page.locator("#entry-documents tbody tr")
    expect(row).to_contain_text(PERSONAL_ID)
    expect(row.locator(".badge-proposed")).to_have_text("Diusulkan dikecualikan")
    return entry_url


def _mark_area(ppid: Person, draw: bool) -> None:
    from playwright.sync_api import expect

    page = ppid.page
    page.click("#areas-link")
    page.wait_for_function("() => document.getElementById('area-image').naturalWidth > 0")
    left, top, width, height = AREA
    if draw:  # drag the box on the page image
        box = page.locator("#area-overlay").bounding_box()
        x0, y0 = box["x"] + box["width"] * left / 100, box["y"] + box["height"] * top / 100
        x1 = box["x"] + box["width"] * (left + width) / 100
        y1 = box["y"] + box["height"] * (top + height) / 100
        page.mouse.move(x0, y0)
        page.mouse.down()
        page.mouse.move(x1, y1, steps=8)
        page.mouse.up()
        for name, want in zip(("left", "top", "width", "height"), AREA, strict=True):
            got = float(page.input_value(f"#area-{name}"))
            assert abs(got - want) < 1.0, (name, got)
        expect(page.locator("#area-save")).to_be_focused()
    else:  # the keyboard path: type the four numbers
        for name, value in zip(("left", "top", "width", "height"), AREA, strict=True):
            page.locator(f"#area-{name}").press_sequentially(str(value))
        expect(page.locator("#area-draft")).not_to_have_attribute("width", "0")
    ppid.check("areas-marked")
    page.locator("#area-save").press("Enter")
    expect(page.locator("#area-list li")).to_have_count(1)
    expect(page.locator("rect.area-saved")).to_have_count(1)
    ppid.check("areas-saved")


def _approve(person: Person, entry_url: str, last: bool) -> None:
    from playwright.sync_api import expect

    person.page.goto(entry_url)
    assert person.buttons() == {"approve", "reject"}
    person.check(f"approver-{person.who}-before")
    person.confirm(entry_url, "approve", note=f"Setuju — {person.who}")
    assert person.buttons() == set()  # no Setujui, no Kembalikan once approved
    expect(person.page.locator("#waiting")).to_contain_text("sudah menyetujui")
    status = "Disetujui, menunggu penetapan" if last else "Menunggu persetujuan"
    expect(person.page.locator("#entry-status")).to_have_text(status)
    person.check(f"approver-{person.who}-after")


def _redacted_copy_lacks_the_area(ppid: Person, tmp: Path) -> None:
    got = ppid.page.request.get(f"{ppid.base}/salinan-publik/{PERSONAL_ID}.pdf")
    assert got.status == 200
    copy = tmp / "copy.pdf"
    copy.write_bytes(got.body())
    layer = subprocess.run(["pdftotext", str(copy), "-"], capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    words = " ".join(layer.split())
    assert "Formulir Permohonan Informasi Publik" in words  # outside the area: readable
    assert "Wulandari" not in words and "1709056607900002" not in words.replace(" ", "")
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-f", "1", "-l", "1",
                    str(copy), str(tmp / "page")], check=True)  # fmt: skip
    with Image.open(next(tmp.glob("page*.png"))) as img:
        w, h = img.size
        left, top, width, height = AREA
        inner = (w * (left + 1) / 100, h * (top + 0.5) / 100,
                 w * (left + width - 1) / 100, h * (top + height - 0.5) / 100)  # fmt: skip
        assert ImageStat.Stat(img.convert("L").crop(inner)).mean[0] < 30  # black


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_exemption_journey_and_the_public_dik(
    server: str, chromium: Any, viewport: str, tmp_path: Path
):
    from playwright.sync_api import expect

    ppid = Person(chromium, server, viewport, "ppid1").sign_in()
    entry_url = _propose_and_link(ppid)
    _mark_area(ppid, draw=viewport == "desk")
    ppid.page.goto(entry_url)
    ppid.page.click("#step-record_test button[type=submit]")
    expect(ppid.page.locator("#step-ok")).to_be_visible()
    ppid.page.click("#step-submit button[type=submit]")
    expect(ppid.page.locator("#entry-status")).to_have_text("Menunggu persetujuan")
    assert ppid.buttons() == set()  # nothing for the proposer while approvals run
    ppid.check("submitted")

    for n, name in enumerate(APPROVER_NAMES):
        approver = Person(chromium, server, viewport, name).sign_in()
        _approve(approver, entry_url, last=n == len(APPROVER_NAMES) - 1)
        approver.close()

    ppid.page.goto(entry_url)
    assert ppid.buttons() == {"set_decree"}
    decree_day = (date.today() - timedelta(days=3)).isoformat()
    ppid.confirm(entry_url, "set_decree", decree_number="12/PP.06-Kpt/05/2026",
                 decree_date=decree_day)  # fmt: skip
    expect(ppid.page.locator("#entry-status")).to_have_text("Ditetapkan")
    ppid.page.click(f"#copy-{PERSONAL_ID}")  # OCR of the redacted page
    expect(ppid.page.locator("#step-ok")).to_contain_text("Salinan publik", timeout=SLOW_MS)
    ppid.confirm(entry_url, "publish")
    expect(ppid.page.locator("#entry-status")).to_have_text("Dipublikasikan")
    ppid.check("published")
    _redacted_copy_lacks_the_area(ppid, tmp_path)
    ppid.close()

    public = Person(chromium, server, viewport, "")
    public.page.goto(f"{server}/dik")
    row = public.page.locator("#dik-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DESCRIPTION)
    expect(row).to_contain_text("UU 14/2008 Pasal 17 huruf h angka 1")
    expect(row).to_contain_text("12/PP.06-Kpt/05/2026, tanggal")
    expect(public.page.locator("#dik-office")).to_have_text(OFFICE)
    assert public.page.locator("a[href*='/documents/']").count() == 0
    public.check("dik")
    pdf = public.page.request.get(server + public.page.get_attribute("#dik-pdf", "href"))
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    public.close()
