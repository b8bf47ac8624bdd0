"""The search page: query, filters, facet counts, highlighted snippets, pagination.

The role's access filter is applied inside the index query (``index.search``), so hits,
totals, facet counts and snippets all come from documents the viewer may see. Restricted
documents that do appear (for roles allowed to see them) are audited, one row per search.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from flows.app.indexing import text_loader
from index import (
    ACCESS_LEVELS,
    IndexMissing,
    IndexOutdated,
    QueryError,
    SearchFilters,
    SearchResults,
    search,
)
from web import labels
from web.auditlog import audit_search
from web.deps import ServicesDep, ViewerDep, render

router = APIRouter()
# (facet field, heading, filter parameter, how a value reads)
FACET_GROUPS: tuple[tuple[str, str, str, Callable[[object], str]], ...] = (
    ("doc_type", "Jenis dokumen", "type", partial(labels.label, labels.DOC_TYPES)),
    ("year", "Tahun", "year", str),
    ("unit", "Unit penerbit", "unit", str),
    ("access", "Akses", "access", partial(labels.label, labels.ACCESS)),
)
PAGE_SIZE = 20
FILTERS = ("type", "year", "unit", "access")
MAX_QUERY_CHARS = 500


def _params(request: Request) -> dict[str, str]:
    """The query and filters as given (blank fields dropped), for links and forms."""
    q = request.query_params
    values = {name: q.get(name, "").strip() for name in ("q", *FILTERS)}
    return {k: v[:MAX_QUERY_CHARS] for k, v in values.items() if v}


def _filters(params: dict[str, str]) -> SearchFilters:
    year = params.get("year")
    if year is not None and not (year.isdigit() and len(year) == 4):
        raise QueryError(f"tahun harus empat angka, bukan {year!r}")
    return SearchFilters(
        doc_type=params.get("type"),
        year=int(year) if year else None,
        unit=params.get("unit"),
        access=params.get("access"),
    )


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return min(int(raw), 10_000) if raw.isdigit() and int(raw) >= 1 else 1


def link(params: dict[str, str], **changes: Any) -> str:
    """This search with some parameters changed (None removes one); page resets unless
    given."""
    merged = {**params, "page": None, **changes}
    kept = {k: str(v) for k, v in merged.items() if v not in (None, "")}
    return "/search" + ("?" + urlencode(kept) if kept else "")


@router.get("/search.json")
@router.get("/search")
def search_page(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    params = _params(request)
    page = _page(request)
    error: str | None = None
    status = 200
    results: SearchResults | None = None
    layout = services.settings.layout
    try:
        results = search(
            layout.index,
            params.get("q", ""),
            role=viewer.role,
            filters=_filters(params),
            page=page,
            page_size=PAGE_SIZE,
            text_loader=text_loader(layout, services.catalog),
        )
    except QueryError as exc:
        error, status = f"Kueri tidak dapat dipahami: {exc}", 400
    except (IndexMissing, IndexOutdated):
        error = "Indeks pencarian belum tersedia. Jalankan `arsip reindex` atau unggah dokumen."
    audit_search(request, viewer, results)  # one row per search, not per hit
    data: dict[str, Any] = results.to_json() if results else {"hits": [], "total": 0}
    data.update(error=error, filters={k: params.get(k) for k in FILTERS})
    context = {
        "title": "Pencarian",
        "params": params,
        "results": results,
        "error": error,
        "link": lambda **changes: link(params, **changes),
        "doc_types": services.doc_types,
        "access_levels": [a for a in ACCESS_LEVELS if a in viewer.visible],
        "facet_groups": FACET_GROUPS,
        "chip_filters": [(f, fmt) for _n, _t, f, fmt in FACET_GROUPS],
        "nav": "search",
    }
    return render(request, "search.html", context, data, status)
