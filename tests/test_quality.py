"""Page quality: dictionary share and ink coverage see what OCR confidence does not."""

from __future__ import annotations

import random
import string
import subprocess

import pytest
from PIL import Image, ImageDraw

from tasks.quality import (
    ENGLISH_WORDS,
    MIN_DICTIONARY_SHARE,
    assess_page,
    assess_text,
    dictionary_words,
    ink_coverage,
    is_word,
)
from tests.scans import real_docs


@pytest.mark.parametrize(
    "word",
    ["keputusan", "dikecualikan", "pengecualian", "menyampaikan", "berdasarkan", "ditetapkan",
     "pelaksanaannya", "memperhatikan", "menyusun"],
)  # fmt: skip
def test_indonesian_roots_with_their_affixes_are_known(word):
    assert is_word(word)


@pytest.mark.skipif(not ENGLISH_WORDS.exists(), reason="wamerican (English word list) missing")
@pytest.mark.parametrize("word", ["information", "public", "agreement"])
def test_english_words_are_known(word):
    assert is_word(word)


@pytest.mark.parametrize("token", ["xqzvt", "fepowoka", "qwrtpl", "zzkkq"])
def test_gibberish_is_not(token):
    assert not is_word(token)


def test_a_gibberish_text_layer_does_not_read():
    rng = random.Random(5)
    gibberish = " ".join(
        "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(3, 9)))
        for _ in range(40)
    )
    quality = assess_text(gibberish)
    assert quality.dictionary_share is not None and quality.dictionary_share < 0.2
    assert quality.problems == ("not_words",)


def test_a_few_words_are_not_judged():
    assert assess_text("No. 12/KPU/2024  Jkt").dictionary_share is None
    assert not assess_text("QX ZZ 12").reads_badly


@pytest.mark.skipif(real_docs() is None, reason="real documents (../shared/real) not present")
def test_every_page_of_the_real_born_digital_documents_reads():
    docs = real_docs()
    assert docs is not None
    for pdf in sorted(docs.glob("*.pdf")):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        for number, page in enumerate(text.split("\f")[:-1], start=1):
            words, known = dictionary_words(page)
            if words >= 8:
                assert known / words >= MIN_DICTIONARY_SHARE + 0.2, (pdf.name, number)


def _page_with_text_blocks() -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """A 37-dpi text-ink picture (white ink on black) of six text lines."""
    ink = Image.new("L", (300, 400), 0)
    draw = ImageDraw.Draw(ink)
    lines = [(30, 40 + 30 * i, 270, 52 + 30 * i) for i in range(6)]
    for box in lines:
        draw.rectangle(box, fill=120)
    return ink, [tuple(v * 8 for v in box) for box in lines]  # boxes in 300-dpi pixels


def test_ink_coverage_sees_dropped_lines():
    ink, boxes = _page_with_text_blocks()
    assert ink_coverage(ink, boxes, 300 * 8) == pytest.approx(1.0, abs=0.02)
    assert ink_coverage(ink, boxes[:2], 300 * 8) == pytest.approx(2 / 6, abs=0.05)
    assert ink_coverage(Image.new("L", (300, 400), 0), [], 2400) is None  # blank page


def test_high_confidence_with_dropped_text_reads_badly():
    ink, boxes = _page_with_text_blocks()
    text = "Keputusan Komisi Pemilihan Umum tentang penetapan daftar pemilih tetap"
    quality = assess_page(text, 93.0, boxes[:2], ink, 2400)
    assert quality.problems == ("text_missing",)
    assert not assess_page(text, 93.0, boxes, ink, 2400).reads_badly
