"""What an exemption step needs beyond the register: re-indexing the documents whose
access changed, and making the redacted public copy of a partly exempted document.

Plain functions without Prefect, shared by the web app and the flows (``review``,
``approve``); the register itself (``archive``) cannot reach the index or the OCR.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from archive.catalog import Catalog
from archive.exemptions import (
    Actor,
    Entry,
    ExemptionRegister,
    InvalidEntry,
    Outcome,
    UnknownDocument,
    check_transition,
)
from archive.layout import MANIFEST, TEXT
from archive.records import DocumentRecord
from archive.store import ArchiveLayout, file_document, read_manifest, sha256_path
from flows.app.indexing import refresh
from tasks.detect import MIME_TO_KIND
from tasks.ocr import OcrOptions
from tasks.redact import Area, RedactionRequest, redact_document

PUBLIC_ROOT = "archive-public"  # beside archive/: verify and reindex never mistake it
PUBLIC_PDF = "redacted.pdf"


def reindex_documents(layout: ArchiveLayout, catalog: Catalog, doc_ids: Sequence[str]) -> bool:
    """Search reflects the new access at once (see :func:`flows.app.indexing.refresh`)."""
    records = [r for r in (catalog.get(i) for i in doc_ids) if r is not None]
    return refresh(layout, catalog, records)


def after_step(layout: ArchiveLayout, catalog: Catalog, outcome: Outcome) -> bool:
    return reindex_documents(layout, catalog, outcome.changed_documents)


def public_dir(layout: ArchiveLayout, doc_id: str) -> Path:
    return layout.home / PUBLIC_ROOT / doc_id


def public_copy_path(layout: ArchiveLayout, entry: Entry, doc_id: str) -> Path | None:
    """The verified public copy of a document of ``entry``: present, and its bytes still
    the SHA-256 the register recorded (a changed file is never served)."""
    link = next((d for d in entry.documents if d.document_id == doc_id), None)
    if link is None or link.public_sha256 is None or link.public_source_sha256 != link.sha256:
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


def make_public_copy(
    layout: ArchiveLayout,
    catalog: Catalog,
    register: ExemptionRegister,
    entry_id: int,
    doc_id: str,
    actor: Actor,
    options: OcrOptions,
) -> Outcome:
    """Redact the document's original as the entry's spec says; file the copy with its own
    manifest under ``archive-public/<id>/``; record its SHA-256 on the entry."""
    entry = register.get(entry_id)
    check_transition("public_copy", entry, actor)  # before minutes of OCR, not after
    if entry.draft.scope != "sebagian":
        raise InvalidEntry("Salinan publik tersamar hanya untuk pengecualian sebagian.")
    record = catalog.get(doc_id)
    if record is None or doc_id not in {d.document_id for d in entry.documents}:
        raise UnknownDocument(f"Dokumen {doc_id} tidak ditautkan ke entri #{entry_id}.")
    source = _original(layout, record)
    kind = MIME_TO_KIND.get(record.mime, "txt")
    with tempfile.TemporaryDirectory(prefix="arsip-public-") as tmp:
        pdf = Path(tmp) / PUBLIC_PDF
        result = redact_document(source, kind, record.pages, _request(entry), options, pdf)
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
        filed = file_document(layout, public_dir(layout, doc_id), files, {PUBLIC_PDF: copy_sha})
    rel = str(filed.directory.relative_to(layout.home))
    return register.record_public_copy(entry_id, actor, doc_id, record.sha256, copy_sha, rel)


def public_text(layout: ArchiveLayout, doc_id: str) -> str | None:
    """The OCR text of the redacted copy (what a public index of copies would hold)."""
    directory = public_dir(layout, doc_id)
    if MANIFEST not in {p.name for p in directory.glob("*")} or not read_manifest(directory):
        return None
    return (directory / TEXT).read_text(encoding="utf-8")
