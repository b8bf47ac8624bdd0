"""Shared by the request pages: the register on the app, who may do what, the request as
the viewer may see it (identity number masked unless the role sees restricted documents;
a read of it is audited), due-date colours and labels, and reading the steps' forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from archive.records import Actor
from archive.requests import (
    CHANNEL_NAMES,
    FORM_NAMES,
    OBJECTION_NAMES,
    OUTCOME_LABELS,
    InfoRequest,
    RequestError,
    RequestRegister,
    UnknownRequest,
    sees_personal_data,
)
from archive.vocabulary import CAN_SEE_REQUESTS
from flows.app.requests import open_register
from web.deps import Services, Viewer, audit, get_services, wants_json

NOT_FOUND = "Permohonan tidak ditemukan."
EVENT_NAMES = {
    "diterima": "Permohonan diterima",
    "formulir_ditautkan": "Formulir ditautkan",
    "dokumen_dilampirkan": "Dokumen dilampirkan",
    "dokumen_dilepas": "Dokumen dilepas",
    "diperpanjang": "Jangka waktu diperpanjang",
    "dijawab": "Dijawab (pemberitahuan tertulis)",
    "terlambat": "Melewati batas waktu",
    "keberatan_diajukan": "Keberatan diajukan",
    "keberatan_dikabulkan": "Keberatan dikabulkan",
    "keberatan_ditolak": "Keberatan ditolak",
    "sengketa_ki": "Sengketa ke Komisi Informasi",
}
# Due-date colour: the CSS classes of the outcome pills (green, amber, red, grey).
DUE_CLASSES = {
    "aman": "outcome-ok",
    "segera": "outcome-flag",
    "terlambat": "outcome-fail",
    "selesai": "outcome",
}
DUE_LABELS = {
    "aman": "sesuai jadwal",
    "segera": "segera jatuh tempo",
    "terlambat": "terlambat",
    "selesai": "selesai",
}


def register_of(request: Request) -> RequestRegister:
    """One register per app, made on first use (it reads the holiday data once)."""
    state = request.app.state
    register: RequestRegister | None = getattr(state, "request_register", None)
    if register is None:
        services = get_services(request)
        register = open_register(services.settings, services.catalog)
        state.request_register = register
    return register


def actor(viewer: Viewer) -> Actor:
    return Actor(viewer.username, viewer.role)


def require_requests(viewer: Viewer) -> None:
    if viewer.role not in CAN_SEE_REQUESTS:
        raise HTTPException(403, "Peran Anda tidak memiliki akses ke register permohonan.")


def today(request: Request) -> date:
    return get_services(request).settings.office_today()


def due_state(register: RequestRegister, req: InfoRequest, day: date) -> tuple[str, int]:
    """(state, working days left) of the answer deadline as seen on ``day``."""
    left = register.calendar.working_days_between(day, req.deadline)
    if req.status != "diproses":
        return "selesai", left
    if left < 0:
        return "terlambat", left
    return ("segera" if left <= register.rules.warn_ahead else "aman"), left


def shown(request: Request, viewer: Viewer, req: InfoRequest, *, read: bool = False) -> InfoRequest:
    """The request as this viewer may see it; ``read``: an identity number shown is audited."""
    if not sees_personal_data(viewer.role):
        return req.masked()
    if read and req.requester.identity_number:
        audit(request, viewer, "lihat_data_pemohon", None, None, permohonan=req.number)
    return req


def visible_request(request: Request, viewer: Viewer, request_id: int) -> InfoRequest:
    require_requests(viewer)
    try:
        return register_of(request).get(request_id)
    except UnknownRequest:
        raise HTTPException(404, NOT_FOUND) from None


def refusal(exc: RequestError) -> HTTPException:
    status = 403 if type(exc).__name__ == "NotAllowed" else 422
    return HTTPException(status, str(exc))


def install_filters(services: Services) -> None:
    env = services.templates.env
    env.filters.update(
        rq_channel=lambda c: CHANNEL_NAMES.get(str(c), str(c)),
        rq_outcome=lambda c: OUTCOME_LABELS.get(str(c), str(c)) if c else "—",
        rq_form=lambda c: FORM_NAMES.get(str(c), "Belum dapat dijawab"),
        rq_event=lambda c: EVENT_NAMES.get(str(c), str(c).replace("_", " ")),
        rq_objection=lambda c: OBJECTION_NAMES.get(str(c), str(c)),
        rq_due_class=lambda s: DUE_CLASSES.get(str(s), "outcome"),
        rq_due_label=lambda s: DUE_LABELS.get(str(s), str(s)),
    )
    can: dict[str, object] = dict(env.globals.get("can") or {})  # type: ignore[call-overload]
    can["requests"] = CAN_SEE_REQUESTS
    env.globals["can"] = can


def summary_json(req: InfoRequest, state: str, left: int) -> dict[str, Any]:
    return req.to_json() | {"due_state": state, "working_days_left": left}


def form_text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def form_date(form: Any, name: str, default: date) -> date:
    try:
        return date.fromisoformat(form_text(form, name)) if form_text(form, name) else default
    except ValueError:
        raise HTTPException(422, "Tanggal tidak valid.") from None


def step_done(request: Request, req: InfoRequest, ok: str) -> Response:
    """A step's answer: the request's new status (JSON), or back to its page saying ``ok``."""
    if wants_json(request):
        return JSONResponse({"id": req.id, "status": req.status, "outcome": req.outcome})
    return RedirectResponse(f"/requests/{req.id}?ok={ok}", status_code=303)
