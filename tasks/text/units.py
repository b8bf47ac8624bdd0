"""The issuing unit of a document, normalised: any Indonesian public body, and the part of
it that wrote the document ("Biro Komunikasi Publik, Kementerian Perumahan dan Kawasan
Permukiman", "Bupati Bengkulu Tengah", "KPU Kabupaten Bengkulu Tengah").

Read, in this order, from the letterhead and heading lines, the heading block wherever
OCR put it, the issuer line before ``Menimbang`` and the signature block after
``Ditetapkan di``. The vocabulary is data (``tasks/data/units.toml``); only what matches
it becomes a unit, so an unknown body stays None rather than being guessed.
"""

from __future__ import annotations

import re

from tasks.text.header import (
    BODY_START,
    TENTANG_LINE,
    find_heading_block,
    first_page,
    is_upper,
    lines_of,
)
from tasks.text.kpu import kpu_unit
from tasks.text.unit_reader import PART_RANK, Part, company_anywhere, segment_parts
from tasks.text.unit_rules import UnitRules, unit_rules

__all__ = ["extract_unit", "is_unit_line"]

_HEADER_LINES = 15
_ISSUED_AT = re.compile(r"\s*(?:ditetapkan|dikeluarkan|disahkan)\s+di\b(?!\s+dalam)", re.I)
_BLESSING = re.compile(r"\s*dengan\s+rahmat\s+tuhan", re.I)
_ON_DATE = re.compile(r"\s*pada\s+tanggal\b", re.I)
_SIGNATURE_END = re.compile(r"\s*(?:ttd|cap|dto)\b|\s*$", re.I)


def _next_line(lines: list[str], index: int) -> str:
    return next((line for line in lines[index + 1 :] if line.strip()), "")


def _compose(parts: list[Part]) -> str | None:
    top = min(parts, key=lambda p: p.kind.rank)
    if top.kind.rank >= PART_RANK:  # only parts: one that carries its region names itself
        alone = [p for p in parts if p.kind.alone and p.regional]
        return alone[-1].name if alone else None
    others = [p for p in parts if p is not top]
    if not others:
        return top.name
    sub = max(reversed(others), key=lambda p: p.kind.rank)
    if sub.kind.prefix:
        return f"{sub.name} {top.name}"
    return f"{sub.name}, {top.name}"


def _chain(rules: UnitRules, lines: list[str], upper_only: bool) -> str | None:
    """The unit of consecutive unit lines (a letterhead, a signature), first one found."""
    parts: list[Part] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        following = _next_line(lines, index)
        if (found := kpu_unit(lines, index)) is not None:
            if parts:
                break
            return found
        candidates = (
            [] if upper_only and not is_upper(line) else segment_parts(rules, line, following)
        )
        if not candidates and not parts:
            candidates = company_anywhere(rules, line, following)
        if not candidates:
            if parts:
                break
            continue
        parts.extend(candidates)
    return _compose(parts) if parts else None


def _header(lines: list[str]) -> list[str]:
    """Letterhead and heading: up to the title ("TENTANG") or the body, whichever is first.

    A title names the bodies a document is about ("KERJA SAMA DENGAN BADAN X"), not its
    issuer; the issuer line and the signature come after it and are read separately.
    """
    header: list[str] = []
    for line in lines[:_HEADER_LINES]:
        if BODY_START.match(line) or TENTANG_LINE.match(line):
            break
        header.append(line)
    return header


def _issuer_lines(lines: list[str]) -> list[str]:
    """The issuer of a regulation or decree: after "DENGAN RAHMAT ...", else just before
    "Menimbang" ("BUPATI BENGKULU TENGAH,")."""
    page = first_page(lines)
    for index, line in enumerate(page):
        if _BLESSING.match(line):
            after = [ln for ln in page[index + 1 : index + 4] if ln.strip()]
            return [ln for ln in after[:2] if is_upper(ln) and not BODY_START.match(ln)]
    for index, line in enumerate(page):
        if re.match(r"\s*(?:menimbang|mengingat)\b", line, re.I):
            before = [ln for ln in page[max(0, index - 3) : index] if ln.strip()]
            return [ln for ln in before[-2:] if is_upper(ln)]
    return []


def _signature_lines(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if _ISSUED_AT.match(line):
            rest = lines[index + 1 : index + 8]
            while rest and (not rest[0].strip() or _ON_DATE.match(rest[0])):
                rest = rest[1:]
            block: list[str] = []
            for ln in rest:
                if _SIGNATURE_END.match(ln) and block:
                    break
                block.append(ln)
            return block
    return []


def _joined(block: list[str]) -> list[str]:
    """A signature title is one phrase up to its comma, however its lines were broken."""
    lines = [line.strip() for line in block if line.strip()]
    for end, line in enumerate(lines):
        if line.endswith(","):
            return [" ".join(lines[: end + 1])]
    return lines


def extract_unit(text: str, rules: UnitRules | None = None) -> str | None:
    """The normalised issuing unit, or None when no known kind of body is named."""
    active = rules if rules is not None else unit_rules()
    lines = lines_of(text)
    header = _header(lines)
    sources = [header]
    block = find_heading_block(lines)
    if block is not None and block.heading >= len(header):  # OCR put the heading below
        sources.append(lines[block.heading : block.number + 1])
    for source in sources:
        if (unit := _chain(active, source, upper_only=True)) is not None:
            return unit
    for source in (_issuer_lines(lines), _signature_lines(lines)):
        if (unit := _chain(active, _joined(source), upper_only=False)) is not None:
            return unit
    return None


def is_unit_line(line: str, rules: UnitRules | None = None) -> bool:
    """Does the line name a unit (a letterhead line rather than a title)?"""
    active = rules if rules is not None else unit_rules()
    return bool(segment_parts(active, line)) or kpu_unit([line], 0) is not None
