"""Where a document's own header is: the first lines, the body that follows them, and the
type heading block (``KEPUTUSAN ... / NOMOR ... / TENTANG ...``) wherever OCR put it.

A two-column title page read by Tesseract often comes out with the ``Menimbang :`` column
first; the heading block is then found by its shape (an upper-case type heading, a
``NOMOR`` line within the next lines), not by being first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.text.confusions import fold_letters

# Where the header ends: legal citations and addressees below it carry numbers and units
# that are not the document's own.
BODY_START = re.compile(
    r"\s*(?:menimbang|mengingat|memperhatikan|memutuskan|menetapkan|dengan\s+hormat"
    r"|pada\s+hari\s+ini|bab\s+[ivx1]+\b|pasal\s+\d)",
    re.I,
)
TENTANG_LINE = re.compile(r"\s*t\s*e\s*n\s*t\s*a\s*n\s*g\b\s*:?", re.I)
# "NOMOR", "Nomor", "No.", and the ind model's "N0MOR", "NOM0R", "Nornor", "NOMER".
# The colon after it is often read as "-", ">", "=" or ".".
NUMBER_LABEL = re.compile(
    r"(?P<label>\bn[o0](?:m|rn)[o0e]r|\bno\b\.?)(?:\s+sop)?\s*(?:[:.>=~]|-(?=\s))?\s*", re.I
)

# First words of a type heading (compacted, OCR-folded). Annexes and certified copies
# carry the heading of the document they belong to.
_TYPE_WORDS = (
    "KEPUTUSAN", "PERATURAN", "UNDANGUNDANG", "SURATEDARAN", "SURATTUGAS",
    "SURATKEPUTUSAN", "SURATPERINTAH", "BERITAACARA", "NOTADINAS", "INSTRUKSI",
    "PENGUMUMAN", "NOTULEN", "MEMORANDUM", "MAKLUMAT",
)  # fmt: skip
_TYPE_WORDS_FOLDED = tuple(fold_letters(word) for word in _TYPE_WORDS)
_PREFIX = re.compile(r"\s*(?:salinan\s+)?(?:lampiran\s+(?:[ivx]+\s+)?)?", re.I)
_COMPACT = re.compile(r"[^A-Z]+")
_BLOCK_REACH = 4  # lines from the type heading to its NOMOR line
_FIRST_PAGE_LINES = 120


def lines_of(text: str) -> list[str]:
    return text.replace("\xa0", " ").replace("\f", "\n").splitlines()


def first_page(lines: list[str]) -> list[str]:
    return lines[:_FIRST_PAGE_LINES]


def next_nonblank(lines: list[str], index: int) -> str:
    return next((line.strip() for line in lines[index + 1 :] if line.strip()), "")


def is_upper(line: str, share: float = 0.8) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= share * len(letters)


def _one_edit(word: str, target: str) -> bool:
    """At most one wrong, missing or extra letter."""
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        return sum(a != b for a, b in zip(word, target, strict=True)) <= 1
    short, long_ = sorted((word, target), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def is_type_heading(line: str) -> bool:
    """An upper-case line that opens with a document type (OCR-tolerant)."""
    if not is_upper(line):
        return False
    prefix = _PREFIX.match(line)
    rest = line[prefix.end() :] if prefix else line
    compact = _COMPACT.sub("", fold_letters(rest.upper()))
    for word in _TYPE_WORDS_FOLDED:
        if compact.startswith(word):
            return True
        if len(word) >= 7 and any(_one_edit(compact[: len(word) + d], word) for d in (-1, 0, 1)):
            return True
    return False


@dataclass(frozen=True)
class HeadingBlock:
    """Line indexes of a type heading, its NOMOR line, and its TENTANG line (if any)."""

    heading: int
    number: int
    tentang: int | None


def _labelled(line: str) -> bool:
    m = NUMBER_LABEL.match(line.strip())
    return m is not None


def find_heading_block(lines: list[str]) -> HeadingBlock | None:
    """The first type heading followed by its own NOMOR line, anywhere on the first page."""
    page = first_page(lines)
    for index, line in enumerate(page):
        if not is_type_heading(line):
            continue
        number = _number_line(page, index)
        if number is not None:
            return HeadingBlock(index, number, _tentang_after(page, number))
    return None


def _number_line(page: list[str], heading: int) -> int | None:
    if NUMBER_LABEL.search(page[heading]) and is_upper(page[heading][:60]):
        return heading  # "KEPUTUSAN KPU NOMOR 88/Kpts/KPU/TAHUN 2015 TENTANG ..."
    seen = 0
    for index in range(heading + 1, len(page)):
        line = page[index]
        if not line.strip():
            continue
        if _labelled(line):
            return index
        seen += 1
        # Only the heading's own continuation ("KOMISI ... KABUPATEN X") may come between.
        if seen >= _BLOCK_REACH or not is_upper(line) or TENTANG_LINE.match(line):
            return None
    return None


def _tentang_after(page: list[str], number: int) -> int | None:
    if re.search(r"\bTENTANG\b", page[number]):
        return number
    for index in range(number + 1, min(len(page), number + 4)):
        if TENTANG_LINE.match(page[index]):
            return index
    return None
