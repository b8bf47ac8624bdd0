"""Does a page's text read? Checks that see what Tesseract's confidence cannot.

Confidence is Tesseract's opinion of the words it kept: it stays at 90 when a skewed
page loses two thirds of its lines, or when a table's text is dropped as "picture".
Two checks look from outside:

- **ink coverage**: the share of the page's text ink (rules and borders removed) that
  lies under a recognised word. Dropped text leaves ink outside every word box.
- **dictionary share**: the share of words that are Indonesian (a root from pysastrawi's
  word list, or a root with the usual affixes) or English (the system word list). An
  upside-down page read as text, or a gibberish text layer, has almost none.

The same dictionary check decides whether a PDF's own text layer is trusted.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageStat

from tasks.errors import ToolMissing

MIN_CONFIDENCE = 60.0
MIN_DICTIONARY_SHARE = 0.6  # real pages 0.88-1.0 (OCR'd or born-digital); garbage < 0.15
MIN_COVERAGE = 0.75  # read pages 0.91-0.98; a 7° skew 0.3-0.4; a dropped table 0.2-0.7
MIN_WORDS_TO_JUDGE = 8  # fewer words (a stamp, a page number) say nothing either way
MIN_INK_SHARE = 0.002  # below this a page is blank: nothing can have been dropped
ENGLISH_WORDS = Path("/usr/share/dict/words")  # Debian wamerican
_SASTRAWI_ROOTS = ("Stemmer", "data", "kata-dasar.txt")
_WORD = re.compile(r"[^\W\d_]{3,}")
_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
_PREFIXES = (
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "per",
    "pe",
    "ber",
    "be",
    "ter",
    "te",
    "di",
    "ke",
    "se",
)
# meny-/mem-/men-/meng- replace the root's first consonant: menyusun <- susun.
_NASAL = {
    "meny": "s",
    "peny": "s",
    "mem": "p",
    "pem": "p",
    "men": "t",
    "pen": "t",
    "meng": "k",
    "peng": "k",
}


@dataclass(frozen=True)
class PageQuality:
    confidence: float | None  # None for a text layer
    dictionary_share: float | None  # None: too few words to judge
    coverage: float | None  # None: no picture (text layer) or a blank page
    words: int
    known_words: int

    @property
    def problems(self) -> tuple[str, ...]:
        found = []
        if self.confidence is not None and self.words and self.confidence < MIN_CONFIDENCE:
            found.append("low_confidence")
        if self.dictionary_share is not None and self.dictionary_share < MIN_DICTIONARY_SHARE:
            found.append("not_words")
        if self.coverage is not None and self.coverage < MIN_COVERAGE:
            found.append("text_missing")
        return tuple(found)

    @property
    def reads_badly(self) -> bool:
        return bool(self.problems)

    def better_than(self, other: PageQuality) -> bool:
        """More real words wins; equal, the higher confidence."""
        mine, theirs = (
            (self.known_words, self.confidence or 0),
            (
                other.known_words,
                other.confidence or 0,
            ),
        )
        return mine > theirs


@functools.cache
def lexicon() -> frozenset[str]:
    """Indonesian roots (shipped inside pysastrawi, read as data) plus English words."""
    spec = importlib.util.find_spec("Sastrawi")
    if spec is None or not spec.submodule_search_locations:
        raise ToolMissing("pysastrawi is not installed: its Indonesian word list is needed")
    roots = Path(next(iter(spec.submodule_search_locations))).joinpath(*_SASTRAWI_ROOTS)
    words = set(roots.read_text(encoding="utf-8").split())
    if ENGLISH_WORDS.exists():  # optional: without it English pages read as "not words"
        text = ENGLISH_WORDS.read_text(encoding="utf-8", errors="replace")
        words.update(w.lower() for w in text.split() if "'" not in w)
    return frozenset(words)


def _unsuffixed(word: str) -> list[str]:
    forms = [word]
    for group in (_PARTICLES, _POSSESSIVES, _SUFFIXES):
        forms += [f[: -len(s)] for f in forms for s in group if f.endswith(s) and len(f) > len(s)]
    return forms


def _unprefixed(word: str, depth: int = 2) -> list[str]:
    forms = [word]
    if depth == 0:
        return forms
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 3:
            forms += _unprefixed(rest, depth - 1)
            if prefix in _NASAL and rest[0] in "aiueo":
                forms += _unprefixed(_NASAL[prefix] + rest, depth - 1)
    return forms


@functools.lru_cache(maxsize=65536)
def is_word(token: str) -> bool:
    words = lexicon()
    if token in words:
        return True
    return any(
        len(root) >= 3 and root in words
        for form in _unsuffixed(token)
        for root in _unprefixed(form)
    )


def dictionary_words(text: str) -> tuple[int, int]:
    """(words of three letters or more, how many of them are dictionary words)."""
    tokens = [t.lower() for t in _WORD.findall(text)]
    return len(tokens), sum(is_word(t) for t in tokens)


def assess_text(text: str, confidence: float | None = None) -> PageQuality:
    """Quality of text without a picture to compare with (a PDF's text layer)."""
    words, known = dictionary_words(text)
    share = known / words if words >= MIN_WORDS_TO_JUDGE else None
    return PageQuality(confidence, share, None, words, known)


def assess_page(
    text: str,
    confidence: float,
    boxes: Sequence[tuple[int, int, int, int]],
    ink: Image.Image,
    image_width: int,
) -> PageQuality:
    base = assess_text(text, confidence)
    return PageQuality(
        confidence,
        base.dictionary_share,
        ink_coverage(ink, boxes, image_width),
        base.words,
        base.known_words,
    )


def ink_coverage(
    ink: Image.Image, boxes: Iterable[tuple[int, int, int, int]], image_width: int
) -> float | None:
    """Share of the text ink under the word boxes, which are in pixels of an image
    ``image_width`` wide; None on a blank page."""
    total = ImageStat.Stat(ink).sum[0]
    if total < MIN_INK_SHARE * 255 * ink.width * ink.height:
        return None
    factor = ink.width / image_width
    under = Image.new("L", ink.size, 0)
    draw = ImageDraw.Draw(under)
    for left, top, right, bottom in boxes:
        draw.rectangle(
            (left * factor - 1, top * factor - 1, right * factor + 1, bottom * factor + 1), fill=255
        )
    covered = ImageStat.Stat(ImageChops.multiply(ink, under)).sum[0]
    return round(covered / total, 3)
