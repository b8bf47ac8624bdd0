"""The title (subject) of a document: the ``TENTANG`` block of its heading, a letter's
``Hal``/``Perihal``, an SOP's ``Nama SOP``, minutes' ``Agenda``, else its first heading.

The heading block is looked for wherever OCR put it; letterheads, table headers and
watermark or scanner junk are not titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from tasks.text.header import (
    BODY_START,
    TENTANG_LINE,
    find_heading_block,
    is_upper,
    lines_of,
)
from tasks.text.units import is_unit_line

__all__ = ["extract_title"]

_TITLE_LINES = 40
_HEADING_LINES = 15
_TITLE_CAP = 300
_MAX_TITLE_LINES = 8
_BLOCK = re.compile(
    r"\s*(?:menimbang|mengingat|memperhatikan|memutuskan|menetapkan|dengan\s+rahmat"
    r"|pada\s+hari\s+ini|bab\b|pasal\b|komisi\s+pemilihan|ketua\s+komisi|nomor\b|yth\b"
    r"|kepada\b|dengan\s+hormat|kata\s+pengantar|presiden\b|bupati\b|gubernur\b|wali\s*kota"
    r"|salinan\s*$)",
    re.I,
)
_LABEL_LINE = re.compile(r"\s*[A-Za-z][\w ./]{0,25}:(?:\s|$)")
_HAL = re.compile(r"\s*(?:perihal|ha[lI1])\s*:\s*", re.I)
_SOP_NAME = re.compile(r"\s*nama\s+sop\s*:?\s*", re.I)
_AGENDA = re.compile(r"\s*(?:agenda|acara)(?:\s+rapat)?\s*:\s*", re.I)
_FORM = re.compile(r"\s*formulir\b", re.I)
_NOT_HEADING = re.compile(
    r"\s*(?:kabupaten|kota|provinsi|republik|jalan|jl\b|telp|email|laman|website|nomor|no\b"
    r"|salinan\b|tentang\s*:?\s*$)",  # a bare "TENTANG" introduces the title, is not it
    re.I,
)
_COLUMNS = re.compile(r"\S\s{3,}\S.*\S\s{3,}\S")  # two wide gaps: a table row
_URLISH = re.compile(r"(?:www\.|https?:|\.go\.id|\.com\b|\.id\b|@)", re.I)
_PAGE_MARK = re.compile(r"(?:^|\s)-+\s*\d{1,3}\s*-+(?=\s|$)")


def _junk_word(word: str, upper_title: bool) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    if not any(ch.isalnum() for ch in word) or _URLISH.search(word):
        return True
    if word.upper().strip(".,") == "SALINAN":
        return True
    # An upper-case title is written in capitals; small-letter words are OCR'd specks.
    return upper_title and bool(letters) and not any(ch.isupper() for ch in letters)


def _clean(line: str, upper_title: bool) -> str:
    """The line without watermark words, page marks ("- 2 -") and specks."""
    line = _PAGE_MARK.sub(" ", line)
    return " ".join(w for w in line.split() if not _junk_word(w, upper_title))


def _tidy(parts: list[str]) -> str | None:
    words = " ".join(" ".join(parts).split()).split()
    upper_title = is_upper(" ".join(words))
    while words and _junk_word(words[-1], upper_title):
        words.pop()
    title = " ".join(words).rstrip(" ,;:")
    return title[:_TITLE_CAP].rstrip() or None


def _is_garbage(line: str) -> bool:
    """Scanner specks, rules and page marks ("- 2 -", "~~ ee ;"): mostly not letters/digits."""
    chars = [ch for ch in line if not ch.isspace()]
    return bool(chars) and sum(ch.isalnum() for ch in chars) < 0.6 * len(chars)


def _issuer_line(line: str, following: list[str]) -> bool:
    # "BUPATI BENGKULU TENGAH," / "MENTERI ... \n REPUBLIK INDONESIA," open the preamble;
    # a title that merely names a body ("... DI LINGKUNGAN KEMENTERIAN X") goes on.
    nxt = next((ln.strip() for ln in following if ln.strip()), "")
    ends = line.rstrip().endswith(",") or re.fullmatch(r"REPUBLIK\s+INDONESIA\s*,", nxt) is not None
    return ends and is_unit_line(line)


def _collect(first: str, following: list[str], stop: Callable[[str], bool]) -> str | None:
    parts = [first] if first.strip() else []
    for index, raw in enumerate(following[:_MAX_TITLE_LINES]):
        if not raw.strip():
            if parts:
                break
            continue
        if _is_garbage(raw) and not parts:
            continue  # a speck line between "TENTANG" and its title (a noisy scan)
        if stop(raw) or _is_garbage(raw) or _issuer_line(raw, following[index + 1 :]):
            break
        line = _clean(raw, bool(parts) and is_upper(parts[0])) if parts else raw
        if not line:
            continue  # a watermark or speck line inside the title
        # A title keeps its case: capitals after a typed value (an SOP table's next row),
        # or small letters after a capital title (the body), start something else.
        if parts and is_upper(parts[0]) != is_upper(line) and len(line.split()) >= 2:
            break
        parts.append(line)
    return _tidy(parts)


def _block_stop(line: str) -> bool:
    return _BLOCK.match(line) is not None


def _tentang_at(lines: list[str], index: int) -> str | None:
    line = lines[index]
    m = TENTANG_LINE.match(line) or re.search(r"\bTENTANG\b", line)
    if m is None:
        return None
    return _collect(line[m.end() :].lstrip(" :"), lines[index + 1 :], _block_stop)


def _tentang_title(lines: list[str]) -> str | None:
    block = find_heading_block(lines)
    at = block.tentang if block is not None else None
    if at is not None and (title := _tentang_at(lines, at)) is not None:
        return title
    for index, line in enumerate(lines[:_TITLE_LINES]):
        if BODY_START.match(line):
            return None
        if TENTANG_LINE.match(line) or re.search(r"\bTENTANG\b", line):
            return _tentang_at(lines, index)
    return None


def _field_title(lines: list[str], label: re.Pattern[str]) -> str | None:
    def stop(line: str) -> bool:
        return _BLOCK.match(line) is not None or _LABEL_LINE.match(line) is not None

    for index, line in enumerate(lines[:_TITLE_LINES]):
        if (m := label.match(line)) is not None:
            # Letters put the date column beside the fields; a wide gap ends the value.
            rest = re.split(r"\s{3,}", line[m.end() :].strip())[0]
            return _collect(rest, lines[index + 1 :], stop)
    return None


def _is_heading(line: str) -> bool:
    if not is_upper(line) or ":" in line or _NOT_HEADING.match(line) or _COLUMNS.search(line):
        return False
    return not _is_garbage(line) and not is_unit_line(line)


def _heading_title(lines: list[str], pattern: re.Pattern[str] | None = None) -> str | None:
    for index, line in enumerate(lines[:_HEADING_LINES]):
        if _is_heading(line) and (pattern is None or pattern.match(line)):
            return _collect(line, lines[index + 1 :], lambda ln: not _is_heading(ln))
    return None


_hal = partial(_field_title, label=_HAL)
_sop = partial(_field_title, label=_SOP_NAME)
_agenda = partial(_field_title, label=_AGENDA)
_form = partial(_heading_title, pattern=_FORM)
_TitleFinder = Callable[[list[str]], str | None]
_LETTER_TITLE: tuple[_TitleFinder, ...] = (_hal, _tentang_title, _heading_title)
_TITLE_FINDERS: dict[str, tuple[_TitleFinder, ...]] = {
    "surat": _LETTER_TITLE,
    "nota_dinas": _LETTER_TITLE,
    "memorandum": _LETTER_TITLE,
    "surat_edaran": (_tentang_title, _hal, _heading_title),
    "sop": (_sop, _tentang_title, _heading_title),
    "notulen": (_tentang_title, _agenda, _heading_title),
    "formulir": (_form, _tentang_title, _heading_title),
}


def extract_title(text: str, doc_type: str = "lainnya") -> str | None:
    """The document's subject: TENTANG block, Hal/Perihal, Nama SOP or Agenda, by type."""
    lines = lines_of(text)
    for finder in _TITLE_FINDERS.get(doc_type, (_tentang_title, _heading_title)):
        if (title := finder(lines)) is not None:
            return title
    return None
