"""Tests for tasks.text.metadata: number, date, unit, title and NIK/KK extraction."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tasks.text.metadata import (
    Metadata,
    PersonalData,
    extract_date,
    extract_metadata,
    extract_number,
    extract_title,
    extract_unit,
    find_personal_data,
)

KEPUTUSAN = """\
KEPUTUSAN KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH
NOMOR 12/PL.02.1-Kpt/1709/KPU-Kab/I/2022

TENTANG

PENETAPAN DAFTAR PEMILIH TETAP
PEMILIHAN UMUM TAHUN 2024

KETUA KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH,

Menimbang : a. bahwa berdasarkan rapat pleno tanggal 3 Januari 2022 perlu menetapkan;
Mengingat : 1. Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum;
            2. Keputusan KPU Nomor 88/Kpts/KPU/TAHUN 2015;

MEMUTUSKAN:
Menetapkan : KEPUTUSAN TENTANG PENETAPAN DAFTAR PEMILIH TETAP.
KESATU     : Menetapkan daftar pemilih tetap.

Ditetapkan di Karang Tinggi
pada tanggal 5 Januari 2022

KETUA KOMISI PEMILIHAN UMUM
KABUPATEN BENGKULU TENGAH,
"""

SURAT = """\
KOMISI PEMILIHAN UMUM
KABUPATEN BENGKULU TENGAH
Jalan Raya Bengkulu-Curup Km. 23 Karang Tinggi Telp. (0736) 123456

Nomor    : 590/PL.02.4/1906/KPU-Kab/XI/2020          Karang Tinggi, 5 Januari 2022
Sifat    : Biasa
Lampiran : 1 (satu) berkas
Hal      : Undangan Rapat Koordinasi
           Pemutakhiran Data Pemilih

Yth. Ketua PPK se-Kabupaten Bengkulu Tengah
di -
Tempat

Dengan hormat, berdasarkan Undang-Undang Nomor 7 Tahun 2017, kami mengundang Saudara pada:
Hari/Tanggal : Senin, 14 Agustus 2023
Tempat       : Aula KPU
"""

BERITA_ACARA = """\
KOMISI PEMILIHAN UMUM PROVINSI JAWA BARAT

BERITA ACARA
NOMOR : 123/PP.01-BA/06/KPU-Prov/2023
TENTANG
REKAPITULASI HASIL VERIFIKASI ADMINISTRASI
BAKAL CALON ANGGOTA DPRD

Pada hari ini Senin tanggal empat belas bulan Agustus tahun dua ribu dua puluh tiga,
bertempat di Kantor KPU Provinsi Jawa Barat, telah dilaksanakan rapat pleno.
"""

NOTULEN = """\
KOMISI PEMILIHAN UMUM KOTA BANDUNG

NOTULEN RAPAT
Hari/Tanggal    : Senin, 14 Agustus 2023
Waktu           : 09.00 WIB s.d. selesai
Tempat          : Ruang Rapat KPU Kota Bandung
Pimpinan Rapat  : Ketua KPU Kota Bandung
Agenda          : Evaluasi Pemutakhiran Data Pemilih
Notulis         : Staf Sekretariat

Rapat dibuka pada pukul 09.00 WIB dan membahas jadwal 21 Agustus 2023.
"""

SOP = """\
SEKRETARIAT JENDERAL KOMISI PEMILIHAN UMUM

STANDAR OPERASIONAL PROSEDUR
Nomor SOP          : 02 TAHUN 2022
Tanggal Pembuatan  : 3 Januari 2022
Tanggal Revisi     : -
Tanggal Pengesahan : 10 Pebruari 2022
Disahkan oleh      : Sekretaris Jenderal
Nama SOP           : Pengelolaan Informasi yang Dikecualikan
Dasar Hukum        : Undang-Undang Nomor 14 Tahun 2008
"""


def ocr_noise(text: str) -> str:
    """The ind model's typical misreads: Kab->Kah, 0->O in numbers, doubled spaces."""
    noisy = text.replace("Kab/", "Kah/").replace("KPU-Kab", "KPU-Kah")
    noisy = noisy.replace("/2022", "/2O22").replace("/2020", "/2O2O")
    return noisy.replace(" : ", "  :  ").replace("/PL.", " / PL.")


