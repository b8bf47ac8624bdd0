"""The exemption register's use cases, shared by the web app, the CLI and the flows: take
a step and re-index the documents whose access it changed, propose with documents, find
documents to link (the index's search, as the viewer), declare a document open, and make
the redacted public copy of a partly exempted document.

The register (``archive``) cannot reach the index or the OCR; this layer joins them. A
person's irreversible step must be confirmed (:class:`NotConfirmed` until it is).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.catalog import Catalog
from archive.errors import NotFound
from archive.exemptions import (
    FINAL,
    PROPOSED,
    STEPS,
    Actor,
    Draft,
    Entry,
    ExemptionError,
    ExemptionRegister,
    InvalidEntry,
    NotAllowed,
    PublicCopy,
    StepArgs,
    StepResult,
    UnknownDocument,
)
from archive.layout import MANIFEST, TEXT
from archive.records import DocumentRecord
from archive.store import ArchiveLayout, file_document, read_manifest, sha256_path
from flows.app.indexing import refresh
from index import IndexMissing, IndexOutdated, SearchHit, search
from tasks.detect import MIME_TO_KIND
from tasks.errors import TaskError
from tasks.ocr import OcrOptions
from tasks.redact import Area, RedactionRequest, redact_document

PUBLIC_ROOT = "archive-public"  # beside archive/: verify and reindex never mistake it
PUBLIC_PDF = "redacted.pdf"
PICK_LIMIT = 20


class NotConfirmed(ExemptionError):
    """An irreversible step asked for without the person's confirmation."""


class UnknownStep(ExemptionError, NotFound):
    pass


@dataclass(frozen=True)
class Desk:
    """What the register's use cases work on (one per web app or command)."""

    layout: ArchiveLayout
    catalog: Catalog
    register: ExemptionRegister
    ocr: OcrOptions


@dataclass(frozen=True)
class StepDone:
    result: StepResult
    indexed: bool  # False: search lags behind (an index event asks for ``arsip reindex``)


def reindex_documents(layout: ArchiveLayout, catalog: Catalog, doc_ids: Sequence[str]) -> bool:
    """Search reflects the new access at once (see :func:`flows.app.indexing.refresh`)."""
    records = [r for r in (catalog.get(i) for i in doc_ids) if r is not None]
    return refresh(layout, catalog, records)


def _done(desk: Desk, result: StepResult) -> StepDone:
    return StepDone(result, reindex_documents(desk.layout, desk.catalog, result.changed_documents))


def take_step(
    desk: Desk,
    entry_id: int,
    name: str,
    actor: Actor,
    args: StepArgs | None = None,
    *,
    confirmed: bool = False,
) -> StepDone:
    """One step of the transition table, as a person asks for it."""
    step = STEPS.get(name)
    if step is None or not step.sources:
        raise UnknownStep(f"Langkah '{name}' tidak dikenal.")
    args = args or StepArgs()
    if step.irreversible and not confirmed:
        desk.register.check(entry_id, name, actor)  # a refusal says more than "confirm"
        raise NotConfirmed(f"Konfirmasi dahulu: {step.irreversible}")
    if name == "public_copy":
        return _done(desk, make_public_copy(desk, entry_id, args.document, actor))
    return _done(desk, desk.register.take(entry_id, name, actor, args))


def propose(desk: Desk, actor: Actor, draft: Draft, doc_ids: Sequence[str]) -> Entry:
    """A new entry and, when documents were chosen, their link (restricted at once)."""
    missing = [i for i in doc_ids if desk.catalog.get(i) is None]
    if missing:
        raise UnknownDocument(f"Dokumen tidak ditemukan: {', '.join(missing)}.")
    entry = desk.register.propose(actor, draft)
    if not doc_ids:
        return entry
    return take_step(desk, entry.id, "link", actor, StepArgs(documents=tuple(doc_ids))).result.entry


def mark_open(desk: Desk, doc_id: str, actor: Actor, note: str = "") -> tuple[list[str], bool]:
    changed = desk.register.mark_open(doc_id, actor, note or "dinyatakan terbuka")
    return changed, reindex_documents(desk.layout, desk.catalog, changed)


def covering_entries(
    register: ExemptionRegister, actor: Actor, doc_id: str
) -> list[dict[str, Any]]:
    """The live entries covering a document, for a register reader's document page:
    ``diusulkan`` (proposed, not decreed yet) or ``dikecualikan`` (in force)."""
    try:
        register.check_reader(actor)
    except NotAllowed:
        return []
    return [
        {"id": e.id, "status": e.status,
         "standing": "diusulkan" if e.status in PROPOSED else "dikecualikan"}
        for e in register.entries_of_document(doc_id)
        if e.status not in FINAL
    ]  # fmt: skip


