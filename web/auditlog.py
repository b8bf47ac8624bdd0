"""The audit log page (PPID and admin only): who read which restricted document.

Filters by person, action, document and office-local date range; pages are bounded (the
page number is clamped to the last page); ``/audit.csv`` exports what the filters select,
through the one CSV writer that neutralises formula cells. Documents are shown by title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from archive.audit import AuditEntry, AuditFilter
from archive.spreadsheet import csv_text
from archive.vocabulary import CAN_READ_AUDIT, RESTRICTED
from index import SearchResults
from web.deps import DOC_ID, Services, ServicesDep, Viewer, ViewerDep, audit, render, require_role
from web.labels import ACCESS, AUDIT_ACTIONS, ROLES, label, waktu

router = APIRouter()
PAGE_SIZE = 100
EXPORT_LIMIT = 50_000  # one CSV; a longer period is exported in parts
MAX_QUERY_CHARS = 200
_USERNAME = re.compile(r"[a-z][a-z0-9._-]{0,63}")
_ACTION = re.compile(r"[a-z_]{1,32}")
CSV_HEADER = ("Waktu", "Pengguna", "Peran", "Aksi", "Dokumen", "Judul", "Akses", "Alamat",
              "Peramban", "Rincian")  # fmt: skip


def audit_search(request: Request, viewer: Viewer, results: SearchResults | None) -> None:
    """One row for a search that showed restricted text (a snippet is a read; a bare
    listing shows none): its query, hit count and the restricted documents shown."""
    shown = [h.id for h in results.hits if h.access in RESTRICTED and h.snippet] if results else []
    if results is None or not shown:
        return
    query = results.query[:MAX_QUERY_CHARS]
    audit(request, viewer, "search", None, None, query=query, hits=results.total,
          page=results.page, documents=shown)  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """What the form asked for, as typed (for the form and links) and as a query."""

    values: dict[str, str]
    where: AuditFilter
    page: int


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _instant(day: date | None, zone: ZoneInfo, *, end: bool) -> datetime | None:
    """The office-local start of ``day`` (of the day after, for an inclusive end)."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if end else day, time(), zone)


def _filters(request: Request, services: Services) -> Filters:
    q = request.query_params
    given = {k: q.get(k, "").strip()[:64] for k in ("user", "action", "document", "from", "to")}
    given["user"] = given["user"].lower()
    given["document"] = given["document"].lower()
    raw_page = q.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < len(raw_page) < 7 else 1
    where = AuditFilter(
        username=given["user"] if _USERNAME.fullmatch(given["user"]) else None,
        action=given["action"] if _ACTION.fullmatch(given["action"]) else None,
        document_id=given["document"] if DOC_ID.fullmatch(given["document"]) else None,
        since=_instant(_day(given["from"]), services.zone, end=False),
        until=_instant(_day(given["to"]), services.zone, end=True),
    )
    return Filters({k: v for k, v in given.items() if v}, where, max(page, 1))


def _titles(services: Services, entries: list[AuditEntry]) -> dict[str, str]:
    """Document id -> title, for every document an entry names (its own or a search's)."""
    ids = {e.document_id for e in entries if e.document_id}
    ids |= {d for e in entries for d in _shown(e)}
    titles = {}
    for doc_id in sorted(ids):
        record = services.catalog.get(doc_id)
        if record is not None:
            titles[doc_id] = record.title or record.source_name
    return titles


def _shown(entry: AuditEntry) -> list[str]:
    documents = entry.detail.get("documents")
    return [d for d in documents if isinstance(d, str)] if isinstance(documents, list) else []


def _row_json(entry: AuditEntry, titles: dict[str, str]) -> dict[str, Any]:
    ids = [entry.document_id] if entry.document_id else _shown(entry)
    return {
        **entry.to_json(),
        "action_label": label(AUDIT_ACTIONS, entry.action),
        "documents": [{"id": d, "title": titles.get(d)} for d in ids],
    }


def _link(values: dict[str, str], page: int) -> str:
    return "/audit?" + urlencode({**values, "page": str(page)})


@router.get("/audit.json")
@router.get("/audit")
def audit_page(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_role(viewer, CAN_READ_AUDIT, "membuka log audit")
    chosen = _filters(request, services)
    total = services.audit.count(chosen.where)
    page_count = max(1, -(-total // PAGE_SIZE))
    page = min(chosen.page, page_count)
    entries = services.audit.entries(chosen.where, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    titles = _titles(services, entries)
    data = {
        "page": page,
        "page_count": page_count,
        "total": total,
        "has_next": page < page_count,
        "filters": chosen.values,
        "entries": [_row_json(e, titles) for e in entries],
    }
    context = {
        "title": "Log Audit",
        "entries": entries,
        "titles": titles,
        "shown": _shown,
        "data": data,
        "values": chosen.values,
        "actions": AUDIT_ACTIONS,
        "link": lambda n: _link(chosen.values, n),
        "csv_link": "/audit.csv?" + urlencode(chosen.values),
        "nav": "audit",
    }
    return render(request, "audit.html", context, data)


def _csv_row(e: AuditEntry, titles: dict[str, str], zone: ZoneInfo) -> list[object]:
    ids = [e.document_id] if e.document_id else _shown(e)
    detail = "; ".join(f"{k}: {v}" for k, v in e.detail.items() if k != "documents")
    return [
        waktu(e.at, zone), e.username, label(ROLES, e.role), label(AUDIT_ACTIONS, e.action),
        " ".join(ids), " | ".join(titles.get(d, "") for d in ids), label(ACCESS, e.access),
        e.client, e.user_agent, detail,
    ]  # fmt: skip


@router.get("/audit.csv")
def audit_csv(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_role(viewer, CAN_READ_AUDIT, "membuka log audit")
    chosen = _filters(request, services)
    entries = services.audit.entries(chosen.where, limit=EXPORT_LIMIT)
    titles = _titles(services, entries)
    rows = [_csv_row(e, titles, services.zone) for e in entries]
    body = csv_text(CSV_HEADER, rows).encode("utf-8-sig")  # BOM: spreadsheets read UTF-8
    headers = {
        "Content-Disposition": 'attachment; filename="log-audit.csv"',
        "Cache-Control": "no-store",
    }
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
