"""The public list of exempted information (DIK): ``/dik`` (and ``.json``), with its CSV
and PDF downloads, the same files ``arsip publish`` writes for the official website.

No sign-in: this is what the law says the public must be able to read. It is built from
published entries only and never links to a document or shows anything from one, except
the redacted public copy of a partial exemption (``/dik/salinan/<entry>-<n>.pdf``): that
copy is what may be handed out, and it is served only while its bytes are the SHA-256
the register recorded. The link names the entry, not the document's id. An
anonymous answer may be cached by anyone for five minutes; a signed-in one carries the
staff header (name, sign-out form token) and is ``private, no-store``; both say
``Vary: Cookie``, so no cache hands one to the other.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from archive.exemptions import COLUMNS, PUBLISHED, DikRow, UnknownEntry, copied_documents, dik_csv
from flows.app.exemptions import public_copy_path
from flows.app.publish import register_rows, render_pdf
from web.deps import NotSignedIn, Viewer, audit, current_viewer, get_services, render
from web.exemptions.common import desk_of, register_of

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


def copy_urls(row: DikRow) -> list[str]:
    return [f"/dik/salinan/{row.entry_id}-{n}.pdf" for n in range(1, row.public_copies + 1)]


@router.get("/dik.json")
@router.get("/dik")
def dik_page(request: Request) -> Response:
    viewer = _viewer(request)
    rows = _rows(request)
    today = datetime.now(get_services(request).zone).date()
    data = {
        "generated": today.isoformat(),
        "columns": list(COLUMNS),
        "rows": [r.to_json() | {"public_copies": copy_urls(r)} for r in rows],
        "downloads": {"csv": "/dik.csv", "pdf": "/dik.pdf"},
    }
    context = {
        "title": "Daftar Informasi yang Dikecualikan",
        "rows": rows,
        "columns": COLUMNS,
        "copy_urls": copy_urls,
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


@router.get("/dik/salinan/{entry_id:int}-{n:int}.pdf")
def dik_public_copy(request: Request, entry_id: int, n: int) -> Response:
    """The n-th public copy of a published partial exemption, for anyone."""
    missing = HTTPException(404, "Salinan publik tidak tersedia.")
    try:
        entry = register_of(request).get(entry_id)
    except UnknownEntry as exc:
        raise missing from exc
    documents = copied_documents(entry) if entry.status in PUBLISHED else []
    if not 1 <= n <= len(documents):
        raise missing
    path = public_copy_path(desk_of(request).layout, entry, documents[n - 1])
    if path is None:  # changed or gone since it was recorded: never served
        raise missing
    viewer = _viewer(request)
    if viewer is not None:  # staff downloads are audited as on the staff route
        audit(request, viewer, "download_public_copy", documents[n - 1], None, entry=entry_id)
    name = f"dik-{entry_id}-salinan-publik-{n}.pdf"
    return FileResponse(path, media_type="application/pdf", filename=name,
                        headers=_headers(viewer))  # fmt: skip
