"""The Tesseract command: one picture, or several in one process, under limits; and what
is installed (its version, its language data).

The only module that imports pytesseract or runs ``tesseract``. A run writes
``<base>.txt`` and ``.tsv`` (and, when asked, Tesseract's text-only ``.pdf``);
:mod:`tasks.ocr_reading` decides what to read and what to keep.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytesseract

from tasks.errors import Rejected, ToolMissing
from tasks.limits import MB, ChildLimits, run_limited, stderr_text
from tasks.options import OcrOptions

# Tesseract's OpenMP threads fight each other when several pages run at once: one
# single-threaded process per core is ~5x faster (shared FACTS.md).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _executable() -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise ToolMissing("tesseract is not installed (apt-get install tesseract-ocr)")
    return exe


def _command(source: Path, out: Path, options: OcrOptions, psm: int, dpi: int) -> list[str]:
    """Tesseract on ``source`` (a picture, or a file listing pictures) into ``out``."""
    languages = options.languages
    return [
        _executable(),
        str(source),
        str(out),
        "-l",
        languages,
        "--psm",
        str(psm),
        "--dpi",
        str(dpi),
    ]


def _limits(options: OcrOptions, pictures: int) -> ChildLimits:
    return ChildLimits(
        memory_bytes=options.memory_mb * MB, cpu_seconds=options.timeout_s * pictures
    )


def run_tesseract(
    image: Path,
    dpi: int,
    options: OcrOptions,
    psm: int,
    base: Path,
    page: int,
    *,
    layer: bool = True,
) -> None:
    """``<base>.txt``, ``.tsv`` and, with ``layer``, Tesseract's text-only ``.pdf`` for one
    picture, under limits."""
    cmd = _command(image, base, options, psm, dpi)
    cmd += ["-c", "textonly_pdf=1", "txt", "pdf", "tsv"] if layer else ["txt", "tsv"]
    what = f"tesseract on page {page}"
    limits = _limits(options, 1)
    done = run_limited(cmd, timeout_s=options.timeout_s + 10, what=what, limits=limits)
    if done.returncode != 0 or not base.with_suffix(".tsv").exists():
        # Bad input, not bad luck: the same bytes fail the same way, so no retry.
        raise Rejected("ocr_failed", f"{what} failed: {stderr_text(done)[-300:]}")


def run_tesseract_batch(
    images: Sequence[Path], dpi: int, options: OcrOptions, bases: Sequence[Path], what: str
) -> bool:
    """One Tesseract process reads several pictures (``txt`` and ``tsv``, ``options.psm``),
    each reading written to its own ``<base>.txt``/``.tsv`` as :func:`run_tesseract` would
    (the same bytes: Tesseract's LSTM keeps no state from one picture to the next). The
    models load once instead of once a picture: ~0.87 G of a page's 19.2 G instructions.
    False when the run or its output is not whole: the caller reads each picture alone."""
    out = bases[0].with_name(bases[0].name + "-batch")
    listing = out.with_suffix(".list")
    listing.write_text("".join(f"{image}\n" for image in images), encoding="utf-8")
    cmd = [*_command(listing, out, options, options.psm, dpi), "txt", "tsv"]
    n = len(images)
    limits = _limits(options, n)
    done = run_limited(cmd, timeout_s=(options.timeout_s + 10) * n, what=what, limits=limits)
    if done.returncode != 0 or not out.with_suffix(".tsv").exists():
        return False
    return _split_batch(out, bases)


def _split_batch(out: Path, bases: Sequence[Path]) -> bool:
    # Pages of the text output are separated by form feeds; TSV rows carry their page.
    texts = out.with_suffix(".txt").read_text(encoding="utf-8", errors="replace").split("\f")
    head, *rows = out.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace").split("\n")
    by_page: dict[str, list[str]] = {}
    for row in rows:
        if row:
            by_page.setdefault(row.split("\t", 2)[1], []).append(row)
    if len(texts) != len(bases) or len(by_page) != len(bases):
        return False
    for number, (base, text) in enumerate(zip(bases, texts, strict=True), start=1):
        # As a run of its own would write it: page 1.
        page_rows = [re.sub(r"^(\d+)\t\d+\t", r"\1\t1\t", r) for r in by_page[str(number)]]
        base.with_suffix(".txt").write_text(text, encoding="utf-8")
        base.with_suffix(".tsv").write_text("\n".join([head, *page_rows, ""]), encoding="utf-8")
    return True


@functools.cache
def glyphless_font() -> bytes:
    """Tesseract's glyph-less font (``pdf.ttf`` beside its language data), for the text
    layers written from TSV: the same font its own renderer embeds."""
    listing = subprocess.run(
        [_executable(), "--list-langs"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r'"([^"]+)"', listing)
    font = Path(found[1]) / "pdf.ttf" if found else None
    if font is None or not font.is_file():
        raise ToolMissing(f"Tesseract's pdf.ttf is missing (looked in {found and found[1]})")
    return font.read_bytes()


@functools.cache
def tesseract_version() -> str:
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as exc:
        raise ToolMissing("tesseract is not installed (apt-get install tesseract-ocr)") from exc


def installed_languages() -> list[str]:
    try:
        return sorted(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError as exc:
        raise ToolMissing("tesseract is not installed (apt-get install tesseract-ocr)") from exc


def check_languages(languages: str) -> None:
    missing = set(languages.split("+")) - set(installed_languages())
    if missing:
        names = ", ".join(f"tesseract-ocr-{m}" for m in sorted(missing))
        raise ToolMissing(f"Tesseract language data missing: install {names}")
