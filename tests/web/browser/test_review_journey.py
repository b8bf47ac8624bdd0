"""The PPID empties the review queue in a real browser, on a desk and on a phone: the
review view shows every page of a document, "Pilih semua" + "Nyatakan terbuka" opens the
whole page of the queue at once, the queue is empty afterwards, and a petugas finds one
of the opened letters by a word of its text a moment later.

Fails on console errors (a CSP violation is one), failed requests, and on the queue's own
controls reaching past the screen. Times measured go to test-artifacts/review-timings.txt.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.settings import Settings, WebSettings
from tests.browser_support import VIEWPORTS, serve_app, sign_in_page, watch_problems
from tests.web.conftest import DOCS, OPEN_ID, PASSWORDS
from tests.web.review_fixtures import (
    LETTER_IDS,
    LETTER_WORD,
    MULTIPAGE_ID,
    RESCAN_ID,
    review_home,
)
from web.app import create_app
from web.runner import IngestRunner

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OPEN_TITLE = next(d.title for d in DOCS if d.id == OPEN_ID)


@pytest.fixture
def review_server(template_home: Path, tmp_path: Path) -> Iterator[str]:
    """Its own data root per viewport: the journey empties the queue. No ingest runs."""
    home = review_home(template_home, tmp_path)
    runner = IngestRunner(home, command=["true"])
    app = create_app(Settings(home=home), WebSettings(), runner=runner)
    with serve_app(app) as url:
        yield url


def _watch(page: Any) -> list[str]:
    return watch_problems(page, failed_responses=True)


def _sign_in(page: Any, url: str, username: str, target: str) -> None:
    sign_in_page(page, url, username, PASSWORDS[username][1], target)


def _fits(page: Any, selector: str) -> None:
    """The element's right edge stays on the screen (no sideways scrolling needed)."""
    width = page.viewport_size["width"]
    right = page.eval_on_selector(selector, "e => e.getBoundingClientRect().right")
    assert right <= width + 1, f"{selector} reaches {right}px on a {width}px screen"


def _timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return round((time.perf_counter() - start) * 1000)


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_ppid_bulk_opens_the_queue_then_a_petugas_finds_a_letter(
    review_server: str, browser: Any, artifacts: Path, screen: str
) -> None:
    from playwright.sync_api import expect

    width, height = VIEWPORTS[screen]
    url, times = review_server, {}
    ppid_ctx = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = ppid_ctx.new_page()
    problems = _watch(page)
    _sign_in(page, url, "ppid1", "/review")

    # The review view of a three-page scan: every page, loaded as it scrolls into view.
    view = f"{url}/review/{MULTIPAGE_ID}"
    times["review view (html)"] = _timed(lambda: page.goto(view, wait_until="domcontentloaded"))
    pages = page.locator("#review-pages img")
    expect(pages).to_have_count(3)

    def every_page_shown() -> None:
        for n in range(3):
            pages.nth(n).scroll_into_view_if_needed()
            page.wait_for_function(
                "i => i.complete && i.naturalWidth > 0", arg=pages.nth(n).element_handle()
            )

    times["review view (3 pages rendered, cold cache)"] = _timed(every_page_shown)
    expect(page.locator("#next-in-queue")).to_be_visible()
    page.screenshot(path=str(artifacts / f"review-view-{screen}.png"), full_page=True)

    # A likely re-scan names the document it repeats, with the merge one click away.
    page.goto(f"{url}/documents/{RESCAN_ID}")
    expect(page.locator("#near-duplicate-link")).to_have_text(OPEN_TITLE)
    expect(page.locator("#merge-rescan")).to_be_visible()
    expect(page.locator("#declare-open")).to_be_visible()
    page.screenshot(path=str(artifacts / f"review-near-duplicate-{screen}.png"), full_page=True)

    # The queue: pick every document on the page, declare them open at once.
    times["queue page (load)"] = _timed(lambda: page.goto(f"{url}/review"))
    rows = page.locator("#review-table tbody tr")
    total = rows.count()
    assert total >= len(LETTER_IDS) + 3
    _fits(page, ".bulk-bar")
    _fits(page, "#review-table")
    page.check("#select-all")
    expect(page.locator("#selected-count")).to_have_text(f"{total} dokumen dipilih")
    page.screenshot(path=str(artifacts / f"review-queue-{screen}.png"), full_page=True)

    def decide() -> None:
        page.click("#bulk-open")
        expect(page.locator("#decided-notice")).to_contain_text(
            f"{total} dokumen dinyatakan terbuka"
        )

    times[f"bulk open ({total} documents)"] = _timed(decide)
    expect(page.locator("#queue-empty")).to_be_visible()
    expect(page.locator("#review-table")).to_have_count(0)
    page.screenshot(path=str(artifacts / f"review-emptied-{screen}.png"), full_page=True)

    # A moment later, at the desk: a petugas finds an opened letter.
    desk_ctx = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    desk = desk_ctx.new_page()
    problems += _watch(desk)
    _sign_in(desk, url, "petugas1", "/search")
    desk.fill("input[name=q]", LETTER_WORD)
    times["petugas search"] = _timed(lambda: (desk.press("input[name=q]", "Enter"),
                                              desk.wait_for_load_state()))  # fmt: skip
    hit = desk.locator(f"a.hit-title[href='/documents/{LETTER_IDS[0]}']")
    expect(hit).to_be_visible()
    expect(desk.locator("a.hit-title")).to_have_count(len(LETTER_IDS))
    desk.screenshot(path=str(artifacts / f"review-petugas-search-{screen}.png"), full_page=True)
    hit.click()
    expect(desk.locator(".badges")).to_contain_text("Terbuka")

    with (artifacts / "review-timings.txt").open("a") as out:
        out.write(
            f"{screen} {width}x{height}: "
            + ", ".join(f"{k} {v} ms" for k, v in times.items())
            + "\n"
        )
    assert problems == [], problems
    ppid_ctx.close()
    desk_ctx.close()
