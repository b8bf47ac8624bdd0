"""Signing in and out.

The sign-in form is protected like every other form: a random pre-session cookie and a
hidden field holding its HMAC. A successful sign-in always starts a new session (the
pre-session value is never promoted), failures are rate-limited per username and address.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from archive.audit import AuditEntry, AuditFilter, AuditLog
from web.deps import (
    SESSION_COOKIE,
    CheckedViewerDep,
    Services,
    ServicesDep,
    audit,
    client_of,
    render,
)
from web.security import LoginLimiter, login_form_token, safe_next, tokens_match

router = APIRouter()
PRE_COOKIE = "arsip_login"
RECENT_SIGN_INS = 20_000  # sign-ins read at start-up: the addresses staff sign in from


def remember_sign_ins(limiter: LoginLimiter, audit: AuditLog) -> None:
    """Seed the limiter's known (account, address) pairs from the audit log, so that after
    a restart junk names from the office address still cannot lock out its staff."""
    now = datetime.now(UTC)
    since = now - timedelta(seconds=limiter.REMEMBER_SECONDS)
    rows = audit.entries(AuditFilter(action="login", since=since), limit=RECENT_SIGN_INS)
    ago: dict[tuple[str, str], float] = {}
    for entry in rows:  # newest first: a pair's first row is its last sign-in
        if entry.at is not None:
            at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
            ago.setdefault((entry.username, entry.client), (now - at).total_seconds())
    limiter.remember(ago)


def _login_page(
    request: Request,
    services: Services,
    next_url: str,
    error: str | None = None,
    status: int = 200,
    notice: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    pre = request.cookies.get(PRE_COOKIE)
    fresh = not pre or len(pre) > 128
    if fresh:
        pre = secrets.token_urlsafe(32)
    assert pre is not None
    context = {
        "next": next_url,
        "form_token": login_form_token(services.form_secret, pre),
        "error": error,
        "notice": notice,
        "title": "Masuk",
    }
    response = render(request, "login.html", context, {"error": error}, status, headers)
    if fresh:
        response.set_cookie(
            PRE_COOKIE,
            pre,
            httponly=True,
            samesite="strict",
            secure=services.web.secure_cookies,
            path="/login",
        )
    return response


@router.get("/login")
def login_form(request: Request, services: ServicesDep, next: str = "/search") -> Response:
    notice = "Anda telah keluar." if request.query_params.get("keluar") else None
    return _login_page(request, services, safe_next(next), notice=notice)


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/search",
) -> Response:
    pre = request.cookies.get(PRE_COOKIE, "")
    if not pre or not tokens_match(csrf_token, login_form_token(services.form_secret, pre)):
        raise HTTPException(403, "Formulir masuk kedaluwarsa. Muat ulang halaman lalu coba lagi.")
    address, agent = client_of(request)
    username = username.strip().lower()
    target = safe_next(next)
    wait = services.limiter.retry_after(username, address)
    if wait is not None:
        minutes = max(1, -(-wait // 60))
        message = f"Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit."
        return _login_page(
            request, services, target, message, 429, headers={"Retry-After": str(wait)}
        )
    user = services.accounts.authenticate(username, password)
    if user is None:
        services.limiter.failed(username, address)
        services.audit.record(
            AuditEntry(username[:64] or "-", "-", "login_failed", None, None, address, agent)
        )
        return _login_page(request, services, target, "Nama pengguna atau kata sandi salah.", 401)
    services.limiter.succeeded(username, address)
    token, _signed_in = services.accounts.start_session(user.username, address)
    services.audit.record(AuditEntry(user.username, user.role, "login", None, None, address, agent))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=services.web.secure_cookies,
        path="/",
    )
    response.delete_cookie(PRE_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, services: ServicesDep, viewer: CheckedViewerDep) -> Response:
    services.accounts.end_session(viewer.session_token)
    audit(request, viewer, "logout")
    response = RedirectResponse("/login?keluar=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
