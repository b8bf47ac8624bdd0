"""The audit log page (PPID and admin only): who read which restricted document."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from archive.vocabulary import CAN_READ_AUDIT
from web.deps import DOC_ID, ServicesDep, ViewerDep, render, require_role

router = APIRouter()
PAGE_SIZE = 100
_USERNAME = re.compile(r"[a-z][a-z0-9._-]{0,63}")


@router.get("/audit.json")
@router.get("/audit")
def audit_page(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_role(viewer, CAN_READ_AUDIT, "membuka log audit")
    q = request.query_params
    document = q.get("document", "").strip()
    user = q.get("user", "").strip().lower()
    raw_page = q.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 100_000 else 1
    entries = services.audit.entries(
        document_id=document if DOC_ID.fullmatch(document) else None,
        username=user if _USERNAME.fullmatch(user) else None,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    data = {
        "page": page,
        "has_next": len(entries) > PAGE_SIZE,
        "entries": [e.to_json() for e in entries[:PAGE_SIZE]],
    }
    context = {
        "title": "Log Audit",
        "entries": entries[:PAGE_SIZE],
        "data": data,
        "document": document,
        "user": user,
        "nav": "audit",
    }
    return render(request, "audit.html", context, data)
