"""Highlighted snippets computed on text loaded from the archive at search time.

The index does not store full text (the archive has ``text.txt``), so the search caller
passes a ``text_loader`` and only the hits on the current page are loaded and highlighted.
Those hits have already passed the access filter, so a snippet can never come from a
document the role may not see.

Marking works on the text's distinct words, not token by token: the words that match
the query are found among the distinct words (a stem is computed only for a word that
could have it, see ``_stem_candidates``), then one regular expression finds where they
stand, and the fragments are cut around the densest matches. Prefix, wildcard and fuzzy
terms mark the hit's words among those the search expanded them to (words of documents
the role may see); without them, they are matched against the text's own words, never
expanded over the index's word list (which also holds the words of documents the role
may not see).
"""

from __future__ import annotations

import fnmatch
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq  # type: ignore[import-untyped]

from index.fuzzy import word_matcher
from index.stems import protected_words, stem_word

# Highlighting scans the text: cap it so one 300-page scan cannot stall a page.
MAX_TEXT_CHARS = 200_000
FRAGMENT_CHARS = 200
SURROUND_CHARS = 60
FRAGMENTS = 2
LEAD_CHARS = 240
BETWEEN = " … "
_STEMMED_FIELDS = frozenset({"title", "content"})
_ATOMS = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class HighlightTerms:
    stemmed: frozenset[str] = frozenset()  # stems to mark (matched through stemmed fields)
    exact: frozenset[str] = frozenset()  # lowercase words and codes to mark as typed
    prefixes: frozenset[str] = frozenset()
    wildcards: frozenset[str] = frozenset()  # patterns with *
    fuzzy: frozenset[tuple[str, int, int]] = frozenset()  # (word, distance, prefix length)

    def __bool__(self) -> bool:
        return bool(self.stemmed or self.exact or self.prefixes or self.wildcards or self.fuzzy)


@dataclass
class _Collected:
    stemmed: set[str]
    exact: set[str]
    prefixes: set[str]
    wildcards: set[str]
    fuzzy: set[tuple[str, int, int]]


def _as_text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


Expansions = Mapping[Any, frozenset[str]]  # prefix/wildcard/fuzzy term -> its words


def _collect(node: Any, found: _Collected, expansions: Expansions) -> None:
    # Negated words matched nothing in the hit, so marking them would mislead.
    if isinstance(node, wq.Not):
        return
    if isinstance(node, wq.AndNot):
        _collect(node.a, found, expansions)
        return
    expanded = expansions.get(node) if isinstance(node, wq.MultiTerm) else None
    if expanded is not None:
        found.exact.update(expanded)
    elif isinstance(node, wq.Phrase):
        found.exact.update(node.words)
    elif isinstance(node, wq.FuzzyTerm):
        found.fuzzy.add((node.text, node.maxdist, node.prefixlength))
    elif isinstance(node, wq.Prefix):
        found.prefixes.add(node.text)
    elif isinstance(node, wq.Wildcard):
        found.wildcards.add(node.text)
    elif isinstance(node, wq.Term) and node.fieldname != "number_norm":
        (found.stemmed if node.fieldname in _STEMMED_FIELDS else found.exact).add(
            _as_text(node.text)
        )
    for child in node.children():
        _collect(child, found, expansions)


def highlight_terms(query: Any, expansions: Expansions | None = None) -> HighlightTerms:
    """The words a hit's text should show marked for ``query``.

    ``expansions`` are the words the search found for its prefix, wildcard and fuzzy
    terms (``Evaluator.expansions``: words of documents the role may see; a hit's own
    words among them are marked, so nothing of another document shows). A term without
    them is matched against each hit's words instead, which costs a pass over the text.
    """
    found = _Collected(set(), set(), set(), set(), set())
    if query is not None:
        _collect(query, found, expansions or {})
    return HighlightTerms(
        frozenset(found.stemmed),
        frozenset(found.exact),
        frozenset(found.prefixes),
        frozenset(found.wildcards),
        frozenset(found.fuzzy),
    )


