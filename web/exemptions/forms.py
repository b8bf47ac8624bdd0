"""Forms into records: the proposal form into a :class:`Draft`, a drawn (or typed) area
into a :class:`Region`, and any step's form into :class:`StepArgs`, by the inputs the
transition table gives the step. Messages in Bahasa Indonesia; completeness is the
register's to judge."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from archive.exemptions import (
    Draft,
    InvalidEntry,
    Period,
    RedactionSpec,
    Region,
    Step,
    StepArgs,
)
from web.exemptions.common import field

_NUMBER = re.compile(r"\d{4,20}")
_DOC_ID = re.compile(r"[0-9a-f]{16}")
PERIOD_KINDS: Mapping[str, str] = {
    "durasi": "Lama waktu",
    "syarat": "Sampai syarat terpenuhi",
    "permanen": "Permanen (hanya huruf g–j)",
}
AREA_FIELDS = ("left", "top", "width", "height")


def _int(text: str, what: str) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if not cleaned.isdigit() or len(cleaned) > 4:
        raise InvalidEntry(f"{what} harus berupa angka.")
    return int(cleaned)


def _percent(text: str, what: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise InvalidEntry(f"{what} harus berupa angka persen (0–100).") from None
    if not 0 <= value <= 100:
        raise InvalidEntry(f"{what} harus antara 0 dan 100 persen.")
    return value / 100


def parse_date(form: FormData, name: str, what: str) -> date | None:
    text = field(form, name).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidEntry(f"{what} harus berformat TTTT-BB-HH, mis. 2024-02-01.") from None


def parse_period(form: FormData) -> Period | None:
    kind = field(form, "period_kind")
    if kind == "durasi":
        years = _int(field(form, "period_years"), "Lama (tahun)") or 0
        months = _int(field(form, "period_months"), "Lama (bulan)") or 0
        return Period("durasi", years, months) if years or months else None
    if kind == "syarat":
        condition = " ".join(field(form, "period_condition").split())
        return Period("syarat", condition=condition) if condition else None
    return Period("permanen") if kind == "permanen" else None


def parse_region(form: FormData) -> Region:
    """One area: its page and its box in percent of the page (drawn, or typed)."""
    page = _int(field(form, "page"), "Halaman")
    if page is None or page < 1:
        raise InvalidEntry("Pilih halaman area penyamaran.")
    names = {"left": "Kiri", "top": "Atas", "width": "Lebar", "height": "Tinggi"}
    left, top, width, height = (_percent(field(form, n), names[n]) for n in AREA_FIELDS)
    if width <= 0 or height <= 0:
        raise InvalidEntry("Area penyamaran harus memiliki lebar dan tinggi.")
    return Region(page, left, top, width, height)


def parse_draft(form: FormData, regions: tuple[Region, ...] = ()) -> Draft:
    """What the PPID typed. Areas are drawn on their own page, so an edit keeps them."""
    scope = field(form, "scope") or "seluruh"
    if scope not in ("seluruh", "sebagian"):
        raise InvalidEntry("Cakupan harus 'seluruh' atau 'sebagian'.")
    redaction = RedactionSpec(
        personal_numbers=field(form, "redact_personal") in ("1", "on"),
        numbers=tuple(_NUMBER.findall(field(form, "redact_numbers").replace(" ", ""))),
        regions=regions,
    )
    return Draft(
        description=field(form, "description").strip(),
        legal_basis=field(form, "legal_basis").strip(),
        legal_point=_int(field(form, "legal_point"), "Angka"),
        other_bases=tuple(v for v in form.getlist("other_bases") if isinstance(v, str) and v),
        doc_type=field(form, "doc_type").strip() or None,
        consequence=field(form, "consequence").strip(),
        consideration=field(form, "consideration").strip(),
        scope=scope,  # type: ignore[arg-type]
        redaction=redaction if scope == "sebagian" else RedactionSpec(),
        period=parse_period(form),
        remarks=field(form, "remarks").strip(),
    )


def draft_values(draft: Draft) -> dict[str, Any]:
    """The edit form filled in from a draft."""
    p = draft.period
    return {
        "description": draft.description,
        "legal_basis": draft.legal_basis,
        "legal_point": draft.legal_point or "",
        "other_bases": list(draft.other_bases),
        "doc_type": draft.doc_type or "",
        "consequence": draft.consequence,
        "consideration": draft.consideration,
        "scope": draft.scope,
        "remarks": draft.remarks,
        "period_kind": p.kind if p else "durasi",
        "period_years": p.years if p and p.years else "",
        "period_months": p.months if p and p.months else "",
        "period_condition": p.condition if p else "",
        "redact_personal": "1" if draft.redaction.personal_numbers else "",
        "redact_numbers": "\n".join(draft.redaction.numbers),
    }


def document_ids(form: FormData) -> tuple[str, ...]:
    chosen = [v.strip().lower() for v in form.getlist("documents") if isinstance(v, str)]
    return tuple(dict.fromkeys(v for v in chosen if _DOC_ID.fullmatch(v)))


def step_args(step: Step, form: FormData) -> StepArgs:
    """The step's input from its form: only the fields the table says it takes."""
    needs = step.inputs
    note = field(form, "note") if {"note", "note!"} & needs else ""
    number, on = "", None
    if "decree" in needs:
        number, on = field(form, "decree_number"), parse_date(form, "decree_date", "Tanggal")
    if "ruling" in needs:
        number, on = field(form, "ruling"), parse_date(form, "ruling_date", "Tanggal putusan")
    return StepArgs(
        note=note,
        digest=field(form, "digest").strip() if "digest" in needs else "",
        number=number,
        on=on,
        documents=document_ids(form) if "documents" in needs else (),
        document=field(form, "document").strip().lower() if "document" in needs else "",
    )
