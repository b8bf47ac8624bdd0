"""The text-quality checkpoint names the pages that read badly, even in a long document
whose other pages read well (one bad page is not averaged away)."""

from __future__ import annotations

import random
import string
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from archive.vocabulary import FLAG_LOW_OCR, FLAG_REVIEW
from flows.app.analysis import check_extraction
from flows.app.pipeline import Accepted, RunContext
from tasks.detect import Detected
from tasks.extract import Extraction, PageText
from tasks.ocr import OcrOptions
from tasks.quality import assess_text
from tests.conftest import LIMITS

GOOD = (
    "Keputusan Komisi Pemilihan Umum tentang penetapan daftar pemilih tetap untuk "
    "pemilihan umum anggota dewan perwakilan rakyat daerah kabupaten"
)


def _gibberish(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 8)))
        for _ in range(30)
    )


def _check(layout, catalog, pages: tuple[PageText, ...]) -> dict[str, object]:
    with ThreadPoolExecutor(1) as pool:
        ctx = RunContext(
            "run-1", layout, catalog, LIMITS, OcrOptions(), pool, 20, 60.0, 0.5, "delete"
        )
        detected = Detected(Path("doc.pdf"), "ab" * 32, 1, "application/pdf", "pdf", 3, True)
        event = check_extraction(
            ctx, Accepted(detected, datetime.now(UTC)), Extraction(pages, "text_layer")
        )
    return event.detail


def test_one_bad_page_among_good_ones_is_flagged_with_its_number(layout, catalog):
    pages = tuple(
        PageText(n, text, None, assess_text(text))
        for n, text in enumerate([GOOD, _gibberish(1), GOOD], start=1)
    )
    detail = _check(layout, catalog, pages)
    assert detail["flags"] == [FLAG_LOW_OCR, FLAG_REVIEW]
    assert detail["review_pages"] == [2]
    assert detail["page_problems"] == {"2": ["not_words"]}


def test_pages_that_read_raise_no_flag(layout, catalog):
    pages = (PageText(1, GOOD, None, assess_text(GOOD)),)
    detail = _check(layout, catalog, pages)
    assert detail["flags"] == [] and detail["review_pages"] == []
