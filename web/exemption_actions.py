"""Taking a step on an entry (one route for every step of the transition table), linking
documents, making and serving the redacted public copy, and declaring a document open.

Every POST carries the session's CSRF token (``CheckedViewerDep``); a refused step shows
the entry page again with the register's message. Documents whose access changed are
re-indexed before the answer, so search reflects the step at once.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from archive.exemptions import (
    FINAL,
    ExemptionError,
    ExemptionRegister,
    InvalidEntry,
    NotAllowed,
    Outcome,
)
from flows.app.exemptions import (
    after_step,
    make_public_copy,
    public_copy_path,
    reindex_documents,
)
from web.deps import DOC_ID, NOT_FOUND, CheckedViewerDep, Viewer, ViewerDep, audit, wants_json
from web.exemption_forms import STEP_BUTTONS, actor, document_ids, field, register_of
from web.exemption_pages import entry_page, visible_entry

router = APIRouter()


def _date(form: FormData, name: str, what: str) -> date:
    try:
        return date.fromisoformat(field(form, name).strip())
    except ValueError:
        raise InvalidEntry(f"{what} harus berformat TTTT-BB-HH, mis. 2024-02-01.") from None


def _run(
    register: ExemptionRegister, step: str, entry_id: int, viewer: Viewer, form: FormData
) -> Outcome:
    who, note = actor(viewer), field(form, "note").strip()
    if step == "approve":
        # Bound to the documents the page showed; refused if they changed meanwhile.
        return register.approve(entry_id, who, note, field(form, "digest") or None)
    if step == "set_decree":
        on = _date(form, "decree_date", "Tanggal keputusan")
        return register.set_decree(entry_id, who, field(form, "decree_number"), on, note)
    if step == "revoke":
        on = _date(form, "decree_date", "Tanggal keputusan pencabutan")
        return register.revoke(entry_id, who, field(form, "decree_number"), on, note)
    if step == "annul":
        on = _date(form, "ruling_date", "Tanggal putusan")
        return register.annul(entry_id, who, field(form, "ruling"), on, note)
    if step == "publish":
        return register.publish(entry_id, who)
    simple = {
        "record_test": register.record_test,
        "submit": register.submit,
        "reject": register.reject,
        "start_review": register.start_review,
        "keep": register.keep,
        "expire": register.expire,
    }
    return simple[step](entry_id, who, note)


def _done(request: Request, outcome: Outcome, what: str) -> Response:
    services = request.app.state.services
    indexed = after_step(services.settings.layout, services.catalog, outcome)
    if wants_json(request):
        body = {
            "id": outcome.entry.id,
            "status": outcome.entry.status,
            "indexed": indexed,
            "changed_documents": list(outcome.changed_documents),
        }
        return JSONResponse(body)
    return RedirectResponse(f"/exemptions/{outcome.entry.id}?ok={what}", status_code=303)


def _refused(request: Request, viewer: Viewer, entry_id: int, exc: ExemptionError) -> Response:
    status = 403 if isinstance(exc, NotAllowed) else 422
    return entry_page(request, viewer, visible_entry(request, viewer, entry_id), str(exc), status)


@router.post("/exemptions/{entry_id:int}/step/{step}")
async def take_step(
    request: Request, entry_id: int, step: str, viewer: CheckedViewerDep
) -> Response:
    visible_entry(request, viewer, entry_id)
    if step not in STEP_BUTTONS:
        raise HTTPException(404, "Langkah tidak dikenal.")
    form = await request.form()
    try:
        outcome = _run(register_of(request), step, entry_id, viewer, form)
    except ExemptionError as exc:
        return _refused(request, viewer, entry_id, exc)
    return _done(request, outcome, step)


def link_and_reindex(request: Request, entry_id: int, viewer: Viewer, ids: list[str]) -> Outcome:
    outcome = register_of(request).link_documents(entry_id, actor(viewer), ids)
    services = request.app.state.services
    after_step(services.settings.layout, services.catalog, outcome)
    return outcome


@router.post("/exemptions/{entry_id:int}/documents")
async def link(request: Request, entry_id: int, viewer: CheckedViewerDep) -> Response:
    visible_entry(request, viewer, entry_id)
    ids = document_ids(await request.form())
    try:
        outcome = register_of(request).link_documents(entry_id, actor(viewer), ids)
    except ExemptionError as exc:
        return _refused(request, viewer, entry_id, exc)
    return _done(request, outcome, "dokumen_ditautkan")


@router.post("/exemptions/{entry_id:int}/documents/{doc_id}/unlink")
def unlink(request: Request, entry_id: int, doc_id: str, viewer: CheckedViewerDep) -> Response:
    visible_entry(request, viewer, entry_id)
    try:
        outcome = register_of(request).unlink_document(entry_id, actor(viewer), doc_id)
    except ExemptionError as exc:
        return _refused(request, viewer, entry_id, exc)
    return _done(request, outcome, "dokumen_dilepas")


@router.post("/exemptions/{entry_id:int}/documents/{doc_id}/public-copy")
async def public_copy(
    request: Request, entry_id: int, doc_id: str, viewer: CheckedViewerDep
) -> Response:
    """OCR runs here, for a few seconds a page: off the event loop, in a worker thread."""
    visible_entry(request, viewer, entry_id)
    services = request.app.state.services
    settings = services.settings
    try:
        outcome = await run_in_threadpool(
            make_public_copy,
            settings.layout,
            services.catalog,
            register_of(request),
            entry_id,
            doc_id,
            actor(viewer),
            settings.ocr,
        )
    except ExemptionError as exc:
        return _refused(request, viewer, entry_id, exc)
    return _done(request, outcome, "salinan_publik")


@router.get("/salinan-publik/{doc_id}.pdf")
def download_public_copy(request: Request, doc_id: str, viewer: ViewerDep) -> Response:
    """The redacted copy, for any signed-in staff member (it is what may be handed out);
    only while an entry covers the document and the file still has its recorded SHA-256."""
    if not DOC_ID.fullmatch(doc_id):
        raise HTTPException(404, NOT_FOUND)
    layout = request.app.state.services.settings.layout
    for entry in register_of(request).entries_of_document(doc_id):
        path = public_copy_path(layout, entry, doc_id) if entry.status not in FINAL else None
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
        changed = register_of(request).mark_open(doc_id, actor(viewer), "dinyatakan terbuka")
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from exc
    except ExemptionError as exc:
        raise HTTPException(422, str(exc)) from exc
    services = request.app.state.services
    indexed = reindex_documents(services.settings.layout, services.catalog, changed)
    if wants_json(request):
        return JSONResponse({"id": doc_id, "access": "terbuka", "indexed": indexed})
    return RedirectResponse("/exemptions?ok=terbuka", status_code=303)
