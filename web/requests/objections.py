"""The objection steps posted from a request's page: filing an objection, the Atasan
PPID's decision on it, and the dispute taken to the Komisi Informasi."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from archive.requests import InfoRequest, RequestError
from web.deps import CheckedViewerDep
from web.requests.common import (
    actor,
    form_date,
    form_text,
    refusal,
    register_of,
    step_done,
    today,
    visible_request,
)

router = APIRouter()


def _require_objection(req: InfoRequest, objection_id: int) -> None:
    if objection_id not in {o.id for o in req.objections}:
        raise HTTPException(404, "Keberatan tidak ditemukan.")


@router.post("/requests/{request_id:int}/objections")
async def file_objection(request: Request, request_id: int, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    form = await request.form()
    day = today(request)
    try:
        done = register_of(request).file_objection(
            req.id,
            actor(viewer),
            form_text(form, "reason"),
            form_text(form, "statement"),
            form_date(form, "filed_on", day),
            today=day,
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return step_done(request, done, "keberatan_diajukan")


@router.post("/requests/{request_id:int}/objections/{objection_id:int}/decide")
async def decide(
    request: Request, request_id: int, objection_id: int, viewer: CheckedViewerDep
) -> Response:
    req = visible_request(request, viewer, request_id)
    _require_objection(req, objection_id)
    form = await request.form()
    try:
        done = register_of(request).decide_objection(
            objection_id,
            actor(viewer),
            form_text(form, "decision"),  # type: ignore[arg-type]
            form_text(form, "reasons"),
            form_date(form, "decided_on", today(request)),
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return step_done(request, done, "keberatan_diputus")


@router.post("/requests/{request_id:int}/objections/{objection_id:int}/dispute")
async def dispute(
    request: Request, request_id: int, objection_id: int, viewer: CheckedViewerDep
) -> Response:
    req = visible_request(request, viewer, request_id)
    _require_objection(req, objection_id)
    form = await request.form()
    try:
        done = register_of(request).record_dispute(
            objection_id,
            actor(viewer),
            form_text(form, "ki_number"),
            form_date(form, "ki_filed_on", today(request)),
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return step_done(request, done, "sengketa_ki")
