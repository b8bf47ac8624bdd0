"""Document numbers (*nomor*) of Indonesian official documents, as written.

Families (DOMAIN.md): ``88/Kpts/KPU/TAHUN 2015``, ``NOMOR 731 TAHUN 2025``,
``929/HK.03.1-Kpt/04/KPU/V/2019``, ``590/PL.02.4/1906/KPU-Kab/XI/2020``, local government
``188.4/705/TAHUN 2013``, and letter-prefixed codes of ministries and state companies
(``KP0602/Sj/1349/B/2025``, ``PA0203-So/181``, ``PER-9/MBU/08/2020``, ``B-474/...``,
``B/531/M.KT.02/2025``). OCR damage (``O``/``I``/``l`` for digits, ``Kah`` for ``Kab``,
spaces around ``/``, ``NOMOR SSTAHUN``) is undone only where the reading is certain.
"""

from __future__ import annotations

import re

from tasks.text.confusions import ALL_DIGIT_CHARS, all_digits, fix_code_word
from tasks.text.header import (
    BODY_START,
    NUMBER_LABEL,
    TENTANG_LINE,
    find_heading_block,
    lines_of,
    next_nonblank,
)

__all__ = ["extract_number", "number_year"]

_HEADER_LINES = 25
_HEADING_START = re.compile(
    r"\s*(?:keputusan|peraturan|surat\s+edaran|surat\s+tugas|berita\s+acara|nota\s+dinas"
    r"|instruksi|pengumuman|notulen|memorandum|lampiran)\b",
    re.I,
)
_DIGIT_CLASS = f"[0-9{re.escape(ALL_DIGIT_CHARS)}]"
_TAHUN = r"t[a4]h[uv]n"
_YEAR = rf"{_DIGIT_CLASS}{{4}}(?![\w/])"
_SEG = r"[0-9A-Za-z|][\w.|\-]*"
_NUMBER = re.compile(
    rf"(?P<first>{_SEG})(?P<rest>(?:/(?:{_TAHUN}\s+{_YEAR}|{_SEG}))*)(?P<tail>\s+{_TAHUN}\s+{_YEAR})?",
    re.I,
)
_GLUED_TAHUN = re.compile(rf"(?<=[0-9A-Za-z])(?={_TAHUN}\s*{_DIGIT_CLASS}{{4}})", re.I)
_SPACED_TAHUN = re.compile(rf"({_TAHUN})(?={_DIGIT_CLASS}{{4}})", re.I)
_TAHUN_YEAR = re.compile(rf"\b({_TAHUN})\s+({_DIGIT_CLASS}{{4}})", re.I)
_LETTER_CODE = re.compile(r"[A-Za-z]{1,6}")


def _normalise(rest: str) -> str:
    rest = re.sub(r"\s*/\s*", "/", rest)
    rest = re.sub(r"(?<=\w)(?:-\s+|\s+-)(?=\w)", "-", rest)
    rest = _GLUED_TAHUN.sub(" ", rest)  # "SSTAHUN 2020": the number ran into TAHUN
    return _SPACED_TAHUN.sub(r"\1 ", rest)


def _year_part(m: re.Match[str]) -> str:
    word = "TAHUN" if m[1].isupper() else "Tahun"
    return f"{word} {all_digits(m[2])}"


def _plausible(first: str, rest: str, tail: str | None) -> str | None:
    """The first word fixed, or None when the match is not a document number at all."""
    if tail and len(first) <= 4 and all_digits(first).isdigit():
        return all_digits(first)  # the n of "NOMOR n TAHUN yyyy" can only be digits
    fixed = "".join(fix_code_word(p) if p.isalnum() else p for p in re.split(r"([.\-|])", first))
    if any(ch.isdigit() for ch in fixed):
        return fixed
    # A letter code opens ministry numbers ("B/531/M.KT.02/2025"); digits must follow.
    if _LETTER_CODE.fullmatch(first) and rest and any(ch.isdigit() for ch in rest):
        return first
    return None


def read_number(rest: str) -> str | None:
    """The number at the start of ``rest`` (the text after a NOMOR label), or None."""
    m = _NUMBER.match(_normalise(rest))
    if m is None:
        return None
    first = _plausible(m["first"], m["rest"], m["tail"])
    if first is None:
        return None
    tail = " ".join(m["tail"].split()) if m["tail"] else ""
    body = re.sub(r"[^/.\- ]+", lambda p: fix_code_word(p.group()), m["rest"])
    raw = f"{first}{body}" + (f" {tail}" if tail else "")
    return _TAHUN_YEAR.sub(_year_part, raw).rstrip(".-")


def _label_ok(line: str, label: re.Match[str]) -> bool:
    # Mid-line "Nomor" is usually a citation ("Undang-Undang Nomor 7 Tahun 2017"); only
    # upper-case headings put the document's own number there.
    if not line[: label.start()].strip():
        return True
    return label["label"].isupper() or _HEADING_START.match(line) is not None


def _number_on(lines: list[str], index: int) -> str | None:
    line = lines[index]
    for label in NUMBER_LABEL.finditer(line):
        if not _label_ok(line, label):
            continue
        rest = line[label.end() :].strip() or next_nonblank(lines, index)
        if (number := read_number(rest)) is not None:
            return number
    return None


def extract_number(text: str) -> str | None:
    """The document's own number: its heading block's NOMOR, else the header's first."""
    lines = lines_of(text)
    block = find_heading_block(lines)
    if block is not None and (number := _number_on(lines, block.number)) is not None:
        return number
    header = lines[:_HEADER_LINES]
    for index, line in enumerate(header):
        if BODY_START.match(line) or TENTANG_LINE.match(line):
            return None
        if (number := _number_on(header, index)) is not None:
            return number
    return None


def number_year(number: str | None) -> int | None:
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", number or "")
    return int(years[-1]) if years else None
