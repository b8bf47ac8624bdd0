"""The issuing-unit vocabulary (``tasks/data/units.toml``), loaded and checked once.

Words are compared as OCR-folded upper-case keys (:func:`key`), so ``KEMENTER1AN`` is
``KEMENTERIAN``; levels are compared as written, because folding would turn the full word
``KAHUPATEN`` into ``KABUPATEN`` and the model garbles only the short ``Kab``.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.text.confusions import fold_letters

__all__ = ["DEFAULT_UNITS_PATH", "UnitKind", "UnitRules", "key", "load_unit_rules", "unit_rules"]

DEFAULT_UNITS_PATH = Path(__file__).resolve().parents[1] / "data" / "units.toml"
_FORMS = frozenset({"fixed", "named", "region", "named_region", "company"})
_UNIT_KEYS = frozenset(
    {"words", "display", "form", "rank", "level", "national", "prefix", "alone", "splits"}
)
_TOP_KEYS = frozenset({"version", "levels", "words", "officials", "company", "unit"})
_WORD_LISTS = ("stop", "upper", "lower", "continue_after")

Words = tuple[str, ...]


def key(token: str) -> str:
    """The comparison key of one word: upper case, OCR-folded, trailing dots dropped."""
    return fold_letters(token.upper()).rstrip(".")


@dataclass(frozen=True)
class UnitKind:
    spellings: tuple[Words, ...]  # keyed words, longest first
    display: str
    form: str
    rank: int
    level: str | None
    national: str | None
    prefix: bool
    alone: bool
    splits: bool


@dataclass(frozen=True)
class UnitRules:
    version: str
    kinds: tuple[UnitKind, ...]
    levels: dict[str, str]  # spelling as written (upper) -> canonical level
    stop: frozenset[str]
    upper: frozenset[str]
    lower: frozenset[str]
    continue_after: frozenset[str]
    officials: tuple[tuple[Words, Words], ...]  # title words -> unit words, longest first
    suffixes: dict[str, str]  # company suffix key -> how it is written

    def starts(self, tokens: list[str], at: int) -> tuple[UnitKind, int] | None:
        """The kind whose words open ``tokens[at:]`` (keys), longest spelling first."""
        best: tuple[UnitKind, int] | None = None
        for kind in self.kinds:
            for words in kind.spellings:
                end = at + len(words)
                if tuple(tokens[at:end]) == words and (best is None or end > best[1]):
                    best = (kind, end)
        return best


def load_unit_rules(path: Path | None = None) -> UnitRules:
    """Read and check a units file; ValueError names the file and the offending entry."""
    source = path if path is not None else DEFAULT_UNITS_PATH
    raw = source.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        return _build(data, hashlib.sha256(raw).hexdigest()[:12])
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as err:
        raise ValueError(f"{source}: {err}") from err


unit_rules = functools.cache(load_unit_rules)


def _words(phrase: str) -> Words:
    return tuple(key(word) for word in phrase.split())


def _build(data: dict[str, Any], digest: str) -> UnitRules:
    if unknown := sorted(data.keys() - _TOP_KEYS):
        raise ValueError(f"unknown top-level key(s) {unknown}")
    words = _table(data.get("words"), "[words]")
    lists = {name: frozenset(_strings(words.get(name), f"words.{name}")) for name in _WORD_LISTS}
    levels = {
        spelling.upper(): level
        for level, spellings in _table(data.get("levels"), "[levels]").items()
        for spelling in _strings(spellings, f"levels.{level}")
    }
    officials = sorted(
        (
            (_words(title), _words(unit))
            for title, unit in _table(data.get("officials"), "[officials]").items()
        ),
        key=lambda pair: -len(pair[0]),
    )
    company = _table(data.get("company"), "[company]")
    shown = _table(company.get("display"), "[company.display]")
    suffixes = {key(s): str(shown.get(s, s)) for s in _strings(company.get("suffixes"), "suffixes")}
    entries = data.get("unit")
    if not isinstance(entries, list) or not entries:
        raise ValueError("[[unit]] entries are missing")
    kinds = tuple(_kind(entry, index) for index, entry in enumerate(entries))
    return UnitRules(
        f"{data.get('version', '?')}+{digest}",
        kinds,
        levels,
        frozenset(key(w) for w in lists["stop"]),
        frozenset(w.upper() for w in lists["upper"]),
        frozenset(w.lower() for w in lists["lower"]),
        frozenset(key(w) for w in lists["continue_after"]),
        tuple(officials),
        suffixes,
    )


def _kind(raw: object, index: int) -> UnitKind:
    entry = _table(raw, f"unit[{index}]")
    where = f"unit[{index}] ({entry.get('display', '?')})"
    if unknown := sorted(entry.keys() - _UNIT_KEYS):
        raise ValueError(f"{where}: unknown key(s) {unknown}")
    form, rank, display = entry.get("form"), entry.get("rank"), entry.get("display")
    if form not in _FORMS:
        raise ValueError(f"{where}: form must be one of {sorted(_FORMS)}, not {form!r}")
    if not (isinstance(rank, int) and not isinstance(rank, bool) and rank >= 1):
        raise ValueError(f"{where}: rank must be a whole number >= 1")
    if not (isinstance(display, str) and display.strip()):
        raise ValueError(f"{where}: display must be a non-empty string")
    spellings = sorted((_words(w) for w in _strings(entry.get("words"), where)), key=len)
    flags = [entry.get(flag, False) for flag in ("prefix", "alone", "splits")]
    if not all(isinstance(flag, bool) for flag in flags):
        raise ValueError(f"{where}: prefix, alone and splits must be true or false")
    level, national = entry.get("level"), entry.get("national")
    return UnitKind(tuple(reversed(spellings)), display, form, rank, level, national, *flags)


def _table(raw: object, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a table")
    return raw


def _strings(raw: object, where: str) -> list[str]:
    if not (isinstance(raw, list) and raw and all(isinstance(x, str) and x.strip() for x in raw)):
        raise ValueError(f"{where} must be a non-empty list of strings")
    return raw
