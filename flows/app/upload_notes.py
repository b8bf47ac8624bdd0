"""What the uploader says about the paper at upload (its type, where the hardcopy is kept,
who handed it over), kept beside the upload and applied when the document is filed.

The note travels by a small JSON file, ``uploads/pending/<sha12>-<inbox name>.json`` (the
quarantine's naming: the hash tells two files of one name apart). The ingest run, after
filing, applies the notes of the files it filed as new documents, through the same
functions the staff pages use (a correction event, the hardcopy register, a handover
record), in the uploader's name, then removes them. A file that turned out to be a
duplicate changes nothing it did not file: its note is dropped. A quarantined file keeps
its note for the retry.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from archive.catalog import Catalog
from archive.custody import CustodyError, InvalidCustody
from archive.custody.handover import MAX_FIELD, HandoverRegister
from archive.custody.hardcopy import FIELDS, HardcopyLocation, HardcopyRegister
from archive.db import as_utc, utc_now
from archive.layout import quarantine_name
from archive.records import Actor
from archive.store import ArchiveLayout
from flows.app.corrections import Correction, InvalidCorrection, apply_correction
from flows.app.pipeline import Result

STALE_NOTE_DAYS = 30


@dataclass(frozen=True)
class HandoverNote:
    division: str
    handed_over_by: str
    handed_over_at: datetime
    verified: bool = False
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "handed_over_at": self.handed_over_at.isoformat()}


@dataclass(frozen=True)
class UploadNote:
    """All optional: an empty note is not written."""

    username: str
    role: str
    doc_type: str | None = None
    location: HardcopyLocation = field(default_factory=HardcopyLocation)
    handover: HandoverNote | None = None

    def is_empty(self) -> bool:
        return self.doc_type is None and self.location.is_empty() and self.handover is None

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role,
            "doc_type": self.doc_type,
            "location": self.location.to_json(),
            "handover": self.handover.to_json() if self.handover else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UploadNote:
        given = data.get("handover")
        handover = None
        if isinstance(given, dict):
            when = datetime.fromisoformat(str(given["handed_over_at"]))
            handover = HandoverNote(**{**given, "handed_over_at": when})
        return cls(
            username=str(data["username"]),
            role=str(data["role"]),
            doc_type=data.get("doc_type") or None,
            location=HardcopyLocation(**(data.get("location") or {})),
            handover=handover,
        )


def _text(value: str, what: str) -> str:
    text = " ".join(value.split())
    if len(text) > MAX_FIELD:
        raise InvalidCustody(f"{what} terlalu panjang (maks. {MAX_FIELD} karakter).")
    return text


def parse_handover(form: dict[str, str], when: datetime | None) -> HandoverNote | None:
    """None when no handover field is filled; else all that a handover needs, checked now
    (the person is still at the form), not when the run files the document."""
    division = _text(form.get("division", ""), "Bidang/divisi")
    by = _text(form.get("handed_over_by", ""), "Nama yang menyerahkan")
    if not (division or by or when):
        return None
    if not division or not by or when is None:
        raise InvalidCustody(
            "Serah terima: isi bidang/divisi, nama yang menyerahkan, dan waktunya."
        )
    if as_utc(when) > utc_now():
        raise InvalidCustody("Waktu serah terima tidak boleh di masa depan.")
    verified = form.get("verified") in ("1", "on")
    return HandoverNote(division, by, when, verified, form.get("note", "").strip()[:2000])


def parse_note(
    by: Actor, form: dict[str, str], doc_types: Sequence[str], when: datetime | None
) -> UploadNote:
    doc_type = form.get("doc_type", "").strip() or None
    if doc_type is not None and doc_type not in doc_types:
        raise InvalidCustody("Jenis dokumen tidak dikenal.")
    location = HardcopyLocation.clean(**{name: form.get(name, "") for name in FIELDS})
    return UploadNote(by.username, by.role, doc_type, location, parse_handover(form, when))


def pending_dir(layout: ArchiveLayout) -> Path:
    return layout.home / "uploads" / "pending"


def note_path(layout: ArchiveLayout, sha256: str, inbox_name: str) -> Path:
    return pending_dir(layout) / f"{quarantine_name(sha256, inbox_name)}.json"


def write_note(layout: ArchiveLayout, sha256: str, inbox_name: str, note: UploadNote) -> None:
    """Written before the ingest run is asked for, atomically (a run never reads half)."""
    path = note_path(layout, sha256, inbox_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{secrets.token_hex(6)}.part")
    tmp.write_text(json.dumps(note.to_json(), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def read_note(path: Path) -> UploadNote | None:
    try:
        return UploadNote.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable: never block filing over a note


Warn = Callable[[str], None]


def apply_upload_notes(
    layout: ArchiveLayout, catalog: Catalog, results: Sequence[Result], warn: Warn
) -> int:
    """After a run: apply the notes of the files it filed; returns how many it applied."""
    applied = 0
    _prune(pending_dir(layout))
    for result in results:
        if result.outcome == "quarantined" or result.id is None:
            continue  # kept for the retry (or the person's next upload)
        record = catalog.get(result.id)
        path = note_path(layout, record.sha256, result.file) if record else None
        note = read_note(path) if path else None
        if path is None or note is None or record is None:
            continue
        if result.outcome == "archived":
            try:
                _apply(layout, catalog, result.id, note)
                applied += 1
            except (CustodyError, InvalidCorrection) as exc:
                warn(f"{result.file}: the uploader's note was not applied: {exc}")
        path.unlink(missing_ok=True)
    return applied


def _prune(folder: Path) -> None:
    """Notes of files that never came back from quarantine: a retry comes within hours."""
    cutoff = time.time() - STALE_NOTE_DAYS * 86400
    for path in folder.glob("*.json") if folder.is_dir() else ():
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _apply(layout: ArchiveLayout, catalog: Catalog, doc_id: str, note: UploadNote) -> None:
    who = Actor(note.username, note.role)
    record = catalog.get(doc_id)
    if record is not None and note.doc_type and note.doc_type != record.doc_type:
        fix = Correction(
            note.doc_type, record.number, record.date, record.unit, record.title, False
        )
        apply_correction(catalog, layout, (who.username, who.role), record, fix)
    if not note.location.is_empty():
        HardcopyRegister(catalog.engine).set(doc_id, note.location, who)
    if note.handover is not None:
        h = note.handover
        HandoverRegister(catalog.engine).record(
            doc_id, h.division, h.handed_over_by, h.handed_over_at, who,
            verified=h.verified, note=h.note,
        )  # fmt: skip
