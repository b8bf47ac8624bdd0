"""Indonesian text analysis for the index: tokenizer, stemming, number normalisation.

Official documents are full of codes (``590/PL.02.4/1906/KPU-Kab/XI/2020``, ``Model
C.Hasil``, 16-digit NIKs), so the tokenizer keeps a code whole *and* yields its parts at
the same position: the whole code matches exactly, a part (``KPU``, ``2020``) still finds
the document, and phrases across a code keep working.

Stemming uses pysastrawi with a table and a protected-word list (``index.stems``); no
stopwords are removed because negations (``tidak``, ``bukan``, ``belum``, ``tanpa``)
change the meaning of legal text.

Document bodies do not go through the Whoosh analyzer chain: ``content_terms`` reads a
text once and counts the terms of all three body fields (stemmed words, exact words and
word pairs), with the same tokens the analyzers would give. Titles and queries use the
analyzers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any, NamedTuple

from whoosh.analysis import (  # type: ignore[import-untyped]
    Filter,
    LowercaseFilter,
    Token,
    Tokenizer,
)

from index.stems import stem_counts, stem_word

# A run of word characters, possibly joined by "." "/" "-" into a code or number; group 1
# is set only for such compounds, so plain words skip the splitting.
_COMPOUND = re.compile(r"\w+((?:[./\-]\w+)+)?")
# The same runs without the group, for ``findall``.
_RUN = re.compile(r"\w+(?:[./\-]\w+)*")
_SEGMENT = re.compile(r"[^/]+")
_ATOM = re.compile(r"[^./\-]+")
# Longer runs are OCR garbage or base64 blobs: they only bloat the lexicon.
MAX_TOKEN_CHARS = 80
_NUMBER_PREFIX = re.compile(r"^\s*(?:nomor|no)\s*[.:]?\s*", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# Whole runs of 16 or more digits; find_codes keeps those of exactly 16 or 18. (A
# lookbehind pattern for exactly 16 or 18 was five times slower on 2,000-word texts.)
_LONG_DIGITS = re.compile(r"\d{16,}")
_CODE_LENGTHS = (16, 18)
# Joins the two words of a pair term; no token contains a space.
PAIR_SEP = " "
# Common words, picked from a sample of the documents at rebuild: at most COMMON_MAX of
# them, each in at least COMMON_MIN_SHARE of the sample. More words make more pair terms
# (each a posting list of its own); fewer leave more phrases to the position check.
COMMON_MAX = 300
COMMON_MIN_SHARE = 0.2
COMMON_MIN_SAMPLE = 50


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


class ContentTerms(NamedTuple):
    """One text's terms for the three body fields."""

    stemmed: dict[str, int]  # stem -> frequency
    exact: dict[str, list[int]]  # lowercase token -> its positions
    pairs: dict[str, list[int]]  # "a b" (two common words in a row) -> positions of a


def content_terms(
    text: str, common: AbstractSet[str] = frozenset(), *, stem: bool = True
) -> ContentTerms:
    """The body fields' terms of ``text``, from one pass over it.

    ``exact`` holds the tokens and positions ``exact_analyzer`` yields in index mode (a
    code whole and its parts, all at the code's position), ``stemmed`` the counts of what
    ``stemming_analyzer`` yields: the same tokens, stemmed once per distinct word.
    ``pairs`` holds, for every token of ``common`` followed at the next position by another
    token of ``common``, the pair ``"a b"`` at the position of ``a``. ``stem=False``
    leaves ``stemmed`` empty (stemming is most of the cost of a first pass over new words).
    """
    # ASCII text lowercased first gives the same runs, in one call instead of one a run.
    ascii_only = text.isascii()
    runs = _RUN.findall(text.lower() if ascii_only else text)
    exact: dict[str, list[int]] = {}
    codes: dict[int, list[str]] = {}  # position -> the tokens of the code there
    for pos, run in enumerate(runs):
        if len(run) > MAX_TOKEN_CHARS:
            runs[pos] = ""  # skipped, but its position stays taken, as in the tokenizer
            continue
        if not ascii_only:
            run = runs[pos] = run.lower()
        if run.isalnum() or not ("." in run or "/" in run or "-" in run):
            found = exact.get(run)
            if found is None:
                exact[run] = [pos]
            else:
                found.append(pos)
            continue
        codes[pos] = parts = [part for part, _start, _end in _pieces(run, 0)]
        for part in parts:
            exact.setdefault(part, []).append(pos)
    stemmed = stem_counts(exact) if stem else {}
    return ContentTerms(stemmed, exact, _pairs(runs, codes, common) if common else {})


def _pairs(
    runs: list[str], codes: dict[int, list[str]], common: AbstractSet[str]
) -> dict[str, list[int]]:
    """Pairs of common tokens at adjacent positions (``runs``: one token a position,
    except at the positions in ``codes``, which hold a code and its parts)."""
    pairs: dict[str, list[int]] = {}
    # A code itself is never common (common words are plain), so these are plain tokens.
    hits = [pos for pos, run in enumerate(runs) if run in common]
    for pos, after in pairwise(hits):
        if after == pos + 1:
            pairs.setdefault(runs[pos] + PAIR_SEP + runs[after], []).append(pos)
    coded = {pos: found for pos, parts in codes.items() if (found := _common(parts, common))}
    if coded:
        _code_pairs(runs, coded, common, pairs)
    return pairs


def _common(parts: list[str], common: AbstractSet[str]) -> list[str]:
    return [part for part in parts if part in common]


def _code_pairs(
    runs: list[str],
    coded: dict[int, list[str]],
    common: AbstractSet[str],
    pairs: dict[str, list[int]],
) -> None:
    """Add the pairs a code's common parts make with the tokens beside it (most codes
    hold one: "KPU" in "590/PL.02.4/1906/KPU-Kab/XI/2020"); each pair's positions stay in
    order."""
    touched: set[str] = set()

    def add(firsts: list[str], seconds: list[str], pos: int) -> None:
        for first in firsts:
            for second in seconds:
                pair = first + PAIR_SEP + second
                pairs.setdefault(pair, []).append(pos)
                touched.add(pair)

    for pos, found in coded.items():
        before = pos - 1
        if before >= 0 and before not in coded and runs[before] in common:
            add([runs[before]], found, before)
        after = pos + 1
        if after in coded:
            add(found, coded[after], pos)
        elif after < len(runs) and runs[after] in common:
            add(found, [runs[after]], pos)
    for pair in touched:
        pairs[pair].sort()


@cache
def default_common_words() -> frozenset[str]:
    """The common words of an index not built by a rebuild (``data/common_words.txt``)."""
    text = resources.files("index").joinpath("data/common_words.txt").read_text("utf-8")
    return frozenset(
        word.lower() for line in text.splitlines() for word in line.split("#", 1)[0].split()
    )


def pick_common_words(samples: Sequence[Mapping[str, object]]) -> frozenset[str]:
    """The words in at least ``COMMON_MIN_SHARE`` of the sampled documents' ``exact`` terms,
    the ``COMMON_MAX`` most frequent of them; the default list for a sample too small."""
    if len(samples) < COMMON_MIN_SAMPLE:
        return default_common_words()
    counts = Counter(word for terms in samples for word in terms if word.isalnum())
    least = COMMON_MIN_SHARE * len(samples)
    ranked = sorted((-n, word) for word, n in counts.items() if n >= least)
    return frozenset(word for _n, word in ranked[:COMMON_MAX])


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
    return {run for run in _LONG_DIGITS.findall(text) if len(run) in _CODE_LENGTHS}
