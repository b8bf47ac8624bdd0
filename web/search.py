"""The search page: query, filters, facet counts, highlighted snippets, pagination.

The role's access filter is applied inside the index query (``index.search``), so hits,
totals, facet counts and snippets all come from documents the viewer may see. Restricted
documents that do appear (for roles allowed to see them) are audited, one row per search.

Every query error reads in Indonesian (``labels.query_error``, keyed by the error's code);
a page past the last shows the last page and says so; pages beyond the result window
are refused by the index before it searches.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, NamedTuple
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from archive.layout import ArchiveLayout
from flows.app.exemptions import pick_documents as use_pick_documents
from flows.app.indexing import text_loader
from index import (
    ACCESS_LEVELS,
    MAX_RESULT_WINDOW,
    IndexMissing,
    IndexOutdated,
    PageOutOfRange,
    QueryError,
    SearchFilters,
    SearchHit,
    SearchResults,
    search,
)
from web import labels
from web.auditlog import audit_search
from web.deps import (
    Services,
    ServicesDep,
    Viewer,
    ViewerDep,
    current_viewer,
    render,
    wants_json,
)

router = APIRouter()
# (facet field, heading, filter parameter, how a value reads)
FACET_GROUPS: tuple[tuple[str, str, str, Callable[[object], str]], ...] = (
    ("doc_type", "Jenis dokumen", "type", partial(labels.label, labels.DOC_TYPES)),
    ("year", "Tahun", "year", str),
    ("unit", "Unit penerbit", "unit", str),
    ("access", "Akses", "access", partial(labels.label, labels.ACCESS)),
)
PAGE_SIZE = 20
MAX_PAGE = MAX_RESULT_WINDOW // PAGE_SIZE  # the deepest page a search is paged to
FILTERS = ("type", "year", "unit", "access", "dari", "sampai", "urut")
MAX_QUERY_CHARS = 500
# The URL's sort values (labels.SEARCH_SORTS) -> the index's.
SORTS = {"relevansi": "relevance", "terbaru": "newest", "terlama": "oldest", "nomor": "number"}


def pick_documents(
    layout: ArchiveLayout, visible: frozenset[str], query: str
) -> tuple[list[SearchHit], str | None]:
    """The document pickers' search (exemption entries, handovers), its query errors in
    Indonesian like the search page's."""
    try:
        return use_pick_documents(layout, visible, query)
    except QueryError as exc:
        return [], labels.query_error(exc.code, exc.params)


def _day(value: object) -> str:
    """A chip's date as on official letters (``14 Maret 2022``); only valid dates reach a
    chip (results are shown only when the filters were understood)."""
    return labels.tanggal(date.fromisoformat(str(value)))


DATE_CHIPS: list[tuple[str, Callable[[object], str]]] = [
    ("dari", lambda value: f"dari {_day(value)}"),
    ("sampai", lambda value: f"sampai {_day(value)}"),
]
MAX_UNITS = 500  # autocomplete entries sent with a page


def _params(request: Request) -> dict[str, str]:
    """The query and filters as given (blank fields dropped), for links and forms."""
    q = request.query_params
    values = {name: q.get(name, "").strip() for name in ("q", *FILTERS)}
    return {k: v[:MAX_QUERY_CHARS] for k, v in values.items() if v}


def _date(params: dict[str, str], which: str) -> date | None:
    value = params.get(which)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(
            f"bad {which} date {value!r}", code="bad_date", which=which, value=value
        ) from None


def _filters(params: dict[str, str]) -> SearchFilters:
    year = params.get("year")
    if year is not None and not (year.isdigit() and len(year) == 4):
        raise QueryError(f"bad year {year!r}", code="bad_year", year=year)
    start, end = _date(params, "dari"), _date(params, "sampai")
    if start and end and start > end:
        raise QueryError(f"date range {start} > {end}", code="date_order", start=start, end=end)
    return SearchFilters(
        doc_type=params.get("type"),
        year=int(year) if year else None,
        unit=params.get("unit"),
        access=params.get("access"),
        date_from=start,
        date_to=end,
    )


