"""A document's archived text (``text.txt``): what snippets are cut from and what is indexed.

Kept apart from :mod:`flows.app.indexing`, which loads the index writer, so that
``arsip search`` loads neither the writer nor, until a snippet is actually cut, the
catalog's database library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from archive.layout import ArchiveLayout
from index.records import TextLoader

if TYPE_CHECKING:
    from archive.catalog import Catalog
    from archive.records import DocumentRecord


def archived_text(layout: ArchiveLayout, record: DocumentRecord) -> str | None:
    return layout.document_files(record.archive_path).read_text()


def text_loader(layout: ArchiveLayout, catalog: Catalog) -> TextLoader:
    """Snippets are cut from the archive's text: the index stores no full text."""
    return lazy_text_loader(layout, lambda: catalog)


def lazy_text_loader(layout: ArchiveLayout, open_catalog: Callable[[], Catalog]) -> TextLoader:
    """Like :func:`text_loader`, opening the catalog on the first snippet only.

    The folder is the catalog record's ``archive_path`` (stored in the index with the
    hit, or looked up), not the hit's type and year: a correction changes those in the
    catalog and the index but never moves the folder filed at intake.
    """
    opened: list[Catalog] = []

    def load(doc_id: str, folder: str | None) -> str | None:
        if folder is not None:
            return layout.document_files(folder).read_text()
        if not opened:
            opened.append(open_catalog())
        path = opened[0].archive_path(doc_id)
        return layout.document_files(path).read_text() if path is not None else None

    return load
