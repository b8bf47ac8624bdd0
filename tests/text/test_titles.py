"""Titles and numbers from title pages as OCR really delivers them: the heading block
after the preamble column, letterheads above forms, SOP tables, watermark and specks."""

from __future__ import annotations

import pytest

from tasks.text.metadata import extract_metadata
from tasks.text.titles import extract_title

TWO_COLUMNS = """\
Menimbang :

Mengingat :

a. bahwa untuk melaksanakan ketentuan Pasal 7 perlu menetapkan
Undang-Undang tentang Pemilihan Umum;

UNDANG-UNDANG REPUBLIK INDONESIA
NOMOR 7 TAHUN 2017
TENTANG
PEMILIHAN UMUM

DENGAN RAHMAT TUHAN YANG MAHA ESA
PRESIDEN REPUBLIK INDONESIA,
"""


def test_two_column_title_page_keeps_number_and_title() -> None:
    meta = extract_metadata(TWO_COLUMNS, "peraturan")
    assert meta.number == "7 TAHUN 2017"
    assert meta.title == "PEMILIHAN UMUM"
    assert meta.unit == "Presiden Republik Indonesia"
    assert meta.year == 2017


@pytest.mark.parametrize(
    "junk",
    ["www.hukumonline.com", "SALINAN", "jdih.kemenkeu.go.id", "- 2 -", "ee", "~~ ; .", "|"],
)
def test_watermark_and_specks_are_not_title(junk: str) -> None:
    text = "PERATURAN KOMISI INFORMASI\nNOMOR 1 TAHUN 2013\nTENTANG\nPROSEDUR PENYELESAIAN\n"
    text += f"SENGKETA INFORMASI PUBLIK {junk}\n{junk}\nMenimbang : a.\n"
    assert extract_title(text, "peraturan") == "PROSEDUR PENYELESAIAN SENGKETA INFORMASI PUBLIK"


def test_body_after_an_upper_case_title_is_not_title() -> None:
    text = (
        "KEPUTUSAN BUPATI GARUT\nNOMOR 5 TAHUN 2020\nTENTANG\nTIM PENGELOLA INFORMASI\n"
        "bahwa untuk kelancaran tugas perlu dibentuk tim\n"
    )
    assert extract_title(text, "keputusan") == "TIM PENGELOLA INFORMASI"


def test_title_naming_a_body_goes_on_but_the_issuer_line_ends_it() -> None:
    text = (
        "PERATURAN MENTERI BADAN USAHA MILIK NEGARA\nNOMOR PER-9/MBU/08/2020\nTENTANG\n"
        "PEDOMAN PENGELOLAAN INFORMASI DI LINGKUNGAN\nKEMENTERIAN BADAN USAHA MILIK NEGARA\n"
        "MENTERI BADAN USAHA MILIK NEGARA\nREPUBLIK INDONESIA,\nMenimbang : a.\n"
    )
    assert extract_title(text, "peraturan") == (
        "PEDOMAN PENGELOLAAN INFORMASI DI LINGKUNGAN KEMENTERIAN BADAN USAHA MILIK NEGARA"
    )


@pytest.mark.parametrize(
    "letterhead",
    [
        "PEMERINTAH KABUPATEN GARUT\nDINAS KOMUNIKASI DAN INFORMATIKA",
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA\nSEKRETARIAT JENDERAL",
        "PT FOOD STATION TJIPINANG JAYA (PERSERODA)",
        "KOMISI PEMILIHAN UMUM\nKABUPATEN GARUT",
    ],
)
def test_form_title_is_not_its_letterhead(letterhead: str) -> None:
    text = (
        f"{letterhead}\nJalan Merdeka No. 1 Telp. 0262 123\n\nFORMULIR PERMOHONAN INFORMASI\n"
        "No. Pendaftaran : ......\nNama : ......\nNIK : ......\n"
    )
    assert extract_title(text, "formulir") == "FORMULIR PERMOHONAN INFORMASI"
    assert extract_title(text, "lainnya") == "FORMULIR PERMOHONAN INFORMASI"


def test_sop_table_header_is_not_its_title() -> None:
    text = (
        "PEMERINTAH KABUPATEN GARUT\nDINAS PENDIDIKAN\n\n"
        "NO.     AKTIVITAS        PELAKSANA        MUTU BAKU        KETERANGAN\n"
        "1       Menerima berkas  Petugas          Berkas lengkap   -\n"
        "STANDAR OPERASIONAL PROSEDUR PELAYANAN INFORMASI\n"
    )
    assert extract_title(text, "sop") == "STANDAR OPERASIONAL PROSEDUR PELAYANAN INFORMASI"
    table = text.replace("STANDAR", "Nama SOP            Pelayanan Informasi Publik\nSTANDAR")
    assert extract_title(table, "sop") == "Pelayanan Informasi Publik"
