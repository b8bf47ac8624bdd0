"""Re-scans of the same paper: found at ingest, merged by a person.

At ingest (a checkpoint of its own) the text's SimHash finds catalog documents that may
hold the same text; the word-set resemblance of the archived texts decides. A likely
re-scan is filed as usual (nothing is lost) but flagged ``kemungkinan_duplikat`` with the
first document's id, and waits in the review queue. Merging it (web button or
``arsip merge``) records it as a ``rescan`` receipt of the first and takes it out of
listings and search; its files stay in the archive.
"""

from __future__ import annotations

from archive.catalog import Catalog
from archive.records import Actor, DocumentRecord, EventRecord
from archive.rescans import merge_rescan, simhash_neighbours
from archive.store import ArchiveLayout
from archive.vocabulary import FLAG_NEAR_DUPLICATE, FLAG_REVIEW
from flows.app.indexing import archived_text, failed_index_events
from flows.app.pipeline import Accepted, RunContext, event_for
from index import SearchIndexError, delete_documents
from tasks.text.fingerprint import CANDIDATE_BITS, MIN_RESEMBLANCE, resemblance, simhash

# Candidates whose archived text is read and compared: the nearest few are enough.
MAX_COMPARED = 5


def check_near_duplicate(
    ctx: RunContext, doc: Accepted, text: str
) -> tuple[int | None, EventRecord]:
    """Checkpoint: is this the same text as a document already in the catalog?"""
    value = simhash(text)
    match = _best_match(ctx, value, text, doc.doc_id) if value is not None else None
    flags = [FLAG_NEAR_DUPLICATE, FLAG_REVIEW] if match else []
    detail = {"of": match[0], "resemblance": match[1]} if match else {}
    outcome = "flag" if match else "ok"
    ev = event_for(ctx, doc.detected.sha256, "near_duplicate", outcome, doc.detected.path.name,
                   flags=flags, **detail)  # fmt: skip
    return value, ev


def _best_match(ctx: RunContext, value: int, text: str, doc_id: str) -> tuple[str, float] | None:
    for other_id, _bits in simhash_neighbours(ctx.catalog, value, CANDIDATE_BITS, doc_id)[
        :MAX_COMPARED
    ]:
        other = ctx.catalog.get(other_id)
        other_text = archived_text(ctx.layout, other) if other else None
        if other_text is None:
            continue
        score = round(resemblance(text, other_text), 3)
        if score >= MIN_RESEMBLANCE:
            return other_id, score
    return None


def near_duplicate_of(catalog: Catalog, record: DocumentRecord) -> str | None:
    """The document a flagged re-scan repeats (from its checkpoint event), if any."""
    if FLAG_NEAR_DUPLICATE not in record.flags:
        return None
    for ev in reversed(catalog.events(document_id=record.id)):
        if ev.kind == "near_duplicate" and ev.outcome == "flag":
            return str(ev.detail.get("of")) if ev.detail.get("of") else None
    return None


def merge(
    layout: ArchiveLayout, catalog: Catalog, doc_id: str, into_id: str, actor: Actor
) -> tuple[DocumentRecord, bool]:
    """Merge re-scan ``doc_id`` into ``into_id``; True when search no longer lists it."""
    merged = merge_rescan(catalog, doc_id, into_id, actor)
    try:
        delete_documents(layout.index, [merged.id])
    except SearchIndexError as exc:
        # The catalog already says merged; `arsip reindex` leaves merged re-scans out.
        for ev in failed_index_events([merged], None, str(exc)):
            catalog.record_event(ev)
        return merged, False
    return merged, True
