"""Page pictures before Tesseract: a cheap look at every page, repairs only where they pay.

Pillow only (no numpy on this machine). Every page gets a look at ~150 and ~37 dpi, a few
milliseconds: is it skewed, is it blurred, where is its ink. A straight, sharp page goes
to Tesseract untouched, so clean scans cost what they did; a skewed page is rotated
straight first (Tesseract loses whole lines from 5° on); blurred, noisy or ruled pages get
a cleaned copy. The ink picture is what the quality check compares Tesseract's words with.

A PNG or PNM page has to be decoded whole for the look; that decoding is kept, written as
uncompressed TIFF for Tesseract (~8 ms), instead of Tesseract decoding the same pixels
again: Leptonica reads a PNG page in ~75 ms, a PGM in ~260 ms (byte by byte), an
uncompressed TIFF in ~8 ms. Every picture written here is an uncompressed TIFF for that
reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat

LOOK_DPI = 150  # blur and noise are still visible here; decoding a JPEG at 1/2 is cheap
INK_DPI = 37.5  # text lines are a few pixels high: enough for skew and ink coverage
MAX_SKEW = 15.0  # beyond this a page is sideways, which Tesseract's orientation pass reads
MIN_SKEW = 0.4  # Tesseract reads this much skew as well as none
# Straightness test: at 0° the row profile of straight text is sharper than at ±1° by a
# clear margin (1.4-2.9 on real pages); at 0.6° skew and more it no longer is (≤ 1.02).
STRAIGHT_MARGIN = 1.15
BLUR_GRAY_SHARE = 0.75  # share of mid-grey among dark pixels: ~0.4 sharp, 0.94+ blurred
NOISE_LEVEL = 8.0  # quietest |square - median| at 150 dpi: clean pages <= 5, noisy >= 12
_INK_FLOOR = 32  # below this darkness a 37-dpi pixel is speckle or paper, not text
# A run of solid ink this long is a rule or a table border: letters always leave gaps.
RULE_MM = 8.0
_SOLID = 230  # share of inked pixels along a run (of 255) that makes it solid


@dataclass(frozen=True)
class PageLook:
    size: tuple[int, int]
    skew: float  # degrees to rotate (counter-clockwise) to straighten; 0: leave as it is
    blurred: bool
    noisy: bool
    grey: Image.Image = field(compare=False, repr=False)  # the page at ~150 dpi
    grey_dpi: float = LOOK_DPI
    # The same pixels as the picture, decoded once, for Tesseract; None: read the picture.
    decoded: Path | None = None

    def text_ink(self) -> Image.Image:
        """Text ink at ~37 dpi (white on black) as Tesseract will see the page: turned
        straight when it is skewed, rules and table borders left out (they are not text,
        and a turned rule is no longer a horizontal run)."""
        grey = self.grey
        if self.skew:
            grey = grey.rotate(self.skew, Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        ink = _ink(grey, self.grey_dpi)
        run = max(2, round(RULE_MM / 25.4 * self.grey_dpi))
        return ImageChops.subtract(ink, rule_mask(grey, run, ink.size))


def look_at(path: Path, dpi: int, decoded: Path | None = None) -> PageLook:
    """Decode at ~150 dpi (JPEG's DCT scaling makes that ~4x cheaper), measure, shrink.

    With ``decoded``, a picture that had to be decoded whole (PNG, PNM) is also written
    there, pixels unchanged, for Tesseract to read instead (``PageLook.decoded``)."""
    with Image.open(path) as img:
        size = img.size
        factor = max(1, round(dpi / LOOK_DPI))
        img.draft("L", (size[0] // factor, size[1] // factor))
        img.load()
        kept = _keep_decoded(img, decoded, dpi) if decoded is not None else None
        grey = img.convert("L") if img.mode != "L" else img
        if grey.width > size[0] // factor * 1.5:
            grey = grey.reduce(factor)
        elif grey is img:
            grey = img.copy()  # the file's image is gone once it is closed
    blurred, noisy = _blur_and_noise(grey)
    skew = estimate_skew(_ink(grey, dpi / factor))
    return PageLook(size, skew, blurred, noisy, grey, dpi / factor, kept)


def _keep_decoded(img: Image.Image, out: Path, dpi: int) -> Path | None:
    """Write the whole decoded picture as uncompressed TIFF where Tesseract then reads
    exactly the pixels it would decode itself (Leptonica's pixEqual on both): bilevel,
    grey or colour PNG/PNM, no alpha, no transparency. Not a JPEG: it is decoded here at a
    fraction of its size, or as grey."""
    if img.format not in ("PNG", "PPM") or img.mode not in ("1", "L", "RGB"):
        return None
    if "transparency" in img.info:
        return None
    img.save(out, format="TIFF", dpi=(dpi, dpi))
    return out


def _ink(grey: Image.Image, dpi: float) -> Image.Image:
    small = grey.reduce(max(1, round(dpi / INK_DPI)))
    return ImageOps.invert(small).point(lambda v: max(0, v - _INK_FLOOR))


def _blur_and_noise(grey: Image.Image) -> tuple[bool, bool]:
    noisy = _noise_level(grey) >= NOISE_LEVEL
    hist = grey.histogram()
    dark, mid = sum(hist[:192]), sum(hist[64:192])
    return (not noisy and dark > 0 and mid / dark >= BLUR_GRAY_SHARE), noisy


def _noise_level(grey: Image.Image, side: int = 200) -> float:
    """Speckle: mean |page - median(page)| in three small squares down the middle, the
    quietest of them (text raises it locally, noise everywhere). ~3 ms."""
    w, h = grey.size
    levels = []
    for fy in (0.25, 0.5, 0.75):
        x, y = max(0, w // 2 - side // 2), max(0, int(h * fy) - side // 2)
        crop = grey.crop((x, y, min(w, x + side), min(h, y + side)))
        diff = ImageChops.difference(crop, crop.filter(ImageFilter.MedianFilter(3)))
        levels.append(ImageStat.Stat(diff).mean[0])
    return min(levels)


def _profile_score(ink: Image.Image, angle: float) -> float:
    turned = ink.rotate(angle, resample=Image.Resampling.BILINEAR) if angle else ink
    rows = turned.resize((1, turned.height), Image.Resampling.BOX)
    return float(ImageStat.Stat(rows).var[0])


def estimate_skew(ink: Image.Image) -> float:
    """Angle that makes text lines horizontal: the rotation whose row profile is sharpest."""
    at_zero = _profile_score(ink, 0)
    if at_zero == 0 or at_zero >= STRAIGHT_MARGIN * max(
        _profile_score(ink, -1), _profile_score(ink, 1)
    ):
        return 0.0
    coarse = max(range(-int(MAX_SKEW), int(MAX_SKEW) + 1), key=lambda a: _profile_score(ink, a))
    fine = [coarse + step / 10 for step in range(-9, 10)]
    best = max(fine, key=lambda a: _profile_score(ink, a))
    if abs(best) < MIN_SKEW or _profile_score(ink, best) < STRAIGHT_MARGIN * at_zero:
        return 0.0  # no clear text lines at any angle (a photo, a blank or sideways page)
    return round(best, 1)


def straighten(path: Path, angle: float, out: Path) -> tuple[int, int]:
    """Rotate the full page by ``angle`` (white corners), written as uncompressed TIFF."""
    with Image.open(path) as img:
        grey = img.convert("L")
    turned = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    turned.save(out, format="TIFF")
    return turned.size


def clean(path: Path, out: Path, *, sharpen: bool, rules: bool, dpi: int = 300) -> None:
    """Median against speckle, unsharp mask against blur, and ruled lines painted out
    (Tesseract takes a ruled table for a picture and drops its text)."""
    with Image.open(path) as img:
        grey = img.convert("L").filter(ImageFilter.MedianFilter(3))
    if sharpen:
        grey = grey.filter(ImageFilter.UnsharpMask(radius=4, percent=200, threshold=2))
    if rules:
        grey = _paint_out_rules(grey, dpi)
    grey.save(out, format="TIFF")


def rule_mask(grey: Image.Image, run: int, size: tuple[int, int] | None = None) -> Image.Image:
    """White where ``grey`` has solid horizontal or vertical runs of ink ``run`` pixels
    long, at ``size`` (default: the picture's own)."""
    w, h = grey.size
    out = size or grey.size
    ink = grey.point(lambda v: 255 if v < 128 else 0)

    def solid(cells: tuple[int, int]) -> Image.Image:
        runs = ink.resize(cells, Image.Resampling.BOX).point(lambda v: 255 if v >= _SOLID else 0)
        return runs.resize(out, Image.Resampling.BOX).point(lambda v: 255 if v else 0)

    return ImageChops.lighter(solid((max(1, w // run), h)), solid((w, max(1, h // run))))


def _paint_out_rules(grey: Image.Image, dpi: int) -> Image.Image:
    ink = grey.point(lambda v: 255 if v < 128 else 0)
    mask = rule_mask(grey, round(RULE_MM / 25.4 * dpi)).filter(ImageFilter.MaxFilter(5))
    return ImageChops.lighter(grey, ImageChops.multiply(mask, ink))
