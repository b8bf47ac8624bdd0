"""The real published documents in ``ARSIP_REAL_DOCS`` (default ``<repo>/../shared/real``):
where they are, what their README expects, their born-digital text, and their text as
degraded scans read by the project's own OCR (tasks.ocr, as it is).

The documents are never copied into the repository; callers skip when they are absent.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

from tasks.ocr import OcrOptions, ocr_page
from tasks.poppler import page_texts

REPO = Path(__file__).resolve().parents[2]
OCR_OPTIONS = OcrOptions()
SCAN_DPI = 300


def real_docs_dir() -> Path | None:
    """The folder of real documents, or None when it (or its README) is not there."""
    folder = Path(os.environ.get("ARSIP_REAL_DOCS") or REPO.parent / "shared" / "real")
    return folder if (folder / "README.md").is_file() else None


def skip_reason() -> str:
    where = os.environ.get("ARSIP_REAL_DOCS") or REPO.parent / "shared" / "real"
    return f"real documents not found at {where} (set ARSIP_REAL_DOCS)"


@dataclass(frozen=True)
class Expected:
    """One README row: only the fields it states are set."""

    name: str
    doc_type: str | None
    number: str | None
    date: dt.date | None
    unit: str | None
    title: str | None


_ROW = re.compile(r"^\|\s*`(?P<file>[^`]+\.pdf)`\s*\|(?P<cells>.*)\|\s*$", re.M)
_FIELD = re.compile(
    r"(?P<key>type|number|date|unit|title)\s*:?\s+(?P<value>`[^`]+`|[^;]+?)\s*(?:;|$)"
)
# Words after the value that describe it rather than belong to it ("unit X; it holds ...").
_TRAILER = re.compile(r"\s*;.*$")


def expected_values(folder: Path) -> dict[str, Expected]:
    """Parse the README's table: the last column lists type, number, date, unit, title."""
    found: dict[str, Expected] = {}
    for row in _ROW.finditer((folder / "README.md").read_text(encoding="utf-8")):
        last = row["cells"].split("|")[-1].strip()
        fields: dict[str, str] = {}
        for m in _FIELD.finditer(last):
            fields.setdefault(m["key"], _TRAILER.sub("", m["value"]).strip("` "))
        date = dt.date.fromisoformat(fields["date"]) if "date" in fields else None
        found[row["file"]] = Expected(
            row["file"],
            fields.get("type"),
            fields.get("number"),
            date,
            fields.get("unit"),
            fields.get("title"),
        )
    return found


def born_digital_text(pdf: Path) -> str:
    """The text layer, as the ingest pipeline reads it (pdftotext -layout per page)."""
    return "\f".join(page_texts(pdf))


# --- scans --------------------------------------------------------------------------------


def _rotate(angle: float) -> Callable[[Image.Image], Image.Image]:
    def apply(img: Image.Image) -> Image.Image:
        return img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)

    return apply


def _blur(img: Image.Image) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(1.6))


def _noise(img: Image.Image) -> Image.Image:
    # Dust on ~1 % of pixels and a faint grain everywhere. (Speckle on 4-12 % of the
    # pixels made Tesseract read next to nothing: that is a broken scanner, not a scan.)
    # Seeded: Image.effect_noise draws from C rand(), so each CI run saw another page.
    rng = random.Random(f"noise-{img.size}")
    dust = _random_plane(img.size, rng).point(lambda v: 90 if v > 252 else 255)
    grain = _random_plane(img.size, rng).point(lambda v: 244 + v % 12)
    return ImageChops.multiply(ImageChops.multiply(img, dust), grain)


def _random_plane(size: tuple[int, int], rng: random.Random) -> Image.Image:
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _identity(img: Image.Image) -> Image.Image:
    return img


# name -> (image transform, saved as JPEG quality 60?)
DEGRADATIONS: dict[str, tuple[Callable[[Image.Image], Image.Image], bool]] = {
    "clean": (_identity, False),
    "rot2": (_rotate(2), False),
    "rot7": (_rotate(7), False),
    "rot90": (_rotate(90), False),
    "rot180": (_rotate(180), False),
    "blur": (_blur, False),
    "noise": (_noise, False),
    "jpeg60": (_identity, True),
}