# --- document numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("NOMOR : 590/PL.02.4/1906/KPU-Kab/XI/2020", "590/PL.02.4/1906/KPU-Kab/XI/2020"),
        ("NOMOR 88/Kpts/KPU/TAHUN 2015", "88/Kpts/KPU/TAHUN 2015"),
        ("NOMOR 731 TAHUN 2025", "731 TAHUN 2025"),
        ("NOMOR 02 TAHUN 2022", "02 TAHUN 2022"),
        ("Nomor : 929/HK.03.1-Kpt/04/KPU/V/2019", "929/HK.03.1-Kpt/04/KPU/V/2019"),
        ("Nomor: 123/PP.01-SD/06/KPU-Kab/2022", "123/PP.01-SD/06/KPU-Kab/2022"),
        ("NOMOR 188.4/705/TAHUN 2013", "188.4/705/TAHUN 2013"),
        ("No. 45/UND/KPU-Kab/2021", "45/UND/KPU-Kab/2021"),
        ("Nomor SOP : 02 TAHUN 2022", "02 TAHUN 2022"),
    ],
)
def test_number_families(line: str, expected: str) -> None:
    text = f"KOMISI PEMILIHAN UMUM\n{line}\nTENTANG\nSESUATU\n"
    assert extract_number(text) == expected


def test_number_on_heading_line_stops_before_tentang() -> None:
    text = "KEPUTUSAN KOMISI PEMILIHAN UMUM NOMOR 88/Kpts/KPU/TAHUN 2015 TENTANG PEDOMAN\n"
    assert extract_number(text) == "88/Kpts/KPU/TAHUN 2015"


def test_number_on_line_after_bare_label() -> None:
    assert extract_number("PERATURAN BUPATI\nNOMOR\n12 TAHUN 2019\nTENTANG\nX\n") == (
        "12 TAHUN 2019"
    )


def test_number_stops_before_side_by_side_date() -> None:
    assert extract_number(SURAT) == "590/PL.02.4/1906/KPU-Kab/XI/2020"


def test_mengingat_citation_is_not_the_document_number() -> None:
    text = "KEPUTUSAN KETUA\n\nMenimbang : bahwa\nMengingat : Undang-Undang Nomor 7 Tahun 2017;\n"
    assert extract_number(text) is None


def test_header_number_wins_over_mengingat_citation() -> None:
    assert extract_number(KEPUTUSAN) == "12/PL.02.1-Kpt/1709/KPU-Kab/I/2022"


def test_title_case_citation_in_body_is_ignored() -> None:
    text = "LAPORAN KEGIATAN\nsesuai Undang-Undang Nomor 7 Tahun 2017 tentang Pemilu\n"
    assert extract_number(text) is None


def test_number_in_title_is_not_used_when_header_has_none() -> None:
    text = "PERATURAN KPU\nTENTANG\nPERUBAHAN ATAS PERATURAN KPU NOMOR 7 TAHUN 2022\n"
    assert extract_number(text) is None


def test_labels_that_are_not_document_numbers() -> None:
    text = "FORMULIR\nNo. KK : 3201010101200002\nNo. Pendaftaran : A12\n"
    assert extract_number(text) is None


@pytest.mark.parametrize(
    "line, expected",
    [
        ("NOMOR : 590/PL.O2.4/19O6/KPU-Kah/XI/2O2O", "590/PL.02.4/1906/KPU-Kab/XI/2020"),
        ("Nomor : 590 / PL.02.4 / 1906 / KPU-Kab / XI / 2020", "590/PL.02.4/1906/KPU-Kab/XI/2020"),
        ("NOMOR:88/Kpts/KPU/TAHUN  2Ol5", "88/Kpts/KPU/TAHUN 2015"),
        ("NOMOR O2 TAHUN 2O22", "02 TAHUN 2022"),
        ("Nomor : 929/HK.03.l-Kpt/O4/KPU/V/2019", "929/HK.03.1-Kpt/04/KPU/V/2019"),
        ("Nomor : 123/PP.01-SD/06/KPU- Kab/2022.", "123/PP.01-SD/06/KPU-Kab/2022"),
    ],
)
def test_number_ocr_confusions(line: str, expected: str) -> None:
    assert extract_number(f"KPU\n{line}\n") == expected


