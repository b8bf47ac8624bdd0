"""One request's page (details, deadline, documents with what an answer would do to each,
archive search to attach from, objections, history), its answer page (the DIK entry and
consequence test of each refused document, the letter's preview) and the steps on its
documents, deadline and answer (the objection steps: ``web.requests.objections``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from archive.requests import AnswerPlan, InfoRequest, RequestError
from archive.vocabulary import CAN_ANSWER_REQUESTS, CAN_DECIDE_OBJECTIONS, CAN_RECORD_REQUESTS
from flows.app.indexing import text_loader
from flows.app.request_pdf import render_letter
from flows.app.requests import answer_request, letter_file
from index import IndexMissing, IndexOutdated, QueryError, SearchResults, search
from web import labels
from web.deps import DOC_ID, CheckedViewerDep, Viewer, ViewerDep, render
from web.requests.common import (
    EVENT_NAMES,
    actor,
    due_state,
    form_text,
    refusal,
    register_of,
    shown,
    step_done,
    today,
    visible_request,
)

router = APIRouter()
SEARCH_PAGE = 10


def _search(
    request: Request, viewer: Viewer, query: str
) -> tuple[SearchResults | None, str | None]:
    """The archive's search with the viewer's access filter, as on the search page."""
    if not query:
        return None, None
    services = request.app.state.services
    layout = services.settings.layout
    try:
        found = search(
            layout.index,
            query[:500],
            visible=viewer.visible,
            page_size=SEARCH_PAGE,
            text_loader=text_loader(layout, services.catalog),
        )
    except QueryError as exc:
        return None, labels.query_error(exc.code, exc.params)
    except (IndexMissing, IndexOutdated):
        return None, "Indeks pencarian belum tersedia."
    return found, None


def _attach_search(request: Request, viewer: Viewer) -> tuple[dict[str, Any], list[Any]]:
    """The page's archive search to attach documents from: its part of the page's context,
    and its hits for the JSON twin."""
    query = request.query_params.get("q", "").strip()
    hits, search_error = _search(request, viewer, query)
    found = [h.to_json() for h in hits.hits] if hits else []
    return {"hits": hits, "query": query, "search_error": search_error}, found


def _answerable(request: Request, req: InfoRequest) -> bool:
    register = register_of(request)
    if req.status == "diproses":
        return True
    kinds = [
        e.kind for e in register.events(req.id) if e.kind in ("dijawab", "keberatan_dikabulkan")
    ]
    return bool(kinds) and kinds[-1] == "keberatan_dikabulkan"


def _formulir(request: Request, viewer: Viewer, req: InfoRequest) -> dict[str, Any]:
    doc_id = req.formulir_document_id
    if doc_id is None:
        return {"state": "tidak_ada"}
    record = request.app.state.services.catalog.get(doc_id)
    if record is None:
        return {"state": "menunggu", "id": doc_id}
    return {"state": "diarsipkan" if record.access in viewer.visible else "terbatas", "id": doc_id}


def _plan_json(plan: AnswerPlan) -> dict[str, Any]:
    """The answer plan as the request page's and the answer page's JSON twins give it."""
    return {
        "digest": plan.digest(),
        "outcome": plan.outcome,
        "problems": plan.problems,
        "dispositions": [d.to_json() for d in plan.dispositions],
    }


def _actions(request: Request, viewer: Viewer, req: InfoRequest, day: date) -> dict[str, bool]:
    """Whether the request is open for an answer, and which steps the viewer's role may
    take on it now (the page's forms)."""
    answerable = _answerable(request, req)
    role = viewer.role
    return {
        "answerable": answerable,
        "can_record": role in CAN_RECORD_REQUESTS and answerable,
        "can_answer": role in CAN_ANSWER_REQUESTS and answerable,
        "can_extend": role in CAN_ANSWER_REQUESTS
        and req.status == "diproses"
        and req.extended_due_on is None
        and day <= req.due_on,
        "can_object": role in CAN_RECORD_REQUESTS
        and req.open_objection is None
        and (req.status == "dijawab" or day > req.deadline),
        "can_decide": role in CAN_DECIDE_OBJECTIONS,
        "can_dispute": role in CAN_RECORD_REQUESTS,
    }


@router.get("/requests/{request_id:int}.json")
@router.get("/requests/{request_id:int}")
def request_page(request: Request, request_id: int, viewer: ViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    register = register_of(request)
    day = today(request)
    state, left = due_state(register, req, day)
    plan = register.plan(req.id)
    search_part, hits_json = _attach_search(request, viewer)
    events = register.events(req.id)
    doubtful = register.calendar.doubtful_years([req.received_on, req.deadline])
    seen = shown(request, viewer, req, read=True)
    data = seen.to_json() | {
        "due_state": state,
        "working_days_left": left,
        "doubtful_years": doubtful,
        "plan": _plan_json(plan),
        "events": [e.to_json() for e in events],
        "hits": hits_json,
    }
    context = {
        "title": f"Permohonan {req.number}",
        "req": seen,
        "state": state,
        "left": left,
        "plan": plan,
        "events": events,
        "answers": [e for e in events if e.kind == "dijawab"],
        "event_names": EVENT_NAMES,
        **search_part,
        "doubtful": doubtful,
        "formulir": _formulir(request, viewer, req),
        **_actions(request, viewer, req, day),
        "attached": {a.document_id for a in req.attachments},
        "reasons": register.rules.objection_reasons,
        "today": day,
        "ok": request.query_params.get("ok"),
        "error": request.query_params.get("error"),
        "nav": "requests",
    }
    return render(request, "requests/request.html", context, data)


@router.post("/requests/{request_id:int}/documents")
async def attach(request: Request, request_id: int, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    form = await request.form()
    ids = [str(v) for v in form.getlist("documents")] + form_text(form, "document_ids").split()
    if not ids or not all(DOC_ID.fullmatch(i) for i in ids):
        raise HTTPException(422, "Pilih dokumen yang akan dilampirkan (nomor 16 karakter).")
    try:
        done = register_of(request).attach(req.id, actor(viewer), ids)
    except RequestError as exc:
        raise refusal(exc) from exc
    return step_done(request, done, "dilampirkan")


@router.post("/requests/{request_id:int}/documents/{doc_id}/detach")
def detach(request: Request, request_id: int, doc_id: str, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    try:
        done = register_of(request).detach(req.id, actor(viewer), doc_id)
    except RequestError as exc:
        raise refusal(exc) from exc
    return step_done(request, done, "dilepas")


@router.post("/requests/{request_id:int}/extend")
async def extend(request: Request, request_id: int, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    form = await request.form()
    try:
        done = register_of(request).extend(
            req.id, actor(viewer), form_text(form, "reason"), today=today(request)
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return step_done(request, done, "diperpanjang")


@router.get("/requests/{request_id:int}/answer.json")
@router.get("/requests/{request_id:int}/answer")
def answer_page(request: Request, request_id: int, viewer: ViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    register = register_of(request)
    plan = register.plan(req.id)
    data = {
        "id": req.id,
        "number": req.number,
        **_plan_json(plan),
        "citations": [c.to_json() for c in plan.citations()],
    }
    context = {
        "title": f"Jawab {req.number}",
        "req": shown(request, viewer, req),
        "plan": plan,
        "can_answer": viewer.role in CAN_ANSWER_REQUESTS and _answerable(request, req),
        "nav": "requests",
    }
    return render(request, "requests/answer.html", context, data)


@router.get("/requests/{request_id:int}/answer/preview.pdf")
async def letter_preview(request: Request, request_id: int, viewer: ViewerDep) -> Response:
    """The letter the answer would make now (not stored; the answer stores its own)."""
    req = visible_request(request, viewer, request_id)
    register = register_of(request)
    office = request.app.state.services.settings.office_name
    body = await run_in_threadpool(
        render_letter, office, req, register.plan(req.id), register.rules, today(request), ""
    )
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="pratinjau-surat.pdf"'},
    )


@router.post("/requests/{request_id:int}/answer")
async def answer(request: Request, request_id: int, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    form = await request.form()
    services = request.app.state.services
    try:
        done = await run_in_threadpool(
            lambda: answer_request(
                services.settings,
                services.catalog,
                register_of(request),
                actor(viewer),
                req.id,
                form_text(form, "digest"),
                form_text(form, "note"),
                not_held=bool(form.get("not_held")),
                today=today(request),
            )
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return step_done(request, done, "dijawab")


@router.get("/requests/{request_id:int}/letters/{n:int}.pdf")
def letter(request: Request, request_id: int, n: int, viewer: ViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    answers = [e for e in register_of(request).events(req.id) if e.kind == "dijawab"]
    if not 1 <= n <= len(answers):
        raise HTTPException(404, "Surat tidak ditemukan.")
    path = letter_file(request.app.state.services.settings.layout, req, answers[n - 1])
    if path is None:
        raise HTTPException(404, "Surat tidak ditemukan atau tidak cocok dengan SHA-256-nya.")
    name = f"surat-{req.number.replace('/', '-')}-{n}.pdf"
    return FileResponse(path, media_type="application/pdf", filename=name)
