"""Upload into the inbox, start an ingest run, and follow each file to its outcome."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from archive.vocabulary import CAN_UPLOAD
from flows.app.uploads import FINAL, Batch, UploadedFile, UploadRefused, file_status, save_upload
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
from web.labels import UPLOAD_STATUS, label

router = APIRouter()


@router.get("/upload.json")
@router.get("/upload")
def upload_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_role(viewer, CAN_UPLOAD, "mengunggah dokumen")
    recent = services.uploads.recent(viewer.username)
    data = {
        "max_file_mb": services.settings.max_file_mb,
        "max_files": services.web.max_upload_files,
        "runner": services.runner.status().to_json(),
        "recent": [
            {"id": b.id, "files": len(b.files), "at": b.created_at.isoformat()} for b in recent
        ],
    }
    context = {"title": "Unggah Dokumen", "data": data, "recent": recent, "nav": "upload"}
    return render(request, "upload.html", context, data)


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
    batch = services.uploads.new_batch(viewer.username)
    for upload_file in files:
        batch.files.append(await run_in_threadpool(_take, services, upload_file))
    if any(f.inbox_name for f in batch.files):
        services.runner.request()
    if wants_json(request):
        data = await run_in_threadpool(_batch_data, services, viewer, batch)
        return JSONResponse(data, status_code=201)
    return RedirectResponse(f"/upload/{batch.id}", status_code=303)


def _take(services: Services, upload_file: UploadFile) -> UploadedFile:
    name = str(upload_file.filename)
    limit = services.settings.limits.max_bytes
    try:
        path, sha = save_upload(services.settings.layout.inbox, name, upload_file.file, limit)
    except UploadRefused as exc:
        return UploadedFile(name, None, None, 0, None, refused=str(exc))
    known = services.catalog.find_by_sha(sha)
    return UploadedFile(name, path.name, sha, path.stat().st_size, known.id if known else None)


def _batch_data(services: Services, viewer: Viewer, batch: Batch) -> dict[str, Any]:
    runner = services.runner.status()
    layout = services.settings.layout
    statuses = [
        file_status(layout, services.catalog, f, viewer.visible, runner.running)
        for f in batch.files
    ]
    return {
        "id": batch.id,
        "created_at": batch.created_at.isoformat(),
        "files": [{**s.to_json(), "label": label(UPLOAD_STATUS, s.status)} for s in statuses],
        "done": all(s.status in FINAL for s in statuses),
        "runner": runner.to_json(),
    }


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
