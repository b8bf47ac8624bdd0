"""What the document page offers for deciding on a document: "Nyatakan terbuka" while its
access is undecided, and, for a likely re-scan, the document it repeats with a one-click
merge. Kept apart from :mod:`web.documents` (files and previews) so each changes alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archive.vocabulary import CAN_CORRECT, CAN_DECLARE_OPEN, visible_access
from flows.app.rescans import near_duplicate_of
from flows.app.review_queue import decided_ids, waits
from web.deps import DOC_ID, Services, Viewer


def near_duplicate(services: Services, viewer: Viewer, doc_id: str) -> dict[str, Any] | None:
    """The first document a flagged re-scan repeats, when the viewer may see it."""
    record = services.catalog.get(doc_id)
    first_id = near_duplicate_of(services.catalog, record) if record else None
    first = services.catalog.get(first_id) if first_id else None
    if first is None or first.access not in visible_access(viewer.role):
        return None  # a hidden first document is not named, as everywhere else
    return {
        "id": first.id,
        "title": first.title or first.source_name,
        "merged": first.merged_into is not None,
    }


DECIDED = {"open": "Dokumen dinyatakan terbuka; pencarian sudah diperbarui."}


def decision_context(
    services: Services, viewer: Viewer, doc_id: str, query: Mapping[str, str]
) -> dict[str, Any]:
    """Template context (and JSON twin fields) of the document page's decisions; ``query``
    carries what the redirect after a decision says was done."""
    record = services.catalog.get(doc_id)
    assert record is not None  # the page found it a moment ago
    dup = near_duplicate(services, viewer, doc_id) if record.merged_into is None else None
    return {
        "can_open": viewer.role in CAN_DECLARE_OPEN and record.access == "belum_ditinjau",
        "can_merge": viewer.role in CAN_CORRECT and dup is not None and not dup["merged"],
        "near_duplicate": dup,
        "in_queue": waits(record, decided_ids(services.catalog)),
        "notice": DECIDED.get(query.get("keputusan", "")),
        "merged_rescan": query.get("digabung")
        if DOC_ID.fullmatch(query.get("digabung", ""))
        else None,
    }
