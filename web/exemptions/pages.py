"""The register's pages: the list, the proposal and edit forms, and one entry's page (its
consequence test, approvals, the steps the viewer may take now and what still waits,
its documents with the search picker, and its history)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from archive.exemptions import (
    STAGE_NAMES,
    STEPS,
    Entry,
    EntryView,
    ExemptionError,
    StepArgs,
    UnknownEntry,
    stage,
)
from archive.records import DocumentRecord
from archive.vocabulary import FLAG_PERSONAL, ROLE_NAMES
from flows.app import exemptions as use
from web.deps import CheckedViewerDep, Services, ServicesDep, Viewer, ViewerDep, render, wants_json
from web.exemptions.common import (
    NOT_FOUND,
    actor,
    desk_of,
    entry_json,
    refusal_status,
    register_of,
    require_reader,
)
from web.exemptions.forms import PERIOD_KINDS, document_ids, draft_values, parse_draft
from web.search import pick_documents

router = APIRouter()
MAX_SUGGESTIONS = 50
PER_DOCUMENT = frozenset({"link", "unlink", "public_copy", "edit"})  # not in "Tindakan"


def suggestions(request: Request) -> list[DocumentRecord]:
    """Unreviewed documents with personal data that no entry covers yet: candidates for a
    Pasal 17 h entry."""
    catalog = desk_of(request).catalog
    found = [r for r in catalog.iter_documents()
             if FLAG_PERSONAL in r.flags and r.access == "belum_ditinjau"]  # fmt: skip
    covered = register_of(request).standing([r.id for r in found])
    found = [r for r in found if r.id not in covered]
    return sorted(found, key=lambda r: r.received_at, reverse=True)[:MAX_SUGGESTIONS]


@router.get("/exemptions.json")
@router.get("/exemptions")
def register_list(request: Request, viewer: ViewerDep) -> Response:
    require_reader(request, viewer)
    register = register_of(request)
    rows = [(sit.entry, stage(sit)) for sit in reversed(register.situations())]
    bases = {b.code: b for b in register.bases.list()}
    data = {"entries": [entry_json(e, bases.get(e.draft.legal_basis), st) for e, st in rows]}
    context = {
        "title": "Register Pengecualian",
        "rows": rows,
        "approvers": [ROLE_NAMES.get(r, r) for r in register.required_approvers()],
        "can_propose": register.can_propose(actor(viewer)),
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
    active = register_of(request).bases.list(active_only=True)
    context = {
        "title": f"Ubah entri #{entry.id}" if entry else "Usulkan pengecualian",
        "entry": entry,
        "values": values,
        "letters": [b for b in active if b.letter],
        "supporting": [b for b in active if not b.letter],
        "doc_types": services.doc_types,
        "period_kinds": PERIOD_KINDS,
        "suggested": [] if entry else suggestions(request),
        "error": error,
        "nav": "exemptions",
    }
    return render(request, "exemptions/form.html", context, {"error": error}, status)


@router.get("/exemptions/new")
def new_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_reader(request, viewer)
    if not register_of(request).can_propose(actor(viewer)):
        raise HTTPException(403, "Hanya Pejabat PPID yang dapat mengusulkan pengecualian.")
    values = {"scope": "seluruh", "period_kind": "durasi", "legal_basis": ""}
    return form_page(request, services, values)


@router.post("/exemptions/new")
async def propose(request: Request, services: ServicesDep, viewer: CheckedViewerDep) -> Response:
    require_reader(request, viewer)
    form = await request.form()
    try:
        entry = use.propose(desk_of(request), actor(viewer), parse_draft(form), document_ids(form))
    except ExemptionError as exc:
        values = dict(form) | {"other_bases": form.getlist("other_bases")}
        status = refusal_status(exc)
        return form_page(request, services, values, error=str(exc), status=status)
    if wants_json(request):
        return JSONResponse({"id": entry.id}, status_code=201)
    return RedirectResponse(f"/exemptions/{entry.id}?ok=diusulkan", status_code=303)


def _view(request: Request, viewer: Viewer, entry_id: int) -> EntryView:
    require_reader(request, viewer)
    try:
        return register_of(request).view(entry_id, actor(viewer))
    except UnknownEntry:
        raise HTTPException(404, NOT_FOUND) from None


def _picker(request: Request, viewer: Viewer, view: EntryView) -> dict[str, Any]:
    """The document picker: the index's search as the viewer sees it, and suggestions."""
    if "link" not in {s.name for s in view.steps}:
        return {"query": "", "found": [], "suggested": [], "search_error": None}
    query = request.query_params.get("cari", "").strip()[:200]
    found, error = pick_documents(desk_of(request).layout, viewer.visible, query)
    shown = {h.id for h in found}
    suggested = [r for r in suggestions(request) if r.id not in shown]
    return {"query": query, "found": found, "suggested": suggested, "search_error": error}


