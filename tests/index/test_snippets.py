"""Snippets mark what the query matched, found among the text's own words."""

from __future__ import annotations

import random
import re

import pytest

from index.fuzzy import word_matcher
from index.query import parse
from index.snippets import (
    _plain,
    _spans,
    _stem_candidates,
    highlight_terms,
    make_snippet,
)
from index.stems import protected_words
from tests.index.corpus import all_docs

TEXT = (
    "Surat Nomor 590/PL.02.4/1906/KPU-Kab/XI/2020 tentang pemilihan umum di KPU-Kab "
    "Bengkulu: warga memilih dan dipilihnya calon. Pemerintahan <b>daerah</b> & pemerintah."
)


def _marked(query: str, text: str = TEXT) -> list[str]:
    parsed = parse(query)
    assert parsed is not None
    return re.findall(r"<mark>(.*?)</mark>", make_snippet(text, highlight_terms(parsed.query)))


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("pemilihan", ["pemilihan", "memilih", "dipilihnya"]),  # one stem, three forms
        ("pemerintah", ["Pemerintahan", "pemerintah"]),  # a protected word's listed stem
        ("KPU-Kab", ["KPU-Kab", "KPU-Kab"]),  # a code part, and the code standing alone
        ("590/PL.02.4/1906/KPU-Kab/XI/2020", ["590/PL.02.4/1906/KPU-Kab/XI/2020"]),
        ("2020", ["2020"]),
        ("pemil*", ["pemilihan"]),
        ("memilyh~1", ["memilih"]),
        ('"pemilihan umum"', ["pemilihan", "umum"]),
        ("pemilihan NOT calon", ["pemilihan", "memilih", "dipilihnya"]),
    ],
)
def test_marks(query: str, marked: list[str]) -> None:
    assert _marked(query) == marked


def test_html_is_escaped_and_no_match_gives_the_lead() -> None:
    snippet = make_snippet(TEXT, highlight_terms(parse("daerah").query))  # type: ignore[union-attr]
    assert "&lt;b&gt;<mark>daerah</mark>&lt;/b&gt; &amp;" in snippet
    lead = make_snippet(TEXT, highlight_terms(parse("katalog").query))  # type: ignore[union-attr]
    assert lead.startswith("Surat Nomor") and "<mark>" not in lead


# The scans are literal-first for speed; these are the patterns they must agree with.
def _spec_candidates(lowered: str, stems: frozenset[str]) -> set[str]:
    tails = sorted({stem[1:] if len(stem) > 1 else stem for stem in stems}, key=len)
    listed = [word for word, stem in protected_words().items() if stem in stems]
    shapes = "|".join(re.escape(tail) for tail in reversed(tails))
    if listed:
        shapes += "|" + "|".join(re.escape(word) + r"\w*" for word in listed)
    suffixes = "(?:kan|an|i)?(?:ku|mu|nya)?(?:lah|kah|tah|pun)?"
    return set(re.findall(rf"(?<!\w)(\w{{0,8}}(?:{shapes}){suffixes})(?!\w)", lowered))


EDGES = (
    "pilih memilih dipilihnya pemilihan xxxxxxxxxpilih abcdefghpilih kpu-kab xkpu-kab "
    "590/pl.02.4/1906/kpu-kab/xi/2020 _pilih pilihan_x pemerintahan pemerintah pilihpilih"
)


@pytest.mark.parametrize(
    "stems",
    [frozenset({"pilih"}), frozenset({"perintah"}), frozenset({"kab", "pilih"}), frozenset("a")],
)
def test_stem_candidates_are_the_words_the_whole_word_pattern_finds(
    stems: frozenset[str],
) -> None:
    texts = [EDGES, TEXT.lower(), *(" ".join(doc.text.split()).lower() for doc in all_docs())]
    for text in texts:
        assert _stem_candidates(text, stems) == _spec_candidates(text, stems)


@pytest.mark.parametrize("words", [{"kab"}, {"kpu-kab", "kab"}, {"pilih", "2020"}, {"x"}])
def test_whole_word_spans_are_those_of_the_lookbehind_pattern(words: set[str]) -> None:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    spec = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    for text in (EDGES, EDGES.upper(), TEXT):
        assert _spans(text, words) == [m.span() for m in spec.finditer(text)]
        assert _plain(text.lower(), frozenset(words)) == {
            w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text.lower())
        }


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


@pytest.mark.parametrize(("maxdist", "prefix"), [(1, 1), (1, 0), (2, 2), (2, 1)])
def test_fuzzy_marks_are_the_words_within_the_levenshtein_distance(
    maxdist: int, prefix: int
) -> None:
    rng = random.Random(maxdist * 10 + prefix)
    target = "pemilihan"
    words = {target, "pemilhian", "pemiliahn", "epmilihan", "pemilihanx", "pmilihan", "pemilih"}
    for _ in range(3000):  # random edits of the target, and random words of its letters
        edited = list(target)
        for _edit in range(rng.randint(1, 3)):
            at = rng.randrange(len(edited) + 1)
            choice = rng.choice(["ins", "del", "sub"])
            if choice == "ins":
                edited.insert(at, rng.choice("aeimnlph"))
            elif edited and at < len(edited):
                if choice == "del":
                    del edited[at]
                else:
                    edited[at] = rng.choice("aeimnlph")
        words.add("".join(edited))
    within = word_matcher(target, maxdist, prefix)
    for word in words:
        expected = word[:prefix] == target[:prefix] and _levenshtein(word, target) <= maxdist
        assert within(word) == expected, word
    # A transposition is two edits, as when the search expands the term.
    assert not word_matcher(target, 1, 1)("pemilhian")


def test_spans_of_a_text_whose_lowercase_is_longer_still_point_into_the_text() -> None:
    text = "İstanbul KPU-Kab kab İ kab"  # "İ".lower() is two characters
    assert len(text.lower()) != len(text)
    assert [text[b:e] for b, e in _spans(text, {"kab", "kpu-kab"})] == ["KPU-Kab", "kab", "kab"]
