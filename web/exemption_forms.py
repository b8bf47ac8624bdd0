"""Shared by the exemption pages: who may see them, the register on the app, labels, and
turning the proposal form into a :class:`Draft` (with messages in Bahasa Indonesia)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from archive.custody.handover import HandoverRegister
from archive.exemption_records import STATUS_NAMES
from archive.exemptions import (
    Actor,
    Draft,
    Entry,
    ExemptionRegister,
    InvalidEntry,
    LegalBasis,
    Period,
    RedactionSpec,
    Region,
)
from archive.vocabulary import ACTOR_NAMES, CAN_SEE_REGISTER
from web.deps import Services, Viewer, get_services

NOT_FOUND = "Entri pengecualian tidak ditemukan."
_NUMBER = re.compile(r"\d{4,20}")

EVENT_NAMES: Mapping[str, str] = {
    "diusulkan": "Diusulkan",
    "diubah": "Draf diubah",
    "dokumen_ditautkan": "Dokumen ditautkan",
    "dokumen_dilepas": "Dokumen dilepas",
    "uji_konsekuensi": "Uji konsekuensi dicatat",
    "diajukan": "Diajukan untuk persetujuan",
    "disetujui": "Disetujui",
    "dikembalikan": "Dikembalikan untuk perbaikan",
    "ditetapkan": "Ditetapkan dengan keputusan",
    "salinan_publik": "Salinan publik tersamar dibuat",
    "dipublikasikan": "Dipublikasikan di DIK",
    "tinjauan_dimulai": "Tinjauan dimulai",
    "tinjauan_selesai": "Tinjauan selesai, tetap berlaku",
    "kedaluwarsa": "Kedaluwarsa, dokumen dibuka",
    "dicabut": "Dicabut, dokumen dibuka",
    "dibatalkan": "Dibatalkan, dokumen dibuka",
}
STEP_BUTTONS: Mapping[str, str] = {
    "record_test": "Catat uji konsekuensi",
    "submit": "Ajukan untuk persetujuan",
    "approve": "Setujui",
    "reject": "Kembalikan untuk perbaikan",
    "set_decree": "Tetapkan dengan keputusan",
    "publish": "Publikasikan di DIK",
    "start_review": "Mulai tinjauan",
    "keep": "Selesaikan tinjauan (tetap berlaku)",
    "expire": "Nyatakan kedaluwarsa",
    "revoke": "Cabut dengan keputusan baru",
    "annul": "Batalkan (putusan KI/pengadilan)",
}
PERIOD_KINDS: Mapping[str, str] = {
    "durasi": "Lama waktu",
    "syarat": "Sampai syarat terpenuhi",
    "permanen": "Permanen (hanya huruf g–j)",
}


DETAIL_NAMES: Mapping[str, str] = {
    "added": "ditambahkan",
    "removed": "dilepas",
    "round": "putaran",
    "required": "pemberi persetujuan",
    "basis": "dasar hukum",
    "period": "jangka waktu",
    "decree": "keputusan",
    "decree_date": "tanggal keputusan",
    "expires_on": "berakhir",
    "published_on": "dipublikasikan",
    "next_review": "tinjauan berikutnya",
    "document": "dokumen",
    "source_sha256": "SHA-256 asli",
    "public_sha256": "SHA-256 salinan",
    "on": "tanggal",
    "opened": "dokumen dibuka",
    "still_covered": "tetap dikecualikan oleh entri lain",
    "ruling": "putusan",
    "ruling_date": "tanggal putusan",
}


def event_details(detail: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An entry event's detail as (label, text) pairs, in Bahasa Indonesia."""
    pairs = []
    for key, value in detail.items():
        if value in (None, "", [], {}):
            continue
        items = value if isinstance(value, list) else [value]
        text = ", ".join(ACTOR_NAMES.get(str(v), str(v)) for v in items)
        pairs.append((DETAIL_NAMES.get(key, key.replace("_", " ")), text))
    return pairs


def install_filters(services: Services) -> None:
    env = services.templates.env
    env.filters.update(
        ex_status=lambda code: STATUS_NAMES.get(str(code), str(code)),
        ex_event=lambda code: EVENT_NAMES.get(str(code), str(code).replace("_", " ")),
        ex_details=event_details,
    )


def register_of(request: Request) -> ExemptionRegister:
    """One register per app, made on first use (it creates and seeds its tables)."""
    state = request.app.state
    register: ExemptionRegister | None = getattr(state, "exemption_register", None)
    if register is None:
        register = ExemptionRegister(get_services(request).catalog.engine)
        state.exemption_register = register
    return register


