from __future__ import annotations

import random
from collections import Counter

import pytest

from index import analyze, normalize_number, stem_word
from index.analysis import (
    content_terms,
    default_common_words,
    exact_analyzer,
    find_codes,
    pick_common_words,
)
from index.stems import protected_words


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("dikecualikan", "kecuali"),
        ("pengecualian", "kecuali"),
        ("pemilihan", "pilih"),
        ("memilih", "pilih"),
        ("penghitungan", "hitung"),
    ],
)
def test_sastrawi_reduces_derived_words_to_their_root(word: str, stem: str) -> None:
    assert stem_word(word) == stem


@pytest.mark.parametrize(
    "word", ["pemilu", "pengadaan", "keputusan", "peserta", "keberatan", "pengumuman"]
)
def test_protected_domain_words_are_not_mangled(word: str) -> None:
    assert word in protected_words()
    assert stem_word(word) == word


def test_protected_word_with_particle_keeps_its_protected_stem() -> None:
    assert stem_word("pemilunya") == "pemilu"
    assert stem_word("pemerintahan") == "pemerintah"


@pytest.mark.parametrize("word", ["tidak", "bukan", "belum", "tanpa"])
def test_negations_are_kept(word: str) -> None:
    assert analyze(f"hal ini {word} berlaku") == ["hal", "ini", word, "laku"]


def test_code_yields_whole_and_parts_at_index_time() -> None:
    tokens = analyze("590/PL.02.4/1906/KPU-Kab/XI/2020", stemmed=False)
    assert tokens[0] == "590/pl.02.4/1906/kpu-kab/xi/2020"
    for part in ("590", "pl.02.4", "pl", "02", "4", "1906", "kpu-kab", "kpu", "kab", "xi"):
        assert part in tokens


def test_code_stays_whole_in_queries() -> None:
    tokens = analyze("590/PL.02.4/1906/KPU-Kab/XI/2020 Pemilu", stemmed=False, mode="query")
    assert tokens == ["590/pl.02.4/1906/kpu-kab/xi/2020", "pemilu"]


def test_words_with_digits_and_long_numbers_are_kept_unstemmed() -> None:
    assert analyze("Model C1-KWK NIK 3201234567890123") == [
        "model",
        "c1-kwk",
        "c1",
        "kwk",
        "nik",
        "3201234567890123",
    ]


def test_normalize_number_ignores_case_spacing_and_prefix() -> None:
    assert normalize_number("Nomor 88/Kpts/KPU/TAHUN  2015") == "88/kpts/kpu/tahun2015"
    assert normalize_number("88/kpts/kpu/tahun 2015") == "88/kpts/kpu/tahun2015"
    assert normalize_number("NOMOR 731 TAHUN 2025") == normalize_number("731 tahun 2025")


def test_find_codes_takes_nik_and_nip_but_not_shorter_numbers() -> None:
    text = "NIK 3201234567890123, NIP 198001012005011001, tahun 2020, 12345678901234567"
    assert find_codes(text) == {"3201234567890123", "198001012005011001"}


TRICKY_TEXTS = [
    "Nomor 590/PL.02.4/1906/KPU-Kab/XI/2020 tentang Pemilu, tidak ada keberatan.",
    "Model C1-KWK, NIK 3201234567890123; nama_file a_b.c-d a-a kata-kata.",
    "İSTANBUL Ünïcödé kata " + "İ" * 80 + " lagi " + "ä" * 81 + " akhir",
    "awal " + "x" * 81 + " akhir " + "y" * 80 + " selesai",
    "",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_content_terms_are_what_the_analyzers_yield(text: str) -> None:
    terms = content_terms(text)
    positions: dict[str, list[int]] = {}
    for token in exact_analyzer()(text, positions=True, mode="index"):
        positions.setdefault(token.text, []).append(token.pos)
    assert terms.exact == positions
    assert terms.stemmed == Counter(analyze(text))


def test_code_parts_share_the_code_position() -> None:
    exact = content_terms("surat 88/Kpts/KPU tanggal").exact
    assert exact["surat"] == [0] and exact["tanggal"] == [2]
    assert exact["88/kpts/kpu"] == exact["88"] == exact["kpts"] == exact["kpu"] == [1]


def test_pairs_of_common_words_at_the_first_word_position() -> None:
    common = frozenset({"komisi", "pemilihan", "umum", "kpu", "dan"})
    pairs = content_terms("Komisi Pemilihan Umum dan KPU-Kab, umum lagi dan komisi", common).pairs
    assert pairs == {
        "komisi pemilihan": [0],
        "pemilihan umum": [1],
        "umum dan": [2],
        "dan kpu": [3],  # a part of the code at position 4
        "kpu umum": [4],
        "dan komisi": [7],
    }
    assert content_terms("komisi pemilihan").pairs == {}  # no common words given


def test_common_words_are_the_frequent_plain_words_of_the_sample() -> None:
    samples = [content_terms(f"dan yang nomor {i} kata{i} 590/PL.02/{i}").exact for i in range(60)]
    common = pick_common_words(samples)
    assert {"dan", "yang", "nomor", "590", "pl"} <= common
    assert "kata1" not in common and "590/pl.02/1" not in common
    assert pick_common_words(samples[:10]) == default_common_words()  # too few to judge
    assert {"yang", "dan", "komisi", "pemilihan"} <= default_common_words()


@pytest.mark.parametrize("positions", [[0], [7], [70_000], [3, 4, 90], list(range(5, 3000, 7))])
def test_encode_positions_is_whoosh_encoding(positions: list[int]) -> None:
    from whoosh import formats  # type: ignore[import-untyped]

    from index.schema import encode_positions

    assert encode_positions(positions) == formats.Positions().encode(positions)
    assert encode_positions(positions) == formats.Positions().encode(positions)  # cached


def _reference_pairs(text: str, common: frozenset[str]) -> dict[str, list[int]]:
    """Pairs as the tokenizer sees them: every common token (a code's common parts
    included) followed at the next position by another."""
    at: dict[int, list[str]] = {}
    for token in exact_analyzer()(text, positions=True, mode="index"):
        if token.text in common:
            at.setdefault(token.pos, []).append(token.text)
    pairs: dict[str, list[int]] = {}
    for pos in sorted(at):
        for first in at[pos]:
            for second in at.get(pos + 1, []):
                pairs.setdefault(f"{first} {second}", []).append(pos)
    return pairs


def test_pairs_beside_codes_match_the_tokenizer() -> None:
    rng = random.Random(5)
    common = frozenset({"kpu", "dan", "pl", "umum", "02", "kab"})
    tokens = ["kpu", "dan", "umum", "lagi", "KPU-Kab", "590/PL.02/KPU", "x/y", "kab.kpu", "pl"]
    for _ in range(500):
        text = " ".join(rng.choice(tokens) for _ in range(rng.randint(1, 12)))
        assert content_terms(text, common).pairs == _reference_pairs(text, common), text
