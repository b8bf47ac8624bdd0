"""Tests for the Indonesian number-word and month-name helpers in tasks.text.dates."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.text.dates import first_date, month_number, parse_number_words


@pytest.mark.parametrize(
    "words, value",
    [
        ("satu", 1), ("sembilan", 9), ("sepuluh", 10), ("sebelas", 11), ("dua belas", 12),
        ("sembilan belas", 19), ("dua puluh", 20), ("dua puluh satu", 21),
        ("tiga puluh satu", 31), ("seratus", 100), ("sembilan ratus", 900),
        ("seratus dua puluh lima", 125), ("seribu", 1000), ("dua ribu", 2000),
        ("seribu sembilan ratus sembilan puluh sembilan", 1999),
        ("dua ribu dua puluh tiga", 2023), ("dua ribu sepuluh", 2010),
        ("Dua Ribu Dua Puluh", 2020), ("14", 14),
    ],
)  # fmt: skip
def test_number_words(words: str, value: int) -> None:
    assert parse_number_words(words) == value


@pytest.mark.parametrize("words", ["", "dua tiga", "puluh", "belas dua", "bulan", "dua 3"])
def test_not_number_words(words: str) -> None:
    assert parse_number_words(words) is None


@pytest.mark.parametrize(
    "token, month",
    [("Januari", 1), ("PEBRUARI", 2), ("Nopember", 11), ("agt.", 8), ("Agustns", 8),
     ("Okt", 10), ("Desember", 12)],
)  # fmt: skip
def test_month_names(token: str, month: int) -> None:
    assert month_number(token) == month


@pytest.mark.parametrize("token", ["Tahun", "bulan", "Jalan", "Nomor", "Kab"])
def test_words_that_are_not_months(token: str) -> None:
    assert month_number(token) is None


def test_first_date_orders_by_position() -> None:
    text = "tanggal satu bulan Maret tahun dua ribu, lalu 02-03-2000 dan 3 Maret 2000"
    assert first_date(text) == dt.date(2000, 3, 1)
    assert first_date(text.split(", lalu ")[1]) == dt.date(2000, 3, 2)
