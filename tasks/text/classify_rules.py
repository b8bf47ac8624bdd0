"""The document-type rules file (``tasks/data/doc_types.toml``): loading and checking.

Cue matching itself is in :mod:`tasks.text.classify`; this module turns the file into
compiled :class:`Rule` objects and names the file and entry of every mistake.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.text.confusions import fold_letters

__all__ = ["DEFAULT_RULES_PATH", "Rule", "Rules", "load_rules"]

DEFAULT_RULES_PATH = Path(__file__).resolve().parents[1] / "data" / "doc_types.toml"

_TOP_KEYS = frozenset({"version", "labels", "settings", "rules"})
_KINDS = ("heading", "structure", "negative")
_CUE_KEYS = frozenset(
    {"name", "phrase", "regex", "weight", "line_start", "title", "followed_by", "within"}
)
# Each setting: its type and what makes a value sensible.
_SETTINGS: dict[str, tuple[type, Callable[[Any], bool]]] = {
    "fallback": (str, bool),
    "head_lines": (int, lambda value: value >= 1),
    "heading_decay": (float, lambda value: 0 <= value < 1),
    "min_score": (float, lambda value: value > 0),
    "confidence_scale": (float, lambda value: value > 0),
    "fallback_confidence": (float, lambda value: 0 <= value <= 1),
    "fuzzy_edit_lengths": (list, lambda value: _edit_lengths_ok(value)),
}
_WORD = re.compile(r"[A-Z0-9]+")
# List numbers or stray marks may precede a cue that "starts the line"; letters may not.
_LINE_LEAD = r"[^A-Z0-9\n]{0,4}"
# Head lines are compacted: every run of spaces/punctuation becomes one "_".
_GAP = "_?"
_DEFAULT_WITHIN = 3


@dataclass(frozen=True)
class Rule:
    label: str
    kind: str  # "heading", "structure" or "negative"
    name: str
    weight: float  # negative for negative cues
    pattern: re.Pattern[str]
    in_head: bool  # tried line by line on the first lines only
    phrase: bool  # matched on OCR-folded text (compacted lines in the head)
    anchored: bool  # head cue that must start its line
    title: bool  # head cue that counts only on a title line (mostly capitals)
    followed_by: re.Pattern[str] | None  # must match on this line or one of `within` after
    within: int


@dataclass(frozen=True)
class Rules:
    version: str  # declared version + content hash: changes whenever the rules do
    labels: tuple[str, ...]
    head_rules: tuple[Rule, ...]
    text_rules: tuple[Rule, ...]
    fallback: str
    head_lines: int
    heading_decay: float
    min_score: float
    confidence_scale: float
    fallback_confidence: float


def load_rules(path: Path | None = None) -> Rules:
    """Read and compile a rules file; ValueError names the file and the offending entry."""
    source = path if path is not None else DEFAULT_RULES_PATH
    raw = source.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"{source}: not valid TOML: {err}") from err
    try:
        return _build_rules(data, hashlib.sha256(raw).hexdigest()[:12])
    except ValueError as err:
        raise ValueError(f"{source}: {err}") from err


def _build_rules(data: dict[str, Any], digest: str) -> Rules:
    _check_keys(data, _TOP_KEYS, _TOP_KEYS, "top level")
    version, labels = data["version"], data["labels"]
    if not _is_text(version):
        raise ValueError("'version' must be a non-empty string")
    if not (isinstance(labels, list) and labels and all(_is_text(x) for x in labels)):
        raise ValueError("'labels' must be a non-empty list of non-empty strings")
    if len(set(labels)) != len(labels):
        raise ValueError(f"'labels' lists a label twice: {labels}")
    settings = _settings(data["settings"])
    if settings["fallback"] in labels:
        raise ValueError(f"fallback label {settings['fallback']!r} must not be in 'labels'")
    sections = _table(data["rules"], "[rules]")
    if extra := sorted(sections.keys() - set(labels)):
        raise ValueError(f"[rules.{extra[0]}]: label is not listed in 'labels'")
    if missing := [label for label in labels if label not in sections]:
        raise ValueError(f"label {missing[0]!r} is listed but has no [rules.{missing[0]}]")
    edits = settings.pop("fuzzy_edit_lengths")
    compiled = [rule for lab in labels for rule in _label_rules(lab, sections[lab], edits)]
    head, text = [r for r in compiled if r.in_head], [r for r in compiled if not r.in_head]
    return Rules(f"{version}+{digest}", tuple(labels), tuple(head), tuple(text), **settings)


def _settings(raw: object) -> dict[str, Any]:
    settings = _table(raw, "[settings]")
    _check_keys(settings, _SETTINGS.keys(), _SETTINGS.keys(), "[settings]")
    for key, (kind, sensible) in _SETTINGS.items():
        value = settings[key]
        typed = _is_number(value, kind is int) if kind in (int, float) else isinstance(value, kind)
        if not (typed and sensible(value)):
            raise ValueError(f"[settings] {key} = {value!r} is not a valid {kind.__name__}")
    return dict(settings)


def _edit_lengths_ok(value: list[object]) -> bool:
    # Ascending word lengths; a fourth wrong letter per word would match almost anything.
    lengths = [n for n in value if isinstance(n, int) and not isinstance(n, bool) and n >= 2]
    return len(lengths) == len(value) <= 3 and lengths == sorted(set(lengths))


def _label_rules(label: str, raw: object, edits: list[int]) -> Iterable[Rule]:
    section = _table(raw, f"[rules.{label}]")
    _check_keys(section, _KINDS, (), f"[rules.{label}]")
    if not section.get("heading") and not section.get("structure"):
        raise ValueError(f"[rules.{label}] needs at least one heading or structure cue")
    for kind in _KINDS:
        cues = section.get(kind, [])
        if not isinstance(cues, list):
            raise ValueError(f"rules.{label}.{kind} must be a list of cue tables")
        for index, raw_cue in enumerate(cues):
            where = f"rules.{label}.{kind}[{index}]"
            cue = _table(raw_cue, where)
            allowed = _CUE_KEYS | {"scope"} if kind == "negative" else _CUE_KEYS
            _check_keys(cue, allowed, ("weight",), where)
            try:
                yield _rule(label, kind, cue, edits)
            except ValueError as err:
                raise ValueError(f"{where}: {err}") from err


def _rule(label: str, kind: str, cue: Mapping[str, Any], edits: list[int]) -> Rule:
    if ("phrase" in cue) == ("regex" in cue):
        raise ValueError("give exactly one of 'phrase' or 'regex'")
    source, is_phrase = cue.get("phrase", cue.get("regex")), "phrase" in cue
    scope = cue.get("scope", "head" if kind == "heading" else "text")
    line_start = cue.get("line_start", scope == "head")
    weight, name = cue["weight"], cue.get("name", source)
    title, within = cue.get("title", False), cue.get("within", _DEFAULT_WITHIN)
    if scope not in ("head", "text") or not isinstance(line_start, bool):
        raise ValueError("scope must be 'head' or 'text', line_start true or false")
    if not _is_number(weight, False) or weight <= 0:
        raise ValueError(f"weight must be a positive number, not {weight!r}")
    if not (_is_text(source) and _is_text(name)):
        raise ValueError("phrase, regex and name must be non-empty strings")
    if not isinstance(title, bool) or not (_is_number(within, True) and within >= 0):
        raise ValueError("title must be true or false, within a whole number >= 0")
    in_head = scope == "head"
    if (title or "followed_by" in cue) and not in_head:
        raise ValueError("title and followed_by apply to head cues only")
    pattern = _pattern(source, is_phrase, in_head, line_start, edits)
    follow = _compile(cue["followed_by"]) if "followed_by" in cue else None
    signed = -float(weight) if kind == "negative" else float(weight)
    return Rule(
        label, kind, name, signed, pattern, in_head, is_phrase, in_head and line_start,
        title, follow, within,
    )  # fmt: skip


def _compile(source: object) -> re.Pattern[str]:
    if not _is_text(source):
        raise ValueError("followed_by must be a non-empty regex")
    try:
        return re.compile(str(source))
    except re.error as err:
        raise ValueError(f"bad regex {source!r}: {err}") from err


def _pattern(
    source: str, is_phrase: bool, in_head: bool, line_start: bool, edits: list[int]
) -> re.Pattern[str]:
    # Text cues are searched in "\n" + text, so a leading "\n" anchors them at a line start
    # while keeping a literal prefix that lets the regex engine skip ahead quickly.
    lead = ("" if in_head else "\n") + _LINE_LEAD if line_start else ""
    if not is_phrase:  # compiled alone first: inside "(?:...)" a stray ")" could pass unseen
        return re.compile(f"{lead}(?:{_compile(source).pattern})")
    if not (words := _WORD.findall(fold_letters(source.upper()))):
        raise ValueError("phrase has no letters or digits")
    if not in_head:
        return re.compile(lead + _text_phrase(words))
    # Compacted head lines: the exact phrase may run into the next word (OCR drops spaces);
    # a fuzzy one must end where a word ends, or "KEBUTUHAN..." would pass for KEPUTUSAN.
    exact = _GAP.join(_fuzzy_word(word, []) for word in words)
    fuzzy = _GAP.join(_fuzzy_word(word, edits) for word in words)
    return re.compile(f"(?:{exact}|{fuzzy}(?=_|$))")


def _fuzzy_word(word: str, edit_lengths: list[int]) -> str:
    """Doubled letters and broken spacing anywhere; wrong or missing letters by length."""
    letters = [re.escape(char) + "+" for char in word]
    edits = sum(len(word) >= length for length in edit_lengths)
    variants = [
        _GAP.join("[A-Z0-9]?" if i in spots else letter for i, letter in enumerate(letters))
        for spots in itertools.combinations(range(len(word)), edits)
    ]
    return "(?:" + "|".join(variants) + ")"


def _text_phrase(words: list[str]) -> str:
    # The word-boundary check sits after the first word so the pattern still starts with a
    # literal; a leading look-behind would make the engine try every position of the text.
    first = re.escape(words[0])
    rest = "".join(r"[\s.,:/-]*" + re.escape(word) for word in words[1:])
    return f"{first}(?<![A-Z0-9]{first}){rest}(?![A-Z])"


def _table(raw: object, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a table")
    return raw


def _check_keys(
    table: dict[str, Any], allowed: Iterable[str], needed: Iterable[str], at: str
) -> None:
    if unknown := sorted(table.keys() - set(allowed)):
        raise ValueError(f"{at}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")
    if missing := sorted(set(needed) - table.keys()):
        raise ValueError(f"{at}: missing key(s) {missing}")


def _is_number(value: object, integral: bool) -> bool:
    # TOML booleans are ints to Python; a weight of `true` is a typo, not 1.
    return isinstance(value, int if integral else int | float) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
