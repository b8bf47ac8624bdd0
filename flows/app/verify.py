"""``arsip verify``: archive fixity (archive package) plus catalog-vs-index consistency,
stray files in the archive tree, and the quarantine backlog (reported, never a problem)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from archive.catalog import Catalog
from archive.fixity import FixityReport, Problem, verify_archive
from archive.layout import quarantined_files, read_reason, reason_path
from archive.store import ArchiveLayout
from flows.app.recovery import leftover_problems
from index import SearchIndexError, indexed_ids, leftover_dirs

# A quarantined file is a person's to-do; older than this it is called out.
BACKLOG_WARN_DAYS = 7.0


def index_problems(layout: ArchiveLayout, catalog: Catalog) -> list[Problem]:
    """Every searchable catalog id must be in the index and nothing else may be (a merged
    re-scan is in the catalog, not in the index)."""
    try:
        in_index = indexed_ids(layout.index)
    except SearchIndexError as exc:
        return [Problem("index_unusable", None, str(layout.index.name), f"{exc}")]
    in_catalog = {d.id: d.archive_path for d in catalog.iter_documents() if not d.merged_into}
    problems = [
        Problem("not_indexed", doc_id, path, "in the catalog but not findable; run reindex")
        for doc_id, path in sorted(in_catalog.items())
        if doc_id not in in_index
    ]
    problems += [
        Problem("index_leftover", None, stale.name, "left by an interrupted rebuild; reindex")
        for stale in leftover_dirs(layout.index)
    ]
    problems += [
        Problem("index_orphan", doc_id, str(layout.index.name), "in the index, not the catalog")
        for doc_id in sorted(in_index - in_catalog.keys())
    ]
    return problems


def index_check(layout: ArchiveLayout, catalog: Catalog) -> list[Problem]:
    """Catalog vs index, skipped on a fresh data root (no documents, no index yet)."""
    if catalog.count_documents() or layout.index.exists():
        return index_problems(layout, catalog)
    return []


def stray_files(layout: ArchiveLayout) -> list[Problem]:
    """Files beside the document directories (``archive/<year>/`` or ``<year>/<type>/``):
    they belong to no document, so the per-directory fixity check never sees them."""
    if not layout.archive.exists():
        return []
    problems = []
    for year in sorted(layout.archive.iterdir()):
        if year.name.startswith("."):
            continue  # staging and replaced copies are the filing code's own
        # Files at the top, in a year folder or in a type folder; document dirs are deeper.
        folders = [year, *(p for p in year.iterdir() if p.is_dir())] if year.is_dir() else []
        found = [year] if year.is_file() else [p for d in folders for p in d.iterdir()]
        problems += [
            Problem("orphan_file", None, str(p.relative_to(layout.home)), "belongs to no document")
            for p in sorted(found)
            if p.is_file()
        ]
    return problems


def verify_all(layout: ArchiveLayout, catalog: Catalog) -> FixityReport:
    report = verify_archive(layout, catalog)
    extra = stray_files(layout) + leftover_problems(layout) + index_check(layout, catalog)
    return FixityReport(report.checked, report.problems + tuple(extra))


@dataclass(frozen=True)
class Quarantined:
    name: str
    code: str
    detail: str
    age_days: float
    reason_file: Path | None


def quarantine_backlog(layout: ArchiveLayout, now: float | None = None) -> list[Quarantined]:
    """Files waiting in quarantine for a person, oldest first (age from the file's mtime)."""
    now = time.time() if now is None else now
    items = []
    for path in quarantined_files(layout):
        reason_file = reason_path(path)
        reason = read_reason(reason_file)
        code, detail = (
            (reason.code, reason.detail)
            if reason
            else ("unknown", "reason file missing or unreadable")
        )
        age = max(0.0, (now - path.stat().st_mtime) / 86400)
        found = reason_file if reason_file.exists() else None
        items.append(Quarantined(path.name, code, detail, age, found))
    return sorted(items, key=lambda q: (-q.age_days, q.name))
