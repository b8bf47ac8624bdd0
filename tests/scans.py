"""Degraded scans of the real documents, and the character error rate against their
born-digital text. Shared by the OCR tests and ``bench/bench_ocr_quality.py``.

A real page is rendered by ``pdftoppm`` at 300 dpi (grey), then degraded the way office
scans are: turned a little or a lot, blurred, noisy, JPEG-compressed. The reference
text is ``pdftotext`` of the same page. Noise is seeded: the same page degrades the same
way on every run.
"""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
DPI = 300
Degrade = Callable[[Image.Image], Image.Image]


def real_docs() -> Path | None:
    """``ARSIP_REAL_DOCS`` or ``<repo>/../shared/real``; None when it is not there."""
    found = Path(os.environ.get("ARSIP_REAL_DOCS", ROOT.parent / "shared" / "real"))
    return found if found.is_dir() else None


def _turn(angle: float) -> Degrade:
    def turn(img: Image.Image) -> Image.Image:
        return img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)

    return turn


def _noise(img: Image.Image, sigma: float = 60.0, seed: int = 12) -> Image.Image:
    """Uniform noise of standard deviation ``sigma`` (Pillow's own noise is not seedable)."""
    rng = random.Random(seed)
    raw = Image.frombytes("L", img.size, rng.randbytes(img.width * img.height))
    k = sigma / 73.9  # a uniform byte has a standard deviation of 73.9
    scaled = raw.point(lambda v: round(128 + (v - 128) * k))
    return ImageChops.add(img, scaled, 1.0, -128)


def _jpeg(img: Image.Image, quality: int = 60) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as out:
        out.load()
        return out.copy()


DEGRADATIONS: dict[str, Degrade] = {
    "clean": lambda img: img,
    "turned 2°": _turn(2),
    "turned 7°": _turn(7),
    "turned 90°": lambda img: img.transpose(Image.Transpose.ROTATE_90),
    "turned 180°": lambda img: img.transpose(Image.Transpose.ROTATE_180),
    "blur r3": lambda img: img.filter(ImageFilter.GaussianBlur(3)),
    "noise σ60": _noise,
    "jpeg q60": _jpeg,
}


def render(pdf: Path, page: int, out_dir: Path, dpi: int = DPI) -> Image.Image:
    prefix = out_dir / f"{pdf.stem}-{page}"
    pages = ["-f", str(page), "-l", str(page)]
    cmd = ["pdftoppm", "-r", str(dpi), "-gray", *pages, "-singlefile", str(pdf), str(prefix)]
    subprocess.run(cmd, check=True)
    with Image.open(prefix.with_suffix(".pgm")) as img:
        img.load()
        return img.copy()


def degraded_scan(pdf: Path, page: int, how: str, out_dir: Path) -> Path:
    """The page rendered and degraded, saved as a scanner would (JPEG for "jpeg", else
    PNG), 300 dpi in the file's header."""
    name = re.sub(r"\W+", "-", how).strip("-")
    img = DEGRADATIONS[how](render(pdf, page, out_dir))
    if how.startswith("jpeg"):
        out = out_dir / f"{pdf.stem}-{page}-{name}.jpg"
        img.save(out, format="JPEG", quality=95, dpi=(DPI, DPI))  # already q60 artefacts
    else:
        out = out_dir / f"{pdf.stem}-{page}-{name}.png"
        img.save(out, format="PNG", compress_level=1, dpi=(DPI, DPI))
    return out


def reference_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def raw_tesseract(image: Path, languages: str = "ind+eng") -> str:
    """Tesseract as a person would run it: default page segmentation, nothing else."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    return subprocess.run(
        ["tesseract", str(image), "-", "-l", languages],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"-\n(?=\w)", "", text)  # a word hyphenated at a line end is one word
    return " ".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance by Myers' bit-parallel algorithm (Python ints as bit vectors)."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask, top = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edits to turn the OCR text into the reference, per reference
    character (whitespace runs count as one space)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return levenshtein(ref, hyp) / max(1, len(ref))
