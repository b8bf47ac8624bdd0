"""The public list of exempted information (DIK): ``/dik`` (and ``.json``), with its CSV
and PDF downloads, the same files ``arsip publish`` writes for the official website.

No sign-in: this is what the law says the public must be able to read. It is built from
published entries only and never links to a document or shows anything from one. An
anonymous answer may be cached by anyone for five minutes; a signed-in one carries the
staff header (name, sign-out form token) and is ``private, no-store``; both say
``Vary: Cookie``, so no cache hands one to the other.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from archive.exemptions import COLUMNS, DikRow, dik_csv
from flows.app.publish import register_rows, render_pdf
from web.deps import NotSignedIn, Viewer, current_viewer, get_services, render
from web.exemptions.common import register_of

router = APIRouter()
PUBLIC_CACHE = "public, max-age=300"  # public data, may be cached briefly
PRIVATE = "private, no-store"


def _viewer(request: Request) -> Viewer | None:
    with contextlib.suppress(NotSignedIn):  # anyone may read it; staff keep their header
        return current_viewer(request, get_services(request))
    return None


def _headers(viewer: Viewer | None, **extra: str) -> dict[str, str]:
    return {"Cache-Control": PRIVATE if viewer else PUBLIC_CACHE, "Vary": "Cookie", **extra}


def _rows(request: Request) -> list[DikRow]:
    return register_rows(register_of(request))


@router.get("/dik.json")
@router.get("/dik")
def dik_page(request: Request) -> Response:
    viewer = _viewer(request)
    rows = _rows(request)
    today = datetime.now(get_services(request).zone).date()
    data = {
        "generated": today.isoformat(),
        "columns": list(COLUMNS),
        "rows": [r.to_json() for r in rows],
        "downloads": {"csv": "/dik.csv", "pdf": "/dik.pdf"},
    }
    context = {
        "title": "Daftar Informasi yang Dikecualikan",
        "rows": rows,
        "columns": COLUMNS,
        "generated": today,
        "office_name": get_services(request).settings.office_name,
        "nav": "dik",
    }
    return render(request, "dik.html", context, data, headers=_headers(viewer))


@router.get("/dik.csv")
def dik_csv_file(request: Request) -> Response:
    body = dik_csv(_rows(request)).encode("utf-8-sig")
    disposition = 'attachment; filename="dik.csv"'
    headers = _headers(_viewer(request), **{"Content-Disposition": disposition})
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/dik.pdf")
def dik_pdf_file(request: Request) -> Response:
    office = get_services(request).settings.office_name
    body = render_pdf(_rows(request), office, datetime.now(UTC))
    disposition = 'inline; filename="dik.pdf"'
    headers = _headers(_viewer(request), **{"Content-Disposition": disposition})
    return Response(body, media_type="application/pdf", headers=headers)
