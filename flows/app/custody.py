"""Where paper originals are kept, with search kept in step.

The location is searchable ("Boks 12"), so a change must reach the index at once: the
register here is the archive's, and after a change it re-indexes that document through
the one application-layer path (``exemptions.reindex_documents``: when the index is busy
the catalog holds the change and an index event asks for ``arsip reindex``).
"""

from __future__ import annotations

from archive.catalog import Catalog
from archive.custody.hardcopy import HardcopyLocation, HardcopyRegister
from archive.records import Actor
from archive.store import ArchiveLayout
from flows.app.exemptions import reindex_documents


class IndexedHardcopy(HardcopyRegister):
    """``HardcopyRegister`` whose ``set`` also refreshes the document in search."""

    def __init__(self, layout: ArchiveLayout, catalog: Catalog) -> None:
        super().__init__(catalog.engine)  # the catalog's engine: one file, same pragmas
        self.layout = layout
        self.catalog = catalog

    def set(self, document_id: str, location: HardcopyLocation, by: Actor) -> HardcopyLocation:
        before = super().set(document_id, location, by)
        if before != location:
            reindex_documents(self.layout, self.catalog, [document_id])
        return before
