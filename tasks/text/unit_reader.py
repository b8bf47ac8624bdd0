"""Reading unit parts off a line, word by word, with the vocabulary of
``tasks/data/units.toml``: "SEKRETARIS JENDERAL KEMENTERIAN X," is two parts, the
Sekretariat Jenderal and the Kementerian X. Composing them into one unit is
:mod:`tasks.text.units`' job."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.text.unit_rules import UnitKind, UnitRules, key

__all__ = ["PART_RANK", "Part", "company_anywhere", "segment_parts"]

_MAX_NAME_WORDS = 8
_MAX_REGION_WORDS = 5
PART_RANK = 5  # ranks from here on are parts of a body, not bodies
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


@dataclass(frozen=True)
class Part:
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

    def parts(self) -> list[Part]:
        self._skip_type_words()
        found: list[Part] = []
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

    def _read(self, kind: UnitKind) -> Part | None:
        if kind.form == "fixed":
            return Part(kind, kind.display, False)
        if kind.form == "company":
            return self._company(kind)
        if kind.form != "region":
            name = self._name(stop_at_level=kind.form == "named_region")
            region = self._region(kind) if name and kind.form == "named_region" else ""
            if not name:
                return None
            return Part(kind, " ".join(filter(None, (kind.display, name, region))), bool(region))
        if self._national():
            return Part(kind, kind.national, False) if kind.national else None
        if region := self._region(kind):
            return Part(kind, f"{kind.display} {region}", True)
        if kind.national is not None:
            return Part(kind, kind.national, False)
        # A part without its region ("SEKRETARIAT DAERAH") under a body named above it.
        return Part(kind, kind.display, False) if kind.rank >= PART_RANK else None

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

    def _company(self, kind: UnitKind) -> Part | None:
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
                return Part(kind, name, False) if words else None
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


def segment_parts(rules: UnitRules, line: str, following: str = "") -> list[Part]:
    segment = _GAP.split(line.strip())[0]
    words = _words(segment) + (
        [_NEWLINE, *_words(_GAP.split(following.strip())[0])] if following.strip() else []
    )
    return _Reader(rules, words).parts()


def company_anywhere(rules: UnitRules, line: str, following: str) -> list[Part]:
    # A state company is often named inside a title ("DAFTAR INFORMASI ... PT X (PERSERODA)");
    # its legal suffix makes the name certain wherever it stands.
    words = _words(line) + ([_NEWLINE, *_words(following)] if following.strip() else [])
    for index, word in enumerate(words):
        if key(word) in ("PT",):
            reader = _Reader(rules, words[index:])
            if (parts := reader.parts()) and parts[0].kind.form == "company":
                return parts[:1]
    return []
