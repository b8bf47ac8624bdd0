"""Cue matching that holds on real documents: fuzzy headings end on a word, type headings
count on title lines only and need their own NOMOR line, and an annex is the type of the
regulation it belongs to."""

from __future__ import annotations

import pytest

from tasks.text.classify import classify

REGULATION = """\
BUPATI BENGKULU TENGAH
PROVINSI BENGKULU
PERATURAN BUPATI BENGKULU TENGAH
NOMOR 12 TAHUN 2021
TENTANG
STANDAR PELAYANAN PADA DINAS KEPENDUDUKAN
{line}
DENGAN RAHMAT TUHAN YANG MAHA ESA
BUPATI BENGKULU TENGAH,
Menimbang : a. bahwa pelayanan publik perlu ditingkatkan;
Mengingat : 1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;
MEMUTUSKAN:
Menetapkan : PERATURAN BUPATI TENTANG STANDAR PELAYANAN.
BAB I
KETENTUAN UMUM
Pasal 1
Dalam Peraturan Bupati ini yang dimaksud dengan:
"""

THESIS = """\
RANCANG BANGUN SISTEM PENDUKUNG
KEPUTUSAN PEMILIHAN KARYAWAN TERBAIK
MENGGUNAKAN METODE SIMPLE ADDITIVE WEIGHTING

SKRIPSI

Diajukan untuk memenuhi salah satu syarat memperoleh gelar Sarjana Komputer
Oleh: BUDI SANTOSO
PROGRAM STUDI TEKNIK INFORMATIKA
UNIVERSITAS BENGKULU
2023
KATA PENGANTAR
BAB I PENDAHULUAN
1.1 Latar Belakang
"""

ANNEX = """\
{first}
PERATURAN BUPATI BENGKULU TENGAH
NOMOR 12 TAHUN 2021
TENTANG
STANDAR PELAYANAN PADA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL

BAB I
PENDAHULUAN
A. Latar Belakang
Pelayanan publik merupakan kebutuhan dasar masyarakat.
B. Maksud dan Tujuan
C. Ruang Lingkup
DAFTAR ISI
"""


@pytest.mark.parametrize(
    "line",
    [
        "kebutuhan masyarakat akan pelayanan yang cepat",  # body text starting a head line
        "Kebutuhan Masyarakat",
        "KEBUTUHAN MASYARAKAT AKAN PELAYANAN",  # two letters from KEPUTUSAN, whole word
        "DAN PENCATATAN SIPIL",
    ],
)
def test_words_near_a_negative_cue_do_not_sink_a_regulation(line: str) -> None:
    result = classify(REGULATION.format(line=line))
    assert result.doc_type == "peraturan", result
    assert result.confidence >= 0.7, result


def test_thesis_on_decision_support_is_not_a_decree() -> None:
    result = classify(THESIS)
    assert result.doc_type != "keputusan", result
    assert not any("KEPUTUSAN" in cue for cue in result.matched), result


@pytest.mark.parametrize("first", ["LAMPIRAN", "LAMPIRAN I", "LAMPIRAN II", "SALINAN LAMPIRAN"])
def test_annex_of_a_regulation_is_the_regulation(first: str) -> None:
    result = classify(ANNEX.format(first=first))
    assert result.doc_type == "peraturan", result
    assert result.confidence >= 0.5, result
    joined = ANNEX.format(first=first).replace(f"{first}\nPERATURAN", f"{first} PERATURAN")
    assert classify(joined).doc_type == "peraturan"


def test_annex_of_a_decree_is_the_decree() -> None:
    text = ANNEX.format(first="LAMPIRAN").replace("PERATURAN BUPATI", "KEPUTUSAN BUPATI")
    assert classify(text).doc_type == "keputusan"


def test_letter_listing_an_attachment_is_still_a_letter() -> None:
    text = (
        "PEMERINTAH KABUPATEN GARUT\nJalan Merdeka 1\nNomor : 1/2/2024\nSifat : Biasa\n"
        "Lampiran : 1 (satu) berkas\nPerihal : Peraturan Bupati tentang Standar Pelayanan\n"
        "Yth. Kepala Dinas\nDengan hormat,\n"
    )
    assert classify(text).doc_type == "surat"


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Laporan keuangan perusahaan disusun tiap tahun", "laporan"),
        ("Formulir yang telah diisi diserahkan kepada petugas", "formulir"),
        ("Berita acara ini dibuat rangkap dua", "berita_acara"),
    ],
)
def test_body_sentence_is_not_a_type_heading(line: str, label: str) -> None:
    text = f"{line}\nlalu teks biasa tanpa ciri apa pun\n" * 3
    result = classify(text)
    assert result.doc_type != label, result


@pytest.mark.parametrize(
    "fragment",
    ["Lapora", "Keputusa", "Formuli"],  # what a 7-degree scan leaves of a table's words
)
def test_fragments_of_rotated_scans_are_no_heading(fragment: str) -> None:
    text = f"s lain\n\n{fragment}\nperusahaan\n\nja Karyawan\n"
    assert classify(text).doc_type == "lainnya"


def test_fuzzy_heading_must_end_with_its_word() -> None:
    # One letter off is OCR ("LAP0RAN" folds, "LAPORN" drops one); a longer word is not.
    assert classify("LAPORN KINERJA\nKATA PENGANTAR\n").doc_type == "laporan"
    assert classify("LAPORKAN SEGERA\nisi\n").doc_type == "lainnya"