@pytest.mark.parametrize("roman", ["I", "II", "IV", "V", "IX", "XI", "XII"])
def test_roman_month_segment_stays_letters(roman: str) -> None:
    number = extract_number(f"Nomor : 10/PL.01/KPU-Kab/{roman}/2021\n")
    assert number == f"10/PL.01/KPU-Kab/{roman}/2021"


def test_number_is_searched_only_in_the_header() -> None:
    text = "\n".join(["Teks biasa."] * 30) + "\nNOMOR 1 TAHUN 2020\n"
    assert extract_number(text) is None


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("5 Januari 2022", dt.date(2022, 1, 5)),
        ("Senin, 14 Agustus 2023", dt.date(2023, 8, 14)),
        ("ditandatangani pada tanggal 5 Agustus 2021", dt.date(2021, 8, 5)),
        ("05-01-2022", dt.date(2022, 1, 5)),
        ("05/01/2022", dt.date(2022, 1, 5)),
        ("28 Pebruari 2019", dt.date(2019, 2, 28)),
        ("3 Nopember 2020", dt.date(2020, 11, 3)),
        ("31 Desember 1999", dt.date(1999, 12, 31)),
        ("1 MEI 2024", dt.date(2024, 5, 1)),
        ("17   agustus    1945", dt.date(1945, 8, 17)),
    ],
)
def test_date_forms(text: str, expected: dt.date) -> None:
    assert extract_date(text) == expected


@pytest.mark.parametrize(
    "abbr, month",
    [
        ("Jan", 1), ("Feb", 2), ("Mar", 3), ("Apr", 4), ("Jun", 6), ("Jul", 7),
        ("Agt", 8), ("Agu", 8), ("Agust", 8), ("Sep", 9), ("Sept", 9), ("Okt", 10),
        ("Nov", 11), ("Nop", 11), ("Des", 12),
    ],
)  # fmt: skip
@pytest.mark.parametrize("dot", ["", "."])
def test_month_abbreviations(abbr: str, month: int, dot: str) -> None:
    assert extract_date(f"Jakarta, 9 {abbr}{dot} 2021") == dt.date(2021, month, 9)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Pada hari ini Senin tanggal empat belas bulan Agustus tahun dua ribu dua puluh tiga",
            dt.date(2023, 8, 14),
        ),
        (
            "Pada hari ini Sabtu tanggal tiga puluh satu bulan Desember tahun dua ribu dua puluh",
            dt.date(2020, 12, 31),
        ),
        (
            "Pada hari ini Rabu tanggal sebelas bulan Mei tahun seribu sembilan ratus "
            "sembilan puluh sembilan",
            dt.date(1999, 5, 11),
        ),
        (
            "pada hari ini Kamis tanggal dua belas bulan Oktober tahun dua ribu dua puluh "
            "satu kami yang bertanda tangan",
            dt.date(2021, 10, 12),
        ),
        ("tanggal satu bulan Maret tahun dua ribu", dt.date(2000, 3, 1)),
        ("tanggal sepuluh Juni tahun dua ribu sepuluh", dt.date(2010, 6, 10)),
        ("tanggal 14 bulan Agustus tahun 2023", dt.date(2023, 8, 14)),
        (
            "Pada hari ini, Senin, tanggal Empat Belas (14), bulan Agustus, tahun Dua Ribu "
            "Dua Puluh Tiga (2023)",
            dt.date(2023, 8, 14),
        ),
        ("tanggal duapuluh bulan Juli tahun duaribu duapuluhdua", dt.date(2022, 7, 20)),
        (
            "tanggal lima bulan Mei tahun dua ribu dua puluh tiga dua orang saksi hadir",
            dt.date(2023, 5, 5),
        ),
    ],
)
def test_spelled_out_dates(text: str, expected: dt.date) -> None:
    assert extract_date(text, "berita_acara") == expected


