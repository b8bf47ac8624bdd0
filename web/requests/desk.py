"""The desk: the request list with due-date colours, the intake form (with the scanned
formulir, if the requester brought one) and the yearly report (HTML, CSV, PDF, JSON)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData, UploadFile

from archive.requests import CHANNEL_NAMES, Intake, Requester, RequestError, report_csv
from archive.vocabulary import CAN_RECORD_REQUESTS
from flows.app.request_pdf import render_report
from flows.app.requests import record_request
from web.deps import FORM_BODY_LIMIT, ServicesDep, Viewer, ViewerDep, render, wants_json
from web.requests.common import (
    actor,
    due_state,
    register_of,
    require_requests,
    shown,
    summary_json,
    today,
)
from web.security import tokens_match

router = APIRouter()
DESK_CHANNELS = ("langsung", "surat", "surel")  # the web form files its own requests
STATUSES = {"diproses": ["diproses"], "dijawab": ["dijawab"], "semua": None}


@router.get("/requests.json")
@router.get("/requests")
def request_list(request: Request, viewer: ViewerDep) -> Response:
    require_requests(viewer)
    register = register_of(request)
    status = request.query_params.get("status", "diproses")
    year_raw = request.query_params.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and len(year_raw) == 4 else None
    day = today(request)
    rows = []
    for req in register.requests(year=year, statuses=STATUSES.get(status, ["diproses"])):
        state, left = due_state(register, req, day)
        rows.append((shown(request, viewer, req), state, left))
    data = {
        "status": status,
        "year": year,
        "today": day.isoformat(),
        "requests": [summary_json(r, s, n) for r, s, n in rows],
    }
    context = {
        "title": "Permohonan Informasi",
        "rows": rows,
        "status": status,
        "year": year,
        "can_record": viewer.role in CAN_RECORD_REQUESTS,
        "nav": "requests",
        "ok": request.query_params.get("ok"),
    }
    return render(request, "requests/list.html", context, data)


def _form_page(
    request: Request, values: dict[str, Any], error: str | None = None, status: int = 200
) -> Response:
    context = {
        "title": "Catat Permohonan",
        "values": values,
        "error": error,
        "channels": {c: CHANNEL_NAMES[c] for c in DESK_CHANNELS},
        "nav": "requests",
    }
    return render(request, "requests/new.html", context, {"error": error}, status)


@router.get("/requests/new")
def new_form(request: Request, viewer: ViewerDep) -> Response:
    require_requests(viewer)
    if viewer.role not in CAN_RECORD_REQUESTS:
        raise HTTPException(403, "Peran Anda tidak dapat mencatat permohonan.")
    return _form_page(request, {"channel": "langsung", "received_on": today(request).isoformat()})


async def upload_viewer(request: Request, viewer: ViewerDep, services: ServicesDep) -> Viewer:
    """The CSRF-checked viewer of the intake form, whose body may carry one scan."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, "Panjang isi permintaan harus disebutkan.")
    if int(length) > FORM_BODY_LIMIT + services.settings.limits.max_bytes:
        raise HTTPException(413, "Unggahan terlalu besar.")
    form = await request.form()
    given = request.headers.get("x-csrf-token") or form.get("csrf_token")
    if not tokens_match(given if isinstance(given, str) else None, viewer.csrf_token):
        raise HTTPException(403, "Token formulir tidak valid. Muat ulang halaman lalu coba lagi.")
    return viewer


def _intake(form: FormData) -> Intake:
    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    try:
        received = date.fromisoformat(text("received_on"))
    except ValueError:
        received = date.min  # refused by the register with its own message
    channel = text("channel") if text("channel") in DESK_CHANNELS else "langsung"
    requester = Requester(text("name"), text("contact"), text("identity_number"))
    return Intake(requester, channel, text("subject"), text("purpose"), received)  # type: ignore[arg-type]


@router.post("/requests/new")
async def record(
    request: Request, services: ServicesDep, viewer: Annotated[Viewer, Depends(upload_viewer)]
) -> Response:
    require_requests(viewer)
    form = await request.form()
    scan = form.get("formulir")
    upload = (
        (str(scan.filename), scan.file) if isinstance(scan, UploadFile) and scan.filename else None
    )
    try:
        done = await run_in_threadpool(
            record_request,
            services.settings,
            register_of(request),
            actor(viewer),
            _intake(form),
            upload,
            today(request),
        )
    except (RequestError, ValueError) as exc:
        values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
        return _form_page(request, values, str(exc), 422)
    services.runner.request()  # the formulir waits in the inbox: ingest it now
    data = {
        "id": done.request.id,
        "number": done.request.number,
        "tracking_code": done.tracking_code,
        "due_on": done.request.due_on.isoformat(),
    }
    if wants_json(request):
        return JSONResponse(data, status_code=201)
    context = {
        "title": "Permohonan Tercatat",
        "req": done.request,
        "code": done.tracking_code,
        "nav": "requests",
    }
    return render(request, "requests/recorded.html", context, data, 201)


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() and len(raw) == 4 else today(request).year


@router.get("/requests/report.json")
@router.get("/requests/report")
def report_page(request: Request, viewer: ViewerDep) -> Response:
    require_requests(viewer)
    year = _year(request)
    report = register_of(request).report(year)
    context = {
        "title": f"Laporan Layanan Informasi {year}",
        "report": report,
        "year": year,
        "nav": "requests",
    }
    return render(request, "requests/report.html", context, report.to_json())


@router.get("/requests/report.csv")
def report_csv_file(request: Request, viewer: ViewerDep) -> Response:
    require_requests(viewer)
    year = _year(request)
    body = report_csv(register_of(request).report(year)).encode("utf-8-sig")
    name = f'attachment; filename="laporan-permohonan-{year}.csv"'
    return Response(
        body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": name}
    )


@router.get("/requests/report.pdf")
async def report_pdf_file(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_requests(viewer)
    year = _year(request)
    report = register_of(request).report(year)
    body = await run_in_threadpool(
        render_report, services.settings.office_name, report, today(request)
    )
    name = f'inline; filename="laporan-permohonan-{year}.pdf"'
    return Response(body, media_type="application/pdf", headers={"Content-Disposition": name})
