"""Highlighted snippets computed on text loaded from the archive at search time.

The index does not store full text (the archive has ``text.txt``), so the search caller
passes a ``text_loader`` and only the hits on the current page are loaded and highlighted.
Those hits have already passed the access filter, so a snippet can never come from a
document the role may not see.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from whoosh import highlight  # type: ignore[import-untyped]
from whoosh import query as wq

from index.analysis import stem_word, word_spans

# Highlighting scans the text token by token: cap it so one 300-page scan cannot stall a page.
MAX_TEXT_CHARS = 200_000
FRAGMENT_CHARS = 200
SURROUND_CHARS = 60
FRAGMENTS = 2
LEAD_CHARS = 240
# A prefix like "pe*" expands to thousands of words; a few hundred mark the text enough.
MAX_EXPANSIONS = 300
_STEMMED_FIELDS = frozenset({"title", "content"})


@dataclass(frozen=True)
class HighlightTerms:
    stemmed: frozenset[str]  # stems to mark (matched through the stemmed fields)
    exact: frozenset[str]  # lowercase words and codes to mark as typed

    def __bool__(self) -> bool:
        return bool(self.stemmed or self.exact)


def _as_text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _collect(node: Any, reader: Any, stemmed: set[str], exact: set[str]) -> None:
    # Negated words matched nothing in the hit, so marking them would mislead.
    if isinstance(node, wq.Not):
        return
    if isinstance(node, wq.AndNot):
        _collect(node.a, reader, stemmed, exact)
        return
    if isinstance(node, wq.Phrase):
        exact.update(node.words)
    elif isinstance(node, wq.MultiTerm):
        # Per segment, as in the search itself: over several segments Whoosh's fuzzy
        # expansion compares every word of the field instead of walking an automaton.
        for leaf, _offset in reader.leaf_readers():
            terms = islice(node.expanded_terms(leaf), MAX_EXPANSIONS)
            exact.update(_as_text(text) for _field, text in terms)
    elif isinstance(node, wq.Term) and node.fieldname != "number_norm":
        (stemmed if node.fieldname in _STEMMED_FIELDS else exact).add(_as_text(node.text))
    for child in node.children():
        _collect(child, reader, stemmed, exact)


def highlight_terms(query: Any, reader: Any) -> HighlightTerms:
    """The words a hit's text should show marked for ``query`` (expanded over ``reader``)."""
    stemmed: set[str] = set()
    exact: set[str] = set()
    if query is not None:
        _collect(query, reader, stemmed, exact)
    return HighlightTerms(frozenset(stemmed), frozenset(exact))


class _MarkFormatter(highlight.Formatter):  # type: ignore[misc]
    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"


class _Span:
    """The token attributes Whoosh's fragmenter and scorer read, and nothing more."""

    __slots__ = ("boost", "endchar", "matched", "startchar", "text")

    def __init__(self, text: str, startchar: int, endchar: int, matched: bool) -> None:
        self.text = text
        self.startchar = startchar
        self.endchar = endchar
        self.matched = matched
        self.boost = 1.0

    def copy(self) -> _Span:
        return _Span(self.text, self.startchar, self.endchar, self.matched)


def _marked_tokens(text: str, terms: HighlightTerms) -> Iterator[_Span]:
    for word, start, end in word_spans(text):
        lower = word.lower()
        matched = lower in terms.exact or stem_word(lower) in terms.stemmed
        yield _Span(lower, start, end, matched)


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
    if terms:
        fragmenter = highlight.ContextFragmenter(
            maxchars=FRAGMENT_CHARS, surround=SURROUND_CHARS, charlimit=len(flat)
        )
        fragments = fragmenter.fragment_tokens(flat, _marked_tokens(flat, terms))
        best = highlight.top_fragments(
            fragments, FRAGMENTS, highlight.BasicFragmentScorer(), highlight.FIRST
        )
        if best:
            return str(_MarkFormatter().format(best))
    return _lead(flat)