@pytest.mark.parametrize(
    "text",
    [
        "31 Februari 2022",
        "30-02-2021",
        "32 Januari 2022",
        "5 Bulan 2022",
        "tanggal tiga puluh bulan Februari tahun dua ribu dua puluh",
        "Nomor 12 Tahun 2017",
        "I Januari 2022",  # a lone letter is too ambiguous to read as a day
        "Nomor : 12/KPU/05/01/2022",
    ],
)
def test_impossible_or_absent_dates(text: str) -> None:
    assert extract_date(text) is None


def test_impossible_date_is_skipped_for_a_later_valid_one() -> None:
    assert extract_date("31 Februari 2022 lalu 1 Maret 2022") == dt.date(2022, 3, 1)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("l4 Agustus 2023", dt.date(2023, 8, 14)),
        ("O5 Januari 2O22", dt.date(2022, 1, 5)),
        ("1I Maret 2021", dt.date(2021, 3, 11)),
        ("14 Agustns 2023", dt.date(2023, 8, 14)),
        ("2 Septernber 2020", dt.date(2020, 9, 2)),
        ("5 JANUARI 2022", dt.date(2022, 1, 5)),
    ],
)
def test_date_ocr_noise(text: str, expected: dt.date) -> None:
    assert extract_date(text) == expected


def test_ditetapkan_date_wins_over_earlier_dates() -> None:
    assert extract_date(KEPUTUSAN, "keputusan") == dt.date(2022, 1, 5)


def test_letter_signing_line_wins_over_event_date() -> None:
    text = SURAT.replace("          Karang Tinggi, 5 Januari 2022", "")
    text = text.replace("Nomor ", "Karang Tinggi, 6 Januari 2022\nNomor ", 1)
    assert extract_date(text, "surat") == dt.date(2022, 1, 6)


def test_weekday_is_not_taken_for_a_city() -> None:
    text = "Hari/Tanggal  :  Senin, 14 Agustus 2023\n\nKarang Tinggi, 5 Januari 2022\n"
    assert extract_date(text, "surat") == dt.date(2022, 1, 5)
    assert extract_date(text, "notulen") == dt.date(2023, 8, 14)


def test_tanggal_field_variants() -> None:
    assert extract_date("Catatan 1 Mei 2020\nTanggal : 2 Mei 2020\n") == dt.date(2020, 5, 2)
    assert extract_date("x 1 Mei 2020\nHari, tanggal: Selasa, 3 Mei 2022") == dt.date(2022, 5, 3)


def test_birth_date_field_is_not_the_document_date() -> None:
    text = "Tanggal Lahir : 1 Januari 1990\nTanggal : 2 Februari 2022\n"
    assert extract_date(text, "formulir") == dt.date(2022, 2, 2)


def test_sop_prefers_approval_date() -> None:
    assert extract_date(SOP, "sop") == dt.date(2022, 2, 10)
    text = SOP.replace("Tanggal Revisi     : -", "Tanggal Efektif    : 1 Maret 2022")
    assert extract_date(text, "sop") == dt.date(2022, 2, 10)


def test_first_date_is_the_fallback() -> None:
    assert extract_date("Laporan 2 Maret 2021 dan 3 April 2021") == dt.date(2021, 3, 2)


def test_date_parts_of_document_numbers_are_not_dates() -> None:
    assert extract_date("Nomor : 590/PL.02.4/1906/KPU-Kab/XI/2020") is None