def handovers_of(request: Request) -> HandoverRegister:
    state = request.app.state
    handovers: HandoverRegister | None = getattr(state, "handover_register", None)
    if handovers is None:
        handovers = HandoverRegister(get_services(request).catalog.engine)
        state.handover_register = handovers
    return handovers


def require_register(viewer: Viewer) -> None:
    if viewer.role not in CAN_SEE_REGISTER:
        raise HTTPException(404, NOT_FOUND)


def actor(viewer: Viewer) -> Actor:
    return Actor(viewer.username, viewer.role)


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _int(text: str, what: str, *, allow_empty: bool = True) -> int | None:
    cleaned = text.strip()
    if not cleaned and allow_empty:
        return None
    if not cleaned.isdigit() or len(cleaned) > 4:
        raise InvalidEntry(f"{what} harus berupa angka.")
    return int(cleaned)


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


def _regions(text: str) -> tuple[Region, ...]:
    """One region a line: ``halaman; kiri; atas; lebar; tinggi`` in percent of the page."""
    regions = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        parts = [p.strip().replace(",", ".") for p in line.split(";")]
        try:
            page, *box = (float(p) for p in parts)
        except ValueError:
            raise InvalidEntry(f"Area tidak dapat dibaca: '{line}'.") from None
        if len(box) != 4 or page < 1 or not all(0 <= v <= 100 for v in box):
            raise InvalidEntry(f"Area harus 'halaman; kiri; atas; lebar; tinggi' (%): '{line}'.")
        left, top, width, height = (v / 100 for v in box)
        regions.append(Region(int(page), left, top, width, height))
    return tuple(regions)


def parse_redaction(form: FormData) -> RedactionSpec:
    numbers = tuple(_NUMBER.findall(field(form, "redact_numbers").replace(" ", "")))
    return RedactionSpec(
        personal_numbers=field(form, "redact_personal") in ("1", "on"),
        numbers=numbers,
        regions=_regions(field(form, "redact_regions")),
    )


def parse_draft(form: FormData) -> Draft:
    """What the PPID typed; completeness is the register's to judge, at the test."""
    scope = field(form, "scope") or "seluruh"
    if scope not in ("seluruh", "sebagian"):
        raise InvalidEntry("Cakupan harus 'seluruh' atau 'sebagian'.")
    return Draft(
        description=field(form, "description").strip(),
        legal_basis=field(form, "legal_basis").strip(),
        legal_point=_int(field(form, "legal_point"), "Angka"),
        other_bases=tuple(v for v in form.getlist("other_bases") if isinstance(v, str) and v),
        doc_type=field(form, "doc_type").strip() or None,
        consequence=field(form, "consequence").strip(),
        consideration=field(form, "consideration").strip(),
        scope=scope,  # type: ignore[arg-type]
        redaction=parse_redaction(form) if scope == "sebagian" else RedactionSpec(),
        period=parse_period(form),
        remarks=field(form, "remarks").strip(),
    )


def document_ids(form: FormData) -> list[str]:
    typed = re.findall(r"[0-9a-f]{16}", field(form, "document_ids").lower())
    checked = [v for v in form.getlist("documents") if isinstance(v, str)]
    return list(dict.fromkeys([*checked, *typed]))


def entry_json(entry: Entry, basis: LegalBasis | None) -> dict[str, Any]:
    d = entry.draft
    return {
        "id": entry.id,
        "status": entry.status,
        "status_name": entry.status_name,
        "description": d.description,
        "legal_basis": d.legal_basis,
        "legal_basis_text": basis.cite(d.legal_point) if basis else None,
        "other_bases": list(d.other_bases),
        "doc_type": d.doc_type,
        "consequence": d.consequence,
        "consideration": d.consideration,
        "scope": d.scope,
        "redaction": d.redaction.to_json(),
        "period": d.period.to_json() if d.period else None,
        "remarks": d.remarks,
        "proposed_by": entry.proposed_by,
        "created_at": entry.created_at.isoformat(),
        "round": entry.round,
        "required_approvers": list(entry.required_approvers),
        "decree_number": entry.decree_number,
        "decree_date": entry.decree_date.isoformat() if entry.decree_date else None,
        "published_on": entry.published_on.isoformat() if entry.published_on else None,
        "next_review": entry.next_review.isoformat() if entry.next_review else None,
        "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
        "documents": [
            {"id": x.document_id, "sha256": x.sha256, "public_sha256": x.public_sha256}
            for x in entry.documents
        ],
        "digest": entry.digest(),
    }
