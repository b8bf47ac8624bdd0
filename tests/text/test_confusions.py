"""The one OCR-confusion table and its three strengths."""

from __future__ import annotations

import pytest

from tasks.text.confusions import all_digits, code_digits, fix_code_word, fold_letters


def test_letters_fold_to_what_they_stand_for() -> None:
    assert fold_letters("KEPUT0SAN N0MOR 1NF0RMASI") == "KEPUTOSAN NOMOR INFORMASI"
    assert fold_letters("8ERITA 5URAT") == "BERITA SURAT"


def test_code_strength_leaves_code_letters_alone() -> None:
    assert code_digits("2O2l") == "2021"
    assert code_digits("SD") == "SD"


def test_all_digits_strength_reads_every_look_alike() -> None:
    assert all_digits("32O1Ol45O79OOOO1") == "3201014507900001"
    assert all_digits("SS") == "55"
    assert all_digits("S2B1") == "5281"


@pytest.mark.parametrize(
    ("word", "fixed"),
    [
        ("2O2O", "2020"), ("l", "1"), ("O4", "04"), ("KPO6O2", "KP0602"), ("PA0203", "PA0203"),
        ("XI", "XI"), ("I", "I"), ("V", "V"), ("Kah", "Kab"), ("KAH", "KAB"), ("So", "So"),
        ("Sj", "Sj"), ("SD", "SD"), ("Kpts", "Kpts"), ("MBU", "MBU"), ("B", "B"),
    ],
)  # fmt: skip
def test_number_words(word: str, fixed: str) -> None:
    assert fix_code_word(word) == fixed
