"""Fixity: every archived file against its manifest, and the archive against the catalog."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from archive.catalog import Catalog
from archive.layout import MANIFEST, ArchiveLayout, document_dirs
from archive.store import read_manifest, sha256_path


@dataclass(frozen=True)
class Problem:
    kind: str  # corrupt | missing_file | unlisted_file | no_manifest | missing_document | orphan
    id: str | None
    path: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FixityReport:
    checked: int
    problems: tuple[Problem, ...]

    def to_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "problems": [p.to_json() for p in self.problems]}


def verify_archive(layout: ArchiveLayout, catalog: Catalog) -> FixityReport:
    """Re-hash every archived file; report differences without changing anything."""
    problems: list[Problem] = []
    checked = 0
    known = {doc.archive_path: doc.id for doc in catalog.iter_documents()}
    on_disk: set[str] = set()
    for directory in document_dirs(layout):
        rel = str(directory.relative_to(layout.home))
        on_disk.add(rel)
        doc_id = known.get(rel)
        if doc_id is None:
            problems.append(
                Problem(
                    "orphan", directory.name, rel, "directory in the archive but not in the catalog"
                )
            )
        found = list(check_directory(directory, doc_id, layout.home))
        checked += len(read_manifest(directory))
        problems.extend(found)
    for rel, doc_id in sorted(known.items()):
        if rel not in on_disk:
            problems.append(
                Problem(
                    "missing_document", doc_id, rel, "catalog record without its archive directory"
                )
            )
    return FixityReport(checked, tuple(problems))


def check_directory(directory: Path, doc_id: str | None, home: Path) -> Iterator[Problem]:
    manifest = read_manifest(directory)
    if not manifest:
        yield Problem("no_manifest", doc_id, _rel(directory, home), "manifest missing or empty")
        return
    for name, sha in sorted(manifest.items()):
        path = directory / name
        if not path.exists():
            yield Problem("missing_file", doc_id, _rel(path, home), "listed in manifest")
        elif (actual := sha256_path(path)) != sha:
            yield Problem(
                "corrupt", doc_id, _rel(path, home), f"sha256 {actual} differs from manifest {sha}"
            )
    for path in sorted(directory.iterdir()):
        if path.name != MANIFEST and path.name not in manifest:
            yield Problem("unlisted_file", doc_id, _rel(path, home), "not in manifest")


def _rel(path: Path, home: Path) -> str:
    return str(path.relative_to(home))
