"""Indonesian text analysis for the index: tokenizer, stemming, number normalisation.

Official documents are full of codes (``590/PL.02.4/1906/KPU-Kab/XI/2020``, ``Model
C.Hasil``, 16-digit NIKs), so the tokenizer keeps a code whole *and* yields its parts at
the same position: the whole code matches exactly, a part (``KPU``, ``2020``) still finds
the document, and phrases across a code keep working.

Stemming uses pysastrawi with a cache and a protected-word list; no stopwords are removed
because negations (``tidak``, ``bukan``, ``belum``, ``tanpa``) change the meaning of
legal text.

Document bodies do not go through the Whoosh analyzer chain: ``content_terms`` reads a
text once and counts the terms of all three body fields (stemmed words, exact words and
word pairs), with the same tokens the analyzers would give. Titles and queries use the
analyzers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # type: ignore[import-untyped]
from whoosh.analysis import (  # type: ignore[import-untyped]
    Filter,
    LowercaseFilter,
    Token,
    Tokenizer,
)

# A run of word characters, possibly joined by "." "/" "-" into a code or number; group 1
# is set only for such compounds, so plain words skip the splitting.
_COMPOUND = re.compile(r"\w+((?:[./\-]\w+)+)?")
# The same runs without the group, for ``findall``.
_RUN = re.compile(r"\w+(?:[./\-]\w+)*")
_SEGMENT = re.compile(r"[^/]+")
_ATOM = re.compile(r"[^./\-]+")
# Longer runs are OCR garbage or base64 blobs: they only bloat the lexicon.
MAX_TOKEN_CHARS = 80
_PARTICLES = ("nya", "lah", "kah", "pun")
_NUMBER_PREFIX = re.compile(r"^\s*(?:nomor|no)\s*[.:]?\s*", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_LONG_DIGITS = re.compile(r"(?<!\d)(?:\d{16}|\d{18})(?!\d)")
# Joins the two words of a pair term; the tokenizer never puts a space inside a token.
PAIR_SEP = " "


def _pieces(match_text: str, start: int) -> Iterator[tuple[str, int, int]]:
    """The whole compound, then its "/" segments, then their "." / "-" atoms."""
    yield match_text, start, start + len(match_text)
    for seg in _SEGMENT.finditer(match_text):
        seg_text = seg.group(0)
        if seg_text != match_text:
            yield seg_text, start + seg.start(), start + seg.end()
        if "." in seg_text or "-" in seg_text:
            for atom in _ATOM.finditer(seg_text):
                begin = start + seg.start() + atom.start()
                yield atom.group(0), begin, begin + len(atom.group(0))


class IndonesianTokenizer(Tokenizer):  # type: ignore[misc]
    """Words, numbers and codes; in index mode a code also yields its parts."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Wildcard and fuzzy query texts arrive untokenized: pass them through whole.
            yield _fill(token, value, start_pos, start_char, positions, chars, keeporiginal)
            return
        # Queries use the whole code only: its parts would turn into an AND of loose terms.
        split = mode != "query"
        for pos, match in enumerate(_COMPOUND.finditer(value), start=start_pos):
            if len(match.group(0)) > MAX_TOKEN_CHARS:
                continue
            whole = match.group(0)
            if split and match.group(1):
                pieces: Iterable[tuple[str, int, int]] = _pieces(whole, match.start())
            else:
                pieces = ((whole, match.start(), 0),)
            for text, begin, _end in pieces:
                yield _fill(token, text, pos, start_char + begin, positions, chars, keeporiginal)


def _fill(
    token: Any, text: str, pos: int, startchar: int, positions: bool, chars: bool, orig: bool
) -> Any:
    token.text = text
    token.boost = 1.0
    token.stopped = False
    if orig:
        token.original = text
    if positions:
        token.pos = pos
    if chars:
        token.startchar = startchar
        token.endchar = startchar + len(text)
    return token


class IndonesianStemFilter(Filter):  # type: ignore[misc]
    """Replaces each lowercase token by its (cached, protected) Sastrawi stem."""

    is_morph = True

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = stem_word(token.text)
            yield token


def stemming_analyzer() -> Any:
    """Analyzer for the stemmed fields (``title``, ``content``)."""
    return IndonesianTokenizer() | LowercaseFilter() | IndonesianStemFilter()


def exact_analyzer() -> Any:
    """Analyzer for the unstemmed fields: exact words, phrases, prefixes, fuzzy terms."""
    return IndonesianTokenizer() | LowercaseFilter()


