"""Legal bases as editable data: the PPID (or Admin) adds a supporting law or corrects a
summary here; entries cite bases by code, so the public list follows at its next build.
Who may edit is the register's rule (``LegalBases.save`` refuses anyone else)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from archive.exemptions import ExemptionError, LegalBasis, NotAllowed
from web.deps import CheckedViewerDep, ViewerDep, render, wants_json
from web.exemptions.common import actor, field, refusal_status, register_of, require_reader

router = APIRouter()


def _page(
    request: Request,
    can_edit: bool,
    error: str | None = None,
    status: int = 200,
    values: dict[str, object] | None = None,
) -> Response:
    bases = register_of(request).bases.list()
    code = request.query_params.get("kode", "")
    chosen = next((b for b in bases if b.code == code), None)
    data = {"bases": [b.__dict__ | {"points": list(b.points)} for b in bases], "error": error}
    context = {
        "title": "Dasar Hukum Pengecualian",
        "bases": bases,
        "chosen": chosen,
        "values": values or (_values(chosen) if chosen else {}),
        "can_edit": can_edit,
        "error": error,
        "ok": request.query_params.get("ok"),
        "nav": "exemptions",
    }
    return render(request, "exemptions/bases.html", context, data, status)


@router.get("/exemptions/bases.json")
@router.get("/exemptions/bases")
def bases_page(request: Request, viewer: ViewerDep) -> Response:
    require_reader(request, viewer)
    return _page(request, register_of(request).bases.can_edit(actor(viewer)))


def _values(basis: LegalBasis) -> dict[str, object]:
    return basis.__dict__ | {"points": "\n".join(basis.points)}


def _basis(form: FormData) -> LegalBasis:
    points = tuple(p.strip() for p in field(form, "points").splitlines() if p.strip())
    return LegalBasis(
        code=field(form, "code").strip(),
        law=field(form, "law").strip(),
        article=field(form, "article").strip(),
        letter=field(form, "letter").strip().lower(),
        summary=field(form, "summary").strip(),
        points=points,
        permanent_allowed=field(form, "permanent_allowed") in ("1", "on"),
        active=field(form, "active") in ("1", "on"),
    )


@router.post("/exemptions/bases")
async def save_basis(request: Request, viewer: CheckedViewerDep) -> Response:
    require_reader(request, viewer)
    form = await request.form()
    try:
        basis = _basis(form)
        register_of(request).bases.save(basis, actor(viewer))
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from exc
    except ExemptionError as exc:
        values: dict[str, object] = {
            k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"
        }
        return _page(request, True, str(exc), refusal_status(exc), values)
    if wants_json(request):
        return JSONResponse({"code": basis.code})
    return RedirectResponse(f"/exemptions/bases?ok={basis.code}", status_code=303)
