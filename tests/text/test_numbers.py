"""Document numbers: every family of DOMAIN.md plus letter-prefixed codes, generated with
random parts, in every place a header puts them, clean and with OCR damage."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from tasks.text.numbers import extract_number, read_number

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
Family = Callable[[random.Random], str]


def _year(rng: random.Random) -> int:
    return rng.randint(2005, 2030)


def _code(rng: random.Random, letters: str, n: int) -> str:
    return "".join(rng.choice(letters) for _ in range(n))


# One generator per family; each returns a number exactly as an office writes it.
FAMILIES: dict[str, Family] = {
    "kpts_kpu": lambda r: f"{r.randint(1, 999)}/Kpts/KPU/TAHUN {_year(r)}",
    "regulation": lambda r: f"{r.randint(1, 99)} TAHUN {_year(r)}",
    "regulation_padded": lambda r: f"{r.randint(1, 9):02d} TAHUN {_year(r)}",
    "kpu_decree_code": lambda r: (
        f"{r.randint(1, 999)}/HK.0{r.randint(1, 9)}.{r.randint(1, 9)}-Kpt/"
        f"{r.randint(1, 38):02d}/KPU/{r.choice(ROMAN)}/{_year(r)}"
    ),
    "kpu_letter": lambda r: (
        f"{r.randint(1, 999)}/PL.0{r.randint(1, 9)}.{r.randint(1, 9)}/{r.randint(1100, 9400)}"
        f"/KPU-Kab/{r.choice(ROMAN)}/{_year(r)}"
    ),
    "kpu_dashed_code": lambda r: (
        f"{r.randint(1, 999)}/PP.0{r.randint(1, 9)}-{_code(r, 'ABDPSTU', 2)}/"
        f"{r.randint(1, 38):02d}/KPU-Kab/{_year(r)}"
    ),
    "local_government": lambda r: (
        f"{r.randint(100, 999)}.{r.randint(1, 9)}/{r.randint(1, 999)}/TAHUN {_year(r)}"
    ),
    "local_government_agency": lambda r: (
        f"{r.randint(100, 999)}/{r.randint(1, 9999)}/{_code(r, 'ABDKPS', 4)}/{_year(r)}"
    ),
    "ministry_prefixed": lambda r: (
        f"{_code(r, 'ABKLPRU', 2)}{r.randint(100, 9999):04d}/{r.choice(['Sj', 'Dj', 'Ir'])}"
        f"/{r.randint(1, 9999)}/{r.choice('ABC')}/{_year(r)}"
    ),
    "ministry_dashed": lambda r: (
        f"{_code(r, 'ABKLPRU', 2)}{r.randint(100, 9999):04d}-{r.choice(['So', 'Hk', 'Um'])}"
        f"/{r.randint(1, 999)}"
    ),
    "state_company_regulation": lambda r: (
        f"PER-{r.randint(1, 30)}/MBU/{r.randint(1, 12):02d}/{_year(r)}"
    ),
    "classified_letter": lambda r: f"B-{r.randint(1, 999)}/KPU/{r.choice(ROMAN)}/{_year(r)}",
    "state_company_decree": lambda r: (
        f"KEP-{r.randint(1, 300)}/MBU/{r.randint(1, 12):02d}/{_year(r)}"
    ),
    "circular_prefixed": lambda r: (
        f"SE-{r.choice(['Sekjen', 'Menteri', 'Kaban'])}-{r.randint(1, 40)}/SE/SJ/{_year(r)}"
    ),
    "classified_letter_slash": lambda r: (
        f"B/{r.randint(1, 999)}/M.KT.0{r.randint(1, 9)}/{_year(r)}"
    ),
}
SEEDS = range(6)


def _letter(number: str) -> str:
    return (
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA\nJalan Lapangan Banteng Timur 2-4, Jakarta\n\n"
        f"Nomor     : {number}                     Jakarta, 5 Mei 2025\n"
        "Sifat     : Biasa\nHal       : Undangan\n\nYth. Kepala Biro Umum\n"
    )


def _heading_block(number: str) -> str:
    return (
        "KEPUTUSAN KEPALA BADAN PUSAT STATISTIK\nREPUBLIK INDONESIA\n"
        f"NOMOR {number}\nTENTANG\nPEDOMAN PENGELOLAAN ARSIP\n\nMenimbang : a. bahwa ...\n"
    )


def _two_columns(number: str) -> str:
    # Tesseract read the left column (Menimbang, citations) before the centred heading.
    return (
        "Menimbang :\n\nMengingat : 1. Undang-Undang Nomor 14 Tahun 2008;\n\n"
        "PERATURAN MENTERI BADAN USAHA MILIK NEGARA\nREPUBLIK INDONESIA\n"
        f"NOMOR : {number}\nTENTANG\nPEDOMAN PENGELOLAAN INFORMASI\n"
    )


def _inline(number: str) -> str:
    return f"SURAT EDARAN SEKRETARIS JENDERAL NOMOR {number} TENTANG PROTOKOL\n"


CONTEXTS = {"letter": _letter, "heading": _heading_block, "two_columns": _two_columns}

# Tesseract's digit look-alikes (DOMAIN.md) and split separators.
_DAMAGE = {"0": "O", "1": "l"}


def ocr_damage(number: str, rng: random.Random) -> str:
    """Digits read as look-alikes, spaces around '/', 'Kab' read 'Kah' (never a lone 'I')."""

    def segment(m: re.Match[str]) -> str:
        word = m.group()
        if len(word) < 2 or not word.isdigit():
            return word
        damaged = "".join(_DAMAGE.get(ch, ch) if rng.random() < 0.5 else ch for ch in word)
        return word if re.fullmatch(r"[IVXL]+", damaged) else damaged

    damaged = re.sub(r"[0-9]+", segment, number).replace("KPU-Kab", "KPU-Kah")
    return damaged.replace("/", " / ", 1)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("context", CONTEXTS)
def test_every_family_in_every_header_place(family: str, context: str) -> None:
    rng = random.Random(f"{family}-{context}")
    for _ in SEEDS:
        number = FAMILIES[family](rng)
        assert extract_number(CONTEXTS[context](number)) == number


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_on_a_heading_line(family: str) -> None:
    rng = random.Random(family)
    for _ in SEEDS:
        number = FAMILIES[family](rng)
        assert extract_number(_inline(number)) == number


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_survives_ocr_damage(family: str) -> None:
    rng = random.Random(f"ocr-{family}")
    for _ in SEEDS:
        number = FAMILIES[family](rng)
        damaged = ocr_damage(number, rng)
        for context in CONTEXTS.values():
            assert extract_number(context(damaged)) == number, damaged


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("SSTAHUN 2020", "55 TAHUN 2020"),  # "55" read as "SS", its space lost
        ("5S TAHUN 2O2O", "55 TAHUN 2020"),
        ("1 TAHUN2013", "1 TAHUN 2013"),
        ("O2 TAHUN 2O22", "02 TAHUN 2022"),
        ("KPO6O2/Sj/l349/B/2O25", "KP0602/Sj/1349/B/2025"),
        ("PER- 9/ MBU/ O8/2O2O", "PER-9/MBU/08/2020"),
        ("PA0203 -So/181", "PA0203-So/181"),
    ],
)
def test_mangled_numbers(written: str, expected: str) -> None:
    assert extract_number(f"PERATURAN KOMISI INFORMASI\nNOMOR {written}\nTENTANG\nX\n") == expected


@pytest.mark.parametrize("label", ["N0MOR", "NOM0R", "Nornor", "NOMER", "Nomor -", "Nomor >"])
def test_ocr_damaged_labels(label: str) -> None:
    text = f"KEMENTERIAN KEUANGAN\n{label} KP0602/Sj/1349/B/2025   Jakarta, 5 Mei 2025\n"
    assert extract_number(text) == "KP0602/Sj/1349/B/2025"


@pytest.mark.parametrize(
    "rest",
    ["Pendaftaran : A12", "KK : 3201", "-", "Tahun 2020", ": Biasa", "Urut", "SOP"],
)
def test_words_after_a_label_are_not_numbers(rest: str) -> None:
    assert read_number(rest) is None


def test_letter_code_needs_digits_after_it() -> None:
    assert read_number("B/531/M.KT.02/2025") == "B/531/M.KT.02/2025"
    assert read_number("B/KPU/RAHASIA") is None


def test_two_column_citation_is_not_taken_for_the_number() -> None:
    text = (
        "Menimbang : a. bahwa perlu;\nMengingat : Undang-Undang Nomor 7 Tahun 2017;\n"
        "PERATURAN KOMISI INFORMASI\nNOMOR 1 TAHUN 2013\nTENTANG\nPROSEDUR\n"
    )
    assert extract_number(text) == "1 TAHUN 2013"


def test_heading_block_needs_its_own_number_line() -> None:
    # A heading whose next lines are the title, not a NOMOR line, has no number of its own.
    text = "PERATURAN KPU\nTENTANG\nPERUBAHAN ATAS PERATURAN KPU NOMOR 7 TAHUN 2022\n"
    assert extract_number(text) is None
    body = "Menimbang : bahwa\n" + "Teks.\n" * 5 + "Keputusan ini berlaku\nNomor 3 dicabut\n"
    assert extract_number(body) is None
