"""Document type of Indonesian official documents (naskah dinas) from rules in a data file.

The cues live in ``tasks/data/doc_types.toml`` so the PPID can tune them without code changes.
Input is often Tesseract output (~5 % character errors), so ``phrase`` cues are matched on an
OCR-folded alphabet (:mod:`tasks.text.confusions`), and heading phrases also tolerate broken
spacing, doubled letters and wrong or missing letters. Where fuzziness over-reaches, cues
say so: a fuzzy heading must end where a word ends, ``title`` cues count only on title
lines (mostly capitals, not body text), and ``followed_by`` cues only when the heading's
own structure (its ``NOMOR`` line) follows.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tasks.text.classify_rules import DEFAULT_RULES_PATH, Rule, Rules, load_rules
from tasks.text.confusions import fold_letters
from tasks.text.header import is_upper

__all__ = ["DEFAULT_RULES_PATH", "Classification", "Rule", "Rules", "classify", "load_rules"]

# Stray marks Tesseract sprinkles over scans; dropping them keeps words whole. Non-ASCII
# becomes "?" first: no cue needs it, and str.translate is ~50x slower on non-ASCII text.
_CLEAN = str.maketrans("\t", " ", "'\"`^*~_\r?")
_SEPARATORS = re.compile(r"[^A-Z0-9]+")
_LOOKAHEAD = 4  # head lines read past `head_lines` for `followed_by` only


@dataclass(frozen=True)
class Classification:
    doc_type: str
    confidence: float
    matched: tuple[str, ...]


def classify(text: str, rules: Rules | None = None) -> Classification:
    active = rules if rules is not None else _default_rules()
    ascii_text = text.encode("ascii", "replace").decode("ascii").translate(_CLEAN)
    cleaned = ascii_text.upper()
    if not cleaned.strip():
        return Classification(active.fallback, 0.0, ())
    found = [*_head_hits(ascii_text, active), *_text_hits("\n" + cleaned, active)]
    return _decide(found, active)


# The bundled rules, compiled on first use (~30 ms) and then shared.
_default_rules = functools.cache(load_rules)


@dataclass(frozen=True)
class _HeadLine:
    upper: str  # the line in capitals
    compact: str  # OCR-folded, every run of spaces/punctuation one "_"
    title: bool  # mostly capitals in the original: a heading, not body text


def _head_lines(text: str, rules: Rules) -> list[_HeadLine]:
    lines = [line for line in map(str.strip, text.split("\n")) if line]
    head = []
    for line in lines[: rules.head_lines + _LOOKAHEAD]:
        upper = line.upper()
        compact = _SEPARATORS.sub("_", fold_letters(upper)).strip("_")
        head.append(_HeadLine(upper, compact, is_upper(line)))
    return head


def _hit(rule: Rule, line: _HeadLine) -> bool:
    if rule.title and not line.title:
        return False
    target = line.compact if rule.phrase else line.upper
    return bool(rule.pattern.match(target) if rule.anchored else rule.pattern.search(target))


def _head_hits(text: str, rules: Rules) -> Iterator[tuple[Rule, float]]:
    head = _head_lines(text, rules)
    # A cue counts once, on its first line; later lines weigh less because type headings
    # come first and what follows (titles, "Mengingat" lists) merely mentions other types.
    for rule in rules.head_rules:
        for index, line in enumerate(head[: rules.head_lines]):
            if not _hit(rule, line):
                continue
            following = head[index : index + 1 + rule.within]
            if rule.followed_by and not any(rule.followed_by.search(f.upper) for f in following):
                continue
            yield rule, rule.weight * (1.0 - rules.heading_decay * index / rules.head_lines)
            break


def _text_hits(cleaned: str, rules: Rules) -> Iterator[tuple[Rule, float]]:
    folded = fold_letters(cleaned)
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
