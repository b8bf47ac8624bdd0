"""The public list of exempted information (DIK): ``/dik``, ``/dik.json``, ``/dik.csv``.

No sign-in: this is what the law says the public must be able to read. It is built from
published entries only and never links to a document or shows anything from one.
"""

from __future__ import annotations

import contextlib
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from archive.exemption_dik import COLUMNS, DikRow, dik_csv, dik_rows
from web.deps import NotSignedIn, current_viewer, get_services, render
from web.exemption_forms import register_of

router = APIRouter()
PUBLIC_CACHE = {"Cache-Control": "public, max-age=300"}  # public data, may be cached briefly


def _rows(request: Request) -> list[DikRow]:
    register = register_of(request)
    return dik_rows(register.entries(), register.bases.get)


@router.get("/dik.json")
@router.get("/dik")
def dik_page(request: Request) -> Response:
    with contextlib.suppress(NotSignedIn):  # anyone may read it; staff keep their header
        current_viewer(request, get_services(request))
    rows = _rows(request)
    today = date.today()
    data = {
        "generated": today.isoformat(),
        "columns": list(COLUMNS),
        "rows": [r.to_json() for r in rows],
    }
    context = {
        "title": "Daftar Informasi yang Dikecualikan",
        "rows": rows,
        "columns": COLUMNS,
        "generated": today,
        "nav": "dik",
    }
    return render(request, "dik.html", context, data, headers=PUBLIC_CACHE)


@router.get("/dik.csv")
def dik_csv_file(request: Request) -> Response:
    body = dik_csv(_rows(request)).encode("utf-8-sig")
    headers = PUBLIC_CACHE | {"Content-Disposition": 'attachment; filename="dik.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