@cache
def _stemmer() -> Any:
    # The factory wraps the stemmer in an unbounded dict cache; ours is bounded instead.
    return StemmerFactory().create_stemmer().delegatedStemmer


@cache
def protected_words() -> Mapping[str, str]:
    """Protected word -> the stem to index it under (usually the word itself)."""
    text = resources.files("index").joinpath("data/protected_words.txt").read_text("utf-8")
    words: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            words[parts[0].lower()] = parts[1].lower() if len(parts) > 1 else parts[0].lower()
    return words


def stem_word(word: str) -> str:
    """Stem of one lowercase token; codes, numbers and non-ASCII words stay unchanged."""
    # Checked before the cache: numbers and codes are mostly unique and would evict words.
    if not (word.isascii() and word.isalpha()):
        return word
    return _stem_alpha(word)


@lru_cache(maxsize=200_000)
def _stem_alpha(word: str) -> str:
    protected = protected_words()
    if word in protected:
        return protected[word]
    for particle in _PARTICLES:
        base = word[: -len(particle)]
        if word.endswith(particle) and base in protected:
            return protected[base]
    stem = str(_stemmer().stem(word))
    return stem if stem.isalpha() else word


def stemmed_word_count() -> int:
    """Distinct words that went through Sastrawi in this process (each only once)."""
    return _stem_alpha.cache_info().misses


class ContentTerms(NamedTuple):
    """Term -> frequency of one text, for each of the three body fields."""

    stemmed: dict[str, int]
    exact: dict[str, int]
    pairs: dict[str, int]


def _group(run: str) -> Sequence[str]:
    """The lowercase tokens at one position: a word, or a code and its parts."""
    if run.isalnum() or not ("." in run or "/" in run or "-" in run):
        return (run,)
    return [text for text, _start, _end in _pieces(run, 0)]


def content_terms(text: str) -> ContentTerms:
    """Count the body fields' terms of ``text`` in one pass.

    ``exact`` holds what ``exact_analyzer`` yields in index mode (a code whole and its
    parts), ``stemmed`` what ``stemming_analyzer`` yields. ``pairs`` holds every two
    adjacent positions as ``"a b"``: with a code at a position, each of its tokens pairs
    with each token of the neighbouring positions, so a pair matches where a positional
    phrase of the two would (and, like one, never inside a single code). An over-long run
    is skipped and breaks the chain, as its position gap broke phrases.
    """
    # ASCII text lowercased first gives the same runs, in one call instead of one a run.
    ascii_only = text.isascii()
    tokens: list[str] = []
    pairs: list[str] = []
    before: Sequence[str] = ()
    for run in _RUN.findall(text.lower() if ascii_only else text):
        if len(run) > MAX_TOKEN_CHARS:
            before = ()
            continue
        group = _group(run if ascii_only else run.lower())
        tokens.extend(group)
        for left in before:
            for right in group:
                pairs.append(left + PAIR_SEP + right)
        before = group
    exact = Counter(tokens)
    stemmed: dict[str, int] = {}
    for word, count in exact.items():
        stem = stem_word(word)
        stemmed[stem] = stemmed.get(stem, 0) + count
    return ContentTerms(stemmed, dict(exact), dict(Counter(pairs)))


def phrase_pairs(words: Sequence[str]) -> list[str]:
    """The pair terms a phrase of query-mode ``words`` needs, each once, in order."""
    return list(dict.fromkeys(a + PAIR_SEP + b for a, b in zip(words, words[1:], strict=False)))


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """(token, start, end) as the index-mode tokenizer finds them, before lowercasing.

    For highlighting, where building a Whoosh token per word costs more than the match.
    """
    for match in _COMPOUND.finditer(text):
        whole = match.group(0)
        if len(whole) > MAX_TOKEN_CHARS:
            continue
        if match.group(1):
            yield from _pieces(whole, match.start())
        else:
            yield whole, match.start(), match.end()


def analyze(text: str, *, stemmed: bool = True, mode: str = "index") -> list[str]:
    """Token texts of ``text`` as the index sees them (handy for tests and debugging)."""
    analyzer = stemming_analyzer() if stemmed else exact_analyzer()
    return [token.text for token in analyzer(text, mode=mode)]


def normalize_number(number: str) -> str:
    """``Nomor 88/Kpts/KPU/TAHUN  2015`` -> ``88/kpts/kpu/tahun2015``: case and spacing free."""
    return _WHITESPACE.sub("", _NUMBER_PREFIX.sub("", number)).lower()


def find_codes(text: str) -> set[str]:
    """16-digit (NIK, KK) and 18-digit (NIP) numbers written without spaces."""
    return set(_LONG_DIGITS.findall(text))
