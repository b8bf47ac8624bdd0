"""The exemption register in the web app: the list, the proposal form, one entry's page
(its consequence test, documents, approvals, history and the steps the viewer's role
may take now) and the legal bases. Steps are posted to :mod:`web.exemption_actions`;
the public list lives in :mod:`web.exemption_public`, procedure A in
:mod:`web.exemption_handover`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from archive.exemption_records import PUBLISHED
from archive.exemptions import (
    Entry,
    ExemptionError,
    ExemptionRegister,
    LegalBasis,
    UnknownDocument,
)
from web import exemption_actions, exemption_bases, exemption_handover, exemption_public
from web.deps import CheckedViewerDep, Services, ServicesDep, ViewerDep, render, wants_json
from web.exemption_forms import (
    PERIOD_KINDS,
    actor,
    document_ids,
    entry_json,
    install_filters,
    parse_draft,
    register_of,
    require_register,
)
from web.exemption_pages import entry_page, suggestions, visible_entry

router = APIRouter()


def install(app: FastAPI) -> None:
    """Everything the exemption pages add to the app (called once by ``create_app``)."""
    install_filters(app.state.services)
    for module in (exemption_public, exemption_handover, exemption_actions, exemption_bases):
        app.include_router(module.router)
    app.include_router(router)


def _bases(register: ExemptionRegister) -> tuple[list[LegalBasis], list[LegalBasis]]:
    active = register.bases.list(active_only=True)
    return [b for b in active if b.letter], [b for b in active if not b.letter]


@router.get("/exemptions.json")
@router.get("/exemptions")
def register_list(request: Request, viewer: ViewerDep) -> Response:
    require_register(viewer)
    register = register_of(request)
    entries = list(reversed(register.entries()))
    data = {"entries": [entry_json(e, register.bases.get(e.draft.legal_basis)) for e in entries]}
    context = {
        "title": "Register Pengecualian",
        "entries": entries,
        "published": PUBLISHED,
        "can_propose": viewer.role == "ppid",
        "nav": "exemptions",
    }
    return render(request, "exemptions/list.html", context, data)


def form_page(
    request: Request,
    services: Services,
    values: dict[str, Any],
    *,
    entry: Entry | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    register = register_of(request)
    letters, supporting = _bases(register)
    context = {
        "title": f"Ubah entri #{entry.id}" if entry else "Usulkan pengecualian",
        "entry": entry,
        "values": values,
        "letters": letters,
        "supporting": supporting,
        "doc_types": services.doc_types,
        "period_kinds": PERIOD_KINDS,
        "suggested": [] if entry else suggestions(services, register),
        "error": error,
        "nav": "exemptions",
    }
    return render(request, "exemptions/form.html", context, {"error": error}, status)


@router.get("/exemptions/new")
def new_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_register(viewer)
    if viewer.role != "ppid":
        raise HTTPException(403, "Hanya Pejabat PPID yang dapat mengusulkan pengecualian.")
    values = {"scope": "seluruh", "period_kind": "durasi", "legal_basis": ""}
    return form_page(request, services, values)


@router.post("/exemptions/new")
async def propose(request: Request, services: ServicesDep, viewer: CheckedViewerDep) -> Response:
    require_register(viewer)
    form = await request.form()
    register = register_of(request)
    try:
        draft = parse_draft(form)
        ids = document_ids(form)
        missing = [i for i in ids if services.catalog.get(i) is None]
        if missing:
            raise UnknownDocument(f"Dokumen tidak ditemukan: {', '.join(missing)}.")
        entry = register.propose(actor(viewer), draft)
    except ExemptionError as exc:
        return form_page(request, services, dict(form), error=str(exc), status=422)
    if ids:
        exemption_actions.link_and_reindex(request, entry.id, viewer, ids)
    if wants_json(request):
        return JSONResponse({"id": entry.id}, status_code=201)
    return RedirectResponse(f"/exemptions/{entry.id}?ok=diusulkan", status_code=303)


@router.get("/exemptions/{entry_id:int}.json")
@router.get("/exemptions/{entry_id:int}")
def show_entry(request: Request, entry_id: int, viewer: ViewerDep) -> Response:
    return entry_page(request, viewer, visible_entry(request, viewer, entry_id))


@router.get("/exemptions/{entry_id:int}/edit")
def edit_form(
    request: Request, entry_id: int, services: ServicesDep, viewer: ViewerDep
) -> Response:
    entry = visible_entry(request, viewer, entry_id)
    d = entry.draft
    values: dict[str, Any] = {
        "description": d.description,
        "legal_basis": d.legal_basis,
        "legal_point": d.legal_point or "",
        "other_bases": list(d.other_bases),
        "doc_type": d.doc_type or "",
        "consequence": d.consequence,
        "consideration": d.consideration,
        "scope": d.scope,
        "remarks": d.remarks,
        "period_kind": d.period.kind if d.period else "durasi",
        "period_years": d.period.years if d.period else "",
        "period_months": d.period.months if d.period else "",
        "period_condition": d.period.condition if d.period else "",
        "redact_personal": "1" if d.redaction.personal_numbers else "",
        "redact_numbers": "\n".join(d.redaction.numbers),
        "redact_regions": "\n".join(
            f"{r.page}; {r.left * 100:g}; {r.top * 100:g}; {r.width * 100:g}; {r.height * 100:g}"
            for r in d.redaction.regions
        ),
    }
    return form_page(request, services, values, entry=entry)


@router.post("/exemptions/{entry_id:int}/edit")
async def edit(
    request: Request, entry_id: int, services: ServicesDep, viewer: CheckedViewerDep
) -> Response:
    entry = visible_entry(request, viewer, entry_id)
    form = await request.form()
    try:
        register_of(request).edit(entry.id, actor(viewer), parse_draft(form))
    except ExemptionError as exc:
        values = dict(form) | {"other_bases": form.getlist("other_bases")}
        return form_page(request, services, values, entry=entry, error=str(exc), status=422)
    return RedirectResponse(f"/exemptions/{entry.id}?ok=diubah", status_code=303)
