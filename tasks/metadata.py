"""Metadata of Indonesian official documents: number, date, issuing unit, title, NIK/KK.

Input is text from PDF extraction or Tesseract OCR (``ind`` model), so the patterns tolerate
that model's confusions (``Kab``->``Kah``, ``0``<->``O``, ``1``<->``I``/``l``) where a fix is
unambiguous, and otherwise prefer returning None to guessing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from tasks.dates import extract_date as extract_date  # re-exported: part of this API

_HEADER_LINES = 25
_UNIT_LINES = 15
_TITLE_LINES = 40
_TITLE_CAP = 300


@dataclass(frozen=True)
class Metadata:
    """What identifies a document; any field may be None when the text does not show it."""

    number: str | None
    date: dt.date | None
    unit: str | None
    title: str | None
    year: int | None


@dataclass(frozen=True)
class PersonalData:
    """16-digit NIK and family-card (KK) numbers, digits only, first occurrence first."""

    nik: tuple[str, ...]
    kk: tuple[str, ...]

    @property
    def found(self) -> bool:
        return bool(self.nik or self.kk)


# Where the header ends: legal citations and addressees below it carry numbers and units
# that are not the document's own.
_BODY_START = re.compile(
    r"\s*(?:menimbang|mengingat|memperhatikan|memutuskan|menetapkan|dengan\s+hormat"
    r"|pada\s+hari\s+ini|bab\s+[ivx1]+\b|pasal\s+\d)",
    re.I,
)
_TENTANG_LINE = re.compile(r"\s*tentang\b", re.I)


def _lines(text: str) -> list[str]:
    return text.replace("\xa0", " ").splitlines()


def _next_nonblank(lines: list[str], index: int) -> str:
    return next((line.strip() for line in lines[index + 1 :] if line.strip()), "")


# --- document number -------------------------------------------------------------------

_NUM_LABEL = re.compile(r"(?P<label>\bnomor|\bno\b\.?)(?:\s+sop)?\s*[:.]?\s*", re.I)
_HEADING_START = re.compile(
    r"\s*(?:keputusan|peraturan|surat\s+edaran|surat\s+tugas|berita\s+acara|nota\s+dinas"
    r"|instruksi|pengumuman|notulen|memorandum)\b",
    re.I,
)
_YEAR_TAIL = r"tahun\s+[0-9OIl]{4}\b"
_NUMBER = re.compile(
    rf"(?:[A-Z][/-])?[0-9OIl]*\d[\w.\-]*(?:/(?:{_YEAR_TAIL}|[0-9A-Za-z][\w.\-]*))*"
    rf"(?:\s+{_YEAR_TAIL})?",
    re.I,
)
_OCR_DIGITS = str.maketrans("OoIl", "0011")
_ROMAN = re.compile(r"[IVX]+")


def _fix_part(part: str) -> str:
    if part.lower() == "kah":
        return part[:2] + ("B" if part[2] == "H" else "b")
    # Pure I/V/X runs are Roman-numeral months; anything else made of digit look-alikes
    # is a numeric segment misread by OCR.
    if re.fullmatch(r"[0-9OoIl]+", part) and not _ROMAN.fullmatch(part):
        return part.translate(_OCR_DIGITS)
    return part


def _match_number(rest: str) -> str | None:
    rest = re.sub(r"\s*/\s*", "/", rest)
    rest = re.sub(r"(?<=\w)(?:-\s+|\s+-)(?=\w)", "-", rest)
    m = _NUMBER.match(rest)
    if m is None:
        return None
    raw = " ".join(m.group().split()).rstrip(".-")
    return re.sub(r"[^/.\- ]+", lambda p: _fix_part(p.group()), raw)


def _label_ok(line: str, label: re.Match[str]) -> bool:
    # Mid-line "Nomor" is usually a citation ("Undang-Undang Nomor 7 Tahun 2017"); only
    # upper-case headings put the document's own number there.
    if not line[: label.start()].strip():
        return True
    return label["label"].isupper() or _HEADING_START.match(line) is not None


def extract_number(text: str) -> str | None:
    """The document number from the first NOMOR line of the header, as written."""
    lines = _lines(text)[:_HEADER_LINES]
    for index, line in enumerate(lines):
        if _BODY_START.match(line) or _TENTANG_LINE.match(line):
            return None
        for label in _NUM_LABEL.finditer(line):
            if not _label_ok(line, label):
                continue
            rest = line[label.end() :].strip() or _next_nonblank(lines, index)
            if (number := _match_number(rest)) is not None:
                return number
    return None


def _number_year(number: str | None) -> int | None:
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", number or "")
    return int(years[-1]) if years else None


# --- issuing unit -----------------------------------------------------------------------

_KPU = r"komisi\s+pemilihan\s+umum|(?<![\w/\-])kpu(?![\w/\-])"
_KIP = r"komisi\s+independen\s+pemilihan|(?<![\w/\-])kip(?![\w/\-])"
_LEVELS = {"kabupaten": "Kabupaten", "kab": "Kabupaten", "kah": "Kabupaten",
           "kota": "Kota", "provinsi": "Provinsi", "prov": "Provinsi"}  # fmt: skip
_UNIT = re.compile(
    rf"(?P<sekjen>sekretariat\s+jenderal\s+(?:{_KPU}))|(?P<sekr>sekretariat\s+)?"
    rf"(?:(?P<kpu>{_KPU})|(?P<kip>{_KIP}))"
    r"(?:[ \t]+(?P<level>kabupaten|kota|provinsi|kab|kah|prov)\b\.?[ \t]*"
    r"(?P<region>[a-z][a-z'\-]*(?:[ \t]+[a-z][a-z'\-]*)*))?"
    r"(?P<ri>[ \t]+(?:ri|republik\s+indonesia)\b)?",
    re.I,
)
_UNIT_AT_END = re.compile(rf"(?:{_KPU}|{_KIP}|sekretariat(?:\s+jenderal)?)\s*$", re.I)
_REGION_STOP = {
    "nomor", "no", "tentang", "jalan", "jl", "telp", "telepon", "tlp", "alamat", "fax",
    "faks", "email", "e-mail", "laman", "website", "kode", "tahun", "periode", "sekretariat",
    "ketua", "keputusan", "peraturan", "di", "pada",
}  # fmt: skip
_UPPER_WORDS = {"dki", "diy", "ri"}


def _title_word(word: str) -> str:
    if word.lower() in _UPPER_WORDS:
        return word.upper()
    return "dan" if word.lower() == "dan" else "-".join(p.capitalize() for p in word.split("-"))


def _region(raw: str | None) -> str:
    words: list[str] = []
    for word in (raw or "").split():
        if word.lower() in _REGION_STOP or len(words) == 5:
            break
        words.append(_title_word(word))
    return " ".join(words)


def _unit_name(m: re.Match[str]) -> str | None:
    if m["sekjen"]:
        return "Sekretariat Jenderal KPU"
    body = "KIP" if m["kip"] else "KPU"
    region = _region(m["region"])
    if region:
        level = _LEVELS[m["level"].lower()]
        if body == "KIP" and level == "Provinsi":
            return "KIP Aceh"  # Aceh is the only province with a KIP
        return ("Sekretariat " if m["sekr"] else "") + f"{body} {level} {region}"
    if body == "KIP":
        return "KIP Aceh"
    # A bare "KPU" is too common (e.g. inside numbers); the spelled-out name is national.
    return "KPU RI" if m["kpu"].lower() != "kpu" or m["ri"] else None


def extract_unit(text: str) -> str | None:
    """The normalised issuing unit named in the first header lines."""
    lines = [line.strip() for line in _lines(text)[: _UNIT_LINES + 1]]
    for index, line in enumerate(lines[:_UNIT_LINES]):
        if _BODY_START.match(line):
            return None
        # Letterheads split the name over lines ("SEKRETARIAT" / "KOMISI ..." / "KOTA X").
        for extra in lines[index + 1 : index + 3]:
            if not _UNIT_AT_END.search(line):
                break
            line = f"{line} {extra}"
        for m in _UNIT.finditer(line):
            if (name := _unit_name(m)) is not None:
                return name
    return None


# --- title --------------------------------------------------------------------------------

_BLOCK = re.compile(
    r"\s*(?:menimbang|mengingat|memperhatikan|memutuskan|menetapkan|dengan\s+rahmat"
    r"|pada\s+hari\s+ini|bab\b|pasal\b|komisi\s+pemilihan|ketua\s+komisi|nomor\b|yth\b"
    r"|kepada\b|dengan\s+hormat|kata\s+pengantar|presiden\b|bupati\b|gubernur\b|wali\s*kota)",
    re.I,
)
_LABEL_LINE = re.compile(r"\s*[A-Za-z][\w ./]{0,25}:(?:\s|$)")
_HAL = re.compile(r"\s*(?:perihal|ha[lI1])\s*:\s*", re.I)
_SOP_NAME = re.compile(r"\s*nama\s+sop\s*:?\s*", re.I)
_AGENDA = re.compile(r"\s*(?:agenda|acara)(?:\s+rapat)?\s*:\s*", re.I)
_NOT_HEADING = re.compile(
    rf"\s*(?:{_KPU}|{_KIP}|sekretariat|kabupaten|kota|provinsi|republik|jalan|jl\b|telp"
    r"|email|laman|website|nomor|no\b)",
    re.I,
)


def _tidy(parts: list[str]) -> str | None:
    title = " ".join(" ".join(parts).split()).rstrip(" ,;:")
    return title[:_TITLE_CAP].rstrip() or None


def _collect(first: str, following: list[str], stop: Callable[[str], bool]) -> str | None:
    parts = [first] if first.strip() else []
    for line in following[:8]:
        if not line.strip():
            if parts:
                break
            continue
        if stop(line):
            break
        parts.append(line)
    return _tidy(parts)


def _tentang_title(lines: list[str]) -> str | None:
    for index, line in enumerate(lines[:_TITLE_LINES]):
        if _BODY_START.match(line):
            return None
        m = _TENTANG_LINE.match(line) or re.search(r"\bTENTANG\b", line)
        if m is not None:
            rest = line[m.end() :].lstrip(" :")
            return _collect(rest, lines[index + 1 :], lambda ln: _BLOCK.match(ln) is not None)
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
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < 3 or ":" in line or _NOT_HEADING.match(line):
        return False
    return sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _heading_title(lines: list[str]) -> str | None:
    for index, line in enumerate(lines[:_UNIT_LINES]):
        if _is_heading(line):
            return _collect(line, lines[index + 1 :], lambda ln: not _is_heading(ln))
    return None


_hal = partial(_field_title, label=_HAL)
_sop = partial(_field_title, label=_SOP_NAME)
_agenda = partial(_field_title, label=_AGENDA)
_TitleFinder = Callable[[list[str]], str | None]
_LETTER_TITLE: tuple[_TitleFinder, ...] = (_hal, _tentang_title, _heading_title)
_TITLE_FINDERS: dict[str, tuple[_TitleFinder, ...]] = {
    "surat": _LETTER_TITLE,
    "nota_dinas": _LETTER_TITLE,
    "memorandum": _LETTER_TITLE,
    "surat_edaran": (_tentang_title, _hal, _heading_title),
    "sop": (_sop, _tentang_title, _heading_title),
    "notulen": (_tentang_title, _agenda, _heading_title),
}


def extract_title(text: str, doc_type: str = "lainnya") -> str | None:
    """The document's subject: TENTANG block, Hal/Perihal, Nama SOP or Agenda, by type."""
    lines = _lines(text)
    for finder in _TITLE_FINDERS.get(doc_type, (_tentang_title, _heading_title)):
        if (title := finder(lines)) is not None:
            return title
    return None


