"""Procedure A in the web app: record that a division handed a document over to the PPID
(who, when, received by whom) and where its paper original is kept."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from archive.custody import CustodyError
from archive.custody.handover import Handover
from archive.custody.hardcopy import FIELDS, HardcopyLocation
from archive.exemptions import ExemptionError, InvalidEntry
from archive.records import DocumentRecord
from archive.vocabulary import CAN_RECORD_HANDOVER
from web.deps import (
    DOC_ID,
    CheckedViewerDep,
    Services,
    Viewer,
    ViewerDep,
    render,
    require_role,
    visible_document,
    wants_json,
)
from web.exemption_forms import actor, field, handovers_of

router = APIRouter()


def _page(
    request: Request,
    error: str | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    services: Services = request.app.state.services
    rows = handovers_of(request).list()
    data = {"handovers": [h.to_json() for h in rows], "error": error}
    context = {
        "title": "Serah Terima Dokumen",
        "handovers": rows,
        "documents": {h.document_id: services.catalog.get(h.document_id) for h in rows},
        "values": values or {"document_id": request.query_params.get("dokumen", "")},
        "error": error,
        "ok": request.query_params.get("ok"),
        "nav": "handover",
    }
    return render(request, "exemptions/handover.html", context, data, status)


@router.get("/handover.json")
@router.get("/handover")
def handover_list(request: Request, viewer: ViewerDep) -> Response:
    require_role(viewer, CAN_RECORD_HANDOVER, "mencatat serah terima")
    return _page(request)


def _when(form: FormData, services: Services) -> datetime:
    try:
        value = datetime.fromisoformat(field(form, "handed_over_at").strip())
    except ValueError:
        raise InvalidEntry("Waktu serah terima harus diisi (tanggal dan jam).") from None
    # A datetime-local field has no zone: it is the office's local time.
    return value if value.tzinfo else value.replace(tzinfo=services.zone)


def _record(request: Request, viewer: Viewer, record: DocumentRecord, form: FormData) -> Handover:
    services: Services = request.app.state.services
    location = HardcopyLocation.clean(**{name: field(form, name) for name in FIELDS})
    handover = handovers_of(request).record(
        record.id,
        field(form, "division"),
        field(form, "handed_over_by"),
        _when(form, services),
        actor(viewer),
        verified=field(form, "verified") in ("1", "on"),
        note=field(form, "note"),
    )
    if not location.is_empty():
        services.hardcopy.set(record.id, location, actor(viewer))  # records its own event
    return handover


@router.post("/handover")
async def record_handover(request: Request, viewer: CheckedViewerDep) -> Response:
    require_role(viewer, CAN_RECORD_HANDOVER, "mencatat serah terima")
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    doc_id = field(form, "document_id").strip().lower()
    if not DOC_ID.fullmatch(doc_id):
        return _page(request, "Nomor dokumen (16 karakter heksadesimal) tidak valid.", 422, values)
    record = visible_document(request, viewer, doc_id, None)
    try:
        handover = _record(request, viewer, record, form)
    except (ExemptionError, CustodyError) as exc:
        return _page(request, str(exc), 422, values)
    if wants_json(request):
        return JSONResponse(handover.to_json(), status_code=201)
    return RedirectResponse(f"/handover?ok={handover.id}", status_code=303)
