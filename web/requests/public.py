"""The public side: the request form (no sign-in) and the status page.

The form is protected like the sign-in form (a pre-session cookie and a hidden HMAC of
it) and rate-limited per address; the status page answers a tracking code with the
request's state and nothing else: no number (it would count the office's requests),
no name, no date, no document. An unknown code reads the same for every code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from archive.rate_limits import RateEvents
from archive.requests import PUBLIC_ACTOR, PUBLIC_STATUS, Intake, Requester, RequestError
from flows.app.requests import record_request
from web.deps import FORM_BODY_LIMIT, client_of, get_services, render, wants_json
from web.requests.common import register_of, today
from web.security import tokens_match

router = APIRouter()
PRE_COOKIE = "arsip_permohonan"
SUBMITS_PER_HOUR = 5  # per address: a person files a few requests, a script many
LOOKUPS_PER_10_MIN = 20


class RateLimit:
    """At most ``limit`` events per ``window`` seconds per key (sliding window), counted
    in the catalog's database (``scope`` names this limit there), so every web worker
    counts the same events; events older than the window are deleted as new ones come."""

    def __init__(
        self,
        scope: str,
        limit: int,
        window: float,
        store: RateEvents,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scope, self.limit, self.window, self.clock = scope, limit, window, clock
        self.store = store

    def allow(self, key: str) -> int | None:
        """None when allowed (and counted), else the seconds to wait."""
        return self.store.allow(self.scope, key, self.limit, self.window, self.clock())


def install_limits(state: object) -> None:
    store = RateEvents(state.services.catalog.engine)  # type: ignore[attr-defined]
    state.request_submit_limit = RateLimit("request_submit", SUBMITS_PER_HOUR, 3600, store)  # type: ignore[attr-defined]
    state.request_lookup_limit = RateLimit("request_lookup", LOOKUPS_PER_10_MIN, 600, store)  # type: ignore[attr-defined]


def _token(request: Request, pre: str) -> str:
    secret = get_services(request).form_secret
    return hmac.new(secret, b"permohonan:" + pre.encode(), hashlib.sha256).hexdigest()


def _page(
    request: Request,
    template: str,
    context: Mapping[str, object],
    data: object,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    pre = request.cookies.get(PRE_COOKIE)
    fresh = not pre or len(pre) > 128
    pre = secrets.token_urlsafe(32) if fresh or pre is None else pre
    full = {"nav": "permohonan", "form_token": _token(request, pre), **context}
    response = render(request, template, full, data, status, headers)
    if fresh:
        secure = get_services(request).web.secure_cookies
        response.set_cookie(
            PRE_COOKIE, pre, httponly=True, samesite="strict", secure=secure, path="/permohonan"
        )
    return response


async def _checked_form(request: Request) -> dict[str, str]:
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, "Panjang isi permintaan harus disebutkan.")
    if int(length) > FORM_BODY_LIMIT:
        raise HTTPException(413, "Isi formulir terlalu besar.")
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    pre = request.cookies.get(PRE_COOKIE, "")
    if not pre or not tokens_match(values.get("csrf_token"), _token(request, pre)):
        raise HTTPException(403, "Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
    return values


async def _limited(request: Request, limit: RateLimit) -> Response | None:
    # A database write: on the thread pool, not in the event loop.
    wait = await run_in_threadpool(limit.allow, client_of(request)[0])
    if wait is None:
        return None
    minutes = max(1, -(-wait // 60))
    message = f"Terlalu banyak permintaan dari alamat ini. Coba lagi dalam {minutes} menit."
    context = {"title": "Kesalahan", "message": message, "status": 429}
    return render(
        request, "error.html", context, {"error": message}, 429, {"Retry-After": str(wait)}
    )


@router.get("/permohonan")
def public_form(request: Request) -> Response:
    context: dict[str, object] = {"title": "Permohonan Informasi Publik", "values": {}}
    return _page(request, "requests/public_form.html", context, {"fields": list(_FIELDS)})


_FIELDS = ("name", "contact", "identity_number", "subject", "purpose")


@router.post("/permohonan")
async def public_submit(request: Request) -> Response:
    values = await _checked_form(request)
    refused = await _limited(request, request.app.state.request_submit_limit)
    if refused is not None:
        return refused
    services = get_services(request)
    day: date = today(request)
    intake = Intake(
        Requester(
            values.get("name", ""), values.get("contact", ""), values.get("identity_number", "")
        ),
        "web",
        values.get("subject", ""),
        values.get("purpose", ""),
        day,
    )
    try:
        done = await run_in_threadpool(
            record_request, services.settings, register_of(request), PUBLIC_ACTOR, intake, None, day
        )
    except RequestError as exc:
        kept = {k: values.get(k, "") for k in _FIELDS}
        context = {"title": "Permohonan Informasi Publik", "values": kept, "error": str(exc)}
        return _page(request, "requests/public_form.html", context, {"error": str(exc)}, 422)
    services.runner.request()
    data = {"tracking_code": done.tracking_code}
    if wants_json(request):
        return JSONResponse(data, status_code=201)
    context = {"title": "Permohonan Terkirim", "code": done.tracking_code}
    return _page(request, "requests/public_done.html", context, data, 201)


@router.get("/permohonan/status")
def status_form(request: Request) -> Response:
    context = {"title": "Status Permohonan", "status": None, "label": None, "asked": False}
    return _page(request, "requests/public_status.html", context, {"status": None})


@router.post("/permohonan/status.json")
@router.post("/permohonan/status")
async def status_lookup(request: Request) -> Response:
    values = await _checked_form(request)
    refused = await _limited(request, request.app.state.request_lookup_limit)
    if refused is not None:
        return refused
    code = values.get("code", "")[:64]
    status = register_of(request).public_status(code) if code.strip() else None
    label = PUBLIC_STATUS.get(status) if status else None
    context = {"title": "Status Permohonan", "status": status, "label": label, "asked": True}
    return _page(
        request, "requests/public_status.html", context, {"status": status, "label": label}
    )
