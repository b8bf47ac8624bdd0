"""The query language: validation, parsing, and expansion over the index fields.

Whoosh's parser never fails, so a small lexical check (``index.query_checks``) runs first
and raises ``QueryError`` with a message a person can act on.

The string is parsed once against unstemmed fields, then every leaf is expanded over the
real fields: a word into title/content (stemmed) and their exact twins (phrases, prefixes
and fuzzy terms only ever run on the unstemmed fields: fuzzy matching a stem is slow and
wrong). Field boosts put title and number matches above body matches.

Phrases are positional on the exact fields (``index.phrase``: a faster matcher than
Whoosh's, and in the body pair terms for common words). ``"a b"~3`` lets each word follow
the previous one within 3 positions.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from whoosh import fields, matching, qparser  # type: ignore[import-untyped]
from whoosh import query as wq

from index.analysis import analyze, exact_analyzer, normalize_number
from index.errors import QueryError
from index.phrase import BodyPhrase, FastPhrase
from index.query_checks import MAX_QUERY_CHARS, validate
from index.stems import stem_word

TITLE_BOOST = 3.0
EXACT_BOOST = 1.5
CODE_BOOST = 5.0
# An exact document-number match must outrank any sum of ordinary term scores.
NUMBER_BOOST = 1000.0
# Where the paper is kept ("Boks 12"): words as typed, on a par with a title word.
LOCATION_FIELD = "location"
LOCATION_BOOST = TITLE_BOOST
DEFAULT_FUZZY_PREFIX = 1
# The fuzzy retry of a query that found nothing: words this long or longer, two edits
# from this length on (one before: short words have too many neighbours).
FALLBACK_MIN_CHARS = 4
FALLBACK_TWO_EDITS_CHARS = 8

_NUMBER_SHAPE = re.compile(
    r"^\s*(?:nomor\s*:?\s*)?(?:\S*\d\S*/\S+.*|\d+[a-z]?\s+tahun\s+\d{4})\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class ParsedQuery:
    query: Any  # whoosh query over the index fields
    words: tuple[str, ...]  # plain words (lowercase), candidates for "did you mean"


class _StarPlugin(qparser.WildcardPlugin):  # type: ignore[misc]
    # Only "*" is a wildcard: a "?" ending a typed question must not turn "cara?" into
    # "cara plus one letter".
    expr = r"(?P<text>[*])"


@cache
def _parser() -> Any:
    # Parsing-only schema: unstemmed, so every leaf carries the word as typed (lowercased).
    exact = exact_analyzer()
    parse_schema = fields.Schema(
        text=fields.TEXT(analyzer=exact, phrase=True, multitoken_query="and"),
        title=fields.TEXT(analyzer=exact, phrase=True, multitoken_query="and"),
    )
    plugins = [
        qparser.FieldsPlugin(),
        _StarPlugin(),
        qparser.PhrasePlugin(),
        qparser.GroupPlugin(),
        qparser.OperatorsPlugin(),
        qparser.FuzzyTermPlugin(),
        qparser.BoostPlugin(),
    ]
    return qparser.QueryParser("text", parse_schema, plugins=plugins)


def _fieldset(fieldname: str) -> tuple[tuple[str, str, float], ...]:
    """(stemmed field, exact field, boost) pairs a parsed leaf expands over."""
    if fieldname == "title":
        return (("title", "title_exact", 1.0),)
    return (("title", "title_exact", TITLE_BOOST), ("content", "content_exact", 1.0))


class _Expansion:
    """Prefix, wildcard and fuzzy terms: each word they expand to scores as an ordinary
    term, and the query's boost always applies. (Whoosh drops the boost when a segment
    holds a single such word, so a visible document's score depended on the words of the
    other documents in its segment.)"""

    boost: float

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = [word for word in self._btexts(searcher.reader()) if word]  # type: ignore[attr-defined]
        if not words:
            return matching.NullMatcher()
        terms = [wq.Term(self.field(), word) for word in words]  # type: ignore[attr-defined]
        if len(terms) == 1:
            found = terms[0].matcher(searcher, context)
        else:
            found = wq.Or(terms).matcher(searcher, context)
        return found if self.boost == 1.0 else matching.WrappingMatcher(found, self.boost)


class Prefix(_Expansion, wq.Prefix):  # type: ignore[misc]
    pass


class Wildcard(_Expansion, wq.Wildcard):  # type: ignore[misc]
    pass


class FuzzyTerm(_Expansion, wq.FuzzyTerm):  # type: ignore[misc]
    """``whoosh.query.FuzzyTerm`` that walks each segment's word list once per search.

    Whoosh expands a fuzzy term once to estimate its size and again to match it, in every
    segment: most of a fuzzy search's time, doubled by a rebuild's several segments.
    """

    def _btexts(self, ixreader: Any) -> list[bytes]:
        expanded: dict[int, tuple[Any, list[bytes]]] = self.__dict__.setdefault("_expanded", {})
        found = expanded.get(id(ixreader))
        if found is None:  # the reader is kept with its words, so its id is not reused
            found = expanded[id(ixreader)] = (ixreader, list(super()._btexts(ixreader)))
        return found[1]


def _expand_fuzzy(leaf: Any, pairs: tuple[tuple[str, str, float], ...]) -> Any:
    # Whoosh hands the text over untokenized: "pemilu,~1" or ".~1" would reach the index.
    words = analyze(leaf.text, stemmed=False, mode="query")
    if len(words) != 1:
        raise QueryError(
            f"'{leaf.text}~': put exactly one word before ~, e.g. 'pemilihan~1'",
            code="fuzzy_one_word",
            word=leaf.text,
        )
    word = words[0]
    # "~n/0" cannot be written, so 0 means "not given": keep the first letter fixed (two
    # at distance 2), which OCR rarely gets wrong and which bounds the walk over the word
    # list. Whoosh fails on a prefix longer than the word.
    default = DEFAULT_FUZZY_PREFIX if leaf.maxdist < 2 else DEFAULT_FUZZY_PREFIX + 1
    prefix = min(leaf.prefixlength or default, len(word) - 1)
    return wq.Or(
        [
            FuzzyTerm(exact, word, boost=b, maxdist=leaf.maxdist, prefixlength=prefix)
            for _, exact, b in pairs
        ],
        boost=leaf.boost,
    )


def _phrase(field: str) -> type[FastPhrase]:
    return BodyPhrase if field == "content_exact" else FastPhrase


def _expand_leaf(leaf: Any) -> Any:
    pairs = _fieldset(leaf.fieldname)
    if isinstance(leaf, wq.Term):
        word = leaf.text
        parts: list[Any] = []
        stem = stem_word(word)
        for stemmed, exact, boost in pairs:
            parts.append(wq.Term(stemmed, stem, boost=boost))
            # The exact twin lifts documents with the word as typed above mere relatives;
            # when the word is its own stem both match the same documents: skip the cost.
            if stem != word:
                parts.append(wq.Term(exact, word, boost=boost * EXACT_BOOST))
        if leaf.fieldname != "title" and any(ch.isdigit() for ch in word):
            parts.append(wq.Term("codes", word, boost=CODE_BOOST))
        if leaf.fieldname != "title":
            parts.append(wq.Term(LOCATION_FIELD, word, boost=LOCATION_BOOST))
        return wq.Or(parts, boost=leaf.boost)
    if isinstance(leaf, wq.Phrase):
        phrases = [
            _phrase(exact)(exact, leaf.words, slop=leaf.slop, boost=b) for _, exact, b in pairs
        ]
        if leaf.fieldname != "title":
            location = FastPhrase(LOCATION_FIELD, leaf.words, slop=leaf.slop, boost=LOCATION_BOOST)
            phrases.append(location)
        return wq.Or(phrases, boost=leaf.boost)
    if isinstance(leaf, wq.FuzzyTerm):
        return _expand_fuzzy(leaf, pairs)
    if isinstance(leaf, wq.Prefix | wq.Wildcard):
        kind = Prefix if isinstance(leaf, wq.Prefix) else Wildcard
        return wq.Or([kind(exact, leaf.text, boost=b) for _, exact, b in pairs], boost=leaf.boost)
    raise QueryError(f"unsupported query part: {leaf!r}", code="unsupported")


def _expand(node: Any) -> Any:
    if isinstance(node, wq.Term | wq.Phrase | wq.MultiTerm):
        return _expand_leaf(node)
    if node is wq.NullQuery:
        return node
    return node.apply(_expand)


def _plain_words(node: Any) -> list[str]:
    """Words that were typed plainly (not negated): those a spelling fix may replace."""
    if isinstance(node, wq.Not):
        return []
    if isinstance(node, wq.AndNot):
        return _plain_words(node.a)
    if type(node) is wq.Term:
        return [node.text]
    if isinstance(node, wq.Phrase):
        return list(node.words)
    return [word for child in node.children() for word in _plain_words(child)]


def looks_like_number(text: str) -> bool:
    """``88/Kpts/KPU/TAHUN 2015``, ``Nomor 731 Tahun 2025``: a document-number lookup."""
    return bool(_NUMBER_SHAPE.match(text)) and '"' not in text


def parse(text: str) -> ParsedQuery | None:
    """The whoosh query for ``text``; ``None`` for an empty query (list everything)."""
    if not text.strip():
        return None
    parsed = _parse_typed(text)
    expanded = _expand(parsed)
    if looks_like_number(text):
        number = wq.Term("number_norm", normalize_number(text), boost=NUMBER_BOOST)
        expanded = wq.Or([number, expanded])
    return ParsedQuery(expanded, tuple(dict.fromkeys(_plain_words(parsed))))


def fuzzy_fallback(text: str, only: Collection[str] | None = None) -> ParsedQuery | None:
    """``text`` with each plainly typed word (of ``only``, if given: the misspelt ones) made
    fuzzy (``pemiluh`` -> ``pemiluh~1``), for a query that found nothing; ``None`` when no
    word may be (short words, numbers, codes, phrases and negated words stay as typed).

    Fuzzy terms run on the unstemmed fields with the first letters fixed
    (``_expand_fuzzy``): that bounds the walk over the word list.
    """
    if not text.strip() or looks_like_number(text):
        return None
    parsed = _parse_typed(text)
    changed: list[str] = []
    fuzzed = _fuzz(parsed, changed, only)
    if not changed:
        return None
    return ParsedQuery(_expand(fuzzed), tuple(dict.fromkeys(changed)))


def _fuzz(node: Any, changed: list[str], only: Collection[str] | None) -> Any:
    if isinstance(node, wq.Not):
        return node  # a word to exclude is not made wider
    if isinstance(node, wq.AndNot):
        return wq.AndNot(_fuzz(node.a, changed, only), node.b)
    if type(node) is wq.Term:
        word = node.text
        if len(word) < FALLBACK_MIN_CHARS or not word.isalpha():
            return node
        if only is not None and word not in only:
            return node
        changed.append(word)
        distance = 2 if len(word) >= FALLBACK_TWO_EDITS_CHARS else 1
        # prefixlength 0: "not given", the default of ``_expand_fuzzy`` applies.
        return wq.FuzzyTerm(
            node.fieldname, word, boost=node.boost, maxdist=distance, prefixlength=0
        )
    if isinstance(node, wq.CompoundQuery):
        return node.apply(lambda child: _fuzz(child, changed, only))
    return node


def _parse_typed(text: str) -> Any:
    """``text`` checked and parsed against the unstemmed fields (leaves as typed)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})",
            code="too_long",
            length=len(text),
            limit=MAX_QUERY_CHARS,
        )
    validate(text)
    try:
        parsed = _parser().parse(text)
    except Exception as exc:  # Whoosh's parser is the outside tool: its failures become ours
        raise QueryError(f"cannot understand the query {text!r}: {exc}", code="unparsable") from exc
    if parsed is wq.NullQuery:
        raise QueryError(
            f"nothing to search for in {text!r}: type at least one word", code="no_words"
        )
    return parsed
