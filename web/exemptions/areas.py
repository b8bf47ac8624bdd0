"""Redaction areas drawn on the page image. The page shows one linked document's page
(the same preview the document page uses, under the viewer's access) with the entry's
areas for that page; ``static/exemptions.js`` lets the PPID drag a box on it, which
fills the form's four fields. The form works alone too (typed percentages, by keyboard,
without script). An area applies to that page of every document the entry covers; adding
or removing one is an edit of the draft (the table's ``edit`` step)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from archive.exemptions import Entry, ExemptionError, Region, StepArgs
from flows.app import exemptions as use
from web.deps import DOC_ID, CheckedViewerDep, Viewer, ViewerDep, get_services, render
from web.documents import document_dir, preview_pages
from web.exemptions.common import actor, desk_of, refusal_status
from web.exemptions.forms import parse_region
from web.exemptions.pages import editable_entry

router = APIRouter()


def _page_number(raw: str | None, pages: int) -> int:
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= pages else 1


def areas_page(
    request: Request, viewer: Viewer, entry: Entry, error: str | None = None, status: int = 200
) -> Response:
    catalog = desk_of(request).catalog
    docs = [r for r in (catalog.get(d.document_id) for d in entry.documents) if r is not None]
    chosen = next((r for r in docs if r.id == request.query_params.get("dokumen")), None)
    chosen = chosen or (docs[0] if docs else None)
    services = get_services(request)
    previewable = chosen is not None and bool(preview_pages(document_dir(services, chosen), chosen))
    page = _page_number(request.query_params.get("halaman"), chosen.pages if chosen else 1)
    regions = list(enumerate(entry.draft.redaction.regions))
    data = {"entry": entry.id, "regions": [r.__dict__ for _, r in regions], "error": error}
    context = {
        "title": f"Area penyamaran · entri #{entry.id}",
        "entry": entry,
        "docs": docs,
        "chosen": chosen,
        "previewable": previewable,
        "page": page,
        "on_page": [(i, r) for i, r in regions if r.page == page],
        "regions": regions,
        "error": error,
        "nav": "exemptions",
    }
    return render(request, "exemptions/areas.html", context, data, status)


@router.get("/exemptions/{entry_id:int}/areas.json")
@router.get("/exemptions/{entry_id:int}/areas")
def show_areas(request: Request, entry_id: int, viewer: ViewerDep) -> Response:
    return areas_page(request, viewer, editable_entry(request, viewer, entry_id))


def _save(request: Request, viewer: Viewer, entry: Entry, regions: tuple[Region, ...]) -> None:
    spec = replace(entry.draft.redaction, regions=regions)
    draft = replace(entry.draft, scope="sebagian", redaction=spec)
    use.take_step(desk_of(request), entry.id, "edit", actor(viewer), StepArgs(draft=draft))


def _back(entry: Entry, doc: str, page: int) -> Response:
    doc = doc if DOC_ID.fullmatch(doc) else ""
    target = f"/exemptions/{entry.id}/areas?dokumen={doc}&halaman={page}#halaman"
    return RedirectResponse(target, status_code=303)


@router.post("/exemptions/{entry_id:int}/areas")
async def add_area(request: Request, entry_id: int, viewer: CheckedViewerDep) -> Response:
    entry = editable_entry(request, viewer, entry_id)
    form = await request.form()
    doc = str(form.get("dokumen") or "")
    try:
        region = parse_region(form)
        _save(request, viewer, entry, (*entry.draft.redaction.regions, region))
    except ExemptionError as exc:
        return areas_page(request, viewer, entry, str(exc), refusal_status(exc))
    return _back(entry, doc, region.page)


@router.post("/exemptions/{entry_id:int}/areas/{index:int}/remove")
async def remove_area(
    request: Request, entry_id: int, index: int, viewer: CheckedViewerDep
) -> Response:
    entry = editable_entry(request, viewer, entry_id)
    regions = entry.draft.redaction.regions
    if not 0 <= index < len(regions):
        raise HTTPException(404, "Area tidak ditemukan.")
    form = await request.form()
    try:
        _save(request, viewer, entry, regions[:index] + regions[index + 1 :])
    except ExemptionError as exc:
        return areas_page(request, viewer, entry, str(exc), refusal_status(exc))
    return _back(entry, str(form.get("dokumen") or ""), regions[index].page)