def entry_page(
    request: Request, viewer: Viewer, entry_id: int, error: str | None = None, status: int = 200
) -> Response:
    view = _view(request, viewer, entry_id)
    desk, entry = desk_of(request), view.entry
    basis = desk.register.bases.get(entry.draft.legal_basis)
    picker = _picker(request, viewer, view)
    error = error or picker["search_error"]
    linked = [d.document_id for d in entry.documents]
    data = entry_json(entry, basis, view.stage) | {
        "events": [e.to_json() for e in view.events],
        "approvals": {role: ev.username for role, ev in view.situation.approvals.items()},
        "steps": [s.name for s in view.steps],
        "waiting": [{"step": s.name, "reason": why} for s, why in view.waiting],
        "candidates": [{"id": h.id, "title": h.title, "access": h.access} for h in picker["found"]],
        "error": error,
    }
    context = picker | {
        "title": f"Entri pengecualian #{entry.id}",
        "view": view,
        "entry": entry,
        "stage_name": STAGE_NAMES[view.stage],
        "basis": basis,
        "others": [desk.register.bases.get(c) for c in entry.draft.other_bases],
        "actions": [s for s in view.steps if s.name not in PER_DOCUMENT],
        "waiting": [(s, why) for s, why in view.waiting if s.name not in PER_DOCUMENT],
        "allowed": {s.name for s in view.steps},  # not "can": that global is the viewer's
        "docs": {i: desk.catalog.get(i) for i in linked},
        "standing": desk.register.standing(linked),
        "error": error,
        "ok": request.query_params.get("ok"),
        "steps": STEPS,
        "nav": "exemptions",
    }
    return render(request, "exemptions/entry.html", context, data, status)


@router.get("/exemptions/{entry_id:int}.json")
@router.get("/exemptions/{entry_id:int}")
def show_entry(request: Request, entry_id: int, viewer: ViewerDep) -> Response:
    return entry_page(request, viewer, entry_id)


def editable_entry(request: Request, viewer: Viewer, entry_id: int) -> Entry:
    require_reader(request, viewer)
    try:
        register_of(request).check(entry_id, "edit", actor(viewer))
        return register_of(request).get(entry_id)
    except UnknownEntry:
        raise HTTPException(404, NOT_FOUND) from None
    except ExemptionError as exc:
        raise HTTPException(refusal_status(exc), str(exc)) from None


@router.get("/exemptions/{entry_id:int}/edit")
def edit_form(
    request: Request, entry_id: int, services: ServicesDep, viewer: ViewerDep
) -> Response:
    entry = editable_entry(request, viewer, entry_id)
    return form_page(request, services, draft_values(entry.draft), entry=entry)


@router.post("/exemptions/{entry_id:int}/edit")
async def edit(
    request: Request, entry_id: int, services: ServicesDep, viewer: CheckedViewerDep
) -> Response:
    entry = editable_entry(request, viewer, entry_id)
    form = await request.form()
    try:
        draft = parse_draft(form, entry.draft.redaction.regions)
        use.take_step(desk_of(request), entry.id, "edit", actor(viewer), StepArgs(draft=draft))
    except ExemptionError as exc:
        values = dict(form) | {"other_bases": form.getlist("other_bases")}
        return form_page(request, services, values, entry=entry, error=str(exc),
                         status=refusal_status(exc))  # fmt: skip
    return RedirectResponse(f"/exemptions/{entry.id}?ok=diubah", status_code=303)
