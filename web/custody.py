"""Custody of the paper originals in the web app (SOP 25/2021, procedure A): record that a
division handed a document over to the PPID (who, when, received by whom) and where its
paper original is kept. The list is filtered like search: a handover of a document the
viewer may not see is never listed, not even its id. The document is found by search
(the index's, as the viewer sees it), or by its id."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from archive.custody import CustodyError, InvalidCustody
from archive.custody.handover import Handover, HandoverRegister
from archive.custody.hardcopy import FIELDS, HardcopyLocation
from archive.records import Actor, DocumentRecord
from archive.vocabulary import CAN_RECORD_HANDOVER
from web.deps import (
    DOC_ID,
    CheckedViewerDep,
    Services,
    Viewer,
    ViewerDep,
    get_services,
    render,
    require_role,
    visible_document,
    wants_json,
)
from web.search import pick_documents

router = APIRouter()


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _handovers(request: Request) -> HandoverRegister:
    state = request.app.state
    if getattr(state, "handover_register", None) is None:
        state.handover_register = HandoverRegister(get_services(request).catalog.engine)
    register: HandoverRegister = state.handover_register
    return register


def _page(request: Request, viewer: Viewer, error: str | None = None, status: int = 200,
          values: dict[str, str] | None = None) -> Response:  # fmt: skip
    services: Services = request.app.state.services
    rows = _handovers(request).list(visible=viewer.visible)
    query = request.query_params.get("cari", "").strip()[:200]
    found, search_error = pick_documents(services.settings.layout, viewer.visible, query)
    data = {"handovers": [h.to_json() for h in rows], "error": error or search_error}
    given = {"document_id": request.query_params.get("dokumen", "")}
    context = {
        "title": "Serah Terima Dokumen",
        "handovers": rows,
        "documents": {h.document_id: services.catalog.get(h.document_id) for h in rows},
        "values": values or given,
        "query": query,
        "found": found,
        "error": error or search_error,
        "ok": request.query_params.get("ok"),
        "nav": "handover",
    }
    return render(request, "handover.html", context, data, status)


@router.get("/handover.json")
@router.get("/handover")
def handover_list(request: Request, viewer: ViewerDep) -> Response:
    require_role(viewer, CAN_RECORD_HANDOVER, "mencatat serah terima")
    return _page(request, viewer)


def _when(form: FormData, services: Services) -> datetime:
    try:
        value = datetime.fromisoformat(_field(form, "handed_over_at").strip())
    except ValueError:
        raise InvalidCustody("Waktu serah terima harus diisi (tanggal dan jam).") from None
    # A datetime-local field has no zone: it is the office's local time.
    return value if value.tzinfo else value.replace(tzinfo=services.zone)


def _record(request: Request, viewer: Viewer, record: DocumentRecord, form: FormData) -> Handover:
    services: Services = request.app.state.services
    who = Actor(viewer.username, viewer.role)
    location = HardcopyLocation.clean(**{name: _field(form, name) for name in FIELDS})
    handover = _handovers(request).record(
        record.id,
        _field(form, "division"),
        _field(form, "handed_over_by"),
        _when(form, services),
        who,
        verified=_field(form, "verified") in ("1", "on"),
        note=_field(form, "note"),
    )
    if not location.is_empty():
        services.hardcopy.set(record.id, location, who)  # records its own event
    return handover


@router.post("/handover")
async def record_handover(request: Request, viewer: CheckedViewerDep) -> Response:
    require_role(viewer, CAN_RECORD_HANDOVER, "mencatat serah terima")
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    doc_id = _field(form, "document_id").strip().lower()
    if not DOC_ID.fullmatch(doc_id):
        message = "Pilih dokumen dari hasil pencarian, atau isi nomornya (16 karakter)."
        return _page(request, viewer, message, 422, values)
    record = visible_document(request, viewer, doc_id, None)
    try:
        handover = _record(request, viewer, record, form)
    except CustodyError as exc:
        return _page(request, viewer, str(exc), 422, values)
    if wants_json(request):
        return JSONResponse(handover.to_json(), status_code=201)
    return RedirectResponse(f"/handover?ok={handover.id}", status_code=303)
