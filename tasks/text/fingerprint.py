"""Near-duplicate detection of re-scans: the same paper scanned twice gives other bytes but
(almost) the same text.

A 64-bit SimHash of the text's words and word pairs finds candidates cheaply (an integer
per document in the catalog); the resemblance of the two texts' sets of word pairs then
decides (word pairs, not words: two letters written from the same stock phrases share
nearly all their words, not their word order).
OCR reads the same page a little differently each time (character error rate ~5 %,
shared FACTS.md), so neither is an exact comparison.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter

_WORD = re.compile(r"[a-z0-9]{3,}")
BITS = 64
# Measured on the real documents of shared/real rendered at 300 and 200 dpi, blurred,
# turned 2°, JPEG q60 (tests/text/test_fingerprint.py): re-scans of one page differ in
# <= 3 bits and their word pairs resemble >= 0.94; two pages of one regulation differ in
# only 5 bits but resemble 0.33; texts of the same words in another order resemble ~0.5;
# unrelated documents differ in >= 14 bits. SimHash finds, resemblance decides.
CANDIDATE_BITS = 12
MIN_RESEMBLANCE = 0.8
MIN_WORDS = 20  # too little text to call two documents the same


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def simhash(text: str) -> int | None:
    """Signed 64-bit (it fits a BIGINT column); None when there is too little text."""
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return None
    pairs = Counter(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    features = Counter(tokens) + pairs
    weights = [0] * BITS
    for feature, count in features.items():
        h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += count if h >> bit & 1 else -count
    value = sum(1 << bit for bit in range(BITS) if weights[bit] > 0)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()


def resemblance(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' sets of word pairs (0..1)."""
    sa, sb = _pairs(a), _pairs(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _pairs(text: str) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words(text)))
