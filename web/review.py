"""The review queue of flagged documents, and the form that corrects one of them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from archive.records import DocumentRecord
from archive.vocabulary import CAN_CORRECT
from flows.app.corrections import (
    InvalidCorrection,
    apply_correction,
    needs_review,
    parse_correction,
)
from web.deps import (
    CheckedViewerDep,
    Services,
    ServicesDep,
    Viewer,
    ViewerDep,
    render,
    require_role,
    visible_document,
    wants_json,
)
from web.documents import document_dir, preview_pages

router = APIRouter()
PAGE_SIZE = 50


def _queue(services: Services, viewer: Viewer) -> list[DocumentRecord]:
    """Flagged documents this viewer may see, newest first. A scan of the catalog: an
    office archive holds thousands of documents, not millions."""
    found = [
        r
        for r in services.catalog.iter_documents()
        if r.access in viewer.visible and needs_review(r)
    ]
    return sorted(found, key=lambda r: (r.received_at, r.id), reverse=True)


QUEUE_FIELDS = (
    "id", "source_name", "doc_type", "doc_type_confidence", "number", "date",
    "unit", "title", "ocr_confidence", "flags", "access", "received_at",
)  # fmt: skip


def _row(record: DocumentRecord) -> dict[str, Any]:
    data = record.to_json()
    return {k: data[k] for k in QUEUE_FIELDS}


@router.get("/review.json")
@router.get("/review")
def review_queue(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    raw = request.query_params.get("page", "1")
    page = int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1
    queue = _queue(services, viewer)
    shown = queue[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    data = {
        "total": len(queue),
        "page": page,
        "page_count": max(1, -(-len(queue) // PAGE_SIZE)),
        "documents": [_row(r) for r in shown],
    }
    context = {
        "title": "Antrean Tinjauan",
        "documents": shown,
        "data": data,
        "saved": request.query_params.get("disimpan"),
        "can_correct": viewer.role in CAN_CORRECT,
        "nav": "review",
    }
    return render(request, "review.html", context, data)


def _form_page(
    request: Request,
    services: Services,
    record: DocumentRecord,
    error: str | None = None,
    status: int = 200,
) -> Response:
    data = {"document": _row(record), "needs_review": needs_review(record), "error": error}
    context = {
        "title": f"Tinjau: {record.title or record.source_name}",
        "doc": record,
        "doc_types": services.doc_types,
        "error": error,
        "data": data,
        "preview": bool(preview_pages(document_dir(services, record), record)),
        "nav": "review",
    }
    return render(request, "correct.html", context, data, status)


@router.get("/review/{doc_id}")
@router.get("/review/{doc_id}.json")  # registered first: the route above would take ".json"
def correction_form(
    request: Request, doc_id: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    record = visible_document(request, viewer, doc_id, "view")
    require_role(viewer, CAN_CORRECT, "mengoreksi dokumen")
    return _form_page(request, services, record)


@router.post("/review/{doc_id}")
def correct(
    request: Request,
    doc_id: str,
    services: ServicesDep,
    viewer: CheckedViewerDep,
    doc_type: Annotated[str, Form(max_length=64)] = "",
    number: Annotated[str, Form(max_length=1000)] = "",
    date: Annotated[str, Form(max_length=32)] = "",
    unit: Annotated[str, Form(max_length=1000)] = "",
    title: Annotated[str, Form(max_length=4000)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    record = visible_document(request, viewer, doc_id, "correction")
    require_role(viewer, CAN_CORRECT, "mengoreksi dokumen")
    form = {"doc_type": doc_type, "number": number, "date": date, "unit": unit}
    form.update(title=title, confirm=confirm)
    try:
        fix = parse_correction(form, services.doc_types)
    except InvalidCorrection as exc:
        return _form_page(request, services, record, str(exc), 422)
    by = (viewer.username, viewer.role)
    updated, indexed = apply_correction(services.catalog, services.settings.layout, by, record, fix)
    if wants_json(request):
        return JSONResponse({"document": _row(updated), "indexed": indexed})
    return RedirectResponse(f"/review?disimpan={updated.id}", status_code=303)
