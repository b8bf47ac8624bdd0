"""Re-scans of one paper are recognised; different documents, even pages of one
regulation with the same headers, are not. Texts: the real documents' born-digital text,
read back with OCR-like damage (fast), and the same pages scanned badly and OCRed (slow)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from tasks.text.fingerprint import (
    CANDIDATE_BITS,
    MIN_RESEMBLANCE,
    distance,
    resemblance,
    simhash,
)
from tests.text.real_docs import born_digital_text, real_docs_dir, scanned_text, skip_reason

REAL = real_docs_dir()
needs_real = pytest.mark.skipif(REAL is None, reason=skip_reason())
CONFUSIONS = {"o": "0", "l": "1", "i": "l", "e": "c", "a": "e", "n": "m", "u": "v"}


def ocr_damage(text: str, rate: float, seed: int) -> str:
    """Misread characters at ``rate``, independently per read (real re-scans share most of
    their errors: the same glyphs are hard each time, so this is the harsher case)."""
    rng = random.Random(seed)
    out = []
    for ch in text:
        if ch.isalnum() and rng.random() < rate:
            out.append(CONFUSIONS.get(ch.lower(), ch) if rng.random() < 0.8 else "")
        else:
            out.append(ch)
    return "".join(out)


def is_rescan(a: str, b: str) -> bool:
    ha, hb = simhash(a), simhash(b)
    assert ha is not None and hb is not None
    return distance(ha, hb) <= CANDIDATE_BITS and resemblance(a, b) >= MIN_RESEMBLANCE


def _pages(name: str) -> list[str]:
    assert REAL is not None
    return [p for p in born_digital_text(REAL / name).split("\f") if len(p.split()) > 80]


@needs_real
@pytest.mark.parametrize("name", ["surat-kemenpkp-kp0602.pdf", "perki-1-2013.pdf"])
def test_the_same_page_read_twice_with_ocr_errors_is_a_rescan(name: str) -> None:
    page = _pages(name)[0]
    # 0.4 % of characters: about one word in thirty misread, differently in each read.
    assert is_rescan(ocr_damage(page, 0.004, 1), ocr_damage(page, 0.004, 2))


@needs_real
def test_pages_of_one_regulation_are_not_rescans_of_each_other() -> None:
    pages = _pages("perki-1-2013.pdf")[:8]
    for a, b in itertools.pairwise(pages):
        assert not is_rescan(a, b)


@needs_real
def test_different_letters_of_one_ministry_are_not_rescans() -> None:
    a = _pages("surat-kemenpkp-kp0602.pdf")[0]
    b = _pages("surat-kemenpkp-pa0203.pdf")[0]
    assert not is_rescan(a, b)


def test_the_same_words_in_another_order_are_not_a_rescan() -> None:
    """Letters written from the same stock phrases share their words, not their order."""
    rng = random.Random(7)
    base = [f"kata{i % 60}" for i in range(240)]
    shuffled = base[:]
    rng.shuffle(shuffled)
    assert resemblance(" ".join(base), " ".join(base)) == 1.0
    assert not is_rescan(" ".join(base), " ".join(shuffled))


def test_too_little_text_gives_no_fingerprint() -> None:
    assert simhash("Nomor 12 Tahun 2024") is None
    assert simhash(" ".join(f"kata{i}" for i in range(40))) is not None


def test_the_fingerprint_fits_a_signed_bigint() -> None:
    for seed in range(50):
        text = " ".join(random.Random(seed).choice(["pemilu", "rapat", "surat", "12"]) + str(i)
                        for i in range(60))  # fmt: skip
        value = simhash(text)
        assert value is not None and -(2**63) <= value < 2**63


@pytest.mark.slow
@needs_real
def test_real_rescans_are_recognised_and_other_pages_are_not(tmp_path: Path) -> None:
    """The same first page scanned clean, blurred and as a JPEG at quality 60 (different
    bytes, OCR reads them a little differently) is one paper; the next regulation is not."""
    assert REAL is not None
    reads = {
        d: scanned_text(REAL / "permen-bumn-per-9-2020.pdf", 1, d, tmp_path)
        for d in ("clean", "blur", "jpeg60")
    }
    assert is_rescan(reads["clean"], reads["blur"])
    assert is_rescan(reads["clean"], reads["jpeg60"])
    other = scanned_text(REAL / "perki-1-2013.pdf", 1, "clean", tmp_path)
    assert not is_rescan(reads["clean"], other)