# --- units -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        ("KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH", "KPU Kabupaten Bengkulu Tengah"),
        ("KOMISI PEMILIHAN UMUM PROVINSI JAWA BARAT", "KPU Provinsi Jawa Barat"),
        ("KOMISI PEMILIHAN UMUM KOTA BANDUNG", "KPU Kota Bandung"),
        ("KOMISI PEMILIHAN UMUM REPUBLIK INDONESIA", "KPU RI"),
        ("KOMISI PEMILIHAN UMUM", "KPU RI"),
        ("SEKRETARIAT JENDERAL KOMISI PEMILIHAN UMUM", "Sekretariat Jenderal KPU"),
        ("KPU Kab. Bengkulu Tengah", "KPU Kabupaten Bengkulu Tengah"),
        ("KPU Kabupaten Bengkulu Tengah", "KPU Kabupaten Bengkulu Tengah"),
        ("KPU Prov. Jawa Barat", "KPU Provinsi Jawa Barat"),
        ("KPU RI", "KPU RI"),
        ("KOMISI INDEPENDEN PEMILIHAN ACEH", "KIP Aceh"),
        ("KOMISI INDEPENDEN PEMILIHAN KABUPATEN ACEH BESAR", "KIP Kabupaten Aceh Besar"),
        ("KIP KABUPATEN ACEH BESAR", "KIP Kabupaten Aceh Besar"),
        ("KIP Kota Banda Aceh", "KIP Kota Banda Aceh"),
        ("KOMISI INDEPENDEN PEMILIHAN PROVINSI ACEH", "KIP Aceh"),
        ("SEKRETARIAT KPU KABUPATEN BENGKULU TENGAH", "Sekretariat KPU Kabupaten Bengkulu Tengah"),
        (
            "SEKRETARIAT KOMISI PEMILIHAN UMUM KOTA BANDUNG",
            "Sekretariat KPU Kota Bandung",
        ),
        ("KEPUTUSAN KOMISI PEMILIHAN UMUM KABUPATEN GARUT", "KPU Kabupaten Garut"),
        ("KOMISI PEMILIHAN UMUM PROVINSI DKI JAKARTA", "KPU Provinsi DKI Jakarta"),
        ("KOMISI PEMILIHAN UMUM KABUPATEN TOLI-TOLI", "KPU Kabupaten Toli-Toli"),
    ],
)
def test_unit_variants(header: str, expected: str) -> None:
    assert extract_unit(f"{header}\nNOMOR 1 TAHUN 2020\n") == expected


@pytest.mark.parametrize(
    "header",
    [
        "KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH NOMOR 1 TAHUN 2020",
        "KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH TENTANG PEDOMAN",
        "KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH Jalan Raya Km. 23",
        "KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH Jl. Raya Km. 23",
        "KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH Telp. 0736",
        "KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH Alamat: Karang Tinggi",
        "KOMISI PEMILIHAN UMUM KAHUPATEN BENGKULU TENGAH, Bengkulu",
        "KPU Kah. Bengkulu Tengah",
        "KOMISI PEMILIHAN UMUM\nKABUPATEN BENGKULU TENGAH\nJalan Raya",
    ],
)
def test_region_stops_at_address_and_blocks(header: str) -> None:
    if "KAHUPATEN" in header:
        # Only the short form's misread is corrected; a garbled full word is not guessed.
        assert extract_unit(header) == "KPU RI"
        return
    assert extract_unit(header) == "KPU Kabupaten Bengkulu Tengah"


def test_unit_split_over_three_letterhead_lines() -> None:
    text = "SEKRETARIAT\nKOMISI PEMILIHAN UMUM\nKOTA BANDUNG\nJalan Sukarno 1\n"
    assert extract_unit(text) == "Sekretariat KPU Kota Bandung"


def test_first_unit_in_header_wins() -> None:
    text = "KOMISI PEMILIHAN UMUM KOTA BANDUNG\nYth. Ketua KPU Provinsi Jawa Barat\n"
    assert extract_unit(text) == "KPU Kota Bandung"


def test_bare_kpu_is_not_a_unit() -> None:
    assert extract_unit("NOMOR 88/Kpts/KPU/TAHUN 2015\nKPU-Kab\n") is None
    assert extract_unit("LAPORAN\nKetua KPU menyampaikan hasil rapat\n") is None


def test_unit_not_taken_from_body() -> None:
    text = "LAPORAN\n\nMenimbang : bahwa KPU Kabupaten Garut\n"
    assert extract_unit(text) is None
    assert extract_unit("\n".join(["x"] * 20) + "\nKPU Kabupaten Garut") is None


# --- titles ------------------------------------------------------------------------------


