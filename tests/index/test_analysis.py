from __future__ import annotations

import pytest

from index import analyze, normalize_number, stem_word
from index.analysis import find_codes, protected_words


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
