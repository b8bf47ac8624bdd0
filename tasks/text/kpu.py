"""Units of the election commissions, in the forms the KPU's own offices use: ``KPU
Kabupaten Bengkulu Tengah``, ``Sekretariat KPU Kota Bandung``, ``Sekretariat Jenderal
KPU``, ``KPU RI``, ``KIP Aceh`` (Aceh's commission is the KIP)."""

from __future__ import annotations

import re

__all__ = ["kpu_unit"]

_KPU = r"komisi\s+pemilihan\s+umum|(?<![\w/\-])kpu(?![\w/\-])"
_KIP = r"komisi\s+independen\s+pemilihan|(?<![\w/\-])kip(?![\w/\-])"
_LEVELS = {"kabupaten": "Kabupaten", "kab": "Kabupaten", "kah": "Kabupaten",
           "kota": "Kota", "provinsi": "Provinsi", "prov": "Provinsi"}  # fmt: skip
_UNIT = re.compile(
    rf"(?P<sekjen>sekretariat\s+jenderal\s+(?:{_KPU}))|(?P<sekr>sekretariat\s+)?"
    rf"(?:(?P<kpu>{_KPU})|(?P<kip>{_KIP}))"
    r"(?:[ \t]+(?P<level>kabupaten|kota|provinsi|kab|kah|prov)\b\.?[ \t]*"
    r"(?P<region>[a-z][a-z'\-]*(?:[ \t]+[a-z][a-z'\-]*)*))?"
    r"(?P<ri>[ \t]+(?:ri|republik\s+indonesia)\b)?",
    re.I,
)
_UNIT_AT_END = re.compile(rf"(?:{_KPU}|{_KIP}|sekretariat(?:\s+jenderal)?)\s*$", re.I)
_REGION_STOP = {
    "nomor", "no", "tentang", "jalan", "jl", "telp", "telepon", "tlp", "alamat", "fax",
    "faks", "email", "e-mail", "laman", "website", "kode", "tahun", "periode", "sekretariat",
    "ketua", "keputusan", "peraturan", "di", "pada",
}  # fmt: skip
_UPPER_WORDS = {"dki", "diy", "ri"}


def _title_word(word: str) -> str:
    if word.lower() in _UPPER_WORDS:
        return word.upper()
    return "dan" if word.lower() == "dan" else "-".join(p.capitalize() for p in word.split("-"))


def _region(raw: str | None) -> str:
    words: list[str] = []
    for word in (raw or "").split():
        if word.lower() in _REGION_STOP or len(words) == 5:
            break
        words.append(_title_word(word))
    return " ".join(words)


def _unit_name(m: re.Match[str]) -> str | None:
    if m["sekjen"]:
        return "Sekretariat Jenderal KPU"
    body = "KIP" if m["kip"] else "KPU"
    region = _region(m["region"])
    if region:
        level = _LEVELS[m["level"].lower()]
        if body == "KIP" and level == "Provinsi":
            return "KIP Aceh"  # Aceh is the only province with a KIP
        return ("Sekretariat " if m["sekr"] else "") + f"{body} {level} {region}"
    if body == "KIP":
        return "KIP Aceh"
    # A bare "KPU" is too common (e.g. inside numbers); the spelled-out name is national.
    return "KPU RI" if m["kpu"].lower() != "kpu" or m["ri"] else None


def kpu_unit(lines: list[str], index: int) -> str | None:
    """The election-commission unit named on ``lines[index]`` (continued below), if any."""
    line = lines[index].strip()
    # Letterheads split the name over lines ("SEKRETARIAT" / "KOMISI ..." / "KOTA X").
    for extra in lines[index + 1 : index + 3]:
        if not _UNIT_AT_END.search(line):
            break
        line = f"{line} {extra.strip()}"
    for m in _UNIT.finditer(line):
        if (name := _unit_name(m)) is not None:
            return name
    return None
