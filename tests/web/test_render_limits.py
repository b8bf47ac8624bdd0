"""Page previews cost a bounded amount of the machine (issue #11): the page size at the
preview's scale is checked before any page is rendered, each pdftoppm child runs under
the preview's memory and CPU limits, and only a few render at once."""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import httpx
import pikepdf
from fastapi import FastAPI

from archive.store import file_document, sha256_bytes
from tests.browser_support import serve_app
from tests.support.records import document_record
from tests.web.conftest import PASSWORDS, form_token, sign_in

STRIP_ID = "0d0d0d0d0d0d0d01"  # 30 pages of 30 x 14,400 pt: the 1.2 kB file of the issue
SQUARE_ID = "0d0d0d0d0d0d0d02"  # 30 pages of 14,400 x 14,400 pt
SLOW_ID = "0d0d0d0d0d0d0d03"  # 8 tall pages of strokes, each a while for pdftoppm
# What the issue asks of previews on this two-core machine: at most two renders at once,
# each child held well below the 2 GB an OCR render may take.
MOST_RENDERS = 2
MOST_PREVIEW_MEMORY = 1024 * 1024 * 1024


def _pdf(path: Path, pages: int, size: tuple[float, float], strokes: int = 0) -> bytes:
    pdf = pikepdf.new()
    rnd = random.Random(11)
    for n in range(pages):
        pdf.add_blank_page(page_size=size)
        if strokes:
            w, h = size
            ops = [b"0.5 w"]
            for _ in range(strokes):
                x, y = rnd.uniform(0, w), rnd.uniform(0, h)
                ops.append(f"{x:.1f} {y:.1f} m {x + 40:.1f} {y + 30:.1f} l S".encode())
            pdf.pages[n].Contents = pikepdf.Stream(pdf, b"\n".join(ops))
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return path.read_bytes()


def _add(app: FastAPI, doc_id: str, original: bytes, pages: int) -> None:
    services = app.state.services
    layout = services.settings.layout
    target = layout.document_dir(2024, "lainnya", doc_id)
    file_document(
        layout, target, {"original.pdf": original}, {"original.pdf": sha256_bytes(original)}
    )
    record = document_record(
        doc_id, sha256=sha256_bytes(original), access="terbuka", pages=pages,
        year=2024, title="Berkas uji", archive_path=str(target.relative_to(layout.home)),
    )  # fmt: skip
    services.catalog.add_document(record, [])


def test_a_tiny_pdf_of_giant_pages_is_refused_before_rendering(fresh_app: FastAPI, tmp_path: Path):
    strip = _pdf(tmp_path / "strip.pdf", 30, (30, 14_400))
    assert len(strip) < 4000  # a few kB ask for 30 pages of 320 x 153,600 pixels
    _add(fresh_app, STRIP_ID, strip, 30)
    _add(fresh_app, SQUARE_ID, _pdf(tmp_path / "square.pdf", 30, (14_400, 14_400)), 30)
    client = sign_in(fresh_app, "ppid1")
    started = time.monotonic()
    page = client.get(f"/documents/{STRIP_ID}")  # the page itself renders nothing
    assert page.status_code == 200 and time.monotonic() - started < 5
    for number in (1, 15, 30):
        for size in ("s", "l"):
            started = time.monotonic()
            response = client.get(f"/documents/{STRIP_ID}/pages/{number}.png?size={size}")
            assert time.monotonic() - started < 3
            assert response.status_code == 404
            assert "Pratinjau halaman tidak dapat dibuat." in response.text
    thumbs = fresh_app.state.services.settings.layout.cache / "thumbs"
    assert not (thumbs / STRIP_ID).exists() or not any((thumbs / STRIP_ID).iterdir())
    # A square giant page is only drawn as big as the preview: a small picture, quickly.
    started = time.monotonic()
    response = client.get(f"/documents/{SQUARE_ID}/pages/30.png?size=l")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert time.monotonic() - started < 10
    assert int.from_bytes(response.content[16:20], "big") == 1000  # PNG IHDR width


def _pdftoppm_children() -> dict[int, int]:
    """pdftoppm processes started by this process: pid -> their address-space limit."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            limits = Path(f"/proc/{entry}/limits").read_text()
        except OSError:
            continue
        name, ppid = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        if name == "pdftoppm" and int(ppid.split()[1]) == os.getpid():
            line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
            found[int(entry)] = int(line.split()[3])
    return found


def test_previews_render_a_few_at_a_time_under_their_limits(fresh_app: FastAPI, tmp_path: Path):
    _add(fresh_app, SLOW_ID, _pdf(tmp_path / "slow.pdf", 8, (595, 2380), strokes=200), 8)
    seen: list[dict[int, int]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(_pdftoppm_children())
            time.sleep(0.003)

    with serve_app(fresh_app) as base, httpx.Client(base_url=base, timeout=120) as client:
        token = form_token(client.get("/login").text)
        signed = client.post(
            "/login",
            data={"username": "ppid1", "password": PASSWORDS["ppid1"][1], "csrf_token": token},
        )
        assert signed.status_code == 303
        cookies = dict(client.cookies)
        results: dict[int, httpx.Response] = {}

        def fetch(page: int) -> None:
            with httpx.Client(base_url=base, timeout=120, cookies=cookies) as own:
                results[page] = own.get(f"/documents/{SLOW_ID}/pages/{page}.png?size=l")

        watcher = threading.Thread(target=watch)
        watcher.start()
        fetchers = [threading.Thread(target=fetch, args=(page,)) for page in range(1, 9)]
        for thread in fetchers:
            thread.start()
        for thread in fetchers:
            thread.join()
        done.set()
        watcher.join()
    assert {page: r.status_code for page, r in results.items()} == dict.fromkeys(range(1, 9), 200)
    most = max(len(sample) for sample in seen)
    assert 1 <= most <= MOST_RENDERS, most  # seen at all, and never more at once
    limits = {limit for sample in seen for limit in sample.values()}
    assert limits and max(limits) <= MOST_PREVIEW_MEMORY, limits
