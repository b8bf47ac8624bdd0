"""What the exemption pages share: the register and its use cases on the app, the viewer
as an actor, the entry as JSON, and how a refusal becomes a status code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from archive.errors import NotFound
from archive.exemptions import (
    EVENT_NAMES,
    STAGE_NAMES,
    Actor,
    Entry,
    ExemptionError,
    ExemptionRegister,
    LegalBasis,
    NotAllowed,
)
from archive.vocabulary import ACTOR_NAMES
from flows.app.exemptions import Desk
from web.deps import Services, Viewer

NOT_FOUND = "Entri pengecualian tidak ditemukan."

DETAIL_NAMES: Mapping[str, str] = {
    "added": "ditambahkan",
    "removed": "dilepas",
    "round": "putaran",
    "required": "pemberi persetujuan",
    "seen": "tanda halaman yang diperiksa",
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
    "still_covered": "tetap tercakup entri lain",
    "released": "dokumen dilepas dari usulan",
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
        if key == "seen":
            text = text[:16] + "…"
        pairs.append((DETAIL_NAMES.get(key, key.replace("_", " ")), text))
    return pairs


def install_filters(services: Services) -> None:
    services.templates.env.filters.update(
        ex_status=lambda code: STAGE_NAMES.get(str(code), str(code)),
        ex_event=lambda code: EVENT_NAMES.get(str(code), str(code).replace("_", " ")),
        ex_details=event_details,
    )


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.exemption_desk
    return desk


def register_of(request: Request) -> ExemptionRegister:
    return desk_of(request).register


def actor(viewer: Viewer) -> Actor:
    return Actor(viewer.username, viewer.role)


def require_reader(request: Request, viewer: Viewer) -> None:
    """The register exists for the PPID and the approving roles; to anyone else it does not
    exist at all (404, as for a missing entry)."""
    try:
        register_of(request).check_reader(actor(viewer))
    except NotAllowed:
        raise HTTPException(404, NOT_FOUND) from None


def refusal_status(exc: ExemptionError) -> int:
    if isinstance(exc, NotAllowed):
        return 403
    return 404 if isinstance(exc, NotFound) else 422


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def entry_json(entry: Entry, basis: LegalBasis | None, stage: str) -> dict[str, Any]:
    d = entry.draft
    return {
        "id": entry.id,
        "status": entry.status,
        "status_name": entry.status_name,
        "stage": stage,
        "stage_name": STAGE_NAMES[stage],
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
        "approval_digest": entry.approval_digest(),
    }
