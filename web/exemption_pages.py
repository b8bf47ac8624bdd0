"""One entry's page (also shown again, with the refusal, when a step is refused) and
the lookups the exemption routes share."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import Response

from archive.exemptions import Entry, ExemptionRegister, UnknownEntry, allowed_steps
from archive.records import DocumentRecord
from web.deps import Services, Viewer, render
from web.exemption_forms import (
    EVENT_NAMES,
    NOT_FOUND,
    STEP_BUTTONS,
    entry_json,
    register_of,
    require_register,
)

MAX_SUGGESTIONS = 50


def suggestions(services: Services, register: ExemptionRegister) -> list[DocumentRecord]:
    """Unreviewed documents with personal data: candidates for a Pasal 17 h entry."""
    found = [
        r
        for r in services.catalog.iter_documents()
        if "data_pribadi" in r.flags and r.access == "belum_ditinjau"
    ]
    return sorted(found, key=lambda r: r.received_at, reverse=True)[:MAX_SUGGESTIONS]


def visible_entry(request: Request, viewer: Viewer, entry_id: int) -> Entry:
    require_register(viewer)
    try:
        return register_of(request).get(entry_id)
    except UnknownEntry:
        raise HTTPException(404, NOT_FOUND) from None


def entry_page(
    request: Request, viewer: Viewer, entry: Entry, error: str | None = None, status: int = 200
) -> Response:
    services: Services = request.app.state.services
    register = register_of(request)
    basis = register.bases.get(entry.draft.legal_basis)
    events = register.events(entry.id)
    approvals = register.approvals(entry)
    if entry.status != "menunggu_persetujuan":  # decided: show who approved the last round
        round_ = [
            e for e in events if e.kind == "disetujui" and e.detail.get("round") == entry.round
        ]
        approvals = {e.role: e for e in round_}
    steps = [s for s in allowed_steps(entry, viewer.role) if s in STEP_BUTTONS]
    if viewer.username == entry.proposed_by:
        steps = [s for s in steps if s not in ("approve", "reject")]
    docs = {d.document_id: services.catalog.get(d.document_id) for d in entry.documents}
    data = entry_json(entry, basis) | {
        "events": [e.to_json() for e in events],
        "approvals": {role: ev.username for role, ev in approvals.items()},
        "steps": steps,
        "error": error,
    }
    context = {
        "title": f"Entri pengecualian #{entry.id}",
        "entry": entry,
        "basis": basis,
        "others": [register.bases.get(c) for c in entry.draft.other_bases],
        "events": events,
        "event_names": EVENT_NAMES,
        "approvals": approvals,
        "steps": steps,
        "buttons": STEP_BUTTONS,
        "docs": docs,
        "can_link": "link" in allowed_steps(entry, viewer.role),
        "can_unlink": "unlink" in allowed_steps(entry, viewer.role),
        "can_edit": "edit" in allowed_steps(entry, viewer.role),
        "suggested": suggestions(services, register) if viewer.role == "ppid" else [],
        "error": error,
        "ok": request.query_params.get("ok"),
        "nav": "exemptions",
    }
    return render(request, "exemptions/entry.html", context, data, status)
