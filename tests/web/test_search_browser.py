"""The search page in a real browser (Debian's chromium) at a desktop and a phone size: a
typo shows similar results and says so, the unit field offers the catalog's units, a
date range and a sort order are chosen in the form, a bad date reads in Indonesian. No
horizontal overflow, no console errors, no CSP violation. Screenshots: test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_support import (
    ARTIFACTS,
    VIEWPORTS,
    launch_chromium,
    serve_app,
    sign_in_page,
    watch_problems,
)
from tests.web.conftest import OPEN_ID, OPEN_PDF_ID, PASSWORDS, close_app, make_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def server(template_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import shutil

    home = tmp_path_factory.mktemp("search-browser") / "data"
    shutil.copytree(template_home, home)
    app = make_app(home)
    with serve_app(app) as url:
        yield url
    close_app(app)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


def _check(page: Any, problems: list[str], shot: str) -> None:
    wide = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 0, f"{shot}: {wide}px horizontal overflow"
    assert page.evaluate("window.__csp") == [], shot
    assert problems == [], (shot, problems)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_search_form_fuzzy_dates_sort(server: str, chromium: Any, size: str) -> None:
    from playwright.sync_api import expect

    width, height = VIEWPORTS[size]
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems = watch_problems(page)
    sign_in_page(page, server, "petugas1", PASSWORDS["petugas1"][1], "/search")

    page.fill("input[name=q]", "pemutakhiren")
    page.press("input[name=q]", "Enter")
    expect(page.locator(".notice-fuzzy")).to_contain_text("menampilkan hasil yang mirip")
    expect(page.locator(f"a.hit-title[href='/documents/{OPEN_ID}']")).to_be_visible()
    options = page.locator("#unit-list option")
    assert options.evaluate_all("os => os.map(o => o.value)") == [
        "KPU Kabupaten Bengkulu Tengah",
        "KPU Provinsi Bengkulu",
    ]
    _check(page, problems, f"search-fuzzy-{size}")

    page.fill("input[name=q]", "")
    page.fill("input[name=dari]", "2020-01-01")
    page.fill("input[name=sampai]", "2022-12-31")
    page.select_option("select[name=urut]", "terlama")
    page.press("input[name=unit]", "Enter")
    titles = page.locator("a.hit-title")
    expect(titles).to_have_count(2)
    assert [titles.nth(i).get_attribute("href") for i in range(2)] == [
        f"/documents/{OPEN_PDF_ID}",
        f"/documents/{OPEN_ID}",
    ]
    _check(page, problems, f"search-dates-sorted-{size}")

    page.goto(f"{server}/search?q=pemilu+AND")
    expect(page.locator(".notice-error")).to_contain_text("AND memerlukan kata sesudahnya")
    problems.clear()  # the 400 answer itself is logged by chromium as a failed resource
    _check(page, problems, f"search-error-{size}")
    context.close()
