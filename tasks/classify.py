"""Document type of Indonesian official documents (naskah dinas) from rules in a data file.

The cues live in ``tasks/data/doc_types.toml`` so the PPID can tune them without code changes.
Input is often Tesseract output (~5 % character errors), so ``phrase`` cues are matched on an
OCR-folded alphabet (``0``->``O``, ``l``->``I``, ...), and heading phrases also tolerate broken
spacing, doubled letters and wrong or missing letters.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_RULES_PATH", "Classification", "Rule", "Rules", "classify", "load_rules"]

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "data" / "doc_types.toml"

_TOP_KEYS = frozenset({"version", "labels", "settings", "rules"})
_KINDS = ("heading", "structure", "negative")
_CUE_KEYS = frozenset({"name", "phrase", "regex", "weight", "line_start"})
# Each setting: its type and what makes a value sensible.
_SETTINGS: dict[str, tuple[type, Callable[[Any], bool]]] = {
    "fallback": (str, bool),
    "head_lines": (int, lambda value: value >= 1),
    "heading_decay": (float, lambda value: 0 <= value < 1),
    "min_score": (float, lambda value: value > 0),
    "confidence_scale": (float, lambda value: value > 0),
    "fallback_confidence": (float, lambda value: 0 <= value <= 1),
    "fuzzy_edit_lengths": (list, lambda value: _edit_lengths_ok(value)),
    "ocr_fold": (dict, lambda value: True),
}
# Stray marks Tesseract sprinkles over scans; dropping them keeps words whole. Non-ASCII
# becomes "?" first: no cue needs it, and str.translate is ~50x slower on non-ASCII text.
_CLEAN = str.maketrans("\t", " ", "'\"`^*~_\r?")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_WORD = re.compile(r"[A-Z0-9]+")
# List numbers or stray marks may precede a cue that "starts the line"; letters may not.
_LINE_LEAD = r"[^A-Z0-9\n]{0,4}"


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


@dataclass(frozen=True)
class Rules:
    version: str  # declared version + content hash: changes whenever the rules do
    labels: tuple[str, ...]
    head_rules: tuple[Rule, ...]
    text_rules: tuple[Rule, ...]
    fold: dict[int, int]
    fallback: str
    head_lines: int
    heading_decay: float
    min_score: float
    confidence_scale: float
    fallback_confidence: float


@dataclass(frozen=True)
class Classification:
    doc_type: str
    confidence: float
    matched: tuple[str, ...]


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


def classify(text: str, rules: Rules | None = None) -> Classification:
    active = rules if rules is not None else _default_rules()
    cleaned = text.upper().encode("ascii", "replace").decode("ascii").translate(_CLEAN)
    if not cleaned.strip():
        return Classification(active.fallback, 0.0, ())
    found = [*_head_hits(cleaned, active), *_text_hits("\n" + cleaned, active)]
    return _decide(found, active)


# The bundled rules, compiled on first use (~30 ms) and then shared.
_default_rules = functools.cache(load_rules)


def _head_hits(cleaned: str, rules: Rules) -> Iterator[tuple[Rule, float]]:
    lines = itertools.islice(filter(None, map(str.strip, cleaned.split("\n"))), rules.head_lines)
    # Each line also without spaces or punctuation, OCR-folded, for the heading phrases.
    head = [(line, _NOT_ALNUM.sub("", line.translate(rules.fold))) for line in lines]
    # A cue counts once, on its first line; later lines weigh less because type headings
    # come first and what follows (titles, "Mengingat" lists) merely mentions other types.
    for rule in rules.head_rules:
        for index, (line, compact) in enumerate(head):
            target = compact if rule.phrase else line
            if rule.pattern.match(target) if rule.anchored else rule.pattern.search(target):
                yield rule, rule.weight * (1.0 - rules.heading_decay * index / rules.head_lines)
                break


def _text_hits(cleaned: str, rules: Rules) -> Iterator[tuple[Rule, float]]:
    folded = cleaned.translate(rules.fold)
    for rule in rules.text_rules:
        if rule.pattern.search(folded if rule.phrase else cleaned):
            yield rule, rule.weight


def _decide(found: list[tuple[Rule, float]], rules: Rules) -> Classification:
    scores = dict.fromkeys(rules.labels, 0.0)
    for rule, weight in found:
        scores[rule.label] += weight
    ranked = sorted(rules.labels, key=lambda label: scores[label], reverse=True)
    top = max(scores[ranked[0]], 0.0)
    runner_up = max(scores[ranked[1]], 0.0) if len(ranked) > 1 else 0.0
    if top < rules.min_score:
        # Some evidence for a real type makes "other" less certain, not more.
        confidence = rules.fallback_confidence * (1.0 - top / rules.min_score)
        return Classification(rules.fallback, round(confidence, 3), ())
    margin = top - runner_up
    # The absolute margin says how much evidence is left once the runner-up is accounted
    # for; the relative margin discounts cases where the runner-up holds most of it too.
    confidence = (1.0 - math.exp(-margin / rules.confidence_scale)) * math.sqrt(margin / top)
    matched = tuple(f"{rule.kind}:{rule.name}" for rule, _ in found if rule.label == ranked[0])
    return Classification(ranked[0], round(confidence, 3), matched)


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
    fold = _fold_table(settings.pop("ocr_fold"))
    edits = settings.pop("fuzzy_edit_lengths")
    compiled = [rule for lab in labels for rule in _label_rules(lab, sections[lab], edits, fold)]
    head, text = [r for r in compiled if r.in_head], [r for r in compiled if not r.in_head]
    return Rules(f"{version}+{digest}", tuple(labels), tuple(head), tuple(text), fold, **settings)


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


def _fold_table(raw: object) -> dict[int, int]:
    """[settings.ocr_fold] maps a canonical letter to the characters OCR mistakes for it."""
    variants, canonical = "", ""
    for letter, chars in _table(raw, "[settings.ocr_fold]").items():
        if not (isinstance(chars, str) and re.fullmatch(r"[A-Z]", letter)):
            raise ValueError(f"[settings.ocr_fold] {letter} must map a letter A-Z to a string")
        variants += chars
        canonical += letter * len(chars)
    if len(set(variants)) != len(variants):
        raise ValueError("[settings.ocr_fold] a character is folded to two different letters")
    return str.maketrans(variants, canonical)


def _label_rules(label: str, raw: object, edits: list[int], fold: dict[int, int]) -> Iterable[Rule]:
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
                yield _rule(label, kind, cue, edits, fold)
            except ValueError as err:
                raise ValueError(f"{where}: {err}") from err


def _rule(
    label: str, kind: str, cue: Mapping[str, Any], edits: list[int], fold: dict[int, int]
) -> Rule:
    if ("phrase" in cue) == ("regex" in cue):
        raise ValueError("give exactly one of 'phrase' or 'regex'")
    source, is_phrase = cue.get("phrase", cue.get("regex")), "phrase" in cue
    scope = cue.get("scope", "head" if kind == "heading" else "text")
    line_start = cue.get("line_start", scope == "head")
    weight, name = cue["weight"], cue.get("name", source)
    if scope not in ("head", "text") or not isinstance(line_start, bool):
        raise ValueError("scope must be 'head' or 'text', line_start true or false")
    if not _is_number(weight, False) or weight <= 0:
        raise ValueError(f"weight must be a positive number, not {weight!r}")
    if not (_is_text(source) and _is_text(name)):
        raise ValueError("phrase, regex and name must be non-empty strings")
    in_head = scope == "head"
    # Text cues are searched in "\n" + text, so a leading "\n" anchors them at a line start
    # while keeping a literal prefix that lets the regex engine skip ahead quickly.
    lead = ("" if in_head else "\n") + _LINE_LEAD if line_start else ""
    try:  # a regex is compiled alone first: inside "(?:...)" a stray ")" could pass unseen
        if not is_phrase:
            pattern = re.compile(f"{lead}(?:{re.compile(source).pattern})")
        elif not (words := _WORD.findall(source.upper().translate(fold))):
            raise ValueError("phrase has no letters or digits")
        elif in_head:  # compacted lines: no separators left, and match() anchors line starts
            pattern = re.compile("".join(_fuzzy_word(word, edits) for word in words))
        else:
            pattern = re.compile(lead + _text_phrase(words))
    except re.error as err:
        raise ValueError(f"bad regex {source!r}: {err}") from err
    signed = -float(weight) if kind == "negative" else float(weight)
    return Rule(label, kind, name, signed, pattern, in_head, is_phrase, in_head and line_start)


def _fuzzy_word(word: str, edit_lengths: list[int]) -> str:
    """Doubled letters anywhere; one wrong or missing letter per length threshold reached."""
    letters = [re.escape(char) + "+" for char in word]
    edits = sum(len(word) >= length for length in edit_lengths)
    variants = [
        "".join("[A-Z0-9]?" if i in spots else letter for i, letter in enumerate(letters))
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
