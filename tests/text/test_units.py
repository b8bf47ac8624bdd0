"""Issuing units of every kind of Indonesian public body, generated over many names and
regions, from each place a document names its issuer: letterhead, type heading, issuer
line before "Menimbang", signature block after "Ditetapkan di"."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tasks.text.unit_rules import DEFAULT_UNITS_PATH, load_unit_rules, unit_rules
from tasks.text.units import extract_unit

REGIONS = ("Bengkulu Tengah", "Garut", "Aceh Besar", "Toli-Toli", "Nusa Tenggara Timur")
MINISTRIES = (
    "Keuangan", "Dalam Negeri", "Perumahan dan Kawasan Permukiman", "Badan Usaha Milik Negara",
    "Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", "Hukum dan Hak Asasi Manusia",
)  # fmt: skip
MINISTRY_PARTS = (
    "Sekretariat Jenderal", "Inspektorat Jenderal", "Direktorat Jenderal Pajak",
    "Biro Komunikasi Publik", "Biro Hukum", "Pusat Data dan Informasi",
)  # fmt: skip
OFFICIALS = {
    "Sekretariat Jenderal": "Sekretaris Jenderal",
    "Inspektorat Jenderal": "Inspektur Jenderal",
    "Direktorat Jenderal Pajak": "Direktur Jenderal Pajak",
}
AGENCIES = ("Pusat Statistik", "Kepegawaian Negara", "Pengawas Pemilihan Umum")
DINAS = ("Pendidikan", "Komunikasi dan Informatika", "Kependudukan dan Pencatatan Sipil")
ADDRESS = "Jalan Merdeka No. 12, Telp. (021) 3456789"


def up(name: str) -> str:
    return name.upper()


def letterhead(*lines: str) -> str:
    return "\n".join([*(up(line) for line in lines), ADDRESS, "", "Nomor : 1/2/2025", "Hal : X"])


def signed(title: str) -> str:
    return (
        "PERATURAN\nNOMOR 1 TAHUN 2024\nTENTANG\nX\n\nMenimbang : a. bahwa ...\n"
        f"Ditetapkan di Jakarta\npada tanggal 2 Mei 2024\n\n{title}\n\nttd\n\nNAMA PEJABAT\n"
    )


# --- the state and ministries ---------------------------------------------------------


@pytest.mark.parametrize("ministry", MINISTRIES)
def test_ministry_letterhead_with_each_part(ministry: str) -> None:
    assert extract_unit(letterhead(f"Kementerian {ministry} Republik Indonesia")) == (
        f"Kementerian {ministry}"
    )
    for part in MINISTRY_PARTS:
        text = letterhead(f"Kementerian {ministry}", part)
        assert extract_unit(text) == f"{part}, Kementerian {ministry}"


def test_most_specific_part_of_a_three_level_letterhead() -> None:
    text = letterhead("Kementerian Keuangan", "Sekretariat Jenderal", "Biro Umum")
    assert extract_unit(text) == "Biro Umum, Kementerian Keuangan"


@pytest.mark.parametrize(("part", "ministry"), list(itertools.product(OFFICIALS, MINISTRIES)))
def test_ministry_part_signing_for_itself(part: str, ministry: str) -> None:
    title = OFFICIALS[part]
    text = signed(f"{up(title)} KEMENTERIAN {up(ministry)},")
    assert extract_unit(text) == f"{part}, Kementerian {ministry}"
    # Mixed case and the name broken over two lines anywhere, as letters sign.
    first, _, rest = ministry.partition(" ")
    split = f"{title} Kementerian {first}\n{rest}," if rest else f"{title}\nKementerian {first},"
    assert extract_unit(signed(split)) == f"{part}, Kementerian {ministry}"


@pytest.mark.parametrize("ministry", MINISTRIES)
def test_ministerial_regulation_heading(ministry: str) -> None:
    text = f"PERATURAN MENTERI {up(ministry)}\nREPUBLIK INDONESIA\nNOMOR 5 TAHUN 2020\n"
    assert extract_unit(text) == f"Menteri {ministry}"
    minister = f"SALINAN\nMENTERI {up(ministry)}\nREPUBLIK INDONESIA\n\nPERATURAN MENTERI\n"
    assert extract_unit(minister) == f"Menteri {ministry}"


@pytest.mark.parametrize(
    "heading", ["UNDANG-UNDANG REPUBLIK INDONESIA", "PERATURAN PEMERINTAH REPUBLIK INDONESIA"]
)
def test_laws_are_the_presidents(heading: str) -> None:
    text = (
        f"{heading}\nNOMOR 7 TAHUN 2017\nTENTANG\nPEMILIHAN UMUM\n\n"
        "DENGAN RAHMAT TUHAN YANG MAHA ESA\n\nPRESIDEN REPUBLIK INDONESIA,\n\nMenimbang : a.\n"
    )
    assert extract_unit(text) == "Presiden Republik Indonesia"


# --- agencies, commissions --------------------------------------------------------------


@pytest.mark.parametrize("agency", AGENCIES)
def test_agencies_national_and_regional(agency: str) -> None:
    assert extract_unit(letterhead(f"Badan {agency}")) == f"Badan {agency}"
    for region in REGIONS:
        text = letterhead(f"Badan {agency} Kabupaten {region}")
        assert extract_unit(text) == f"Badan {agency} Kabupaten {region}"
    assert extract_unit(signed(f"KEPALA BADAN {up(agency)},")) == f"Badan {agency}"


@pytest.mark.parametrize("region", REGIONS)
def test_information_commission(region: str) -> None:
    assert extract_unit(letterhead(f"Komisi Informasi Provinsi {region}")) == (
        f"Komisi Informasi Provinsi {region}"
    )
    assert extract_unit(letterhead("Komisi Informasi Pusat")) == "Komisi Informasi Pusat"
    # A Perki names the commission bare: the spelled-out name is the national one.
    assert extract_unit("PERATURAN KOMISI INFORMASI\nNOMOR 1 TAHUN 2013\n") == (
        "Komisi Informasi Pusat"
    )
    text = signed("KETUA KOMISI INFORMASI PUSAT\nREPUBLIK INDONESIA,")
    assert extract_unit(text) == "Komisi Informasi Pusat"


# --- regional government ----------------------------------------------------------------


@pytest.mark.parametrize("region", REGIONS)
def test_regional_governments_and_their_offices(region: str) -> None:
    for level in ("Kabupaten", "Kota", "Provinsi"):
        government = f"Pemerintah {level} {region}"
        assert extract_unit(letterhead(government)) == government
        for dinas in DINAS:
            text = letterhead(government, f"Dinas {dinas}")
            assert extract_unit(text) == f"Dinas {dinas}, {government}"
        assert extract_unit(letterhead(government, "Sekretariat Daerah")) == (
            f"Sekretariat Daerah, {government}"
        )
    assert extract_unit(letterhead(f"Pemerintah Kab. {region}")) == f"Pemerintah Kabupaten {region}"


@pytest.mark.parametrize("region", REGIONS)
def test_regional_heads_in_heading_issuer_line_and_signature(region: str) -> None:
    for head, title in (("Bupati", "BUPATI"), ("Wali Kota", "WALIKOTA"), ("Gubernur", "GUBERNUR")):
        heading = f"{title} {up(region)}\nPROVINSI BENGKULU\n\nPERATURAN {title} {up(region)}\n"
        assert extract_unit(heading + "NOMOR 3 TAHUN 2021\n") == f"{head} {region}"
        # OCR put the preamble first: the issuer line before "Menimbang" names the head.
        preamble = f"Ada teks.\n{title} {up(region)},\n\nMenimbang : a. bahwa\n"
        assert extract_unit(preamble) == f"{head} {region}"
        assert extract_unit(signed(f"{title} {up(region)},")) == f"{head} {region}"


@pytest.mark.parametrize("region", REGIONS)
def test_regional_parliament(region: str) -> None:
    assert extract_unit(letterhead(f"Dewan Perwakilan Rakyat Daerah Kabupaten {region}")) == (
        f"DPRD Kabupaten {region}"
    )
    assert extract_unit(letterhead(f"Sekretariat DPRD Kota {region}")) == (
        f"Sekretariat DPRD Kota {region}"
    )


@pytest.mark.parametrize("dinas", DINAS)
def test_office_head_signing_with_its_region(dinas: str) -> None:
    text = signed(f"KEPALA DINAS {up(dinas)}\nKABUPATEN GARUT,")
    assert extract_unit(text) == f"Dinas {dinas} Kabupaten Garut"


# --- state and regional companies ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "suffix", "expected"),
    [
        (
            "PT FOOD STATION TJIPINANG JAYA",
            "(PERSERODA)",
            "PT Food Station Tjipinang Jaya (Perseroda)",
        ),
        ("PT PERUSAHAAN LISTRIK NEGARA", "(PERSERO)", "PT Perusahaan Listrik Negara (Persero)"),
        ("PT BANK RAKYAT INDONESIA", "(PERSERO) TBK", "PT Bank Rakyat Indonesia (Persero) Tbk"),
        ("PT. Bank Negara Indonesia", "(Persero) Tbk.", "PT Bank Negara Indonesia (Persero) Tbk"),
    ],
)
def test_state_and_regional_companies(name: str, suffix: str, expected: str) -> None:
    assert extract_unit(f"{name} {suffix}\n{ADDRESS}\n") == expected
    # A list of information names its company inside its heading, the suffix below.
    title = f"DAFTAR INFORMASI PUBLIK {up(name)}\n\n{up(suffix)} TAHUN 2026\n"
    assert extract_unit(title) == expected


def test_regional_company() -> None:
    text = f"PERUSAHAAN UMUM DAERAH AIR MINUM TIRTA RAHARJA\n{ADDRESS}\n"
    assert extract_unit(text) == "Perumda Air Minum Tirta Raharja"


# --- OCR damage, and what is not a unit ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "KEMENTER1AN KEUANGAN\n_SEKRETARIAT JENDERAL",
            "Sekretariat Jenderal, Kementerian Keuangan",
        ),
        ("|KEMENTERIAN KEUANGAN", "Kementerian Keuangan"),
        ("PEMERINTAH KAH. GARUT", "Pemerintah Kabupaten Garut"),
        ("B1RO HUKUM\nKEMENTERIAN KEUANGAN", "Biro Hukum, Kementerian Keuangan"),
        ("BADAN PUSAT STAT1STIK", "Badan Pusat Stat1stik"),  # names are never "corrected"
    ],
)
def test_ocr_damage(written: str, expected: str) -> None:
    assert extract_unit(f"{written}\n{ADDRESS}\n") == expected


@pytest.mark.parametrize(
    "text",
    [
        "UNIVERSITAS GADJAH MADA\nFAKULTAS HUKUM\n",  # not a kind the vocabulary knows
        "YAYASAN PENDIDIKAN NUSANTARA\n",
        "PT MAJU JAYA\nJalan Raya 1\n",  # a private company: no (Persero)/(Perseroda)
        "KABUPATEN GARUT\n",
        "SEKRETARIAT JENDERAL\nBIRO UMUM\n",  # parts without the body they belong to
        "PEMERINTAH\n",
        "LAPORAN\nDalam rangka tugas Kementerian Keuangan kami sampaikan\n",  # body text
        "Yth. Kepala Dinas Pendidikan Kabupaten Garut\n",
        # The title names the partner, not the (unknown) issuer.
        "KEPUTUSAN REKTOR UNIVERSITAS BENGKULU\nNOMOR 5 TAHUN 2024\nTENTANG\n"
        "KERJA SAMA DENGAN\nBADAN PUSAT STATISTIK\n",
    ],
)
def test_unknown_or_incomplete_stays_none(text: str) -> None:
    assert extract_unit(text) is None


def test_letterhead_wins_over_addressee_and_signature() -> None:
    text = letterhead("Kementerian Keuangan") + "\nYth. Kepala Badan Pusat Statistik\n"
    text += "Ditetapkan di Jakarta\npada tanggal 1 Mei 2025\nBUPATI GARUT,\n"
    assert extract_unit(text) == "Kementerian Keuangan"


def test_kpu_forms_are_kept() -> None:
    assert extract_unit(letterhead("Komisi Pemilihan Umum", "Kabupaten Bengkulu Tengah")) == (
        "KPU Kabupaten Bengkulu Tengah"
    )
    assert extract_unit(signed("KETUA KOMISI PEMILIHAN UMUM\nKOTA BANDUNG,")) == (
        "KPU Kota Bandung"
    )


# --- the vocabulary file ---------------------------------------------------------------------


def test_bundled_vocabulary_loads_once() -> None:
    assert unit_rules() is unit_rules()
    assert load_unit_rules(DEFAULT_UNITS_PATH).version == unit_rules().version


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('form = "named"\nrank = 2\nsplits', 'form = "nameless"\nrank = 2\nsplits', "form must be"),
        ("rank = 7", "rank = 0", "rank must be"),
        ('display = "Biro"', 'display = ""', "display must be"),
        ('words = ["BIRO"]', "words = []", "non-empty list"),
        ("rank = 8", "rank = 8\ncolour = 1", "unknown key(s) ['colour']"),
        ("[levels]", "[levelz]", "unknown top-level"),
    ],
)
def test_malformed_vocabulary_names_file_and_entry(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    source = DEFAULT_UNITS_PATH.read_text(encoding="utf-8")
    assert old in source
    bad = tmp_path / "units.toml"
    bad.write_text(source.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError) as excinfo:
        load_unit_rules(bad)
    assert message in str(excinfo.value) and str(bad) in str(excinfo.value)


def test_a_new_kind_of_body_is_data_only(tmp_path: Path) -> None:
    source = DEFAULT_UNITS_PATH.read_text(encoding="utf-8")
    extra = (
        '\n[[unit]]\nwords = ["UNIVERSITAS"]\ndisplay = "Universitas"\nform = "named"\nrank = 2\n'
    )
    path = tmp_path / "units.toml"
    path.write_text(source + extra, encoding="utf-8")
    text = "UNIVERSITAS GADJAH MADA\nFAKULTAS HUKUM\n"
    assert extract_unit(text, load_unit_rules(path)) == "Universitas Gadjah Mada"
    assert extract_unit(text) is None
