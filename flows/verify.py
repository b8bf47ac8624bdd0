"""``arsip verify``: archive fixity (archive package) plus catalog-vs-index consistency."""

from __future__ import annotations

from archive.catalog import Catalog
from archive.fixity import FixityReport, Problem, verify_archive
from archive.store import ArchiveLayout
from index import SearchIndexError, indexed_ids, leftover_dirs


def index_problems(layout: ArchiveLayout, catalog: Catalog) -> list[Problem]:
    """Every catalog id must be in the index and nothing else may be."""
    try:
        in_index = indexed_ids(layout.index)
    except SearchIndexError as exc:
        return [Problem("index_unusable", None, str(layout.index.name), f"{exc}")]
    in_catalog = {d.id: d.archive_path for d in catalog.iter_documents()}
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


def verify_all(layout: ArchiveLayout, catalog: Catalog) -> FixityReport:
    report = verify_archive(layout, catalog)
    extra = (
        index_problems(layout, catalog)
        if catalog.count_documents() or layout.index.exists()
        else []
    )
    return FixityReport(report.checked, report.problems + tuple(extra))