def render_page(pdf: Path, page: int, out_dir: Path) -> Path:
    """One page as a 300 dpi greyscale image, the way a scanner would deliver it."""
    prefix = out_dir / f"{pdf.stem}-p{page}"
    command = ["pdftoppm", "-gray", "-r", str(SCAN_DPI), "-f", str(page), "-l", str(page)]
    subprocess.run(
        [*command, "-singlefile", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return prefix.with_suffix(".pgm")


def degraded_scan(pdf: Path, page: int, degradation: str, work: Path) -> tuple[Path, str]:
    """The page rendered and degraded, saved as a scan file; returns (path, kind)."""
    transform, as_jpeg = DEGRADATIONS[degradation]
    rendered = render_page(pdf, page, work)
    with Image.open(rendered) as img:
        out = transform(img.convert("L"))
    rendered.unlink()
    if as_jpeg:
        path = work / f"{pdf.stem}-p{page}-{degradation}.jpg"
        out.save(path, quality=60, dpi=(SCAN_DPI, SCAN_DPI))
        return path, "jpeg"
    path = work / f"{pdf.stem}-p{page}-{degradation}.png"
    out.save(path, compress_level=1, dpi=(SCAN_DPI, SCAN_DPI))
    return path, "png"


def scanned_text(pdf: Path, pages: int, degradation: str, cache: Path) -> str:
    """The first ``pages`` pages as degraded scans, OCRed by tasks.ocr; cached under cache."""
    done = cache / f"{pdf.stem}-{degradation}-{pages}.txt"
    if done.exists():
        return done.read_text(encoding="utf-8")
    texts = []
    for page in range(1, pages + 1):
        with tempfile.TemporaryDirectory(prefix="arsip-real-") as tmp:
            scan, kind = degraded_scan(pdf, page, degradation, Path(tmp))
            (Path(tmp) / "ocr").mkdir()
            # The image file has one page: tasks.ocr numbers it 1, its cache lives in tmp.
            texts.append(ocr_page(scan, kind, 1, OCR_OPTIONS, Path(tmp) / "ocr").text)
    text = "\f".join(texts)
    done.write_text(text, encoding="utf-8")
    return text


# --- comparing --------------------------------------------------------------------------

FIELDS = ("doc_type", "number", "date", "unit", "title")


def _same_text(got: object, want: object) -> bool:
    def norm(value: object) -> str:
        return " ".join(str(value).split()).casefold()

    return got is not None and norm(got) == norm(want)


def compare(want: Expected, got: dict[str, object]) -> dict[str, bool]:
    """Per stated field: does the extracted value equal the README's?"""
    results = {}
    for field in FIELDS:
        expected = getattr(want, field)
        if expected is not None:
            value = got.get(field)
            results[field] = value == expected if field == "date" else _same_text(value, expected)
    return results


_MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus")
_MONTH_NAMES += ("September", "Oktober", "November", "Desember")


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def shown_in(want: Expected, text: str) -> Expected:
    """``want`` keeping only the fields whose value the text literally shows (type always).

    A scan of the first pages can only be asked for what those pages carry: a regulation's
    signing date sits on its last page.
    """
    flat = _flat(text)
    date = want.date
    if (
        date is not None
        and _flat(f"{date.day} {_MONTH_NAMES[date.month - 1]} {date.year}") not in flat
    ):
        date = None
    unit = want.unit
    if unit is not None and not all(_flat(part) in flat for part in unit.split(",")):
        unit = None
    return Expected(
        want.name,
        want.doc_type,
        want.number if want.number and _flat(want.number) in flat else None,
        date,
        unit,
        want.title if want.title and _flat(want.title) in flat else None,
    )


def first_pages_text(pdf: Path, pages: int) -> str:
    return "\f".join(page_texts(pdf)[:pages])
