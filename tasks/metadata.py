"""Kept for callers of the old path; the code lives in :mod:`tasks.text.metadata`."""

from tasks.text.metadata import (
    Metadata,
    PersonalData,
    extract_date,
    extract_metadata,
    extract_number,
    extract_title,
    extract_unit,
    find_personal_data,
)

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