def test_keputusan_title_joined_across_lines() -> None:
    title = extract_title(KEPUTUSAN, "keputusan")
    assert title == "PENETAPAN DAFTAR PEMILIH TETAP PEMILIHAN UMUM TAHUN 2024"


def test_tentang_on_same_line() -> None:
    text = "PERATURAN KOMISI PEMILIHAN UMUM\nNOMOR 1 TAHUN 2020\nTENTANG   Tata Kerja  KPU\n\nX"
    assert extract_title(text, "peraturan") == "Tata Kerja KPU"


def test_tentang_on_heading_line() -> None:
    text = "SURAT EDARAN NOMOR 5 TAHUN 2020 TENTANG PROTOKOL KESEHATAN\nDENGAN RAHMAT\n"
    assert extract_title(text, "surat_edaran") == "PROTOKOL KESEHATAN"


@pytest.mark.parametrize(
    "follower",
    ["Menimbang : a.", "DENGAN RAHMAT TUHAN YANG MAHA ESA", "Pada hari ini Senin", "BAB I",
     "KOMISI PEMILIHAN UMUM KOTA BANDUNG,", "Mengingat : 1."],
)  # fmt: skip
def test_title_stops_at_next_block_without_blank_line(follower: str) -> None:
    text = f"KEPUTUSAN\nNOMOR 1 TAHUN 2020\nTENTANG\nPEDOMAN TEKNIS\n{follower}\nlain\n"
    assert extract_title(text, "keputusan") == "PEDOMAN TEKNIS"


def test_peraturan_title_before_dengan_rahmat() -> None:
    text = (
        "UNDANG-UNDANG REPUBLIK INDONESIA\nNOMOR 7 TAHUN 2017\nTENTANG\nPEMILIHAN UMUM\n\n"
        "DENGAN RAHMAT TUHAN YANG MAHA ESA\n\nPRESIDEN REPUBLIK INDONESIA,\n"
    )
    assert extract_title(text, "peraturan") == "PEMILIHAN UMUM"
    assert extract_number(text) == "7 TAHUN 2017"


def test_surat_title_from_hal_with_continuation() -> None:
    title = extract_title(SURAT, "surat")
    assert title == "Undangan Rapat Koordinasi Pemutakhiran Data Pemilih"


@pytest.mark.parametrize("doc_type", ["surat", "nota_dinas", "memorandum"])
def test_perihal_label(doc_type: str) -> None:
    text = "NOTA DINAS\nYth. : Sekretaris\nDari : Kasubbag\nPerihal : Laporan Kegiatan\n\nIsi"
    assert extract_title(text, doc_type) == "Laporan Kegiatan"


def test_hal_value_stops_at_side_by_side_column() -> None:
    text = "Nomor : 1/KPU/2020\nHal : Permohonan Data      Bandung, 5 Januari 2022\n"
    assert extract_title(text, "surat") == "Permohonan Data"


def test_hal_continuation_stops_at_next_label() -> None:
    text = "Hal : Permohonan Data\nLampiran : 1 berkas\n"
    assert extract_title(text, "surat") == "Permohonan Data"


def test_sop_title() -> None:
    assert extract_title(SOP, "sop") == "Pengelolaan Informasi yang Dikecualikan"


def test_berita_acara_title() -> None:
    title = extract_title(BERITA_ACARA, "berita_acara")
    assert title == "REKAPITULASI HASIL VERIFIKASI ADMINISTRASI BAKAL CALON ANGGOTA DPRD"


def test_notulen_title_from_agenda() -> None:
    assert extract_title(NOTULEN, "notulen") == "Evaluasi Pemutakhiran Data Pemilih"
    assert extract_title("NOTULA\nAcara : Rapat Pleno\n", "notulen") == "Rapat Pleno"


def test_heading_fallback_skips_letterhead() -> None:
    text = (
        "KOMISI PEMILIHAN UMUM\nKABUPATEN GARUT\nJl. Merdeka 1\n\nLAPORAN KINERJA\n"
        "INSTANSI PEMERINTAH\nKOMISI PEMILIHAN UMUM KABUPATEN GARUT\n"
    )
    assert extract_title(text, "laporan") == "LAPORAN KINERJA INSTANSI PEMERINTAH"


