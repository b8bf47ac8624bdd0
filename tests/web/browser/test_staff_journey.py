"""A member of the PPID staff, in a real browser: sign in, upload a scan, watch it being
archived, find it by a word of its OCR text, open it, correct its type in the review
queue, sign out. Screenshots of the search and document pages go to test-artifacts/."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import watch_problems
from tests.web.conftest import PASSWORDS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARCHIVE_TIMEOUT_MS = 240_000


def test_sign_in_upload_search_open_correct_sign_out(
    live_server: str, browser: Any, scan: Path, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = context.new_page()
    problems = watch_problems(page, failed_responses=True)
    doc_id = hashlib.sha256(scan.read_bytes()).hexdigest()[:16]

    # Sign in (the first page asked for sends us to the sign-in form and back).
    page.goto(f"{live_server}/upload")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.screenshot(path=str(artifacts / "login-page.png"))
    page.fill("input[name=username]", "ppid1")
    page.fill("input[name=password]", PASSWORDS["ppid1"][1])
    page.click("button:has-text('Masuk')")
    expect(page).to_have_url(f"{live_server}/upload")

    # Upload the scan through the drop area's file input; follow its progress.
    page.set_input_files("#files", str(scan))
    expect(page.locator("#chosen")).to_contain_text("catatan-kegiatan.png")
    page.click("#upload-submit")
    expect(page).to_have_url(re.compile(r"/upload/[0-9a-f]{24}$"))
    row = page.locator("#upload-files tbody tr").first
    expect(row.locator(".status")).to_have_text("Diarsipkan", timeout=ARCHIVE_TIMEOUT_MS)
    expect(page.locator("#batch-summary")).to_contain_text("selesai")
    expect(row.locator("a")).to_have_attribute("href", f"/documents/{doc_id}")
    page.screenshot(path=str(artifacts / "upload-progress.png"))

    # Search for a word of its OCR text.
    page.click("nav >> text=Pencarian")
    page.fill("input[name=q]", "pemutakhiran")
    page.press("input[name=q]", "Enter")
    hit = page.locator(f"a.hit-title[href='/documents/{doc_id}']")
    expect(hit).to_be_visible()
    expect(page.locator(".hit mark").first).to_be_visible()
    page.screenshot(path=str(artifacts / "search-page.png"), full_page=True)

    # Open it: metadata, page preview, text, history.
    hit.click()
    expect(page).to_have_url(f"{live_server}/documents/{doc_id}")
    expect(page.locator(".doctext pre")).to_contain_text("pemutakhiran")
    thumb = page.locator(".thumbs img").first
    expect(thumb).to_be_visible()
    loaded = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(loaded, arg=thumb.element_handle())
    expect(page.locator(".badges")).to_contain_text("Jenis tidak pasti")
    page.screenshot(path=str(artifacts / "document-page.png"), full_page=True)

    # Correct its type in the review queue.
    page.click("nav >> text=Antrean Tinjauan")
    page.screenshot(path=str(artifacts / "review-queue.png"), full_page=True)
    page.click(f"#review-table a[href='/review/{doc_id}']")
    page.wait_for_function(loaded, arg=page.locator("img.preview").element_handle())
    page.select_option("#doc_type", "surat")
    page.screenshot(path=str(artifacts / "review-form.png"), full_page=True)
    page.click("button:has-text('Simpan koreksi')")
    expect(page.locator("#saved-notice")).to_contain_text(doc_id)
    data = page.request.get(f"{live_server}/documents/{doc_id}.json").json()
    assert data["doc_type"] == "surat"
    assert "tipe_tidak_pasti" not in data["flags"]
    assert any(e["kind"] == "correction" for e in data["events"])
    typed = page.request.get(f"{live_server}/search.json?q=pemutakhiran&type=surat").json()
    assert doc_id in {h["id"] for h in typed["hits"]}

    # Sign out: the session is gone.
    page.click("#logout")
    expect(page).to_have_url(f"{live_server}/login?keluar=1")
    expect(page.locator(".notice-ok")).to_have_text("Anda telah keluar.")
    page.goto(f"{live_server}/documents/{doc_id}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    assert problems == [], problems
    context.close()
