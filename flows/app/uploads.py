"""Uploaded files: safe names in the inbox, atomic writes, and where each one ended up.

The name a browser sends is only a suggestion: path parts are dropped, odd characters
replaced, hidden and temporary-looking names refused, and a clash with a file already in
the inbox gets a numbered suffix. The bytes go to a hidden ``.part`` file that the ingest
run ignores and are renamed into place only when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from archive.catalog import Catalog
from archive.layout import PART_SUFFIX, REASON_SUFFIX, read_reason, reason_path
from archive.store import ArchiveLayout

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^\w.()\- ]+")
# The ingest run skips these as "still being copied"; an upload must never look like one.
_PARTIAL_SUFFIXES = (PART_SUFFIX, ".tmp", ".crdownload", ".partial", REASON_SUFFIX)
BATCH_ID = re.compile(r"[0-9a-f]{24}")
_USER_DIR = re.compile(r"[a-z][a-z0-9._-]{0,63}")
FINAL = frozenset({"diarsipkan", "duplikat", "dikarantina", "ditolak"})
AWAITING_REVIEW = "menunggu tinjauan PPID sebelum dapat dibuka"


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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "created_at": self.created_at.isoformat(),
            "files": [asdict(f) for f in self.files],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Batch:
        files = [UploadedFile(**f) for f in data["files"]]
        return cls(str(data["id"]), str(data["username"]),
                   datetime.fromisoformat(data["created_at"]), files)  # fmt: skip


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
    """Upload batches, kept on disk (``uploads/by-user/<user>/<batch>.json``) so that
    "Unggahan saya" still lists them after a restart; a person only ever reads their own
    folder, so another's batch id is "not found" for them."""

    def __init__(self, layout: ArchiveLayout) -> None:
        self._root = layout.home / "uploads" / "by-user"

    def new_batch(self, username: str) -> Batch:
        return Batch(secrets.token_hex(12), username, datetime.now(UTC))

    def save(self, batch: Batch) -> None:
        """Once its files are taken (a batch never changes after); atomically."""
        folder = self._folder(batch.username)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{batch.id}.part"
        tmp.write_text(json.dumps(batch.to_json(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / f"{batch.id}.json")

    def _folder(self, username: str) -> Path:
        # Usernames are checked at account creation; a hash keeps any other one a name.
        if _USER_DIR.fullmatch(username):
            return self._root / username
        return self._root / hashlib.sha256(username.encode()).hexdigest()[:32]

    def get(self, batch_id: str, username: str) -> Batch | None:
        if not BATCH_ID.fullmatch(batch_id):
            return None
        return _load(self._folder(username) / f"{batch_id}.json", username)

    def _paths(self, username: str) -> list[Path]:
        folder = self._folder(username)
        return list(folder.glob("*.json")) if folder.is_dir() else []

    def recent(self, username: str, limit: int = 10, offset: int = 0) -> list[Batch]:
        """Newest first."""
        paths = sorted(self._paths(username), key=_mtime, reverse=True)[offset : offset + limit]
        return [b for b in (_load(p, username) for p in paths) if b is not None]

    def count(self, username: str) -> int:
        return len(self._paths(username))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _load(path: Path, username: str) -> Batch | None:
    try:
        batch = Batch.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged record hides one batch, not the page
    return batch if batch.username == username else None


@dataclass(frozen=True)
class FileStatus:
    name: str
    status: str  # menunggu, diproses, diarsipkan, duplikat, dikarantina, ditolak
    document_id: str | None = None  # set only when the viewer may open the document
    detail: str | None = None
    reason: str | None = None  # the quarantine reason code, for dikarantina

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
        read = read_reason(reason)
        code, detail = (read.code, read.detail) if read else ("unknown", None)
        return FileStatus(item.original_name, "dikarantina", detail=detail, reason=code)
    if (layout.inbox / item.inbox_name).exists():
        return FileStatus(item.original_name, "diproses" if running else "menunggu")
    record = catalog.find_by_sha(item.sha256)
    if record is None:
        return FileStatus(item.original_name, "diproses")
    if record.access not in visible:
        # Bytes of a document this viewer may not see read exactly like a new filing (a
        # new document is never open yet): "duplikat" would tell that it exists.
        return FileStatus(item.original_name, "diarsipkan", None, AWAITING_REVIEW)
    status = "duplikat" if item.known_as else "diarsipkan"
    return FileStatus(item.original_name, status, record.id)