def test_title_is_capped() -> None:
    text = "TENTANG\n" + "\n".join(["PANJANG SEKALI " * 5] * 8)
    title = extract_title(text)
    assert title is not None
    assert len(title) <= 300
    assert title.startswith("PANJANG SEKALI PANJANG")


def test_no_title() -> None:
    assert extract_title("isi surat biasa tanpa judul.\n", "surat") is None


# --- personal data -----------------------------------------------------------------------

VALID_NIK = "3201014507900001"  # Jawa Barat, born 5 July 1990, woman (+40)
VALID_KK = "3201010101200002"


def test_labelled_nik_and_kk() -> None:
    found = find_personal_data(f"Nama : Ani\nNIK : {VALID_NIK}\nNo. KK : {VALID_KK}\n")
    assert found == PersonalData(nik=(VALID_NIK,), kk=(VALID_KK,))
    assert found.found


@pytest.mark.parametrize(
    "label", ["No. KK", "Nomor KK", "No KK", "NO.KK", "Nomor Kartu Keluarga", "NKK"]
)
def test_kk_labels(label: str) -> None:
    assert find_personal_data(f"{label}: {VALID_NIK}").kk == (VALID_NIK,)


def test_kk_label_on_previous_line() -> None:
    found = find_personal_data(f"Kartu Keluarga\n{VALID_NIK}\n")
    assert found.kk == (VALID_NIK,)
    assert found.nik == ()


def test_label_of_previous_line_value_does_not_carry_over() -> None:
    found = find_personal_data(f"No. KK : {VALID_KK}\n{VALID_NIK}\n")
    assert found == PersonalData(nik=(VALID_NIK,), kk=(VALID_KK,))


def test_sixteen_digit_document_number_is_not_a_nik() -> None:
    assert not find_personal_data(f"PERATURAN DESA\nNOMOR {VALID_NIK} TAHUN 2022\n").found


def test_labels_on_one_line_apply_to_their_own_values() -> None:
    found = find_personal_data(f"NIK {VALID_NIK} No. KK {VALID_KK}\n3201014507900003")
    assert found.nik == (VALID_NIK, "3201014507900003")
    assert found.kk == (VALID_KK,)


def test_labelled_nik_need_not_validate() -> None:
    assert find_personal_data("NIK: 9999999999999999").nik == ("9999999999999999",)


def test_unlabelled_nik_validated() -> None:
    found = find_personal_data(f"Pemilih {VALID_NIK} dan 9912345678901234 dan 3201019913900001")
    assert found.nik == (VALID_NIK,)
    assert found.kk == ()


@pytest.mark.parametrize(
    "digits",
    [
        "1001014507900001",  # province 10
        "9501014507900001",  # province 95
        "3201013207900001",  # day 32
        "3201017207900001",  # day 72
        "3201010013900001",  # month 13
        "3201010100900001",  # month 00
    ],
)
def test_invalid_unlabelled_numbers_ignored(digits: str) -> None:
    assert not find_personal_data(f"Referensi {digits}").found


def test_ocr_confused_and_grouped_nik() -> None:
    text = (
        "NIK : 32O1Ol45O79OOOO1\nNIK 3201 0145 0790 0002\nNIK 3201.0145.0790.0003\n"
        "S2B1014507900004\nNIK 32OIOISBOIOOSSSO"  # the last has too few real digits
    )
    found = find_personal_data(text)
    assert found.nik == (
        "3201014507900001",
        "3201014507900002",
        "3201014507900003",
        "5281014507900004",
    )


def test_deduplicated_in_order() -> None:
    text = f"NIK {VALID_NIK}\nNIK 3301014507900001\nNIK {VALID_NIK}"
    assert find_personal_data(text).nik == (VALID_NIK, "3301014507900001")