# --- personal data ----------------------------------------------------------------------

_ID_CHAR = "[0-9OIlSB]"
_ID_TOKEN = re.compile(
    rf"(?<![\w/\-])(?<!\d\.)(?P<a>{_ID_CHAR}{{4}})(?P<sep>[ .]?)(?P<b>{_ID_CHAR}{{4}})(?P=sep)"
    rf"(?P<c>{_ID_CHAR}{{4}})(?P=sep)(?P<d>{_ID_CHAR}{{4}})(?![\w/\-])(?!\.\d)"
)
_ID_OCR = str.maketrans("OIlSB", "01158")
_KK_LABEL = re.compile(r"\b(?:no(?:mor)?\.?\s*kk|nkk|kartu\s+keluarga)\b", re.I)
_NIK_LABEL = re.compile(r"\b(?:n\.?i\.?k|nomor\s+induk\s+kependudukan)\b", re.I)


def _nearest_label(prefix: str) -> str | None:
    hits = [(m.end(), "kk") for m in _KK_LABEL.finditer(prefix)]
    hits += [(m.end(), "nik") for m in _NIK_LABEL.finditer(prefix)]
    return max(hits)[1] if hits else None


def _label_for(line: str, start: int, previous: str) -> str | None:
    if (label := _nearest_label(line[:start])) is not None:
        return label
    # Only a label left dangling at the end of the previous line (a label above its value)
    # counts; a table header naming both columns cannot tell which column a value sits in.
    tail = previous[max((m.end() for m in _ID_TOKEN.finditer(previous)), default=0) :]
    if _KK_LABEL.search(tail) and _NIK_LABEL.search(tail):
        return None
    return _nearest_label(tail)