def _sort(params: dict[str, str]) -> str:
    given = params.get("urut", "relevansi")
    if given not in SORTS:
        raise QueryError(f"unknown sort {given!r}", code="unknown_sort", sort=given)
    return SORTS[given]


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit():
        return 1
    # A page number of thousands of digits is not a number int() should read.
    return max(1, int(raw)) if len(raw) <= 9 else 10**9


def link(params: dict[str, str], **changes: Any) -> str:
    """This search with some parameters changed (None removes one); page resets unless
    given."""
    merged = {**params, "page": None, **changes}
    kept = {k: str(v) for k, v in merged.items() if v not in (None, "")}
    return "/search" + ("?" + urlencode(kept) if kept else "")


class _Searched(NamedTuple):
    """A search as the page shows it: its results, or why there are none."""

    results: SearchResults | None
    error: str | None = None
    error_code: str | None = None
    status: int = 200


def _run_search(services: Services, viewer: Viewer, params: dict[str, str], page: int) -> _Searched:
    """The search the parameters ask for, within what the viewer may see."""
    layout = services.settings.layout
    run = partial(
        search,
        layout.index,
        params.get("q", ""),
        visible=viewer.visible,
        page_size=PAGE_SIZE,
        text_loader=text_loader(layout, services.catalog),
    )
    try:
        filters, sort = _filters(params), _sort(params)
        try:
            return _Searched(run(filters=filters, sort=sort, page=page))
        except PageOutOfRange:
            # Refused before any work; the deepest page searched is shown instead (and
            # the index makes it the last page when there are fewer).
            return _Searched(run(filters=filters, sort=sort, page=MAX_PAGE))
    except QueryError as exc:
        return _Searched(None, labels.query_error(exc.code, exc.params), exc.code, 400)
    except (IndexMissing, IndexOutdated):
        return _Searched(
            None, "Indeks pencarian belum tersedia. Jalankan `arsip reindex` atau unggah dokumen."
        )


def _page_context(
    services: Services,
    viewer: Viewer,
    params: dict[str, str],
    searched: _Searched,
    clamped_from: int | None,
) -> dict[str, Any]:
    """The search page's template context (the JSON twin needs none of it)."""
    return {
        "title": "Pencarian",
        "params": params,
        "results": searched.results,
        "error": searched.error,
        "link": lambda **changes: link(params, **changes),
        "doc_types": services.doc_types,
        "access_levels": [a for a in ACCESS_LEVELS if a in viewer.visible],
        "facet_groups": FACET_GROUPS,
        "chip_filters": [(f, fmt) for _n, _t, f, fmt in FACET_GROUPS] + DATE_CHIPS,
        "sorts": labels.SEARCH_SORTS,
        "units": services.unit_names(viewer.visible)[:MAX_UNITS],
        "clamped_from": clamped_from,
        "max_page": MAX_PAGE,
        "nav": "search",
    }


@router.get("/search.json")
@router.get("/search")
def search_page(request: Request, services: ServicesDep) -> Response:
    # The session is read here, on the endpoint's thread, not as a dependency of its own:
    # each plain-``def`` dependency is another hop through the thread pool (and the GIL).
    viewer = current_viewer(request, services)
    params = _params(request)
    page = _page(request)
    searched = _run_search(services, viewer, params, page)
    results = searched.results
    audit_search(request, viewer, results)  # one row per search, not per hit
    data: dict[str, Any] = results.to_json() if results else {"hits": [], "total": 0}
    clamped_from = page if results is not None and results.page != page else None
    data.update(error=searched.error, error_code=searched.error_code)
    data.update(page_clamped_from=clamped_from, filters={k: params.get(k) for k in FILTERS})
    if wants_json(request):
        # The JSON twin needs none of the page's context (the unit list is a query).
        return JSONResponse(data, status_code=searched.status)
    context = _page_context(services, viewer, params, searched, clamped_from)
    return render(request, "search.html", context, data, searched.status)


@router.get("/search/units.json")
def unit_names(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    """Units named on documents the viewer may see, those containing ``q`` (any case)."""
    wanted = request.query_params.get("q", "").strip()[:200].casefold()
    units = [u for u in services.unit_names(viewer.visible) if wanted in u.casefold()]
    return JSONResponse({"units": units[:MAX_UNITS]})
