"""Personal data in a document: 16-digit NIK and family-card (KK) numbers.

A NIK or KK in a document is a strong sign of UU KIP Pasal 17 h material. Numbers are
found with or without a label; unlabelled ones must look like a real NIK (province code,
birth day and month), and the document's own number is never one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.text.confusions import ALL_DIGIT_CHARS, all_digits
from tasks.text.header import lines_of
from tasks.text.numbers import extract_number

__all__ = ["PersonalData", "find_personal_data"]


@dataclass(frozen=True)
class PersonalData:
    """16-digit NIK and family-card (KK) numbers, digits only, first occurrence first."""

    nik: tuple[str, ...]
    kk: tuple[str, ...]

    @property
    def found(self) -> bool:
        return bool(self.nik or self.kk)


_ID_CHAR = f"[0-9{re.escape(ALL_DIGIT_CHARS)}]"
_ID_TOKEN = re.compile(
    rf"(?<![\w/\-])(?<!\d\.)(?P<a>{_ID_CHAR}{{4}})(?P<sep>[ .]?)(?P<b>{_ID_CHAR}{{4}})(?P=sep)"
    rf"(?P<c>{_ID_CHAR}{{4}})(?P=sep)(?P<d>{_ID_CHAR}{{4}})(?![\w/\-])(?!\.\d)"
)
_KK_LABEL = re.compile(r"\b(?:no(?:mor)?\.?\s*kk|nkk|kartu\s+keluarga)\b", re.I)
_NIK_LABEL = re.compile(r"\b(?:n\.?i\.?k|nomor\s+induk\s+kependudukan)\b", re.I)
# Half of a real ID is digits; fewer means a word that happens to look like digits.
_MIN_REAL_DIGITS = 8


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
    for line in lines_of(text):
        for m in _ID_TOKEN.finditer(line):
            raw = m["a"] + m["b"] + m["c"] + m["d"]
            digits = all_digits(raw)
            if sum(ch.isdigit() for ch in raw) < _MIN_REAL_DIGITS or raw in number:
                continue
            label = _label_for(line, m.start(), previous)
            if label == "kk":
                kk[digits] = None
            elif label == "nik" or _valid_nik(digits):
                nik[digits] = None
        previous = line
    return PersonalData(nik=tuple(nik), kk=tuple(kk))
