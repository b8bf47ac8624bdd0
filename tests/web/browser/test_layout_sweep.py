"""Every page of the app, in one chromium against one server, as the role that uses it, at
a desk (1366 x 900) and on a phone (390 x 844): no horizontal overflow, no console error,
no CSP violation. One screenshot per page and size goes to test-artifacts/sweep-*.png,
and the load times the browser measured to test-artifacts/layout-sweep.json.

Then the phone layout itself: the menu collapses behind a button (with and without
JavaScript), the search facets do not fill the first screen, and the public DIK reads as
cards with its downloads, decree and public copy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.settings import Settings
from tests.browser_support import ARTIFACTS, VIEWPORTS, launch_chromium, serve_app
from tests.exemptions.dik_setup import Seeded, build_dik_home
from tests.exemptions.web_setup import PERSONAL_ID, USERS
from tests.web.conftest import OPEN_ID, PENDING_ID, TEST_KDF, page_png
from web.app import create_app
from web.runner import IngestRunner

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OFFICE = "KPU Kabupaten Bengkulu Tengah"  # not the default: the headers must show it
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""
# What the browser measured, and the widest elements when the page is wider than the window.
MEASURE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""));
  return {
    scroll: document.scrollingElement.scrollWidth, width, wide, csp: window.__csp || [],
    ttfb: Math.round(nav.responseStart), load: Math.round(nav.loadEventEnd),
  };
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Seeded, Path]]:
    root = tmp_path_factory.mktemp("sweep")
    home = root / "data"
    seeded = build_dik_home(home)
    scan = root / "surat-undangan.png"
    scan.write_bytes(page_png(["Undangan rapat pleno", "", "Rapat pleno terbuka rekapitulasi."]))
    settings = Settings(home=home, office_name=OFFICE)
    # Uploads are filed and wait for a run; no run starts (OCR is not what this checks).
    app = create_app(settings, settings.web, kdf=TEST_KDF,
                     runner=IngestRunner(home, command=["true"]))  # fmt: skip
    with serve_app(app) as url:
        yield url, seeded, scan


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


# (page name, who opens it, path); {placeholders} come from Seeded and the upload.
PAGES: tuple[tuple[str, str | None, str], ...] = (
    ("login", None, "/login"),
    ("dik-public", None, "/dik"),
    ("request-form-public", None, "/permohonan"),
    ("request-status-public", None, "/permohonan/status"),
    ("search", "petugas1", "/search?q=rapat"),
    ("search-empty", "petugas1", "/search"),
    ("document", "petugas1", f"/documents/{OPEN_ID}"),
    ("upload", "petugas1", "/upload"),
    ("upload-status", "petugas1", "/upload/{batch}"),
    ("handover", "petugas1", "/handover"),
    ("requests", "petugas1", "/requests"),
    ("request-new", "petugas1", "/requests/new"),
    ("request", "petugas1", "/requests/{request}"),
    ("error-404", "petugas1", "/documents/ffffffffffffffff"),
    ("review", "ppid1", "/review"),
    ("review-document", "ppid1", f"/review/{PENDING_ID}"),
    ("document-restricted", "ppid1", f"/documents/{PERSONAL_ID}"),
    ("audit", "ppid1", "/audit"),
    ("exemptions", "ppid1", "/exemptions"),
    ("exemption-new", "ppid1", "/exemptions/new"),
    ("exemption-draft", "ppid1", "/exemptions/{draft}"),
    ("exemption-edit", "ppid1", "/exemptions/{draft}/edit"),
    ("exemption-areas", "ppid1", "/exemptions/{draft}/areas"),
    ("exemption-published", "ppid1", "/exemptions/{published}"),
    ("exemption-bases", "ppid1", "/exemptions/bases"),
    ("request-answer", "ppid1", "/requests/{request}/answer"),
    ("requests-report", "ppid1", "/requests/report"),
    ("dik-staff", "ppid1", "/dik"),
    ("exemption-waiting", "atasan1", "/exemptions/{waiting}"),
    ("exemption-approve", "atasan1", "/exemptions/{waiting}/step/approve"),
)
NOT_FOUND = {"error-404"}


class Person:
    """One browser context (own cookies) for one role, its console watched."""

    def __init__(self, browser: Any, base: str, who: str | None, size: str) -> None:
        width, height = VIEWPORTS[size]
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale="id-ID")  # fmt: skip
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.base = base
        self.console: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        self.page.on("pageerror", lambda exc: self.console.append(str(exc)))
        if who:
            self.page.goto(f"{base}/login")
            self.page.fill("input[name=username]", who)
            self.page.fill("input[name=password]", USERS[who][1])
            self.page.click("button[type=submit]")
            self.page.wait_for_url(f"{base}/search")

    def upload(self, scan: Path) -> str:
        self.page.goto(f"{self.base}/upload")
        self.page.set_input_files("#files", str(scan))
        self.page.click("#upload-submit")
        self.page.wait_for_url("**/upload/*")
        return str(self.page.url.rsplit("/", 1)[1])

    def visit(self, name: str, path: str, size: str) -> dict[str, Any]:
        self.console.clear()
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None
        measured: dict[str, Any] = self.page.evaluate(MEASURE)
        self.page.screenshot(path=str(ARTIFACTS / f"sweep-{size}-{name}.png"), full_page=True)
        expected = 404 if name in NOT_FOUND else 200
        console = [c for c in self.console
                   if not (expected == 404 and "status of 404" in c)]  # fmt: skip
        return measured | {"page": name, "size": size, "status": response.status,
                           "expected": expected, "console": console}  # fmt: skip


def _problems(row: dict[str, Any]) -> list[str]:
    where = f"{row['page']} @ {row['size']}"
    found = []
    if row["status"] != row["expected"]:
        found.append(f"{where}: HTTP {row['status']}")
    if row["scroll"] > row["width"]:
        found.append(f"{where}: {row['scroll']} px wide in {row['width']} ({row['wide']})")
    found += [f"{where}: console: {c}" for c in row["console"]]
    found += [f"{where}: CSP: {c}" for c in row["csp"]]
    return found


def test_every_page_fits_at_desk_and_phone_size(
    site: tuple[str, Seeded, Path], chromium: Any
) -> None:
    base, seeded, scan = site
    ARTIFACTS.mkdir(exist_ok=True)
    places = {"draft": seeded.draft, "waiting": seeded.waiting,
              "published": seeded.published, "request": seeded.request}  # fmt: skip
    rows: list[dict[str, Any]] = []
    people = dict.fromkeys(who for _name, who, _path in PAGES)
    for size in VIEWPORTS:
        for who in people:
            person = Person(chromium, base, who, size)
            if who == "petugas1" and "batch" not in places:
                places["batch"] = person.upload(scan)
            for name, owner, path in PAGES:
                if owner == who:
                    rows.append(person.visit(name, path.format(**places), size))
            person.context.close()
    (ARTIFACTS / "layout-sweep.json").write_text(json.dumps(rows, indent=1))
    for row in rows:
        print(f"{row['size']:5} {row['page']:24} {row['scroll']:5}/{row['width']} px "
              f"ttfb {row['ttfb']:4} ms load {row['load']:4} ms")  # fmt: skip
    assert len(rows) == 2 * len(PAGES)
    problems = [p for row in rows for p in _problems(row)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_phone_menu_folds_and_search_shows_results_first(
    site: tuple[str, Seeded, Path], chromium: Any, script: bool
) -> None:
    from playwright.sync_api import expect

    base, _seeded, _scan = site
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                   java_script_enabled=script)  # fmt: skip
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "petugas1")
    page.fill("input[name=password]", USERS["petugas1"][1])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/search")
    menu = page.locator("nav.mainnav a[href='/handover']")
    expect(page.locator("label.menu-button")).to_be_visible()
    expect(menu).to_be_hidden()
    page.click("label.menu-button")
    expect(menu).to_be_visible()
    expect(page.locator("#logout")).to_be_visible()
    page.screenshot(
        path=str(ARTIFACTS / f"sweep-phone-menu-open-{'js' if script else 'no-js'}.png")
    )
    if script:  # the enhancement: Escape folds it again
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()
    page.goto(f"{base}/search?q=rapat")
    first = page.locator(".hit").first.bounding_box()
    assert first is not None and first["y"] < 844, first  # a result on the first screen
    if script:
        expect(page.locator(".facets-fold > summary")).to_be_visible()
        expect(page.locator(".facet").first).to_be_hidden()
        page.click(".facets-fold > summary")
        expect(page.locator(".facet").first).to_be_visible()
    context.close()


def test_desk_keeps_menu_and_facets_open(site: tuple[str, Seeded, Path], chromium: Any) -> None:
    from playwright.sync_api import expect

    base, _seeded, _scan = site
    person = Person(chromium, base, "petugas1", "desk")
    page = person.page
    page.goto(f"{base}/search?q=rapat")
    expect(page.locator("label.menu-button")).to_be_hidden()
    expect(page.locator("nav.mainnav a[href='/handover']")).to_be_visible()
    expect(page.locator(".facets-fold > summary")).to_be_hidden()
    expect(page.locator(".facet").first).to_be_visible()
    assert person.console == []
    person.context.close()


def test_public_dik_on_a_phone(site: tuple[str, Seeded, Path], chromium: Any) -> None:
    from playwright.sync_api import expect

    base, seeded, _scan = site
    person = Person(chromium, base, None, "phone")
    page = person.page
    page.goto(f"{base}/dik")
    expect(page.locator("#dik-office")).to_have_text(OFFICE)
    expect(page.locator(".brand-text")).to_contain_text(OFFICE)
    for link in ("#dik-pdf", "#dik-csv"):
        expect(page.locator(link)).to_be_visible()
        href = page.locator(link).get_attribute("href")
        assert page.request.get(base + str(href)).ok
    card = page.locator("#dik-table tbody tr").first
    expect(card.locator("td.dik-decree")).to_contain_text("77/PP.06-Kpt/1709/2024")
    expect(card.locator("td.dik-decree")).to_contain_text("1 Maret 2024")
    box = card.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # a card, not a wide table row
    copy = card.locator("a.dik-copy")
    expect(copy).to_have_attribute("href", f"/dik/salinan/{seeded.published}-1.pdf")
    download = page.request.get(base + f"/dik/salinan/{seeded.published}-1.pdf")
    assert download.ok and download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")
    assert person.console == []
    assert page.evaluate("window.__csp") == []
    person.context.close()


def test_wide_tables_scroll_in_their_box_on_a_small_desk(
    site: tuple[str, Seeded, Path], chromium: Any
) -> None:
    """Between phone and desk (1024 px): the audit table is wider than the window; it
    scrolls inside its box, and the 8-column DIK reads as cards at 768 px."""
    base, _seeded, _scan = site
    person = Person(chromium, base, "ppid1", "desk")
    page = person.page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base}/audit")
    measured = page.evaluate(MEASURE)
    assert measured["scroll"] <= 1024, measured
    assert page.evaluate("document.querySelector('#audit-table').parentElement.className") == (
        "table-scroll"
    )
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{base}/dik")
    assert page.evaluate(MEASURE)["scroll"] <= 768
    shown = page.evaluate("getComputedStyle(document.querySelector('#dik-table thead')).display")
    assert shown == "none"  # cards: each cell under its column's name
    assert person.console == []
    person.context.close()
