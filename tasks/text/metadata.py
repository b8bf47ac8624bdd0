"""Metadata of Indonesian official documents: number, date, issuing unit, title, year.

Input is text from PDF extraction or Tesseract OCR (``ind`` model): every reader tolerates
that model's confusions (:mod:`tasks.text.confusions`) where a fix is unambiguous, and
otherwise prefers returning None to guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tasks.text.dates import extract_date
from tasks.text.numbers import extract_number, number_year
from tasks.text.personal import PersonalData, find_personal_data
from tasks.text.titles import extract_title
from tasks.text.units import extract_unit

__all__ = [
    "Metadata",
    "PersonalData",
    "extract_date",
    "extract_metadata",
    "extract_number",
    "extract_title",
    "extract_unit",
    "find_personal_data",
]


@dataclass(frozen=True)
class Metadata:
    """What identifies a document; any field may be None when the text does not show it."""

    number: str | None
    date: dt.date | None
    unit: str | None
    title: str | None
    year: int | None


def extract_metadata(text: str, doc_type: str = "lainnya") -> Metadata:
    """Number, date, unit, title and year of one document's text."""
    number = extract_number(text)
    date = extract_date(text, doc_type)
    year = date.year if date is not None else number_year(number)
    return Metadata(number, date, extract_unit(text), extract_title(text, doc_type), year)
