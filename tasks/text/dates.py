"""Find "the" date of an Indonesian official document (naskah dinas).

Text comes from PDF extraction or Tesseract OCR, so month names may be misspelled, digits
may be read as letters and dates in minutes are often spelled out in words.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator

from tasks.text.confusions import CODE_DIGIT_CHARS, code_digits

_MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agt": 8, "agu": 8, "agus": 8, "agust": 8, "ags": 8, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "december": 12, "dec": 12,
}  # fmt: skip
# Fuzzy matching only against long names: short abbreviations are too close to real words.
_FUZZY_NAMES = [name for name in _MONTHS if len(name) >= 6]
_WEEKDAYS = {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad"}

_UNIT_WORDS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4,
    "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
}  # fmt: skip
_FIXED_WORDS = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000}
_MULTIPLIERS = {"belas": 0, "puluh": 10, "ratus": 100, "ribu": 1000}

_DIGITISH = rf"[0-9{re.escape(CODE_DIGIT_CHARS)}]"
_NUM_WORD = (
    r"(?:nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas"
    r"|belas|puluh|seratus|ratus|seribu|ribu|\d{1,4})"
)
_NUM_WORDS = rf"{_NUM_WORD}(?:\s+{_NUM_WORD})*"
_UNITS_ALT = "|".join(_UNIT_WORDS)
# OCR and typists sometimes glue number words ("duapuluh"), which would hide the date.
_GLUED = re.compile(
    rf"\b({_UNITS_ALT})(belas|puluh|ratus|ribu)|(puluh|ratus|ribu|belas)(?=(?:{_UNITS_ALT})\b)",
    re.I,
)

_TEXTUAL = re.compile(
    rf"(?<!\w)(?P<day>{_DIGITISH}{{1,2}})(?:\s+|\s*-\s*)(?P<month>[A-Za-z]{{3,10}})\.?,?"
    rf"(?:\s+|\s*-\s*)(?P<year>{_DIGITISH}{{4}})(?!\w)"
)
_NUMERIC = re.compile(
    r"(?<![\w./\-])(?P<day>[0-3]?\d)(?P<sep>[-/.])(?P<month>[01]?\d)(?P=sep)"
    r"(?P<year>(?:19|20)\d{2})(?![\w/\-]|\.\d)"
)
# Minutes often echo the figures in brackets: "empat belas (14) bulan Agustus".
_ECHO = r"(?:\s*\(\d{1,4}\))?"
_SPELLED = re.compile(
    rf"\btanggal\s+(?P<day>{_NUM_WORDS}){_ECHO}[\s,]+(?:bulan\s+)?(?P<month>[A-Za-z]{{3,10}})"
    rf"{_ECHO}\.?[\s,]+(?:tahun\s+)?(?P<year>{_NUM_WORDS})\b",
    re.I,
)
_ISSUED_AT = re.compile(r"\b(?:ditetapkan|dikeluarkan|disahkan)\s+di\b", re.I)
_TODAY = re.compile(r"\bpada\s+hari\s+ini\b", re.I)
_CITY_LINE = re.compile(
    r"(?:^|[ \t]{2,})(?P<city>[A-Z][A-Za-z.'\-]*(?:[ \t][A-Za-z.'\-]+){0,3})[ \t]*,[ \t]*"
    r"(?P<rest>[^\n]{6,40}?)[ \t]*$",
    re.M,
)
_FIELD = re.compile(
    r"^[ \t]*(?:hari[ \t]*[/,]?[ \t]*)?(?:tanggal|tgl\.?)(?:[ \t]+(?P<qual>[a-z]+))?"
    r"[ \t]*:[ \t]*(?P<rest>[^\n]+)$",
    re.I | re.M,
)
_APPROVAL = re.compile(
    r"^[ \t]*tanggal[ \t]+(?:pengesahan|penetapan|disahkan)[ \t]*:?[ \t]*(?P<rest>[^\n]+)$",
    re.I | re.M,
)
# Field qualifiers that name some other event than the document's own date.
_OTHER_EVENTS = {"lahir", "pembuatan", "revisi", "diterima", "kegiatan", "pelaksanaan"}


def month_number(token: str) -> int | None:
    """Month 1-12 for a month name, old spelling, abbreviation or OCR-garbled name."""
    word = token.lower().rstrip(".")
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) < 6:
        return None
    close = difflib.get_close_matches(word, _FUZZY_NAMES, n=1, cutoff=0.8)
    return _MONTHS[close[0]] if close else None


def parse_number_words(text: str) -> int | None:
    """Value of Indonesian number words ("dua ribu dua puluh tiga" -> 2023), or None."""
    words = text.lower().split()
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    total = group = 0
    unit: int | None = None
    for word in words:
        if word in _UNIT_WORDS or word in _FIXED_WORDS:
            if unit is not None:
                return None  # two plain numbers in a row ("dua tiga") is not a number
            value = _UNIT_WORDS.get(word, _FIXED_WORDS.get(word, 0))
            if value < 10:
                unit = value
            elif value == 1000:
                total += value
            else:
                group += value
        elif word in _MULTIPLIERS and unit:
            if word == "ribu":
                total, group = total + (group + unit) * 1000, 0
            else:
                group += unit + 10 if word == "belas" else unit * _MULTIPLIERS[word]
            unit = None
        else:
            return None
    return total + group + (unit or 0) if words else None


def _leading_number(text: str) -> int | None:
    # The year is the last field of the sentence, so the words that follow it ("dua orang
    # saksi") may have been swallowed too; keep the longest prefix that is a number.
    tokens = text.split()
    for end in range(len(tokens), 0, -1):
        if (value := parse_number_words(" ".join(tokens[:end]))) is not None:
            return value
    return None


def _make_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None or not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # e.g. 31 Februari


def _ocr_int(raw: str) -> int | None:
    if not any(ch.isdigit() for ch in raw):
        return None  # a bare "I" or "O" is too ambiguous to read as a number
    digits = code_digits(raw)
    return int(digits) if digits.isdigit() else None


def _candidates(text: str) -> Iterator[tuple[int, dt.date]]:
    for m in _TEXTUAL.finditer(text):
        day, month, year = _ocr_int(m["day"]), month_number(m["month"]), _ocr_int(m["year"])
        if (date := _make_date(year, month, day)) is not None:
            yield m.start(), date
    for m in _NUMERIC.finditer(text):
        if (date := _make_date(int(m["year"]), int(m["month"]), int(m["day"]))) is not None:
            yield m.start(), date
    for m in _SPELLED.finditer(text):
        day, year = parse_number_words(m["day"]), _leading_number(m["year"])
        if (date := _make_date(year, month_number(m["month"]), day)) is not None:
            yield m.start(), date


def first_date(text: str) -> dt.date | None:
    """The earliest valid date written anywhere in ``text``."""
    found = sorted(_candidates(text), key=lambda item: item[0])
    return found[0][1] if found else None


def _issued_at(text: str) -> dt.date | None:
    for m in _ISSUED_AT.finditer(text):
        if (date := first_date(text[m.end() : m.end() + 160])) is not None:
            return date
    return None


def _city_line(text: str) -> dt.date | None:
    for m in _CITY_LINE.finditer(text):
        if m["city"].lower() in _WEEKDAYS:
            continue  # "Senin, 14 Agustus 2023" is a day field, not a place of signing
        found = sorted(_candidates(m["rest"]), key=lambda item: item[0])
        if found and found[0][0] == 0:
            return found[0][1]
    return None


def _approval_field(text: str) -> dt.date | None:
    for m in _APPROVAL.finditer(text):
        if (date := first_date(m["rest"])) is not None:
            return date
    return None


def _date_field(text: str) -> dt.date | None:
    for m in _FIELD.finditer(text):
        if (m["qual"] or "").lower() in _OTHER_EVENTS:
            continue
        if (date := first_date(m["rest"])) is not None:
            return date
    return None


def _today_sentence(text: str) -> dt.date | None:
    for m in _TODAY.finditer(text):
        if (date := first_date(text[m.end() : m.end() + 250])) is not None:
            return date
    return None


_Strategy = Callable[[str], dt.date | None]
_LETTER: tuple[_Strategy, ...] = (
    _city_line, _issued_at, _date_field, _today_sentence, first_date,
)  # fmt: skip
_MINUTES: tuple[_Strategy, ...] = (
    _today_sentence, _date_field, _issued_at, _city_line, first_date,
)  # fmt: skip
_SOP: tuple[_Strategy, ...] = (
    _approval_field, _date_field, _issued_at, _city_line, first_date,
)  # fmt: skip
_DEFAULT: tuple[_Strategy, ...] = (
    _issued_at, _city_line, _approval_field, _date_field, _today_sentence, first_date,
)  # fmt: skip
# Letters may quote an event date ("Hari/Tanggal" of a meeting they invite to), so the
# signing line wins there; minutes and reports record the meeting date itself.
_STRATEGIES: dict[str, tuple[_Strategy, ...]] = {
    "surat": _LETTER,
    "surat_edaran": _LETTER,
    "nota_dinas": _LETTER,
    "memorandum": _LETTER,
    "surat_tugas": _LETTER,
    "berita_acara": _MINUTES,
    "notulen": _MINUTES,
    "sop": _SOP,
}


def extract_date(text: str, doc_type: str = "lainnya") -> dt.date | None:
    """The signing/issue date of a document, else the first valid date in it."""
    text = _GLUED.sub(lambda m: " ".join(g for g in m.groups() if g) + " ", text)
    text = text.replace("\xa0", " ")
    for strategy in _STRATEGIES.get(doc_type, _DEFAULT):
        if (date := strategy(text)) is not None:
            return date
    return None
