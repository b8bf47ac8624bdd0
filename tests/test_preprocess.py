"""The look at every page: skew, blur and text ink, from Pillow alone, in milliseconds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageStat

from flows import demo
from tasks.preprocess import clean, look_at, straighten
from tests import scans

LINES = demo.surat().pages()[0]


def _scan(tmp_path: Path, name: str, img: Image.Image) -> Path:
    out = tmp_path / f"{name}.pgm"
    img.save(out)  # uncompressed: milliseconds to write
    return out


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return demo.render_page(LINES, skew=0)


@pytest.mark.parametrize("angle", [0.0, 2.0, 7.0, -4.5])
def test_skew_is_found_to_a_tenth_of_a_degree_or_left_alone(tmp_path, page, angle):
    turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=250)
    look = look_at(_scan(tmp_path, "p", turned), 300)
    assert look.skew == pytest.approx(-angle, abs=0.3)
    assert not look.blurred


def test_a_photo_like_page_without_lines_is_not_turned(tmp_path):
    img = Image.radial_gradient("L").resize((2480, 3508))
    assert look_at(_scan(tmp_path, "g", img), 300).skew == 0


def test_blur_and_noise_are_seen_and_a_clean_page_has_neither(tmp_path, page):
    blurred = look_at(_scan(tmp_path, "b", page.filter(ImageFilter.GaussianBlur(3))), 300)
    assert (blurred.blurred, blurred.noisy) == (True, False)
    noisy = look_at(_scan(tmp_path, "n", scans.DEGRADATIONS["noise σ60"](page)), 300)
    assert (noisy.blurred, noisy.noisy) == (False, True)
    sharp = look_at(_scan(tmp_path, "s", page), 300)
    assert (sharp.blurred, sharp.noisy) == (False, False)


# The rules alone carry 2.4x the text's ink. Straight, what is left of them is their ends;
# turned straight again from 3°, interpolation leaves parts of the thin vertical rules.
@pytest.mark.parametrize(("angle", "left_at_most"), [(0.0, 1.25), (3.0, 2.0)])
def test_table_rules_are_not_counted_as_text_ink_even_on_a_skewed_page(
    tmp_path, page, angle, left_at_most
):
    ruled = page.copy()
    draw = ImageDraw.Draw(ruled)
    for y in range(180, 3300, 140):
        draw.rectangle((150, y, 2330, y + 3), fill=0)
    for x in (150, 900, 2330):
        draw.rectangle((x, 180, x + 3, 3260), fill=0)

    def ink(img: Image.Image, name: str) -> float:
        turned = img.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=250)
        return ImageStat.Stat(look_at(_scan(tmp_path, name, turned), 300).text_ink()).sum[0]

    plain, with_rules = ink(page, "p"), ink(ruled, "r")
    assert plain <= with_rules < plain * left_at_most


def test_straighten_and_clean_write_pictures_tesseract_reads(tmp_path, page):
    src = _scan(tmp_path, "s", page.rotate(7, expand=True, fillcolor=250))
    size = straighten(src, -7.0, tmp_path / "straight.pgm")
    with Image.open(tmp_path / "straight.pgm") as img:
        assert img.size == size and img.mode == "L"
    clean(src, tmp_path / "clean.pgm", sharpen=True, rules=True)
    with Image.open(tmp_path / "clean.pgm") as img:
        assert img.size == page.rotate(7, expand=True).size
