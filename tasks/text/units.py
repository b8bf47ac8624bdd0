"""The issuing unit of a document, normalised: any Indonesian public body, and the part of
it that wrote the document ("Biro Komunikasi Publik, Kementerian Perumahan dan Kawasan
Permukiman", "Bupati Bengkulu Tengah", "KPU Kabupaten Bengkulu Tengah").

Read, in this order, from the letterhead and heading lines, the heading block wherever
OCR put it, the issuer line before ``Menimbang`` and the signature block after
``Ditetapkan di``. The vocabulary is data (``tasks/data/units.toml``); only what matches
it becomes a unit, so an unknown body stays None rather than being guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.text.header import BODY_START, find_heading_block, first_page, is_upper, lines_of
from tasks.text.kpu import kpu_unit
from tasks.text.unit_rules import UnitKind, UnitRules, key, unit_rules

__all__ = ["extract_unit", "is_unit_line"]

_HEADER_LINES = 15
_MAX_NAME_WORDS = 8
_MAX_REGION_WORDS = 5
_PART_RANK = 5  # ranks from here on are parts of a body, not bodies
_REPUBLIK = key("REPUBLIK")
_NEWLINE = "\n"
_GAP = re.compile(r"\s{3,}")
_TOKEN = re.compile(r"[^\s,;:]+|[,;:]")
_SPECKS = "_|~*'\"`^\u2014\u2013\u201c\u201d\u2018\u2019«»<>"
# Type words in front of the unit in a heading ("PERATURAN MENTERI ...", "SALINAN").
_TYPE_WORDS = frozenset(
    key(word)
    for word in ("SALINAN", "LAMPIRAN", "PERATURAN", "KEPUTUSAN", "INSTRUKSI", "PENGUMUMAN",
                 "SURAT", "EDARAN")
)  # fmt: skip
_ROMAN = re.compile(r"[IVX]+\.?")
_NATIONAL = (("PUSAT",), ("REPUBLIK", "INDONESIA"), ("RI",))
_ISSUED_AT = re.compile(r"\s*(?:ditetapkan|dikeluarkan|disahkan)\s+di\b(?!\s+dalam)", re.I)
_BLESSING = re.compile(r"\s*dengan\s+rahmat\s+tuhan", re.I)
_ON_DATE = re.compile(r"\s*pada\s+tanggal\b", re.I)
_SIGNATURE_END = re.compile(r"\s*(?:ttd|cap|dto)\b|\s*$", re.I)


@dataclass(frozen=True)
class _Part:
    kind: UnitKind
    name: str  # normalised, complete ("Biro Komunikasi Publik")
    regional: bool  # carries its own region ("Dinas Pendidikan Kabupaten Garut")


class _Reader:
    """Reads unit parts off one segment of text, word by word."""

    def __init__(self, rules: UnitRules, words: list[str]) -> None:
        self.rules, self.words = rules, words
        self.keys = [key(w) for w in words]
        self.at = 0

    def peek(self, offset: int = 0) -> str:
        i = self.at + offset
        return self.keys[i] if i < len(self.keys) else ""

    def parts(self) -> list[_Part]:
        self._skip_type_words()
        found: list[_Part] = []
        # The next line only continues a name read on this one; it starts nothing here.
        while self.at < len(self.keys) and self.peek() not in (",", ";", ":", _NEWLINE):
            self._apply_official()
            start = self.rules.starts(self.keys, self.at)
            if start is None:
                break
            kind, self.at = start
            part = self._read(kind)
            if part is None:
                break
            found.append(part)
        return found

    def _skip_type_words(self) -> None:
        while self.peek() in _TYPE_WORDS or (self.at and _ROMAN.fullmatch(self.words[self.at])):
            self.at += 1

    def _apply_official(self) -> None:
        for title, unit in self.rules.officials:
            if tuple(self.keys[self.at : self.at + len(title)]) == title:
                del self.keys[self.at : self.at + len(title)]
                del self.words[self.at : self.at + len(title)]
                self.keys[self.at : self.at] = list(unit)
                self.words[self.at : self.at] = list(unit)
                return

    def _read(self, kind: UnitKind) -> _Part | None:
        if kind.form == "fixed":
            return _Part(kind, kind.display, False)
        if kind.form == "company":
            return self._company(kind)
        if kind.form != "region":
            name = self._name(stop_at_level=kind.form == "named_region")
            region = self._region(kind) if name and kind.form == "named_region" else ""
            if not name:
                return None
            return _Part(kind, " ".join(filter(None, (kind.display, name, region))), bool(region))
        if self._national():
            return _Part(kind, kind.national, False) if kind.national else None
        if region := self._region(kind):
            return _Part(kind, f"{kind.display} {region}", True)
        if kind.national is not None:
            return _Part(kind, kind.national, False)
        # A part without its region ("SEKRETARIAT DAERAH") under a body named above it.
        return _Part(kind, kind.display, False) if kind.rank >= _PART_RANK else None

    def _ends_name(self, word_key: str) -> bool:
        if word_key in ("", ",", ";", ":", _NEWLINE) or word_key in self.rules.stop:
            return True
        if any(ch.isdigit() for ch in word_key) or word_key in (_REPUBLIK, "RI"):
            return True  # the state's name ends a ministry's
        start = self.rules.starts(self.keys, self.at)
        return start is not None and start[0].splits

    def _name(self, stop_at_level: bool) -> str:
        words: list[str] = []
        while len(words) < _MAX_NAME_WORDS:
            if self.peek() == _NEWLINE:
                nxt = self.words[self.at + 1] if self.at + 1 < len(self.words) else ""
                if not words or not (
                    key(words[-1]) in self.rules.continue_after or nxt.lower() in ("dan", "serta")
                ):
                    break
                self.at += 1
            word_key = self.peek()
            if self._ends_name(word_key) or (stop_at_level and self._level_next()):
                break
            words.append(self.words[self.at])
            self.at += 1
        self._skip_state_suffix()
        return self._cased(words)

    def _skip_state_suffix(self) -> None:
        if self.peek() == _REPUBLIK and self.peek(1) == "INDONESIA":
            self.at += 2
        elif self.peek() == "RI":
            self.at += 1

    def _national(self) -> bool:
        for words in _NATIONAL:
            if tuple(self.keys[self.at : self.at + len(words)]) == tuple(map(key, words)):
                self.at += len(words)
                return True
        return False

    def _level_next(self) -> str | None:
        word = self.words[self.at].upper().rstrip(".") if self.at < len(self.words) else ""
        return self.rules.levels.get(word)

    def _region(self, kind: UnitKind) -> str:
        level = self._level_next()
        if level is not None:
            self.at += 1
        elif kind.level is None:
            return ""
        words: list[str] = []
        while len(words) < _MAX_REGION_WORDS and not self._ends_name(self.peek()):
            if self._level_next() is not None:
                break
            words.append(self.words[self.at])
            self.at += 1
        if not words:
            return ""
        region = self._cased(words)
        return (
            region
            if kind.level is not None and level in (None, kind.level)
            else f"{level} {region}"
        )

    def _company(self, kind: UnitKind) -> _Part | None:
        words: list[str] = []
        while len(words) < _MAX_NAME_WORDS and self.peek() not in ("", ",", ";", ":"):
            if self.peek() == _NEWLINE:
                self.at += 1
                continue
            if self.peek() in self.rules.suffixes:
                suffixes = []
                while self.peek() in self.rules.suffixes:
                    suffixes.append(self.rules.suffixes[self.peek()])
                    self.at += 1
                name = " ".join([kind.display, self._cased(words), *suffixes])
                return _Part(kind, name, False) if words else None
            words.append(self.words[self.at])
            self.at += 1
        return None

    def _cased(self, words: list[str]) -> str:
        return " ".join(self._case(word, i) for i, word in enumerate(words))

    def _case(self, word: str, index: int) -> str:
        bare = word.strip("().")
        if bare.upper() in self.rules.upper:
            return word.upper()
        if index and word.lower() in self.rules.lower:
            return word.lower()
        return "/".join(
            "-".join(p[:1].upper() + p[1:].lower() for p in s.split("-")) for s in word.split("/")
        )


def _words(text: str) -> list[str]:
    # Scanner specks stick to words ("_SEKRETARIAT", "|BIRO"); a company's "(" stays.
    words = (word.strip(_SPECKS) for word in _TOKEN.findall(text))
    return [word for word in words if word]


def _next_line(lines: list[str], index: int) -> str:
    return next((line for line in lines[index + 1 :] if line.strip()), "")


def _segment_parts(rules: UnitRules, line: str, following: str = "") -> list[_Part]:
    segment = _GAP.split(line.strip())[0]
    words = _words(segment) + (
        [_NEWLINE, *_words(_GAP.split(following.strip())[0])] if following.strip() else []
    )
    return _Reader(rules, words).parts()


def _company_anywhere(rules: UnitRules, line: str, following: str) -> list[_Part]:
    # A state company is often named inside a title ("DAFTAR INFORMASI ... PT X (PERSERODA)");
    # its legal suffix makes the name certain wherever it stands.
    words = _words(line) + ([_NEWLINE, *_words(following)] if following.strip() else [])
    for index, word in enumerate(words):
        if key(word) in ("PT",):
            reader = _Reader(rules, words[index:])
            if (parts := reader.parts()) and parts[0].kind.form == "company":
                return parts[:1]
    return []


def _compose(parts: list[_Part]) -> str | None:
    top = min(parts, key=lambda p: p.kind.rank)
    if top.kind.rank >= _PART_RANK:  # only parts: one that carries its region names itself
        alone = [p for p in parts if p.kind.alone and p.regional]
        return alone[-1].name if alone else None
    others = [p for p in parts if p is not top]
    if not others:
        return top.name
    sub = max(reversed(others), key=lambda p: p.kind.rank)
    if sub.kind.prefix:
        return f"{sub.name} {top.name}"
    return f"{sub.name}, {top.name}"


def _chain(rules: UnitRules, lines: list[str], upper_only: bool) -> str | None:
    """The unit of consecutive unit lines (a letterhead, a signature), first one found."""
    parts: list[_Part] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        following = _next_line(lines, index)
        if (found := kpu_unit(lines, index)) is not None:
            if parts:
                break
            return found
        candidates = (
            [] if upper_only and not is_upper(line) else _segment_parts(rules, line, following)
        )
        if not candidates and not parts:
            candidates = _company_anywhere(rules, line, following)
        if not candidates:
            if parts:
                break
            continue
        parts.extend(candidates)
    return _compose(parts) if parts else None


def _header(lines: list[str]) -> list[str]:
    header: list[str] = []
    for line in lines[:_HEADER_LINES]:
        if BODY_START.match(line):
            break
        header.append(line)
    return header


def _issuer_lines(lines: list[str]) -> list[str]:
    """The issuer of a regulation or decree: after "DENGAN RAHMAT ...", else just before
    "Menimbang" ("BUPATI BENGKULU TENGAH,")."""
    page = first_page(lines)
    for index, line in enumerate(page):
        if _BLESSING.match(line):
            after = [ln for ln in page[index + 1 : index + 4] if ln.strip()]
            return [ln for ln in after[:2] if is_upper(ln) and not BODY_START.match(ln)]
    for index, line in enumerate(page):
        if re.match(r"\s*(?:menimbang|mengingat)\b", line, re.I):
            before = [ln for ln in page[max(0, index - 3) : index] if ln.strip()]
            return [ln for ln in before[-2:] if is_upper(ln)]
    return []


def _signature_lines(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if _ISSUED_AT.match(line):
            rest = lines[index + 1 : index + 8]
            while rest and (not rest[0].strip() or _ON_DATE.match(rest[0])):
                rest = rest[1:]
            block: list[str] = []
            for ln in rest:
                if _SIGNATURE_END.match(ln) and block:
                    break
                block.append(ln)
            return block
    return []


def _joined(block: list[str]) -> list[str]:
    """A signature title is one phrase up to its comma, however its lines were broken."""
    lines = [line.strip() for line in block if line.strip()]
    for end, line in enumerate(lines):
        if line.endswith(","):
            return [" ".join(lines[: end + 1])]
    return lines


def extract_unit(text: str, rules: UnitRules | None = None) -> str | None:
    """The normalised issuing unit, or None when no known kind of body is named."""
    active = rules if rules is not None else unit_rules()
    lines = lines_of(text)
    header = _header(lines)
    sources = [header]
    block = find_heading_block(lines)
    if block is not None and block.heading >= len(header):  # OCR put the heading below
        sources.append(lines[block.heading : block.number + 1])
    for source in sources:
        if (unit := _chain(active, source, upper_only=True)) is not None:
            return unit
    for source in (_issuer_lines(lines), _signature_lines(lines)):
        if (unit := _chain(active, _joined(source), upper_only=False)) is not None:
            return unit
    return None


def is_unit_line(line: str, rules: UnitRules | None = None) -> bool:
    """Does the line name a unit (a letterhead line rather than a title)?"""
    active = rules if rules is not None else unit_rules()
    return bool(_segment_parts(active, line)) or kpu_unit([line], 0) is not None