@pytest.mark.parametrize(
    "text",
    [
        "1234567890123456789",  # too long
        "320101450790001",  # too short
        "3201 0145 0790 00011",
        "3201-0145-0790-0001",
        "NIK 3201 0145.0790 0001",  # mixed grouping
        "ABCDOISB12345678",
        "NIP 19850101 201001 1 001",
        "Nomor : 3201014507900001/KPU/2022",
        "Rekening 590/3201014507900001",
    ],
)
def test_not_personal_data(text: str) -> None:
    assert find_personal_data(text) == PersonalData(nik=(), kk=())
    assert not find_personal_data(text).found


def test_table_header_with_both_labels_falls_back_to_validation() -> None:
    text = f"No | Nama | NIK | No. KK\n1 | Ani | {VALID_NIK} | 9912345678901234\n"
    assert find_personal_data(text) == PersonalData(nik=(VALID_NIK,), kk=())


# --- whole documents ---------------------------------------------------------------------


def test_keputusan_document() -> None:
    assert extract_metadata(KEPUTUSAN, "keputusan") == Metadata(
        number="12/PL.02.1-Kpt/1709/KPU-Kab/I/2022",
        date=dt.date(2022, 1, 5),
        unit="KPU Kabupaten Bengkulu Tengah",
        title="PENETAPAN DAFTAR PEMILIH TETAP PEMILIHAN UMUM TAHUN 2024",
        year=2022,
    )


def test_surat_document() -> None:
    assert extract_metadata(SURAT, "surat") == Metadata(
        number="590/PL.02.4/1906/KPU-Kab/XI/2020",
        date=dt.date(2022, 1, 5),
        unit="KPU Kabupaten Bengkulu Tengah",
        title="Undangan Rapat Koordinasi Pemutakhiran Data Pemilih",
        year=2022,
    )


def test_berita_acara_document() -> None:
    meta = extract_metadata(BERITA_ACARA, "berita_acara")
    assert meta.number == "123/PP.01-BA/06/KPU-Prov/2023"
    assert meta.date == dt.date(2023, 8, 14)
    assert meta.unit == "KPU Provinsi Jawa Barat"
    assert meta.year == 2023


def test_notulen_document() -> None:
    meta = extract_metadata(NOTULEN, "notulen")
    assert meta == Metadata(
        number=None,
        date=dt.date(2023, 8, 14),
        unit="KPU Kota Bandung",
        title="Evaluasi Pemutakhiran Data Pemilih",
        year=2023,
    )


def test_sop_document() -> None:
    assert extract_metadata(SOP, "sop") == Metadata(
        number="02 TAHUN 2022",
        date=dt.date(2022, 2, 10),
        unit="Sekretariat Jenderal KPU",
        title="Pengelolaan Informasi yang Dikecualikan",
        year=2022,
    )


@pytest.mark.parametrize(
    "document, doc_type",
    [(KEPUTUSAN, "keputusan"), (SURAT, "surat"), (BERITA_ACARA, "berita_acara"),
     (NOTULEN, "notulen"), (SOP, "sop")],
)  # fmt: skip
def test_ocr_noised_documents_give_the_same_metadata(document: str, doc_type: str) -> None:
    noisy = ocr_noise(document)
    assert noisy != document or doc_type == "notulen"
    assert extract_metadata(noisy, doc_type) == extract_metadata(document, doc_type)


def test_ocr_kah_in_letterhead() -> None:
    text = SURAT.replace("KABUPATEN BENGKULU TENGAH", "KAH. BENGKULU TENGAH", 1)
    assert extract_unit(text) == "KPU Kabupaten Bengkulu Tengah"


def test_year_from_number_when_no_date() -> None:
    meta = extract_metadata("KEPUTUSAN KPU RI\nNOMOR 88/Kpts/KPU/TAHUN 2015\n", "keputusan")
    assert meta.date is None
    assert meta.year == 2015
    assert extract_metadata("NOMOR 590/PL.02.4/1906/KPU-Kab/XI/2020\n").year == 2020


def test_empty_text() -> None:
    assert extract_metadata("") == Metadata(None, None, None, None, None)
    assert not find_personal_data("").found


def test_results_are_frozen() -> None:
    meta = extract_metadata(KEPUTUSAN, "keputusan")
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.number = "x"  # type: ignore[misc]
