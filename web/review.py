"""The review queue of flagged documents, the decisions taken in it (one document or many
at once), the form that corrects one of them, and merging a re-scan.

Decisions are the application layer's (:mod:`flows.app.review_queue`); this module reads
the form, checks each document through ``visible_document`` and says what happened.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from archive.errors import ArchiveError, NotFound
from archive.records import Actor, DocumentRecord
from archive.vocabulary import CAN_CORRECT, CAN_DECLARE_OPEN
from flows.app import review_queue as use
from flows.app.corrections import InvalidCorrection, apply_correction, parse_correction
from flows.app.rescans import merge, near_duplicate_of
from web.decisions import near_duplicate
from web.deps import (
    DOC_ID,
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
from web.exemptions.common import desk_of

router = APIRouter()
PAGE_SIZE = 50
DONE_NOTICE = {
    "open": "dinyatakan terbuka",
    "confirm_type": "dikonfirmasi jenisnya",
    "done": "ditandai sudah ditinjau",
}


def _queue(services: Services, viewer: Viewer) -> list[DocumentRecord]:
    return use.queue(services.catalog, viewer.visible)


QUEUE_FIELDS = (
    "id", "source_name", "doc_type", "doc_type_confidence", "number", "date",
    "unit", "title", "ocr_confidence", "flags", "access", "received_at",
)  # fmt: skip


def _row(record: DocumentRecord) -> dict[str, Any]:
    data = record.to_json()
    return {k: data[k] for k in QUEUE_FIELDS}


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _queue_page(
    request: Request, services: Services, viewer: Viewer, decided: use.Decided | None = None,
    status: int = 200, error: str | None = None,
) -> Response:  # fmt: skip
    page = _page_number(request)
    queue = _queue(services, viewer)
    shown = queue[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    data = {
        "total": len(queue),
        "page": page,
        "page_count": max(1, -(-len(queue) // PAGE_SIZE)),
        "documents": [_row(r) for r in shown],
        "decided": decided.to_json() if decided else None,
    }
    q = request.query_params
    action, count = q.get("aksi", ""), q.get("jumlah", "")
    context = {
        "title": "Antrean Tinjauan",
        "documents": shown,
        "data": data,
        "saved": q.get("disimpan") if DOC_ID.fullmatch(q.get("disimpan", "")) else None,
        "done_notice": f"{count} dokumen {DONE_NOTICE[action]}."
        if action in DONE_NOTICE and count.isdigit() else None,
        "decided": decided,
        "error": error,
        "can_correct": viewer.role in CAN_CORRECT,
        "can_open": viewer.role in CAN_DECLARE_OPEN,
        "doc_types": services.doc_types,
        "nav": "review",
    }  # fmt: skip
    return render(request, "review.html", context, data, status)


@router.get("/review.json")
@router.get("/review")
def review_queue(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    return _queue_page(request, services, viewer)


def all_pages(services: Services, record: DocumentRecord) -> list[int]:
    """Every page of the document for the review view (thumbnails load lazily), not only
    the first few the document page previews."""
    if not preview_pages(document_dir(services, record), record):
        return []
    return list(range(1, record.pages + 1))


def _form_page(
    request: Request,
    services: Services,
    viewer: Viewer,
    record: DocumentRecord,
    error: str | None = None,
    status: int = 200,
) -> Response:
    queue = _queue(services, viewer)
    waiting = any(r.id == record.id for r in queue)
    data = {
        "document": _row(record),
        "needs_review": waiting,
        "error": error,
        "pages": all_pages(services, record),
        "next": use.next_after(queue, record.id),
        "queue_total": len(queue),
    }
    q = request.query_params
    action = q.get("keputusan", "")
    context = {
        "title": f"Tinjau: {record.title or record.source_name}",
        "doc": record,
        "doc_types": services.doc_types,
        "error": error,
        "data": data,
        "pages": data["pages"],
        "previous": q.get("sebelumnya") if DOC_ID.fullmatch(q.get("sebelumnya", "")) else None,
        "previous_action": DONE_NOTICE.get(action, "disimpan"),
        "can_open": viewer.role in CAN_DECLARE_OPEN and record.access == "belum_ditinjau",
        "near_duplicate": near_duplicate(services, viewer, record.id),
        "nav": "review",
    }
    return render(request, "correct.html", context, data, status)


def _actor(viewer: Viewer) -> Actor:
    return Actor(viewer.username, viewer.role)


@router.post("/review/decide")  # before /review/{doc_id}, which would take "decide"
async def decide(request: Request, services: ServicesDep, viewer: CheckedViewerDep) -> Response:
    """Form: ``action`` and ``ids`` (one or many), or ``open_one`` (a row's own "Nyatakan
    terbuka" button, whose value is its id); ``doc_type`` for confirm_type (empty keeps
    each document's); ``back``: where to go after, ``queue``, ``document`` or ``next``
    (the next document in the queue)."""
    form = await request.form()
    one = str(form.get("open_one") or "")
    ids = [one] if one else [str(v) for v in form.getlist("ids")]
    action = "open" if one else str(form.get("action") or "")
    back = str(form.get("back") or "queue")
    if len(ids) > use.MAX_BATCH:  # refused before a catalog read per id
        raise HTTPException(422, f"Paling banyak {use.MAX_BATCH} dokumen sekaligus.")
    doc_type = str(form.get("doc_type") or "") or None
    for doc_id in ids:  # the one choke point: 404 for what this viewer may not see
        visible_document(request, viewer, doc_id, None)
    before = _queue(services, viewer) if back == "next" else []
    try:
        # Catalog writes and one index commit for the batch: off the event loop.
        decided = await run_in_threadpool(use.decide, desk_of(request), action, ids,
                                          _actor(viewer), doc_type, services.doc_types)  # fmt: skip
    except use.InvalidDecision as exc:
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=422)
        if back != "queue":
            raise HTTPException(422, str(exc)) from exc
        return _queue_page(request, services, viewer, None, 422, str(exc))
    status = 409 if not decided.done else 200
    if wants_json(request):
        queue = _queue(services, viewer)
        body = decided.to_json() | {"queue_total": len(queue),
                                    "next": queue[0].id if queue else None}  # fmt: skip
        return JSONResponse(body, status_code=status)
    return _after_decision(request, services, viewer, decided, back, ids, before)


def _next(services: Services, viewer: Viewer, before: list[DocumentRecord], doc_id: str,
          skip: list[str]) -> str | None:  # fmt: skip
    """The document below ``doc_id`` in the queue as it was shown, if it still waits."""
    still = {r.id for r in _queue(services, viewer)}
    gone = [*skip, *(r.id for r in before if r.id not in still)]
    return use.next_after(before, doc_id, skip=gone)


def _after_decision(
    request: Request, services: Services, viewer: Viewer, decided: use.Decided, back: str,
    ids: list[str], before: list[DocumentRecord],
) -> Response:  # fmt: skip
    """Post/redirect/get when all went well; the refusals shown where they were asked."""
    failed = decided.failed
    if back == "queue":
        if failed:
            return _queue_page(request, services, viewer, decided, 409 if not decided.done else 200)
        return RedirectResponse(
            f"/review?aksi={decided.action}&jumlah={len(decided.done)}", status_code=303
        )
    if failed:
        raise HTTPException(409, failed[0].message)  # one document: its refusal
    if back == "next":
        nxt = _next(services, viewer, before, ids[0], ids)
        if nxt is None:
            return RedirectResponse(
                f"/review?aksi={decided.action}&jumlah={len(decided.done)}", status_code=303
            )
        return RedirectResponse(
            f"/review/{nxt}?sebelumnya={ids[0]}&keputusan={decided.action}", status_code=303
        )
    return RedirectResponse(f"/documents/{ids[0]}?keputusan={decided.action}", status_code=303)


@router.post("/documents/{doc_id}/merge")
def merge_rescan(
    request: Request, doc_id: str, services: ServicesDep, viewer: CheckedViewerDep
) -> Response:
    """One click on a likely re-scan: it becomes a receipt of the document it repeats
    (the one its near-duplicate checkpoint named, not one the form says)."""
    record = visible_document(request, viewer, doc_id, None)
    require_role(viewer, CAN_CORRECT, "menggabungkan dokumen")
    into = near_duplicate_of(services.catalog, record)
    if into is None or near_duplicate(services, viewer, doc_id) is None:
        raise HTTPException(409, "Dokumen ini tidak ditandai sebagai pindaian ulang dokumen lain.")
    try:
        _merged, unlisted = merge(services.settings.layout, services.catalog, doc_id, into,
                                  _actor(viewer))  # fmt: skip
    except ArchiveError as exc:
        raise HTTPException(404 if isinstance(exc, NotFound) else 409, str(exc)) from exc
    if wants_json(request):
        return JSONResponse({"merged": doc_id, "into": into, "search_updated": unlisted})
    return RedirectResponse(f"/documents/{into}?digabung={doc_id}", status_code=303)


@router.get("/review/{doc_id}")
@router.get("/review/{doc_id}.json")  # registered first: the route above would take ".json"
def correction_form(
    request: Request, doc_id: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    record = visible_document(request, viewer, doc_id, "view")
    require_role(viewer, CAN_CORRECT, "mengoreksi dokumen")
    return _form_page(request, services, viewer, record)


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
    then: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    record = visible_document(request, viewer, doc_id, "correction")
    require_role(viewer, CAN_CORRECT, "mengoreksi dokumen")
    form = {"doc_type": doc_type, "number": number, "date": date, "unit": unit}
    form.update(title=title, confirm=confirm)
    try:
        fix = parse_correction(form, services.doc_types)
    except InvalidCorrection as exc:
        return _form_page(request, services, viewer, record, str(exc), 422)
    by = (viewer.username, viewer.role)
    before = _queue(services, viewer) if then == "next" else []
    updated, indexed = apply_correction(services.catalog, services.settings.layout, by, record, fix)
    if fix.confirmed and use.waits(updated, use.decided_ids(services.catalog)):
        # Nothing to correct but personal data: the person's mark takes it out of the queue.
        use.decide(desk_of(request), "done", [updated.id], _actor(viewer))
    if wants_json(request):
        return JSONResponse({"document": _row(updated), "indexed": indexed})
    nxt = _next(services, viewer, before, updated.id, [updated.id]) if then == "next" else None
    if nxt:
        return RedirectResponse(f"/review/{nxt}?sebelumnya={updated.id}", status_code=303)
    return RedirectResponse(f"/review?disimpan={updated.id}", status_code=303)