# What Sastrawi may strip around a stem: prefixes (at most "memper" plus the stem's
# re-coded first letter) before it, then a derivational suffix, a possessive and a
# particle (each optional) after it.
_MAX_PREFIX = 8
_SUFFIXES = "(?:kan|an|i)?(?:ku|mu|nya)?(?:lah|kah|tah|pun)?"


def _stem_candidates(lowered: str, stems: frozenset[str]) -> set[str]:
    """Words of the text that may stem to one of ``stems``, so that Sastrawi (slow on a
    word it has not seen) runs on few words: it strips prefixes and suffixes and at most
    re-codes the stem's first letter (``memilih`` -> ``pilih``), so the rest of the stem
    stands in the word between them; protected words map to their listed stem.

    That is the words matching ``\\w{0,8}(?:tails)SUFFIXES`` whole. The scan looks for
    the tails and walks back to the word's start: a pattern that opens with ``\\w{0,8}``
    (or a lookbehind) is tried at every position of the text, ~25x slower."""
    tails = sorted({stem[1:] if len(stem) > 1 else stem for stem in stems}, key=len)
    listed = [word for word, stem in protected_words().items() if stem in stems]
    shapes = "|".join(re.escape(tail) for tail in reversed(tails))
    if listed:
        shapes += "|" + "|".join(re.escape(word) + r"\w*" for word in listed)
    tail = re.compile(rf"(?:{shapes}){_SUFFIXES}(?!\w)")
    found: set[str] = set()
    position = 0
    while (match := tail.search(lowered, position)) is not None:
        start = _word_start(lowered, match.start(), _MAX_PREFIX + 1)
        if match.start() - start <= _MAX_PREFIX:
            found.add(lowered[start : match.end()])
            position = match.end()
        else:  # more than _MAX_PREFIX letters before: a later tail may still fit
            position = match.start() + 1
    return found


def _word_start(text: str, at: int, limit: int) -> int:
    """Where the word holding ``at`` begins, looking back at most ``limit`` characters."""
    start = at
    while start > 0 and at - start < limit and _WORD_CHAR.match(text, start - 1):
        start -= 1
    return start


