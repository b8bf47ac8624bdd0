"""One request's page (details, deadline, documents with what an answer would do to each,
archive search to attach from, objections, history), its answer page (the DIK entry and
consequence test of each refused document, the letter's preview) and the steps."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response

from archive.requests import InfoRequest, RequestError
from archive.vocabulary import CAN_ANSWER_REQUESTS, CAN_DECIDE_OBJECTIONS, CAN_RECORD_REQUESTS
from flows.app.indexing import text_loader
from flows.app.request_pdf import render_letter
from flows.app.requests import answer_request, letter_file
from index import IndexMissing, IndexOutdated, QueryError, SearchResults, search
from web import labels
from web.deps import DOC_ID, CheckedViewerDep, Viewer, ViewerDep, render, wants_json
from web.requests.common import (
    EVENT_NAMES,
    actor,
    due_state,
    refusal,
    register_of,
    shown,
    today,
    visible_request,
)
from web.requests.desk import back_to

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


@router.get("/requests/{request_id:int}.json")
@router.get("/requests/{request_id:int}")
def request_page(request: Request, request_id: int, viewer: ViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    register = register_of(request)
    day = today(request)
    state, left = due_state(register, req, day)
    plan = register.plan(req.id)
    query = request.query_params.get("q", "").strip()
    hits, search_error = _search(request, viewer, query)
    events = register.events(req.id)
    answers = [e for e in events if e.kind == "dijawab"]
    doubtful = register.calendar.doubtful_years([req.received_on, req.deadline])
    seen = shown(request, viewer, req, read=True)
    data = seen.to_json() | {
        "due_state": state,
        "working_days_left": left,
        "doubtful_years": doubtful,
        "plan": {
            "digest": plan.digest(),
            "outcome": plan.outcome,
            "problems": plan.problems,
            "dispositions": [d.to_json() for d in plan.dispositions],
        },
        "events": [e.to_json() for e in events],
        "hits": [h.to_json() for h in hits.hits] if hits else [],
    }
    answerable = _answerable(request, req)
    context = {
        "title": f"Permohonan {req.number}",
        "req": seen,
        "state": state,
        "left": left,
        "plan": plan,
        "events": events,
        "answers": answers,
        "event_names": EVENT_NAMES,
        "hits": hits,
        "query": query,
        "search_error": search_error,
        "doubtful": doubtful,
        "formulir": _formulir(request, viewer, req),
        "answerable": answerable,
        "attached": {a.document_id for a in req.attachments},
        "can_record": viewer.role in CAN_RECORD_REQUESTS and answerable,
        "can_answer": viewer.role in CAN_ANSWER_REQUESTS and answerable,
        "can_extend": viewer.role in CAN_ANSWER_REQUESTS
        and req.status == "diproses"
        and req.extended_due_on is None
        and day <= req.due_on,
        "can_object": viewer.role in CAN_RECORD_REQUESTS
        and req.open_objection is None
        and (req.status == "dijawab" or day > req.deadline),
        "can_decide": viewer.role in CAN_DECIDE_OBJECTIONS,
        "can_dispute": viewer.role in CAN_RECORD_REQUESTS,
        "reasons": register.rules.objection_reasons,
        "today": day,
        "ok": request.query_params.get("ok"),
        "error": request.query_params.get("error"),
        "nav": "requests",
    }
    return render(request, "requests/request.html", context, data)


def _form_text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _date(form: Any, name: str, default: date) -> date:
    try:
        return date.fromisoformat(_form_text(form, name)) if _form_text(form, name) else default
    except ValueError:
        raise HTTPException(422, "Tanggal tidak valid.") from None


def _done(request: Request, req: InfoRequest, ok: str) -> Response:
    if wants_json(request):
        return JSONResponse({"id": req.id, "status": req.status, "outcome": req.outcome})
    return back_to(req.id, ok)


@router.post("/requests/{request_id:int}/documents")
async def attach(request: Request, request_id: int, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    form = await request.form()
    ids = [str(v) for v in form.getlist("documents")] + _form_text(form, "document_ids").split()
    if not ids or not all(DOC_ID.fullmatch(i) for i in ids):
        raise HTTPException(422, "Pilih dokumen yang akan dilampirkan (nomor 16 karakter).")
    try:
        done = register_of(request).attach(req.id, actor(viewer), ids)
    except RequestError as exc:
        raise refusal(exc) from exc
    return _done(request, done, "dilampirkan")


@router.post("/requests/{request_id:int}/documents/{doc_id}/detach")
def detach(request: Request, request_id: int, doc_id: str, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    try:
        done = register_of(request).detach(req.id, actor(viewer), doc_id)
    except RequestError as exc:
        raise refusal(exc) from exc
    return _done(request, done, "dilepas")


@router.post("/requests/{request_id:int}/extend")
async def extend(request: Request, request_id: int, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    form = await request.form()
    try:
        done = register_of(request).extend(
            req.id, actor(viewer), _form_text(form, "reason"), today=today(request)
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return _done(request, done, "diperpanjang")


@router.get("/requests/{request_id:int}/answer.json")
@router.get("/requests/{request_id:int}/answer")
def answer_page(request: Request, request_id: int, viewer: ViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    register = register_of(request)
    plan = register.plan(req.id)
    data = {
        "id": req.id,
        "number": req.number,
        "digest": plan.digest(),
        "outcome": plan.outcome,
        "problems": plan.problems,
        "dispositions": [d.to_json() for d in plan.dispositions],
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
                _form_text(form, "digest"),
                _form_text(form, "note"),
                not_held=bool(form.get("not_held")),
                today=today(request),
            )
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return _done(request, done, "dijawab")


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


@router.post("/requests/{request_id:int}/objections")
async def file_objection(request: Request, request_id: int, viewer: CheckedViewerDep) -> Response:
    req = visible_request(request, viewer, request_id)
    form = await request.form()
    day = today(request)
    try:
        done = register_of(request).file_objection(
            req.id,
            actor(viewer),
            _form_text(form, "reason"),
            _form_text(form, "statement"),
            _date(form, "filed_on", day),
            today=day,
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return _done(request, done, "keberatan_diajukan")


@router.post("/requests/{request_id:int}/objections/{objection_id:int}/decide")
async def decide(
    request: Request, request_id: int, objection_id: int, viewer: CheckedViewerDep
) -> Response:
    req = visible_request(request, viewer, request_id)
    if objection_id not in {o.id for o in req.objections}:
        raise HTTPException(404, "Keberatan tidak ditemukan.")
    form = await request.form()
    try:
        done = register_of(request).decide_objection(
            objection_id,
            actor(viewer),
            _form_text(form, "decision"),  # type: ignore[arg-type]
            _form_text(form, "reasons"),
            _date(form, "decided_on", today(request)),
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return _done(request, done, "keberatan_diputus")


@router.post("/requests/{request_id:int}/objections/{objection_id:int}/dispute")
async def dispute(
    request: Request, request_id: int, objection_id: int, viewer: CheckedViewerDep
) -> Response:
    req = visible_request(request, viewer, request_id)
    if objection_id not in {o.id for o in req.objections}:
        raise HTTPException(404, "Keberatan tidak ditemukan.")
    form = await request.form()
    try:
        done = register_of(request).record_dispute(
            objection_id,
            actor(viewer),
            _form_text(form, "ki_number"),
            _date(form, "ki_filed_on", today(request)),
        )
    except RequestError as exc:
        raise refusal(exc) from exc
    return _done(request, done, "sengketa_ki")