def pick_documents(
    layout: ArchiveLayout, visible: frozenset[str], query: str, limit: int = PICK_LIMIT
) -> tuple[list[SearchHit], str | None]:
    """Documents to link, found by the index's search among the ``visible`` access levels
    (the filter is inside the query); titles and ids only, no snippet and no score. A query
    the index cannot read raises its ``QueryError`` (the caller words it for its reader)."""
    if not query.strip():
        return [], None
    try:
        found = search(layout.index, query, visible=visible, page_size=limit)
    except (IndexMissing, IndexOutdated):
        return [], "Indeks pencarian belum tersedia; jalankan `arsip reindex`."
    return list(found.hits), None


# ---------------------------------------------------------------------- public copies


def public_dir(layout: ArchiveLayout, doc_id: str) -> Path:
    return layout.home / PUBLIC_ROOT / doc_id


def public_copy_path(layout: ArchiveLayout, entry: Entry, doc_id: str) -> Path | None:
    """The verified public copy of a document of ``entry``: present, and its bytes still
    the SHA-256 the register recorded (a changed file is never served)."""
    link = next((d for d in entry.documents if d.document_id == doc_id), None)
    if link is None or not link.has_current_copy:
        return None
    path = public_dir(layout, doc_id) / PUBLIC_PDF
    if not path.is_file() or sha256_path(path) != link.public_sha256:
        return None
    return path


def _original(layout: ArchiveLayout, record: DocumentRecord) -> Path:
    found = layout.document_files(record.archive_path).original()
    if found is None:
        raise UnknownDocument(f"Berkas asli dokumen {record.id} tidak ditemukan di arsip.")
    return found


def _request(entry: Entry) -> RedactionRequest:
    spec = entry.draft.redaction
    areas = tuple(Area(r.page, r.left, r.top, r.width, r.height) for r in spec.regions)
    return RedactionRequest(spec.personal_numbers, spec.numbers, areas)


def make_public_copy(desk: Desk, entry_id: int, doc_id: str, actor: Actor) -> StepResult:
    """Redact the document's original as the entry's spec says; file the copy with its own
    manifest under ``archive-public/<id>/``; record its SHA-256 on the entry."""
    desk.register.check(entry_id, "public_copy", actor)  # before minutes of OCR, not after
    entry = desk.register.get(entry_id)
    record = desk.catalog.get(doc_id)
    if record is None or doc_id not in {d.document_id for d in entry.documents}:
        raise UnknownDocument(f"Dokumen {doc_id} tidak ditautkan ke entri #{entry_id}.")
    source = _original(desk.layout, record)
    kind = MIME_TO_KIND.get(record.mime, "txt")
    with tempfile.TemporaryDirectory(prefix="arsip-public-") as tmp:
        pdf = Path(tmp) / PUBLIC_PDF
        try:
            result = redact_document(source, kind, record.pages, _request(entry), desk.ocr, pdf)
        except TaskError as exc:
            raise InvalidEntry(f"Salinan tersamar tidak dapat dibuat: {exc}") from exc
        copy_sha = sha256_path(pdf)
        about = {
            "document": doc_id, "source_sha256": record.sha256, "entry": entry_id,
            "spec": entry.draft.redaction.to_json(), "boxes": result.boxes,
            "pages": [{"page": p.page, "boxes": p.boxes, "passes": p.passes} for p in result.pages],
            "made_by": actor.username, "made_at": datetime.now(UTC).isoformat(),
        }  # fmt: skip
        files: dict[str, Path | bytes] = {
            PUBLIC_PDF: pdf,
            TEXT: result.text.encode(),
            "redaction.json": json.dumps(about, indent=2, ensure_ascii=False).encode(),
        }
        target = public_dir(desk.layout, doc_id)
        filed = file_document(desk.layout, target, files, {PUBLIC_PDF: copy_sha})
    rel = str(filed.directory.relative_to(desk.layout.home))
    copy = PublicCopy(doc_id, record.sha256, copy_sha, rel)
    return desk.register.take(entry_id, "public_copy", actor, StepArgs(copy=copy))


def public_text(layout: ArchiveLayout, doc_id: str) -> str | None:
    """The OCR text of the redacted copy (what a public index of copies would hold)."""
    directory = public_dir(layout, doc_id)
    if MANIFEST not in {p.name for p in directory.glob("*")} or not read_manifest(directory):
        return None
    return (directory / TEXT).read_text(encoding="utf-8")
