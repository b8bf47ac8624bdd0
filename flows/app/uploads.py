"""Uploaded files: safe names in the inbox, atomic writes, and where each one ended up.

The name a browser sends is only a suggestion: path parts are dropped, odd characters
replaced, hidden and temporary-looking names refused, and a clash with a file already in
the inbox gets a numbered suffix. The bytes go to a hidden ``.part`` file that the ingest
run ignores and are renamed into place only when complete.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from archive.catalog import Catalog
from archive.layout import PART_SUFFIX, REASON_SUFFIX, read_reason, reason_path
from archive.store import ArchiveLayout

MAX_NAME_CHARS = 120
KEEP_BATCHES = 500
_UNSAFE = re.compile(r"[^\w.()\- ]+")
# The ingest run skips these as "still being copied"; an upload must never look like one.
_PARTIAL_SUFFIXES = (PART_SUFFIX, ".tmp", ".crdownload", ".partial", REASON_SUFFIX)
BATCH_ID = re.compile(r"[0-9a-f]{24}")
FINAL = frozenset({"diarsipkan", "duplikat", "dikarantina", "ditolak"})


class UploadRefused(Exception):
    """This one file is not taken; the message is shown to the person (Indonesian)."""


class TooLarge(UploadRefused):
    pass


@dataclass(frozen=True)
class UploadedFile:
    original_name: str
    inbox_name: str | None
    sha256: str | None
    size: int
    known_as: str | None  # the document these bytes already were, at upload time
    refused: str | None = None


@dataclass
class Batch:
    id: str
    username: str
    created_at: datetime
    files: list[UploadedFile] = field(default_factory=list)


def safe_name(raw: str) -> str:
    """The file name part of ``raw``, made safe to create in the inbox."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    name = _UNSAFE.sub("_", name)
    if not name or name.startswith(".") or set(name) <= {".", "_", " "}:
        raise UploadRefused("nama berkas tidak valid (kosong atau diawali titik)")
    if name.lower().endswith(_PARTIAL_SUFFIXES):
        raise UploadRefused("nama berkas seperti berkas sementara; ganti namanya dulu")
    stem, dot, suffix = name.rpartition(".")
    if len(name) > MAX_NAME_CHARS:
        keep = MAX_NAME_CHARS - len(suffix) - 1
        name = f"{stem[:keep]}.{suffix}" if dot and keep > 0 else name[:MAX_NAME_CHARS]
    return name


def _free_name(inbox: Path, name: str) -> Path:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = inbox / name, 1
    while candidate.exists():
        candidate = inbox / (f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}")
        n += 1
    return candidate


def save_upload(inbox: Path, raw_name: str, data: BinaryIO, max_bytes: int) -> tuple[Path, str]:
    """Copy ``data`` into the inbox under a safe, unused name; returns (path, sha256)."""
    name = safe_name(raw_name)
    inbox.mkdir(parents=True, exist_ok=True)
    tmp = inbox / f".upload-{secrets.token_hex(8)}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with tmp.open("xb") as out:
            while chunk := data.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"berkas lebih besar dari {max_bytes // (1024 * 1024)} MB")
                out.write(chunk)
                digest.update(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise UploadRefused("berkas kosong")
        # link() refuses to replace: two uploads racing for one name cannot overwrite.
        while True:
            dest = _free_name(inbox, name)
            try:
                os.link(tmp, dest)
                break
            except FileExistsError:
                continue
    finally:
        tmp.unlink(missing_ok=True)
    return dest, digest.hexdigest()


class UploadTracker:
    """Recent upload batches (in memory: progress is for the person watching now)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._batches: OrderedDict[str, Batch] = OrderedDict()

    def new_batch(self, username: str) -> Batch:
        batch = Batch(secrets.token_hex(12), username, datetime.now(UTC))
        with self._lock:
            self._batches[batch.id] = batch
            while len(self._batches) > KEEP_BATCHES:
                self._batches.popitem(last=False)
        return batch

    def get(self, batch_id: str, username: str) -> Batch | None:
        """Only the uploader sees a batch; anyone else gets the same "not found"."""
        if not BATCH_ID.fullmatch(batch_id):
            return None
        with self._lock:
            batch = self._batches.get(batch_id)
        return batch if batch is not None and batch.username == username else None

    def recent(self, username: str, limit: int = 10) -> list[Batch]:
        with self._lock:
            mine = [b for b in self._batches.values() if b.username == username]
        return mine[-limit:][::-1]


@dataclass(frozen=True)
class FileStatus:
    name: str
    status: str  # menunggu, diproses, diarsipkan, duplikat, dikarantina, ditolak
    document_id: str | None = None  # set only when the viewer may open the document
    detail: str | None = None

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def file_status(
    layout: ArchiveLayout,
    catalog: Catalog,
    item: UploadedFile,
    visible: frozenset[str],
    running: bool,
) -> FileStatus:
    if item.refused or item.inbox_name is None or item.sha256 is None:
        return FileStatus(item.original_name, "ditolak", detail=item.refused)
    reason = reason_path(layout.quarantined(item.sha256, item.inbox_name))
    if reason.exists():
        return FileStatus(item.original_name, "dikarantina", detail=_quarantine_reason(reason))
    if (layout.inbox / item.inbox_name).exists():
        return FileStatus(item.original_name, "diproses" if running else "menunggu")
    record = catalog.find_by_sha(item.sha256)
    if record is None:
        return FileStatus(item.original_name, "diproses")
    status = "duplikat" if item.known_as else "diarsipkan"
    shown = record.id if record.access in visible else None
    detail = None if shown else "menunggu tinjauan PPID sebelum dapat dibuka"
    return FileStatus(item.original_name, status, shown, detail)


def _quarantine_reason(path: Path) -> str:
    reason = read_reason(path)
    if reason is None:
        return "alasan tidak terbaca"
    return f"{reason.code}: {reason.detail}"
