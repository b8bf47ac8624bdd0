"""The option records of the processing steps, as plain data with no outside library.

:mod:`flows.settings` builds them for every command, so they live apart from
:mod:`tasks.ocr` and :mod:`tasks.detect` (pytesseract, PIL, python-magic): reading the
settings (``arsip search``) must not load an OCR engine. Those two modules re-export them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tasks.limits import DEFAULT_LIMITS, DEFAULT_MAX_PIXELS, MB


@dataclass(frozen=True)
class Limits:
    """Intake limits of one input file (:func:`tasks.detect.detect`)."""

    max_bytes: int
    max_pages: int
    max_pixels: int


@dataclass(frozen=True)
class OcrOptions:
    """How pages are read (:mod:`tasks.ocr`; its cache key: ``tasks.ocr.ocr_fingerprint``)."""

    languages: str = "ind+eng"
    dpi: int = 300
    psm: int = 3
    # Below this mean word confidence a page is retried with orientation detection
    # (psm 1): upside-down or sideways pages read as garbage at ~45 at psm 3, clean
    # scans at 90+. Always using psm 1 would cost ~25 % more on every upright page.
    rotation_retry_below: float = 70.0
    timeout_s: int = 300  # wall clock, and Tesseract's CPU limit per page
    # Limits change whether a page fails, not what it reads: not part of the fingerprint.
    max_pixels: int = field(default=DEFAULT_MAX_PIXELS, compare=False)
    memory_mb: int = field(default=DEFAULT_LIMITS.memory_bytes // MB, compare=False)
