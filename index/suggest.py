""" "Did you mean": spelling suggestions drawn only from documents the role may see.

A Whoosh spelling corrector reads the whole lexicon, which also holds words from exempted
and not-yet-reviewed documents: suggesting such a word to ``petugas`` would reveal it.
Here the lexicon only proposes candidates; a candidate counts only if it occurs in a
document the role may see, so the answer is the same as for an index holding nothing
but the visible documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from index.postings import blocks, doc_ids, leaves
from index.stems import stem_word

EXACT_FIELDS = ("content_exact", "title_exact")
STEMMED_FIELDS = ("content", "title")
MIN_WORD_CHARS = 4
MAX_DISTANCE = 2
# (segment reader, field, word, distance, prefix) -> the segment's words that near.
WordsWithin = Callable[[Any, str, str, int, int], Iterable[str]]


class VisibleDocs:
    """The document numbers visible to the role, to count words in."""

    def __init__(self, docs: frozenset[int], sees_everything: bool = False) -> None:
        self._docs = docs

    def count(self, reader: Any, fieldname: str, word: str) -> int:
        """How many visible documents hold ``word`` in ``fieldname``."""
        btext = word.encode("utf-8")
        if (fieldname, btext) not in reader:
            return 0
        return len(self._docs.intersection(doc_ids(leaves(reader), fieldname, btext)))

    def holds(self, reader: Any, fieldname: str, word: str) -> bool:
        """Whether a visible document holds ``word``: postings read only up to the
        first block that has one (a common word stops at its first block)."""
        btext = word.encode("utf-8")
        if (fieldname, btext) not in reader:
            return False
        docs = self._docs
        return any(
            not docs.isdisjoint(block.ids) for block in blocks(leaves(reader), fieldname, btext)
        )


def _known(reader: Any, visible: VisibleDocs, word: str) -> bool:
    stem = stem_word(word)
    return any(visible.holds(reader, f, word) for f in EXACT_FIELDS) or any(
        visible.holds(reader, f, stem) for f in STEMMED_FIELDS
    )


def _best_candidate(
    reader: Any, visible: VisibleDocs, word: str, within: WordsWithin
) -> str | None:
    for distance in range(1, MAX_DISTANCE + 1):
        scored: list[tuple[int, str]] = []
        # Per segment: a segment walks its word list with an automaton, while a reader
        # over several segments (a parallel rebuild writes several) compares every word.
        candidates = {
            str(term)
            for leaf, _offset in reader.leaf_readers()
            for field in EXACT_FIELDS
            for term in within(leaf, field, word, distance, 1)
        }
        for candidate in sorted(candidates - {word}):
            if not candidate.isalpha():
                continue
            freq = sum(visible.count(reader, f, candidate) for f in EXACT_FIELDS)
            if freq:
                scored.append((-freq, candidate))
        if scored:
            return min(scored)[1]
    return None


def corrections(
    reader: Any,
    visible: VisibleDocs,
    words: tuple[str, ...],
    within: WordsWithin,
) -> dict[str, str]:
    """Misspelled word -> the visible word to suggest instead. ``within`` finds a
    segment's words near a word (``Generation.words_within``, which keeps them and the
    word lists in memory)."""
    fixes: dict[str, str] = {}
    for word in words:
        if len(word) < MIN_WORD_CHARS or not word.isalpha() or _known(reader, visible, word):
            continue
        best = _best_candidate(reader, visible, word, within)
        if best is not None:
            fixes[word] = best
    return fixes


def apply_corrections(text: str, fixes: dict[str, str]) -> str:
    """``text`` with each misspelled word (as a whole word, any case) replaced."""
    for word, fix in fixes.items():
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", fix, text, flags=re.IGNORECASE)
    return text
