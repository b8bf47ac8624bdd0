"""The staff web app: ``create_app(settings, web)`` builds it; nothing is global.

Server-rendered pages (Jinja2), each with a JSON twin; a little JavaScript (in
``static/``) for drag and drop and upload progress, none inline.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive.accounts import Accounts, KdfCost, ensure_demo_account, require_accounts
from archive.audit import AuditLog
from archive.catalog import Catalog
from archive.rate_limits import LoginAttempts
from archive.vocabulary import (
    ACCESS_LEVELS,
    CAN_CORRECT,
    CAN_EDIT_HARDCOPY,
    CAN_READ_AUDIT,
    CAN_UPLOAD,
)
from flows.app.custody import IndexedHardcopy
from flows.app.publish import TEMPLATES as PUBLISH_TEMPLATES
from flows.app.uploads import UploadTracker
from flows.settings import Settings, WebSettings
from index import SearchIndexError, search
from tasks.text.classify import load_rules
from web import auditlog, auth, custody, documents, exemptions, labels, requests, review, upload
from web import search as search_routes
from web.deps import RENDER_SLOTS, NotSignedIn, Services, render, wants_json
from web.runner import IngestRunner
from web.security import ForwardedFor, LoginLimiter, SecurityHeaders

log = logging.getLogger("arsip.web")
# How a server must run the app: its own X-Forwarded-For handling off (uvicorn believes
# 127.0.0.1 by default); ForwardedFor decides from ``trusted_proxies`` alone.
PROXY_HEADERS = False
HERE = Path(__file__).resolve().parent


def ensure_accounts(accounts: Accounts, web: WebSettings) -> str | None:
    """Refuse to run without accounts, unless demo mode: then make one with a random
    password and return it (it is shown once, by ``arsip serve``)."""
    if not web.demo:
        require_accounts(accounts)
        return None
    return ensure_demo_account(accounts)


def _templates(web: WebSettings) -> Jinja2Templates:
    # The public DIK table is the published file's too: one template, owned by publish.
    templates = Jinja2Templates(directory=[str(HERE / "templates"), str(PUBLISH_TEMPLATES)])
    zone = ZoneInfo(web.timezone)
    env = templates.env
    can = {
        "upload": CAN_UPLOAD,
        "correct": CAN_CORRECT,
        "hardcopy": CAN_EDIT_HARDCOPY,
        "audit": CAN_READ_AUDIT,
    }
    env.globals.update(office_name=web.office_name, labels=labels, can=can)
    env.filters.update(
        tanggal=labels.tanggal,
        waktu=partial(labels.waktu, zone=zone),
        doc_type=partial(labels.label, labels.DOC_TYPES),
        access=partial(labels.label, labels.ACCESS),
        flag=partial(labels.label, labels.FLAGS),
        role=partial(labels.label, labels.ROLES),
        event_kind=partial(labels.label, labels.EVENT_KINDS),
        audit_action=partial(labels.label, labels.AUDIT_ACTIONS),
        upload_status=partial(labels.label, labels.UPLOAD_STATUS),
        text_source=partial(labels.label, labels.TEXT_SOURCES),
        event_details=labels.event_details,
        outcome=partial(labels.label, labels.OUTCOMES),
    )
    return templates


def build_services(
    settings: Settings,
    web: WebSettings,
    *,
    kdf: KdfCost | None = None,
    runner: IngestRunner | None = None,
) -> Services:
    settings.layout.ensure()
    catalog = Catalog(settings.catalog_url)
    rules = load_rules()
    secret = web.session_secret.get_secret_value().encode() if web.session_secret else None
    services = Services(
        settings=settings,
        web=web,
        catalog=catalog,
        # One engine for all tables: same file, same SQLite pragmas (WAL, busy timeout).
        accounts=Accounts(catalog.engine, kdf),
        audit=AuditLog(catalog.engine),
        hardcopy=IndexedHardcopy(settings.layout, catalog),
        runner=runner or IngestRunner(settings.layout.home),
        uploads=UploadTracker(settings.layout),
        limiter=LoginLimiter(
            web.login_max_failures, web.login_window_minutes * 60, LoginAttempts(catalog.engine)
        ),
        templates=_templates(web),
        doc_types=(*rules.labels, rules.fallback),
        zone=ZoneInfo(web.timezone),
        form_secret=secret or secrets.token_bytes(32),
        # The slots are per process: with N web workers, N times as many previews at once.
        render_slots=threading.BoundedSemaphore(max(1, RENDER_SLOTS // settings.web_workers)),
    )
    auth.remember_sign_ins(services.limiter, services.audit)
    return services


def create_app(
    settings: Settings,
    web: WebSettings | None = None,
    *,
    kdf: KdfCost | None = None,
    runner: IngestRunner | None = None,
) -> FastAPI:
    """``kdf`` lowers the password-hashing cost (tests only); ``runner`` starts the ingest
    runs that uploads ask for (default: ``arsip ingest`` with this process's environment;
    tests pass one whose environment points at their Prefect server)."""
    web = web or settings.web
    services = build_services(settings, web, kdf=kdf, runner=runner)
    demo_password = ensure_accounts(services.accounts, web)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        services.runner.close()
        services.catalog.close()

    app = FastAPI(
        title=web.office_name, lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.services = services
    app.state.demo_password = demo_password
    app.add_middleware(SecurityHeaders, hsts=web.secure_cookies)
    if web.trusted_proxies.strip():
        app.add_middleware(ForwardedFor, trusted=web.trusted_proxies)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _add_handlers(app)
    for module in (auth, search_routes, documents, upload, review, auditlog, custody):
        app.include_router(module.router)
    exemptions.install(app)  # the register, its steps, the public DIK
    requests.install(app)  # information requests: desk, answers, objections, public form
    app.add_api_route("/healthz", healthz, methods=["GET"])
    app.add_api_route("/", home, methods=["GET"])
    return app


def home() -> Response:
    return RedirectResponse("/search", status_code=303)


def healthz(request: Request) -> Response:
    """Answers without sign-in: is the catalog reachable, is there an index to search."""
    services: Services = request.app.state.services
    try:
        services.catalog.get("0" * 16)
        catalog_ok = True
    except Exception:
        log.exception("healthz: catalog unreachable")
        catalog_ok = False
    try:
        search(services.settings.layout.index, "", visible=frozenset(ACCESS_LEVELS), page_size=1)
        index_ok = True
    except SearchIndexError:
        index_ok = False
    status = "ok" if catalog_ok and index_ok else "degraded"
    body = {"status": status, "catalog": catalog_ok, "index": index_ok}
    return JSONResponse(body, status_code=200 if catalog_ok else 503)


def _add_handlers(app: FastAPI) -> None:
    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        if wants_json(request):
            return JSONResponse({"error": "Silakan masuk terlebih dahulu."}, status_code=401)
        if request.method != "GET":
            return RedirectResponse("/login", status_code=303)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "Terjadi kesalahan."
        if exc.status_code == 404 and message == "Not Found":
            message = "Halaman tidak ditemukan."
        if exc.status_code == 405:
            message = "Metode tidak diizinkan."
        context = {"title": "Kesalahan", "message": message, "status": exc.status_code}
        status = exc.status_code
        return render(request, "error.html", context, {"error": message}, status, exc.headers)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        message = "Permintaan tidak valid."
        context = {"title": "Kesalahan", "message": message, "status": 422}
        return render(request, "error.html", context, {"error": message}, 422)

    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
