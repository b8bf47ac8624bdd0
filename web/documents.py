"""One document: metadata, flags, page previews, text, downloads, paper location, history.

Every route here starts from the catalog record found by id (``visible_document``), and
every file path is built from that record's ``archive_path`` and fixed file names, checked
to lie inside the archive; nothing the request says becomes part of a path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from archive.custody.hardcopy import HardcopyLocation, InvalidLocation
from archive.layout import DocumentFiles
from archive.records import Actor, DocumentRecord
from archive.vocabulary import CAN_CORRECT, CAN_EDIT_HARDCOPY, RESTRICTED
from flows.app.exemptions import covering_entries
from flows.app.indexing import archived_text
from tasks.errors import TaskError
from tasks.thumbnails import can_preview, render_thumbnail
from web.decisions import decision_context
from web.deps import (
    NOT_FOUND,
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

router = APIRouter()
MAX_TEXT_CHARS = 100_000
PREVIEW_PAGES = 12
THUMB_WIDTHS = {"s": 300, "l": 1000}
RENDER_WAIT_SECONDS = 20.0


def document_dir(services: Services, record: DocumentRecord) -> Path:
    root = services.settings.layout.archive.resolve()
    path = (services.settings.layout.home / record.archive_path).resolve()
    # A catalog row pointing outside the archive (edited by hand, restored wrongly) is
    # treated as missing rather than followed.
    if not path.is_relative_to(root) or path == root or not path.is_dir():
        raise HTTPException(404, NOT_FOUND)
    return path


def _original(directory: Path) -> Path | None:
    return DocumentFiles(directory).original()


def _searchable(directory: Path) -> Path | None:
    return DocumentFiles(directory).searchable_if_present()


def _file_headers(record: DocumentRecord) -> dict[str, str]:
    if record.access in RESTRICTED:
        return {"Cache-Control": "no-store"}
    return {"Cache-Control": "private, max-age=3600"}


def document_data(services: Services, record: DocumentRecord) -> dict[str, Any]:
    directory = document_dir(services, record)  # 404 when the archive has no such directory
    stored = services.hardcopy.get(record.id)
    text = archived_text(services.settings.layout, record) or ""
    data = record.to_json()
    data.update(
        events=[e.to_json() for e in services.catalog.events(document_id=record.id)],
        receipts=[
            {"source_name": r.source_name, "received_at": r.received_at.isoformat(), "kind": r.kind}
            for r in services.catalog.receipts(record.id)
        ],
        hardcopy=stored.location.to_json() if stored else HardcopyLocation().to_json(),
        hardcopy_updated=(
            {"at": stored.updated_at.isoformat(), "by": stored.updated_by} if stored else None
        ),
        has_original=_original(directory) is not None,
        has_searchable_pdf=_searchable(directory) is not None,
        preview_pages=preview_pages(directory, record),
        text=text[:MAX_TEXT_CHARS],
        text_truncated=len(text) > MAX_TEXT_CHARS,
    )
    return data


def preview_pages(directory: Path, record: DocumentRecord) -> list[int]:
    source = _searchable(directory) or _original(directory)
    if source is None or not can_preview(source):
        return []
    return list(range(1, min(record.pages, PREVIEW_PAGES) + 1))


@router.get("/documents/{doc_id}")
@router.get("/documents/{doc_id}.json")  # registered first: the route below would take ".json"
def document_page(
    request: Request, doc_id: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    record = visible_document(request, viewer, doc_id, "view")
    data = document_data(services, record)
    register = request.app.state.exemption_desk.register
    who = Actor(viewer.username, viewer.role)
    data["exemptions"] = covering_entries(register, who, record.id)  # proposed or in force
    context = {
        "title": record.title or record.source_name,
        "doc": record,
        "data": data,
        "can_correct": viewer.role in CAN_CORRECT,
        "can_edit_hardcopy": viewer.role in CAN_EDIT_HARDCOPY,
        "saved": request.query_params.get("disimpan") == "1",
        "nav": "search",
    }
    _add_decisions(request, services, viewer, record, data, context)
    return render(request, "document.html", context, data)


def _add_decisions(
    request: Request, services: Services, viewer: Viewer, record: DocumentRecord,
    data: dict[str, Any], context: dict[str, Any],
) -> None:  # fmt: skip
    """The access decision and re-scan merge offered on the page (see :mod:`web.decisions`)."""
    decision = decision_context(services, viewer, record.id, request.query_params)
    data["decision"] = context["decision"] = decision


@router.get("/documents/{doc_id}/original")
def download_original(
    request: Request, doc_id: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    record = visible_document(request, viewer, doc_id, "download_original")
    path = _original(document_dir(services, record))
    if path is None:
        raise HTTPException(404, "Berkas asli tidak ditemukan di arsip.")
    return FileResponse(
        path, media_type=record.mime, filename=record.source_name, headers=_file_headers(record)
    )


@router.get("/documents/{doc_id}/searchable.pdf")
def download_searchable(
    request: Request, doc_id: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    record = visible_document(request, viewer, doc_id, "download_searchable")
    path = _searchable(document_dir(services, record))
    if path is None:
        raise HTTPException(404, "Dokumen ini tidak memiliki PDF yang dapat dicari.")
    name = Path(record.source_name).stem + "-dapat-dicari.pdf"
    return FileResponse(
        path, media_type="application/pdf", filename=name, headers=_file_headers(record)
    )


@router.get("/documents/{doc_id}/pages/{page:int}.png")
def thumbnail(
    request: Request,
    doc_id: str,
    page: int,
    services: ServicesDep,
    viewer: ViewerDep,
    size: str = "s",
) -> Response:
    if size not in THUMB_WIDTHS:
        raise HTTPException(404, NOT_FOUND)
    record = visible_document(request, viewer, doc_id, "thumbnail")
    if not 1 <= page <= record.pages:
        raise HTTPException(404, "Halaman tidak ada.")
    directory = document_dir(services, record)
    source = _searchable(directory) or _original(directory)
    if source is None or not can_preview(source):
        raise HTTPException(404, "Tidak ada pratinjau untuk berkas ini.")
    width = THUMB_WIDTHS[size]
    cached = services.settings.layout.cache / "thumbs" / record.id / f"page-{page}-{width}.png"
    if not cached.exists():
        _render_bounded(services, source, page, cached, width)
    return FileResponse(cached, media_type="image/png", headers=_file_headers(record))


def _render_bounded(services: Services, source: Path, page: int, cached: Path, width: int) -> None:
    """Render in one of the few render slots; a request that waits too long is told to
    come back (503) rather than queueing without end."""
    if not services.render_slots.acquire(timeout=RENDER_WAIT_SECONDS):
        raise HTTPException(
            503,
            "Server sedang sibuk membuat pratinjau. Coba lagi sebentar lagi.",
            headers={"Retry-After": "5"},
        )
    try:
        if not cached.exists():  # made by the request this one waited for
            render_thumbnail(source, page, cached, width)
    except TaskError as exc:
        raise HTTPException(404, "Pratinjau halaman tidak dapat dibuat.") from exc
    finally:
        services.render_slots.release()


@router.post("/documents/{doc_id}/hardcopy")
def set_hardcopy(
    request: Request,
    doc_id: str,
    services: ServicesDep,
    viewer: CheckedViewerDep,
    room: Annotated[str, Form(max_length=200)] = "",
    cabinet: Annotated[str, Form(max_length=200)] = "",
    box: Annotated[str, Form(max_length=200)] = "",
    folder: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    record = visible_document(request, viewer, doc_id, None)
    require_role(viewer, CAN_EDIT_HARDCOPY, "mengubah lokasi arsip fisik")
    try:
        location = HardcopyLocation.clean(room=room, cabinet=cabinet, box=box, folder=folder)
    except InvalidLocation as exc:
        raise HTTPException(422, f"Lokasi tidak valid: {exc}") from exc
    # Records its own hardcopy_location event (before and after) when it changed.
    services.hardcopy.set(record.id, location, Actor(viewer.username, viewer.role))
    if wants_json(request):
        return JSONResponse({"id": record.id, "hardcopy": location.to_json()})
    return RedirectResponse(f"/documents/{record.id}?disimpan=1#lokasi", status_code=303)
