"""Levenshtein automata of typed words, built once and shared.

One automaton answers both questions a fuzzy term asks: which words of a segment's word
list are near it (``index.generation``, walking the list) and which words of a hit's
text to mark (``index.snippets``, reading a word a letter at a time). Sharing it keeps
the two answers the same: a word is marked only if the search matched it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whoosh.automata.lev import levenshtein_automaton  # type: ignore[import-untyped]


@lru_cache(maxsize=256)
def automaton(text: str, maxdist: int, prefix: int) -> Any:
    """The DFA of words within ``maxdist`` edits of ``text``, the first ``prefix``
    letters equal (a transposition is two edits). ~1 ms to build at distance 2, so one
    per typed word serves every segment, field and hit."""
    return levenshtein_automaton(text, maxdist, prefix).to_dfa()


class WordMatcher:
    """Whether a word is accepted by ``automaton(text, maxdist, prefix)``: ~1 us a
    letter against ~45 us for Whoosh's pure-Python distance."""

    def __init__(self, text: str, maxdist: int, prefix: int) -> None:
        dfa = automaton(text, maxdist, prefix)
        self._moves: dict[Any, dict[str, Any]] = dfa.transitions
        self._defaults: dict[Any, Any] = dfa.defaults
        self._start, self._final = dfa.initial, frozenset(dfa.final_states)

    def __call__(self, word: str) -> bool:
        state = self._start
        for char in word:
            moves = self._moves.get(state)
            following = moves.get(char) if moves else None
            state = self._defaults.get(state) if following is None else following
            if state is None:
                return False
        return state in self._final


@lru_cache(maxsize=256)
def word_matcher(text: str, maxdist: int, prefix: int) -> WordMatcher:
    return WordMatcher(text, maxdist, prefix)  # one for every hit of a search
