"""ONE route takes every step of the transition table (``POST /exemptions/{id}/step/{name}``):
the form is read by the inputs the table gives the step, the use case takes it and
re-indexes the documents whose access changed, and a refusal shows the entry page again
with the register's message. An irreversible step first shows its confirmation page
(``GET`` of the same URL, a plain form: no script needed), and is refused until the form
says ``confirm=1``. Also here: the redacted public copy's download and declaring a
document open."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from archive.exemptions import FINAL, STEPS, ExemptionError, InvalidEntry, Step, UnknownEntry
from flows.app import exemptions as use
from web.deps import (
    DOC_ID,
    NOT_FOUND,
    CheckedViewerDep,
    Viewer,
    ViewerDep,
    audit,
    render,
    wants_json,
)
from web.exemptions.common import (
    NOT_FOUND as NO_ENTRY,
)
from web.exemptions.common import (
    actor,
    desk_of,
    entry_json,
    field,
    refusal_status,
    register_of,
    require_reader,
)
from web.exemptions.forms import step_args
from web.exemptions.pages import entry_page

router = APIRouter()


def _step(name: str) -> Step:
    step = STEPS.get(name)
    if step is None or not step.sources:
        raise HTTPException(404, "Langkah tidak dikenal.")
    return step


def confirm_page(
    request: Request, viewer: Viewer, entry_id: int, step: Step, form: FormData | None = None,
    error: str | None = None, status: int = 200,
) -> Response:  # fmt: skip
    """What the step will do, its fields, and the one button that does it."""
    register = register_of(request)
    try:
        view = register.view(entry_id, actor(viewer))
    except UnknownEntry:
        raise HTTPException(404, NO_ENTRY) from None
    if step.name not in {s.name for s in view.steps}:
        why = next((w for s, w in view.waiting if s.name == step.name), None)
        return entry_page(request, viewer, entry_id, why or f"Langkah '{step.label}' tidak "
                          "tersedia untuk Anda saat ini.", 409 if why else 403)  # fmt: skip
    entry = view.entry
    basis = register.bases.get(entry.draft.legal_basis)
    data = entry_json(entry, basis, view.stage) | {
        "step": step.name, "irreversible": step.irreversible, "error": error,
    }  # fmt: skip
    context = {
        "title": f"{step.button} · entri #{entry.id}",
        "entry": entry,
        "basis": basis,
        "step": step,
        "values": dict(form or {}),
        "docs": {
            d.document_id: desk_of(request).catalog.get(d.document_id) for d in entry.documents
        },
        "error": error,
        "nav": "exemptions",
    }
    return render(request, "exemptions/confirm.html", context, data, status)


@router.get("/exemptions/{entry_id:int}/step/{name}")
def confirm(request: Request, entry_id: int, name: str, viewer: ViewerDep) -> Response:
    require_reader(request, viewer)
    return confirm_page(request, viewer, entry_id, _step(name))


@router.post("/exemptions/{entry_id:int}/step/{name}")
async def take_step(
    request: Request, entry_id: int, name: str, viewer: CheckedViewerDep
) -> Response:
    require_reader(request, viewer)
    step = _step(name)
    form = await request.form()
    desk = desk_of(request)
    try:
        args = step_args(step, form)
        confirmed = field(form, "confirm") == "1"
        # A public copy OCRs for a few seconds a page: off the event loop.
        done = await run_in_threadpool(
            use.take_step, desk, entry_id, name, actor(viewer), args, confirmed=confirmed
        )
    except UnknownEntry:
        raise HTTPException(404, NO_ENTRY) from None
    except use.NotConfirmed as exc:
        if wants_json(request):
            return JSONResponse({"error": str(exc), "confirm": True}, status_code=409)
        return confirm_page(request, viewer, entry_id, step, form)
    except ExemptionError as exc:
        if step.irreversible and isinstance(exc, InvalidEntry) and not wants_json(request):
            # A field to fix: the confirmation page again, with what was typed.
            return confirm_page(request, viewer, entry_id, step, form, str(exc), 422)
        return entry_page(request, viewer, entry_id, str(exc), refusal_status(exc))
    if wants_json(request):
        return JSONResponse({
            "id": entry_id, "status": done.result.entry.status, "event": done.result.event.kind,
            "indexed": done.indexed, "changed_documents": list(done.result.changed_documents),
        })  # fmt: skip
    return RedirectResponse(f"/exemptions/{entry_id}?ok={step.event}", status_code=303)


@router.get("/salinan-publik/{doc_id}.pdf")
def download_public_copy(request: Request, doc_id: str, viewer: ViewerDep) -> Response:
    """The redacted copy, for any signed-in staff member (it is what may be handed out);
    only while an entry covers the document and the file still has its recorded SHA-256."""
    if not DOC_ID.fullmatch(doc_id):
        raise HTTPException(404, NOT_FOUND)
    layout = desk_of(request).layout
    for entry in register_of(request).entries_of_document(doc_id):
        path = use.public_copy_path(layout, entry, doc_id) if entry.status not in FINAL else None
        if path is not None:
            audit(request, viewer, "download_public_copy", doc_id, None, entry=entry.id)
            name = f"{doc_id}-salinan-publik.pdf"
            return FileResponse(path, media_type="application/pdf", filename=name)
    raise HTTPException(404, "Salinan publik tidak tersedia.")


@router.post("/exemptions/documents/{doc_id}/open")
def mark_open(request: Request, doc_id: str, viewer: CheckedViewerDep) -> Response:
    if not DOC_ID.fullmatch(doc_id):
        raise HTTPException(404, NOT_FOUND)
    try:
        _changed, indexed = use.mark_open(desk_of(request), doc_id, actor(viewer))
    except ExemptionError as exc:
        raise HTTPException(refusal_status(exc), str(exc)) from exc
    if wants_json(request):
        return JSONResponse({"id": doc_id, "access": "terbuka", "indexed": indexed})
    return RedirectResponse("/exemptions?ok=terbuka", status_code=303)
