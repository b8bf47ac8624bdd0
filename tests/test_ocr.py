"""Real Tesseract on generated scans: text, confidence, rotation, searchable PDF, cache."""

from __future__ import annotations

import difflib
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from flows import demo
from tasks import ocr_reading
from tasks.detect import detect
from tasks.extract import build_searchable_pdf, extract
from tasks.ocr import OcrOptions
from tasks.text.classify import classify
from tasks.text.metadata import extract_metadata
from tests.conftest import LIMITS

pytestmark = pytest.mark.slow
OPTIONS = OcrOptions()


@pytest.fixture(scope="module")
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(2) as executor:
        yield executor


def _similar(a: str | None, b: str | None) -> float:
    return difflib.SequenceMatcher(None, a or "", b or "").ratio()


@pytest.mark.parametrize(
    ("make", "writer", "name"),
    [
        (demo.keputusan, demo.write_scanned_pdf, "keputusan.pdf"),
        (demo.surat, demo.write_image, "surat.png"),
        (demo.berita_acara, demo.write_image, "berita-acara.jpg"),
        (demo.sop, demo.write_image, "sop.tiff"),
    ],
)
def test_scans_yield_type_number_date_unit(tmp_path: Path, pool, make, writer, name: str):
    sample = make()
    found = detect(writer(sample, tmp_path / name), LIMITS)
    ex = extract(found, OPTIONS, tmp_path / "cache", pool, 20)
    assert ex.text_source == "ocr"
    assert ex.ocr_confidence is not None and ex.ocr_confidence > 80
    kind = classify(ex.text)
    assert kind.doc_type == sample.doc_type
    meta = extract_metadata(ex.text, kind.doc_type)
    assert meta.date == sample.date
    assert meta.unit == sample.unit
    # Tesseract's ind model confuses I/1 and O/0 inside codes (DOMAIN.md): near enough.
    assert _similar(meta.number, sample.number) >= 0.9, (meta.number, sample.number)


def test_upside_down_scan_is_detected_and_read(tmp_path: Path, pool):
    path = demo.write_scanned_pdf(demo.surat(), tmp_path / "terbalik.pdf", rotate=180)
    ex = extract(detect(path, LIMITS), OPTIONS, tmp_path / "cache", pool, 20)
    assert ex.ocr_pages[0].rotated
    assert "Undangan Rapat Koordinasi" in ex.text
    assert ex.ocr_confidence is not None and ex.ocr_confidence > 80


def test_searchable_pdf_keeps_the_scan_and_adds_text(tmp_path: Path, pool):
    scan = demo.write_scanned_pdf(demo.keputusan(), tmp_path / "k.pdf")
    found = detect(scan, LIMITS)
    ex = extract(found, OPTIONS, tmp_path / "cache", pool, 20)
    out = tmp_path / "searchable.pdf"
    assert build_searchable_pdf(found, ex, out)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "PEMILIH" in text and "MEMUTUSKAN" in text
    images = subprocess.run(
        ["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "jpeg" in images, "the original JPEG scan must be kept, not re-encoded"


def test_ocr_results_are_cached_by_content(tmp_path: Path, pool, monkeypatch):
    found = detect(demo.write_image(demo.surat(), tmp_path / "s.png"), LIMITS)
    first = extract(found, OPTIONS, tmp_path / "cache", pool, 20)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("tesseract ran again on cached bytes")

    monkeypatch.setattr(ocr_reading, "run_tesseract", refuse)
    second = extract(found, OPTIONS, tmp_path / "cache", pool, 20)
    assert second.text == first.text
    assert second.ocr_confidence == first.ocr_confidence


def test_only_pages_without_text_layer_are_ocred(tmp_path: Path, pool):
    text_pdf = demo.write_text_pdf(demo.sop(), tmp_path / "t.pdf")
    scan_pdf = demo.write_scanned_pdf(demo.surat(), tmp_path / "s.pdf")
    mixed = demo.merge_pdfs([text_pdf, scan_pdf], tmp_path / "mixed.pdf")
    found = detect(mixed, LIMITS)
    ex = extract(found, OPTIONS, tmp_path / "cache", pool, 20)
    assert [p.page for p in ex.ocr_pages] == [2]
    assert "STANDAR OPERASIONAL PROSEDUR" in ex.pages[0].text
    assert "Undangan" in ex.pages[1].text
    out = tmp_path / "searchable.pdf"
    assert build_searchable_pdf(found, ex, out)
    pages = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    assert "STANDAR" in pages[0] and "Undangan" in pages[1]


def test_blank_page_has_no_words_and_zero_confidence(tmp_path: Path, pool):
    blank = demo.SampleDoc("lainnya", None, None, None, None, ("",))
    found = detect(demo.write_image(blank, tmp_path / "blank.png"), LIMITS)
    ex = extract(found, OPTIONS, tmp_path / "cache", pool, 20)
    assert ex.text.strip() == "" or ex.ocr_confidence is not None
    assert ex.ocr_pages[0].words <= 3
