"""Upload into the inbox, start an ingest run, and follow each file to its outcome; and
"Unggahan saya": every viewer's own uploads, with what became of each file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from archive.custody import CustodyError
from archive.custody.hardcopy import FIELDS
from archive.records import Actor
from archive.vocabulary import CAN_UPLOAD
from flows.app.inbox import data_root_lock, run_in_progress
from flows.app.upload_notes import UploadNote, parse_note, write_note
from flows.app.uploads import (
    FINAL,
    Batch,
    FileStatus,
    UploadedFile,
    UploadRefused,
    file_status,
    save_upload,
)
from web.deps import (
    CheckedViewerDep,
    Services,
    ServicesDep,
    Viewer,
    ViewerDep,
    render,
    require_role,
    wants_json,
)
from web.labels import UPLOAD_STATUS, label, quarantine_reason

router = APIRouter()
MINE_PAGE_SIZE = 10
NOTE_FIELDS = ("doc_type", *FIELDS, "division", "handed_over_by", "verified", "note")


@router.get("/upload.json")
@router.get("/upload")
def upload_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_role(viewer, CAN_UPLOAD, "mengunggah dokumen")
    recent = services.uploads.recent(viewer.username)
    data = {
        "max_file_mb": services.settings.max_file_mb,
        "max_files": services.web.max_upload_files,
        "runner": services.runner.status().to_json(),
        "doc_types": list(services.doc_types),
        "recent": [
            {"id": b.id, "files": len(b.files), "at": b.created_at.isoformat()} for b in recent
        ],
    }
    context = {
        "title": "Unggah Dokumen",
        "data": data,
        "recent": recent,
        "doc_types": services.doc_types,
        "nav": "upload",
    }
    return render(request, "upload.html", context, data)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _note(services: Services, viewer: Viewer, form: FormData) -> UploadNote:
    raw_when = _text(form, "handed_over_at").strip()
    try:
        when = datetime.fromisoformat(raw_when) if raw_when else None
    except ValueError:
        raise HTTPException(422, "Waktu serah terima tidak dapat dibaca.") from None
    if when is not None and when.tzinfo is None:  # datetime-local: the office's time
        when = when.replace(tzinfo=services.zone)
    values = {name: _text(form, name) for name in NOTE_FIELDS}
    try:
        return parse_note(Actor(viewer.username, viewer.role), values, services.doc_types, when)
    except CustodyError as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/upload")
async def upload(request: Request, services: ServicesDep, viewer: CheckedViewerDep) -> Response:
    require_role(viewer, CAN_UPLOAD, "mengunggah dokumen")
    form = await request.form()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        raise HTTPException(422, "Pilih setidaknya satu berkas untuk diunggah.")
    if len(files) > services.web.max_upload_files:
        raise HTTPException(
            413, f"Paling banyak {services.web.max_upload_files} berkas sekali unggah."
        )
    note = _note(services, viewer, form)  # checked before any file reaches the inbox
    batch = services.uploads.new_batch(viewer.username)
    for upload_file in files:
        batch.files.append(await run_in_threadpool(_take, services, upload_file, note))
    services.uploads.save(batch)
    if any(f.inbox_name for f in batch.files):
        services.runner.request()
    if wants_json(request):
        data = await run_in_threadpool(_batch_data, services, viewer, batch)
        return JSONResponse(data, status_code=201)
    return RedirectResponse(f"/upload/{batch.id}", status_code=303)


def _take(services: Services, upload_file: UploadFile, note: UploadNote) -> UploadedFile:
    name = str(upload_file.filename)
    layout = services.settings.layout
    try:
        path, sha = save_upload(
            layout.inbox, name, upload_file.file, services.settings.limits.max_bytes
        )
    except UploadRefused as exc:
        return UploadedFile(name, None, None, 0, None, refused=str(exc))
    known = services.catalog.find_by_sha(sha)
    if known is None and not note.is_empty():
        # Written at once: a run takes a file only after it has settled for seconds.
        write_note(layout, sha, path.name, note)
    return UploadedFile(name, path.name, sha, path.stat().st_size, known.id if known else None)


def _file_json(status: FileStatus) -> dict[str, Any]:
    data = {**status.to_json(), "label": label(UPLOAD_STATUS, status.status)}
    if status.status == "dikarantina":
        explanation, action = quarantine_reason(status.reason)
        data.update(explanation=explanation, action=action, technical=status.detail)
        data["detail"] = f"{explanation} {action}"
    return data


def _batch_data(services: Services, viewer: Viewer, batch: Batch) -> dict[str, Any]:
    runner = services.runner.status()
    layout = services.settings.layout
    # Any run holding the data root counts: one started by another web worker, by the
    # schedule or at a terminal takes the inbox too.
    running = runner.running or run_in_progress(data_root_lock(layout.home))
    statuses = [
        file_status(layout, services.catalog, f, viewer.visible, running) for f in batch.files
    ]
    return {
        "id": batch.id,
        "created_at": batch.created_at.isoformat(),
        "files": [_file_json(s) for s in statuses],
        "done": all(s.status in FINAL for s in statuses),
        "runner": runner.to_json(),
    }


@router.get("/upload/mine.json")
@router.get("/upload/mine")
def my_uploads(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    """Every role: the viewer's own uploads (none for a role that cannot upload)."""
    total = services.uploads.count(viewer.username)
    page_count = max(1, -(-total // MINE_PAGE_SIZE))
    raw = request.query_params.get("page", "1")
    page = min(int(raw), page_count) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) else 1
    batches = services.uploads.recent(viewer.username, MINE_PAGE_SIZE, (page - 1) * MINE_PAGE_SIZE)
    data = {
        "page": page,
        "page_count": page_count,
        "total": total,
        "batches": [_batch_data(services, viewer, b) for b in batches],
    }
    context = {"title": "Unggahan Saya", "data": data, "nav": "mine"}
    return render(request, "upload_mine.html", context, data)


@router.get("/upload/{batch_id}")
@router.get("/upload/{batch_id}.json")  # registered first: the route below would take ".json"
def upload_status(
    request: Request, batch_id: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    batch = services.uploads.get(batch_id, viewer.username)
    if batch is None:
        raise HTTPException(404, "Unggahan tidak ditemukan.")
    data = _batch_data(services, viewer, batch)
    context = {"title": "Proses Unggahan", "batch": batch, "data": data, "nav": "upload"}
    return render(request, "upload_status.html", context, data)
