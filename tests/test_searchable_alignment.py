"""Searchable PDFs line up: the invisible words sit on the words in the picture, however
the page turns its image (/Rotate, the image's own matrix) and however skewed the scan.

The check is the one a person makes by selecting text: render the searchable PDF, take
each word's box from its text layer (``pdftotext -bbox``), and look at the pixels under
it. A layer upside down, sideways or shifted puts most boxes on paper.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from flows import demo
from tasks.detect import detect
from tasks.extract import build_searchable_pdf, extract
from tasks.ocr import OcrOptions
from tests.conftest import LIMITS

pytestmark = pytest.mark.slow
LINES = demo.surat().pages()[0]
RENDER_DPI = 100
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
)


@pytest.fixture(scope="module")
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(2) as executor:
        yield executor


@pytest.fixture(scope="module")
def scan() -> Image.Image:
    return demo.render_page(LINES, skew=0)


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85)
    return buf.getvalue()


def _scan_pdf(
    out: Path, stored: Image.Image, matrix: str, box: tuple[int, int], rotate: int
) -> Path:
    """One page: ``stored`` as a JPEG image drawn with ``matrix``, media box ``box``."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=box)
    image = pikepdf.Stream(pdf, _jpeg(stored))
    image.Type, image.Subtype, image.Filter = (
        pikepdf.Name.XObject,
        pikepdf.Name.Image,
        pikepdf.Name.DCTDecode,
    )
    image.Width, image.Height, image.BitsPerComponent = stored.width, stored.height, 8
    image.ColorSpace = pikepdf.Name.DeviceGray
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, f"q {matrix} cm /Im0 Do Q".encode())
    if rotate:
        page.Rotate = rotate
    pdf.save(out)
    return out


def _words_on_ink(pdf: Path, tmp: Path) -> tuple[int, float]:
    """How many words the text layer has (3+ letters), and the share with ink under them."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-r", str(RENDER_DPI), "-gray", "-singlefile", str(pdf), str(tmp / "shown")],
        check=True,
    )
    scale = RENDER_DPI / 72
    with Image.open(tmp / "shown.pgm") as shown:
        page = shown.convert("L")
        boxes = [tuple(float(v) * scale for v in m.groups()[:4]) for m in _WORD.finditer(html)
                 if len(m[5]) >= 3]  # fmt: skip
        inked = 0
        for box in boxes:
            region = page.crop(tuple(round(v) for v in box))
            dark = sum(region.point(lambda v: 255 if v < 128 else 0).histogram()[255:])
            inked += dark >= 0.03 * max(1, region.width * region.height)
    return len(boxes), inked / max(1, len(boxes))


def _searchable(path: Path, tmp: Path, pool: ThreadPoolExecutor) -> tuple[Path, object]:
    found = detect(path, LIMITS)
    ex = extract(found, OcrOptions(), tmp / "cache", pool, 20)
    out = tmp / "searchable.pdf"
    assert build_searchable_pdf(found, ex, out)
    return out, ex


A4 = (595, 842)


@pytest.mark.parametrize(
    ("name", "stored", "matrix", "box", "rotate"),
    [
        # The page turns the picture with /Rotate: stored upside down, shown upright.
        ("rotate-180", Image.Transpose.ROTATE_180, "595 0 0 842 0 0", A4, 180),
        # Stored sideways, the landscape page shown upright by /Rotate 90.
        ("rotate-90", Image.Transpose.ROTATE_270, "842 0 0 595 0 0", (842, 595), 90),
        # The image's own matrix turns it: stored upside down, drawn rotated by 180°.
        ("matrix-180", Image.Transpose.ROTATE_180, "-595 0 0 -842 595 842", A4, 0),
    ],
)
def test_text_layer_sits_on_the_words_however_the_page_turns_its_image(
    tmp_path, pool, scan, name, stored, matrix, box, rotate
):
    pdf = _scan_pdf(tmp_path / f"{name}.pdf", scan.transpose(stored), matrix, box, rotate)
    out, ex = _searchable(pdf, tmp_path, pool)
    assert "Undangan Rapat Koordinasi" in ex.text  # type: ignore[attr-defined]
    words, on_ink = _words_on_ink(out, tmp_path)
    assert words >= 40 and on_ink >= 0.9, (name, words, on_ink)


def test_a_skewed_scan_is_read_straightened_and_its_layer_follows_the_skew(tmp_path, pool, scan):
    skewed = scan.rotate(7, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=250)
    path = tmp_path / "skewed.jpg"
    skewed.save(path, quality=85, dpi=(300, 300))
    out, ex = _searchable(path, tmp_path, pool)
    (repair,) = ex.ocr_pages[0].repairs  # type: ignore[attr-defined]
    assert repair.startswith("deskew ") and abs(float(repair.split()[1]) + 7) <= 0.3
    assert "Undangan Rapat Koordinasi" in ex.text  # type: ignore[attr-defined]
    words, on_ink = _words_on_ink(out, tmp_path)
    assert words >= 40 and on_ink >= 0.9, (words, on_ink)


def test_a_png_without_resolution_becomes_a_page_of_its_real_size_and_is_flagged(
    tmp_path, pool, scan
):
    path = tmp_path / "no-dpi.png"
    scan.save(path)  # no pHYs chunk: img2pdf alone would make it 26 x 37 inches
    out, ex = _searchable(path, tmp_path, pool)
    assert ex.assumed_dpi_pages == (1,)  # type: ignore[attr-defined]
    with pikepdf.open(out) as pdf:
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 at the default 300 dpi
    words, on_ink = _words_on_ink(out, tmp_path)
    assert words >= 40 and on_ink >= 0.9