def _starting_words(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer`` as if it began with ``(?<!\\w)``: matches that start a word,
    scanned literal-first (see ``_stem_candidates``)."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        begin = match.start()
        if begin == 0 or not _WORD_CHAR.match(text, begin - 1):
            yield match
            position = max(match.end(), begin + 1)
        else:
            position = begin + 1


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\w`` matches in a str pattern


def _whole(lowered: str, word: str) -> Iterator[tuple[int, int]]:
    """Where ``word`` stands in the text as a whole token (``(?<!\\w)word(?!\\w)``), found
    with ``str.find``: a regular expression tries every position of the text in Python's
    engine, ``find`` skips to the next occurrence in C (2-3x faster on a long text)."""
    size, at = len(word), lowered.find(word)
    while at >= 0:
        end = at + size
        before_ok = at == 0 or not _is_word_char(lowered[at - 1])
        if before_ok and (end == len(lowered) or not _is_word_char(lowered[end])):
            yield at, end
        at = lowered.find(word, at + 1)


def _plain(lowered: str, words: frozenset[str]) -> set[str]:
    """Which of ``words`` (plain words or codes) stand in the text as whole tokens."""
    return {word for word in words if next(_whole(lowered, word), None)}


def _matches(lowered: str, terms: HighlightTerms) -> set[str]:
    # Codes ("590/pl.02.4/...", "kpu-kab") are matched whole; Sastrawi leaves them as
    # they are, so a stemmed one is matched as typed too.
    found = _plain(lowered, terms.exact | {t for t in terms.stemmed if not t.isalnum()})
    if terms.stemmed:
        candidates = _stem_candidates(lowered, terms.stemmed) - found
        found |= {word for word in candidates if stem_word(word) in terms.stemmed}
    if not (terms.prefixes or terms.wildcards or terms.fuzzy):
        return found
    words = _words(lowered)
    if terms.prefixes:
        found |= {word for word in words if word.startswith(tuple(terms.prefixes))}
    for pattern in terms.wildcards:
        compiled = re.compile(fnmatch.translate(pattern))
        found |= {word for word in words if compiled.match(word)}
    for text, maxdist, prefix in terms.fuzzy:
        start, within = text[:prefix], word_matcher(text, maxdist, prefix)
        found |= {
            word
            for word in words
            if word.startswith(start) and abs(len(word) - len(text)) <= maxdist and within(word)
        }
    return found


def _words(lowered: str) -> set[str]:
    """The distinct plain words of the (lowercased) text; codes are looked up whole."""
    return set(_ATOMS.findall(lowered))


def _spans(flat: str, matched: set[str]) -> list[tuple[int, int]]:
    """Where the matched words stand, left to right; where two overlap (a code holding a
    word) the one starting first, and at one start the longest, is kept: the spans of
    ``(?<!\\w)(?:longest|...|shortest)(?!\\w)`` scanned case-insensitively."""
    lowered = flat.lower()
    if len(lowered) != len(flat):  # a letter whose lowercase is longer: offsets differ
        return _spans_by_pattern(flat, matched)
    found = sorted(
        (span for word in matched for span in _whole(lowered, word)),
        key=lambda span: (span[0], -span[1]),
    )
    kept: list[tuple[int, int]] = []
    for begin, end in found:
        if not kept or begin >= kept[-1][1]:
            kept.append((begin, end))
    return kept


def _spans_by_pattern(flat: str, matched: set[str]) -> list[tuple[int, int]]:
    # Longest first, so a code is marked whole rather than by its parts.
    alternatives = "|".join(re.escape(word) for word in sorted(matched, key=len, reverse=True))
    pattern = re.compile(rf"(?:{alternatives})(?!\w)", re.IGNORECASE)
    return [match.span() for match in _starting_words(pattern, flat)]


def _fragments(spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Matches grouped into runs that fit in one fragment."""
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= FRAGMENT_CHARS - 2 * SURROUND_CHARS:
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _render(flat: str, group: list[tuple[int, int]]) -> str:
    start = max(0, group[0][0] - SURROUND_CHARS)
    end = min(len(flat), group[-1][1] + SURROUND_CHARS)
    if start > 0:  # whole words only at the edges
        space = flat.find(" ", start, group[0][0])
        start = space + 1 if space >= 0 else group[0][0]
    if end < len(flat):
        space = flat.rfind(" ", group[-1][1], end)
        end = space if space >= 0 else group[-1][1]
    out, position = [], start
    for begin, finish in group:
        out.append(html.escape(flat[position:begin]))
        out.append(f"<mark>{html.escape(flat[begin:finish])}</mark>")
        position = finish
    out.append(html.escape(flat[position:end]))
    return "".join(out)


def _lead(text: str) -> str:
    if len(text) <= LEAD_CHARS:
        return html.escape(text)
    cut = text.rfind(" ", 0, LEAD_CHARS)
    return html.escape(text[: cut if cut > 0 else LEAD_CHARS]) + " …"


def make_snippet(text: str, terms: HighlightTerms) -> str:
    """HTML-escaped fragments of ``text`` with matches in ``<mark>``; the lead if none."""
    flat = " ".join(text[:MAX_TEXT_CHARS].split())
    if not flat:
        return ""
    matched = _matches(flat.lower(), terms) if terms else set()
    if not matched:
        return _lead(flat)
    groups = _fragments(_spans(flat, matched))

    def rank(group: list[tuple[int, int]]) -> tuple[int, int]:
        # As Whoosh's BasicFragmentScorer: more distinct words first, then more matches.
        distinct = {flat[begin:end].lower() for begin, end in group}
        return (len(distinct), len(group))

    best = sorted(sorted(groups, key=rank, reverse=True)[:FRAGMENTS], key=lambda g: g[0][0])
    return BETWEEN.join(_render(flat, group) for group in best)
