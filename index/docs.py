"""The field values written for one document (``IndexDoc``, in ``index.records``).

Used by the writer in this process and by rebuild workers in theirs: a worker receives
``IndexDoc`` records and analyzes them itself (``index.parallel``).
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from typing import Any

from index.analysis import content_terms, find_codes, normalize_number
from index.records import IndexDoc
from index.schema import YEAR_MISSING

# Undated documents: a listing key of 0 sorts them after every dated one.
_UNDATED = 0

__all__ = ["IndexDoc", "index_fields", "listing_key"]


def listing_key(doc_id: str, when: date | None) -> int:
    """Newest first, and a fixed order among documents of one day: ``YYYYMMDD`` in the
    high bits, a checksum of the id in the low 32. Depends on the document alone, so the
    order of a listing or of equal scores is the same however the index was built."""
    day = int(when.strftime("%Y%m%d")) if when is not None else _UNDATED
    return (day << 32) | zlib.crc32(doc_id.encode("utf-8"))


def index_fields(doc: IndexDoc, common: frozenset[str]) -> dict[str, Any]:
    """Field values for the writer; ``common``: the index's paired words (its schema's)."""
    title = doc.title or ""
    codes = {"".join(code.split()).lower() for code in doc.codes if code.strip()}
    codes |= find_codes(doc.text) | find_codes(title)
    body = content_terms(doc.text, common)  # one pass for the three body fields
    values: dict[str, Any] = {
        "id": doc.id,
        "title": title,
        "title_exact": title,
        "content": body,
        "content_exact": body,
        "content_pairs": body,
        "codes": " ".join(sorted(codes)),
        "doc_type": doc.doc_type,
        "access": doc.access,
        "source_name": doc.source_name,
        "listing_key": listing_key(doc.id, doc.date),
    }
    if doc.number:
        values["number"] = doc.number
        values["number_norm"] = normalize_number(doc.number)
    if doc.unit:
        values["unit"] = doc.unit
    if doc.location.strip():
        values["location"] = doc.location
    if doc.folder:
        values["folder"] = doc.folder
    year = doc.year if doc.year is not None else (doc.date.year if doc.date else None)
    values["year"] = year if year is not None else YEAR_MISSING
    if doc.date is not None:
        values["date"] = datetime(doc.date.year, doc.date.month, doc.date.day)
    return values
