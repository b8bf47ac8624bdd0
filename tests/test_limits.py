"""Hostile files cost a bounded amount of the machine and end with the right reason."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from tasks.detect import detect
from tasks.errors import Rejected
from tasks.limits import ChildLimits, run_limited
from tasks.ocr import OcrOptions, ocr_page
from tasks.poppler import render_page
from tasks.tesseract import run_tesseract
from tasks.thumbnails import NoThumbnail, render_thumbnail
from tests.conftest import LIMITS


def _pdf_with_page(out: Path, width_pt: float, height_pt: float) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(width_pt, height_pt))
    pdf.save(out)
    return out


def _pdf_with_image(out: Path, width_px: int, height_px: int) -> Path:
    """One page drawing one grey image whose dictionary claims ``width_px x height_px``;
    its data is a few bytes: only a decoder would find out, and none must run."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    image = pikepdf.Stream(pdf, zlib.compress(b"\0" * 4096))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = width_px, height_px, 8
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceGray, pikepdf.Name.FlateDecode
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    pdf.save(out)
    return out


def _text_page(out: Path) -> Path:
    img = Image.new("L", (2480, 3508), 255)
    ImageDraw.Draw(img).text((100, 100), "Keputusan Komisi Pemilihan Umum", fill=0)
    img.save(out, dpi=(300, 300))
    return out


def test_a_huge_image_inside_a_pdf_is_refused_at_intake_before_decoding(tmp_path):
    bomb = _pdf_with_image(tmp_path / "bomb.pdf", 35_000, 35_000)
    started = time.monotonic()
    with pytest.raises(Rejected) as info:
        detect(bomb, LIMITS)
    assert info.value.code == "image_too_large" and "35000x35000" in info.value.detail
    assert time.monotonic() - started < 2


def test_a_tiny_pdf_with_a_giant_page_gets_no_thumbnail_and_no_render(tmp_path):
    strip = _pdf_with_page(tmp_path / "strip.pdf", 30, 14_400)  # the 1.2 kB file of issue 11
    assert strip.stat().st_size < 2000
    started = time.monotonic()
    with pytest.raises(NoThumbnail, match="exceeds the limit"):
        render_thumbnail(strip, 1, tmp_path / "thumb.png")
    assert time.monotonic() - started < 2
    assert not (tmp_path / "thumb.png").exists()


def test_a_page_too_large_to_render_for_ocr_is_refused_before_pdftoppm(tmp_path):
    poster = _pdf_with_page(tmp_path / "poster.pdf", 2000, 2000)  # 8,333 px square at 300 dpi
    (tmp_path / "cache").mkdir()
    with pytest.raises(Rejected) as info:
        ocr_page(poster, "pdf", 1, OcrOptions(max_pixels=50_000_000), tmp_path / "cache")
    assert info.value.code == "image_too_large"
    assert not list(tmp_path.glob("**/*.pgm"))


def test_pdftoppm_is_stopped_by_its_memory_limit(tmp_path):
    poster = _pdf_with_page(tmp_path / "poster.pdf", 2000, 2000)
    cmd = ["pdftoppm", "-r", "300", "-singlefile", str(poster), str(tmp_path / "out")]
    with pytest.raises(Rejected) as info:
        run_limited(cmd, timeout_s=60, what="pdftoppm", limits=ChildLimits(memory_bytes=64 << 20))
    assert info.value.code == "image_too_large" and "64 MB" in info.value.detail


def test_tesseract_out_of_memory_is_image_too_large_not_a_timeout(tmp_path):
    page = _text_page(tmp_path / "page.png")
    with pytest.raises(Rejected) as info:
        run_tesseract(page, 300, OcrOptions(memory_mb=100), 3, tmp_path / "out", 1)
    assert info.value.code == "image_too_large"


def test_tesseract_over_its_cpu_limit_is_stopped_and_not_retried(tmp_path):
    # 3,000 readable words: ~18 s of Tesseract CPU here. Pillow's 11 px bitmap font is
    # not read at all (0 words in ~0.9 s), which raced the 1 s limit and failed CI.
    big = Image.new("L", (4000, 6000), 255)
    draw = ImageDraw.Draw(big)
    font = ImageFont.load_default(size=36)
    line = "Keputusan Komisi Pemilihan Umum nomor 12 tahun 2024 " * 3
    for row in range(0, 6000, 48):
        draw.text((20, row), line, fill=0, font=font)
    big.save(tmp_path / "dense.png", dpi=(300, 300))
    with pytest.raises(Rejected) as info:  # Rejected: no retry (Transient would be retried)
        run_tesseract(tmp_path / "dense.png", 300, OcrOptions(timeout_s=1), 3, tmp_path / "o", 1)
    assert info.value.code == "timeout" and "CPU limit" in info.value.detail


def test_a_tesseract_error_is_ocr_failed_with_its_message(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(Rejected) as info:
        run_tesseract(broken, 300, OcrOptions(), 3, tmp_path / "out", 4)
    assert info.value.code == "ocr_failed"
    assert "page 4" in info.value.detail and "png" in info.value.detail.lower()


def test_render_page_refuses_before_rendering(tmp_path):
    strip = _pdf_with_page(tmp_path / "strip.pdf", 30, 14_400)
    with pytest.raises(Rejected, match="exceeds the limit"):
        render_page(strip, 1, tmp_path / "p", 1_000_000, dpi=300)
