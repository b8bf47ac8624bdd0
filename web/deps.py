"""What every route shares: the services, the signed-in viewer, CSRF, rendering, and the
one function that decides whether a document may be shown (and audits the read)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from archive.accounts import Accounts
from archive.audit import AuditEntry, AuditLog
from archive.catalog import Catalog
from archive.custody.hardcopy import HardcopyRegister
from archive.records import DocumentRecord
from archive.vocabulary import RESTRICTED, visible_access
from flows.app.uploads import UploadTracker
from flows.settings import Settings, WebSettings
from web import security
from web.runner import IngestRunner
from web.security import LoginLimiter, tokens_match

SESSION_COOKIE = security.SESSION_COOKIE
# Ids are the first 16 hex digits of the SHA-256; anything else never reaches the catalog.
DOC_ID = re.compile(r"[0-9a-f]{16}")
NOT_FOUND = "Dokumen tidak ditemukan."
FORM_BODY_LIMIT = 1024 * 1024
RENDER_SLOTS = 2  # every form but the upload is a few fields of text
UNIT_NAMES_SECONDS = 60.0


class UnitNames:
    """The issuing units named on documents each set of access levels may see, read from
    the catalog at most once per ``ttl`` seconds: the search page offers them on every
    request, and reading them is a DISTINCT over every document. A unit filed a moment
    ago may be missing from the suggestions for that long (typing it still filters)."""

    def __init__(self, catalog: Catalog, ttl: float = UNIT_NAMES_SECONDS) -> None:
        self._catalog = catalog
        self._ttl = ttl
        self._kept: dict[frozenset[str], tuple[float, list[str]]] = {}
        self._lock = threading.Lock()

    def __call__(self, visible: frozenset[str]) -> list[str]:
        now = time.monotonic()
        kept = self._kept.get(visible)
        if kept is not None and now - kept[0] < self._ttl:
            return kept[1]
        with self._lock:  # one read at a time; the others take its result
            kept = self._kept.get(visible)
            if kept is None or now - kept[0] >= self._ttl:
                kept = self._kept[visible] = (time.monotonic(), self._catalog.units(visible))
        return kept[1]


@dataclass
class Services:
    settings: Settings
    web: WebSettings
    catalog: Catalog
    accounts: Accounts
    audit: AuditLog
    hardcopy: HardcopyRegister
    runner: IngestRunner
    uploads: UploadTracker
    limiter: LoginLimiter
    templates: Jinja2Templates
    doc_types: tuple[str, ...]
    zone: ZoneInfo
    form_secret: bytes
    # Page previews rendered at once (each a pdftoppm child or a Pillow decode); the rest
    # wait: twelve previews of one page, or many clients, never take every core.
    render_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(RENDER_SLOTS)
    )
    unit_names: UnitNames = field(init=False)

    def __post_init__(self) -> None:
        self.unit_names = UnitNames(self.catalog)

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.web.session_idle_minutes)

    @property
    def lifetime(self) -> timedelta:
        return timedelta(hours=self.web.session_lifetime_hours)


@dataclass(frozen=True)
class Viewer:
    username: str
    role: str
    csrf_token: str
    visible: frozenset[str]
    session_token: str


class NotSignedIn(Exception):
    """No valid session: pages redirect to the sign-in form, JSON answers 401."""


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def _services(request: Request) -> Services:
    # async: FastAPI runs a plain ``def`` dependency on the thread pool, a hop per request
    # for an attribute read.
    return get_services(request)


ServicesDep = Annotated[Services, Depends(_services)]


def current_viewer(request: Request, services: ServicesDep) -> Viewer:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 128:
        raise NotSignedIn
    live = services.accounts.session(token, services.idle, services.lifetime)
    if live is None:
        raise NotSignedIn
    viewer = Viewer(
        live.user.username,
        live.user.role,
        live.csrf_token,
        visible_access(live.user.role),
        token,
    )
    request.state.viewer = viewer
    return viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def _check_body_size(request: Request) -> None:
    """Refuse oversized bodies before they are parsed (and spooled to disk)."""
    services = get_services(request)
    limit = FORM_BODY_LIMIT
    if request.url.path == "/upload":
        limit += services.web.max_upload_files * services.settings.limits.max_bytes
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "Panjang isi permintaan harus disebutkan.")
    if int(length) > limit:
        raise HTTPException(413, "Unggahan terlalu besar.")


async def checked_viewer(request: Request, viewer: ViewerDep) -> Viewer:
    """The viewer of a POST whose form (or X-CSRF-Token header) carries the session's token."""
    _check_body_size(request)
    given = request.headers.get("x-csrf-token")
    if given is None:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not tokens_match(given, viewer.csrf_token):
        raise HTTPException(403, "Token formulir tidak valid. Muat ulang halaman lalu coba lagi.")
    return viewer


CheckedViewerDep = Annotated[Viewer, Depends(checked_viewer)]


def require_role(viewer: Viewer, allowed: frozenset[str], what: str) -> None:
    if viewer.role not in allowed:
        raise HTTPException(403, f"Peran Anda tidak diizinkan {what}.")


def wants_json(request: Request) -> bool:
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def client_of(request: Request) -> tuple[str, str]:
    address = request.client.host if request.client else "unknown"
    return address, request.headers.get("user-agent", "")


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    data: Any,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The page, or its JSON twin (``.json`` path or ``Accept: application/json``)."""
    if wants_json(request):
        return JSONResponse(data, status_code=status, headers=headers)
    services = get_services(request)
    full = {"viewer": getattr(request.state, "viewer", None), **context}
    return services.templates.TemplateResponse(
        request, template, full, status_code=status, headers=headers
    )


def audit(
    request: Request,
    viewer: Viewer,
    action: str,
    document_id: str | None = None,
    access: str | None = None,
    **detail: Any,
) -> None:
    address, agent = client_of(request)
    get_services(request).audit.record(
        AuditEntry(
            username=viewer.username,
            role=viewer.role,
            action=action,
            document_id=document_id,
            access=access,
            client=address,
            user_agent=agent,
            detail=detail,
        )
    )


def visible_document(
    request: Request, viewer: Viewer, doc_id: str, action: str | None
) -> DocumentRecord:
    """The document if this viewer may see it; else 404, the same as for a missing one,
    so a guessed id does not tell whether it exists. Reads of restricted documents (and
    refused attempts) go to the audit log.

    A well-formed id that is missing is audited too (``not_found``): one audit row on both
    paths, so a refusal does not take the ~2 ms longer that would tell it from a miss, and
    someone probing ids is on record either way."""
    if not DOC_ID.fullmatch(doc_id):
        raise HTTPException(404, NOT_FOUND)
    record = get_services(request).catalog.get(doc_id)
    if record is None or record.access not in viewer.visible:
        action_name, access = ("not_found", None) if record is None else ("denied", record.access)
        audit(request, viewer, action_name, doc_id, access, attempted=action or "read")
        raise HTTPException(404, NOT_FOUND)
    if action is not None and record.access in RESTRICTED:
        audit(request, viewer, action, record.id, record.access)
    return record