def _valid_nik(digits: str) -> bool:
    # Province code, then birth day (+40 for women) and month at digits 7-10.
    province, day, month = int(digits[:2]), int(digits[6:8]), int(digits[8:10])
    return 11 <= province <= 94 and (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12


def find_personal_data(text: str) -> PersonalData:
    """16-digit NIK and family-card (KK) numbers, normalised and in order of appearance."""
    number = extract_number(text) or ""
    nik: dict[str, None] = {}
    kk: dict[str, None] = {}
    previous = ""
    for line in _lines(text):
        for m in _ID_TOKEN.finditer(line):
            raw = m["a"] + m["b"] + m["c"] + m["d"]
            digits = raw.translate(_ID_OCR)
            if sum(ch.isdigit() for ch in raw) < 8 or raw in number:
                continue
            label = _label_for(line, m.start(), previous)
            if label == "kk":
                kk[digits] = None
            elif label == "nik" or _valid_nik(digits):
                nik[digits] = None
        previous = line
    return PersonalData(nik=tuple(nik), kk=tuple(kk))


def extract_metadata(text: str, doc_type: str = "lainnya") -> Metadata:
    """Number, date, unit, title and year of one document's text."""
    number = extract_number(text)
    date = extract_date(text, doc_type)
    year = date.year if date is not None else _number_year(number)
    return Metadata(number, date, extract_unit(text), extract_title(text, doc_type), year)
