"""The data root's on-disk contract: where things live and what the files are called.

Written once here and read by everything else (filing, fixity, the web app's downloads,
indexing, verify, the upload page): a document folder holds ``original.<ext>``,
``searchable.pdf`` (scans only), ``text.txt``, ``metadata.json`` and
``manifest-sha256.txt``; a quarantined file is ``quarantine/<sha12>-<name>`` with
``<sha12>-<name>.reason.json`` beside it.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ORIGINAL_STEM = "original"
SEARCHABLE = "searchable.pdf"
TEXT = "text.txt"
METADATA = "metadata.json"
MANIFEST = "manifest-sha256.txt"
NO_YEAR = "tanpa-tahun"
REASON_SUFFIX = ".reason.json"
PART_SUFFIX = ".part"  # a copy being written; renamed into place once complete
# File kinds (tasks.detect) whose usual extension differs from the kind's name.
_EXTENSIONS: Mapping[str, str] = {"jpeg": "jpg"}


def original_name(kind: str) -> str:
    """``original.<ext>`` for a detected file kind (``pdf``, ``png``, ``jpeg`` -> ``jpg``)."""
    return f"{ORIGINAL_STEM}.{_EXTENSIONS.get(kind, kind)}"


def _plain_file(path: Path) -> Path | None:
    # A symlink in the archive is never followed: it could point anywhere on the machine.
    return path if path.is_file() and not path.is_symlink() else None


@dataclass(frozen=True)
class DocumentFiles:
    """The files of one document folder (``archive/<year>/<doc_type>/<id>/``)."""

    directory: Path

    @property
    def text(self) -> Path:
        return self.directory / TEXT

    @property
    def searchable(self) -> Path:
        return self.directory / SEARCHABLE

    @property
    def metadata(self) -> Path:
        return self.directory / METADATA

    @property
    def manifest(self) -> Path:
        return self.directory / MANIFEST

    def original(self) -> Path | None:
        """The one ``original.*`` file; None when there is none or more than one."""
        found = [p for p in self.directory.glob(f"{ORIGINAL_STEM}.*") if _plain_file(p)]
        return found[0] if len(found) == 1 else None

    def searchable_if_present(self) -> Path | None:
        return _plain_file(self.searchable)

    def read_text(self) -> str | None:
        """The extracted text; None when the folder or the file is missing."""
        try:
            return self.text.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None


@dataclass(frozen=True)
class ArchiveLayout:
    home: Path

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def index(self) -> Path:
        return self.home / "index"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def processed(self) -> Path:
        return self.home / "processed"

    @property
    def cache(self) -> Path:
        return self.home / "cache"

    @property
    def staging(self) -> Path:
        return self.archive / ".staging"

    @property
    def replaced(self) -> Path:
        return self.archive / ".replaced"

    def ensure(self) -> None:
        for d in (self.inbox, self.archive, self.quarantine, self.cache, self.staging):
            d.mkdir(parents=True, exist_ok=True)

    def document_dir(self, year: int | None, doc_type: str, doc_id: str) -> Path:
        return self.archive / (str(year) if year else NO_YEAR) / doc_type / doc_id

    def document_files(self, archive_path: str) -> DocumentFiles:
        """The folder of a catalog record (its ``archive_path``, relative to the home)."""
        return DocumentFiles(self.home / archive_path)

    def quarantined(self, sha256: str, name: str) -> Path:
        """Where the rejected inbox file ``name`` with this SHA-256 is kept."""
        return self.quarantine / quarantine_name(sha256, name)


def quarantine_name(sha256: str, name: str) -> str:
    # The hash in the name lets a re-run after a crash find its own earlier copy, and
    # keeps two different files of the same name apart.
    return f"{sha256[:12]}-{name}"


def reason_path(quarantined: Path) -> Path:
    return quarantined.with_name(quarantined.name + REASON_SUFFIX)


def is_reason_file(name: str) -> bool:
    return name.endswith(REASON_SUFFIX)


@dataclass(frozen=True)
class QuarantineReason:
    """What ``<name>.reason.json`` says: ``code`` (``corrupt``, ``too_large``, ...) and a
    detail a person can act on, the inbox file's name and the run that rejected it."""

    code: str
    detail: str
    file: str | None = None
    run_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


def read_reason(path: Path) -> QuarantineReason | None:
    """The reason file at ``path``; None when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    file, run_id = data.get("file"), data.get("run_id")
    return QuarantineReason(
        code=str(data.get("code", "unknown")),
        detail=str(data.get("detail", "")),
        file=str(file) if file is not None else None,
        run_id=str(run_id) if run_id is not None else None,
        data=data,
    )


def find_reason(quarantine: Path, name: str, run_id: str) -> Path | None:
    """The reason file a given run wrote for the inbox file ``name`` (the same name may
    have been quarantined by an earlier run too, with other bytes)."""
    for path in sorted(quarantine.glob(f"*-{glob.escape(name)}{REASON_SUFFIX}")):
        reason = read_reason(path)
        if reason is not None and reason.run_id == run_id and reason.file == name:
            return path
    return None


def quarantined_files(layout: ArchiveLayout) -> Iterator[Path]:
    """Every file waiting in quarantine (not its reason file, not a copy being written)."""
    if not layout.quarantine.exists():
        return
    for path in sorted(layout.quarantine.iterdir()):
        if path.is_file() and not path.name.endswith((REASON_SUFFIX, PART_SUFFIX)):
            yield path


def document_dirs(layout: ArchiveLayout) -> Iterator[Path]:
    """Every filed document directory (year/doc_type/id), skipping staging areas."""
    if not layout.archive.exists():
        return
    for year in sorted(layout.archive.iterdir()):
        if year.name.startswith(".") or not year.is_dir():
            continue
        for doc_type in sorted(p for p in year.iterdir() if p.is_dir()):
            yield from sorted(p for p in doc_type.iterdir() if p.is_dir())
