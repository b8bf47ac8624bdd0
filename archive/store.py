"""Writing the archive: atomic filing with a SHA-256 manifest, and quarantine.

Filing writes everything into a staging directory, fsyncs, re-reads and compares every
file with its manifest, and only then renames the directory into place. A crash leaves
either nothing or a complete, verified document directory; never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archive.errors import IntegrityFailure
from archive.layout import MANIFEST, PART_SUFFIX, reason_path
from archive.layout import ArchiveLayout as ArchiveLayout  # re-exported: most callers use it


@dataclass(frozen=True)
class Filed:
    directory: Path
    manifest: Mapping[str, str]  # file name -> sha256


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_path(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_document(
    layout: ArchiveLayout,
    target: Path,
    files: Mapping[str, Path | bytes],
    expected: Mapping[str, str],
) -> Filed:
    """Write ``files`` as the document directory ``target``, verified against ``expected``.

    ``expected`` holds hashes known before writing (the inbox original's): a mismatch after
    the write raises :class:`IntegrityFailure` and nothing is moved into place.
    """
    staging = layout.staging / f"{target.name}-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    try:
        manifest = {name: _write_synced(staging / name, src) for name, src in files.items()}
        _check_expected(manifest, expected)
        _write_synced(staging / MANIFEST, render_manifest(manifest).encode())
        _verify_directory(staging, manifest)
        _fsync_dir(staging)
        _move_into_place(layout, staging, target, manifest)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return Filed(target, manifest)


def _write_synced(dest: Path, src: Path | bytes) -> str:
    digest = hashlib.sha256()
    with dest.open("wb") as out:
        if isinstance(src, bytes):
            out.write(src)
            digest.update(src)
        else:
            with src.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    out.write(chunk)
                    digest.update(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _check_expected(manifest: Mapping[str, str], expected: Mapping[str, str]) -> None:
    for name, sha in expected.items():
        if manifest.get(name) != sha:
            raise IntegrityFailure(
                f"{name}: wrote {manifest.get(name)} but the source was {sha}; "
                "the source file changed or the disk is failing"
            )


def _verify_directory(directory: Path, manifest: Mapping[str, str]) -> None:
    """Re-read what was written: the checkpoint that the archive holds the same bytes."""
    for name, sha in manifest.items():
        actual = sha256_path(directory / name)
        if actual != sha:
            raise IntegrityFailure(f"{directory / name}: re-read {actual}, expected {sha}")


def _move_into_place(
    layout: ArchiveLayout, staging: Path, target: Path, manifest: Mapping[str, str]
) -> None:
    if target.exists():
        if read_manifest(target) == dict(manifest):
            return  # an interrupted earlier run already filed exactly this
        # Derived files changed (new OCR settings, say): keep the old copy, never delete.
        layout.replaced.mkdir(parents=True, exist_ok=True)
        target.rename(layout.replaced / f"{target.name}-{int(time.time())}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(target)
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def render_manifest(manifest: Mapping[str, str]) -> str:
    # sha256sum's format, so `sha256sum -c manifest-sha256.txt` works by hand too.
    return "".join(f"{sha}  {name}\n" for name, sha in sorted(manifest.items()))


def read_manifest(directory: Path) -> dict[str, str]:
    path = directory / MANIFEST
    if not path.exists():
        return {}
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        sha, _, name = line.partition("  ")
        if name:
            entries[name] = sha
    return entries


def quarantine_file(
    layout: ArchiveLayout, source: Path, sha256: str, reason: Mapping[str, object]
) -> Path:
    """Move a rejected inbox file to quarantine with ``<name>.reason.json`` beside it.

    The copy is written and checked before the inbox file is removed, and the name
    carries the hash so a re-run after a crash finds its own earlier copy.
    """
    layout.quarantine.mkdir(parents=True, exist_ok=True)
    dest = layout.quarantined(sha256, source.name)
    if not dest.exists() or sha256_path(dest) != sha256:
        tmp = dest.with_name(dest.name + PART_SUFFIX)
        _write_synced(tmp, source)
        tmp.replace(dest)
    if sha256_path(dest) != sha256:
        raise IntegrityFailure(f"quarantine copy of {source.name} does not match its source")
    _write_synced(reason_path(dest), json.dumps(reason, indent=2, ensure_ascii=False).encode())
    _fsync_dir(layout.quarantine)
    source.unlink()
    return dest
