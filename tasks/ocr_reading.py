"""One page picture read by Tesseract, after a cheap look at the page.

Every page is looked at first (:mod:`tasks.preprocess`): a skewed page is turned
straight, a blurred or speckled one cleaned; what Tesseract returns is checked
(:mod:`tasks.quality`), and a page that reads badly gets one more try with orientation
detection or a cleaned, rule-free picture. The better reading wins and gets its text
layer; a page that still reads badly says so, with its page number. The Tesseract
command itself, for one picture or many, is :mod:`tasks.tesseract`; a document's pages
and their cache, :mod:`tasks.ocr`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from tasks.geometry import Matrix, deskewed_layer_to_image, layer_to_image
from tasks.options import OcrOptions
from tasks.pdf import Placement, TextLayer
from tasks.pictures import Picture
from tasks.preprocess import PageLook, clean, look_at, straighten
from tasks.quality import PageQuality, assess_page, assess_text
from tasks.tesseract import glyphless_font, run_tesseract
from tasks.textlayer import TsvPage, read_words, runs_left_to_right, write_layer


@dataclass(frozen=True)
class PageOcr:
    page: int
    text: str
    confidence: float
    words: int
    rotated: bool
    layer: Path  # text-only PDF page (invisible text) to lay over the scan
    quality: PageQuality
    to_image: Matrix
    placement: Placement = "page"
    dpi: int = 300
    dpi_assumed: bool = False
    repairs: tuple[str, ...] = ()  # what was done to the picture before the kept reading

    @property
    def text_layer(self) -> TextLayer:
        return TextLayer(self.layer, self.to_image, self.placement)


@dataclass(frozen=True)
class _Reading:
    """One Tesseract pass over one picture."""

    text: str
    confidence: float
    words: int
    base: Path  # <base>.txt/.tsv (and .pdf once the reading is kept: :func:`_layer`)
    psm: int
    quality: PageQuality
    tsv: TsvPage
    image: Path  # the picture it read


@dataclass(frozen=True)
class Prepared:
    """One page looked at and repaired, ready for its first reading."""

    picture: Picture
    image: Path  # what Tesseract reads first
    to_image: Matrix
    ink: Image.Image
    width: int
    repairs: tuple[str, ...]
    workdir: Path
    page: int

    @property
    def first_base(self) -> Path:
        return self.workdir / "psm-main"


def read_page(picture: Picture, options: OcrOptions, workdir: Path, page: int) -> PageOcr:
    """Look, repair what pays, read, check; one more try where the page reads badly."""
    prep = prepare(picture, workdir, page)
    base, psm = prep.first_base, options.psm
    run_tesseract(prep.image, picture.dpi, options, psm, base, page, layer=psm == 1)
    return finish(prep, options)


def prepare(picture: Picture, workdir: Path, page: int) -> Prepared:
    look = look_at(picture.path, picture.dpi, decoded=workdir / "decoded.tif")
    image, to_image, ink, width, repairs = _prepared(picture, look, workdir)
    return Prepared(picture, image, to_image, ink, width, repairs, workdir, page)


def finish(prep: Prepared, options: OcrOptions) -> PageOcr:
    """From the first reading (``prep.first_base``, already run): check it, try again
    where it reads badly, keep the better reading and its text layer."""
    picture, image, workdir, page = prep.picture, prep.image, prep.workdir, prep.page
    ink, width, repairs = prep.ink, prep.width, prep.repairs
    best = _reading(image, options.psm, prep.first_base, ink, width)
    retry_orientation = best.words and best.confidence < options.rotation_retry_below
    if retry_orientation or "not_words" in best.quality.problems:
        turned = _read(image, picture.dpi, options, 1, workdir / "psm-osd", page, ink, width)
        if turned.quality.better_than(best.quality):
            best, repairs = turned, (*repairs, "orientation")
    if best.quality.reads_badly:
        rules = "text_missing" in best.quality.problems
        repaired = workdir / "repaired.tif"
        clean(image, repaired, sharpen=False, rules=rules, dpi=picture.dpi)
        base = workdir / "psm-repaired"
        again = _read(repaired, picture.dpi, options, best.psm, base, page, ink, width)
        if again.quality.better_than(best.quality):
            best, repairs = again, (*repairs, "denoise", *(("rules",) if rules else ()))
    return PageOcr(
        page=page,
        text=best.text,
        confidence=best.confidence,
        words=best.words,
        rotated=best.psm == 1,
        layer=_layer(best, picture.dpi, options, page),
        quality=best.quality,
        to_image=prep.to_image,
        placement=picture.placement,
        dpi=picture.dpi,
        dpi_assumed=picture.dpi_assumed,
        repairs=repairs,
    )


def _prepared(
    picture: Picture, look: PageLook, workdir: Path
) -> tuple[Path, Matrix, Image.Image, int, tuple[str, ...]]:
    """The picture Tesseract should read first, how its layer maps back, its ink."""
    image, ink, size = look.decoded or picture.path, look.text_ink(), look.size
    to_image = layer_to_image(look.size, picture.dpi)
    repairs: tuple[str, ...] = ()
    if look.skew:
        straight = workdir / "straight.tif"
        size = straighten(image, look.skew, straight)
        image = straight
        to_image = deskewed_layer_to_image(look.size, size, look.skew, picture.dpi)
        repairs = (f"deskew {look.skew:+.1f}",)
    if look.blurred or look.noisy:
        cleaned = workdir / "cleaned.tif"
        clean(image, cleaned, sharpen=look.blurred, rules=False, dpi=picture.dpi)
        image, repairs = cleaned, (*repairs, "sharpen" if look.blurred else "denoise")
        ink = look_at(cleaned, picture.dpi).text_ink()  # blurred rules are sharp again here
    return image, to_image, ink, size[0], repairs


def _read(
    image: Path,
    dpi: int,
    options: OcrOptions,
    psm: int,
    base: Path,
    page: int,
    ink: Image.Image,
    width: int,
) -> _Reading:
    # Tesseract's own text layer only where TSV cannot say how the text runs: pages read
    # with orientation detection (upside down, sideways). Others get theirs from the TSV.
    run_tesseract(image, dpi, options, psm, base, page, layer=psm == 1)
    return _reading(image, psm, base, ink, width)


def _reading(image: Path, psm: int, base: Path, ink: Image.Image, width: int) -> _Reading:
    text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
    tsv = read_words(base.with_suffix(".tsv"))
    boxes = [w.box for w in tsv.scored]
    quality = assess_page(text, tsv.confidence, boxes, ink, width)
    return _Reading(text, tsv.confidence, len(boxes), base, psm, quality, tsv, image)


def _layer(reading: _Reading, dpi: int, options: OcrOptions, page: int) -> Path:
    """The kept reading's text-only PDF page: Tesseract's, or written from its TSV; a
    page with lines that do not run left to right (a vertical stamp) is read once more
    for Tesseract's renderer, which knows each line's direction."""
    pdf = reading.base.with_suffix(".pdf")
    if pdf.exists():
        return pdf
    if runs_left_to_right(reading.tsv):
        write_layer(reading.tsv, dpi, glyphless_font(), pdf)
        return pdf
    again = reading.base.with_name(reading.base.name + "-layer")
    run_tesseract(reading.image, dpi, options, reading.psm, again, page)
    return again.with_suffix(".pdf")


def _recognise(image: Path, dpi: int, options: OcrOptions, workdir: Path, page: int) -> PageOcr:
    """Tesseract on the picture exactly as given (word boxes stay in its pixels: the
    redaction draws on them), retried with orientation detection on low confidence."""
    workdir.mkdir(parents=True, exist_ok=True)
    with Image.open(image) as img:
        to_image = layer_to_image(img.size, dpi)
    result: PageOcr | None = None
    for psm, name in ((options.psm, "psm-main"), (1, "psm-osd")):
        run_tesseract(image, dpi, options, psm, workdir / name, page)
        text = (workdir / f"{name}.txt").read_text(encoding="utf-8", errors="replace")
        confidence, boxes = read_tsv(workdir / f"{name}.tsv")
        quality = assess_text(text, confidence)
        layer = workdir / f"{name}.pdf"
        if result is None or confidence > result.confidence:
            result = PageOcr(page, text, confidence, len(boxes), psm == 1, layer, quality, to_image)
        if confidence >= options.rotation_retry_below:
            break
    assert result is not None
    return result


def read_tsv(tsv: Path) -> tuple[float, list[tuple[int, int, int, int]]]:
    """Mean word confidence (0-100; 0 when there are no words) and the word boxes."""
    words = read_words(tsv)
    return words.confidence, [w.box for w in words.scored]
