"""Snippet texts come from the folder the index stored; the catalog only for older indexes."""

from __future__ import annotations

from pathlib import Path

from archive.catalog import Catalog
from archive.layout import ArchiveLayout
from flows.app.texts import lazy_text_loader


def test_a_stored_folder_is_read_without_opening_the_catalog(tmp_path: Path) -> None:
    layout = ArchiveLayout(tmp_path)
    folder = tmp_path / "archive" / "2024" / "notulen" / "a1"
    folder.mkdir(parents=True)
    (folder / "text.txt").write_text("rapat pleno", encoding="utf-8")
    opened: list[int] = []

    def open_catalog() -> Catalog:
        opened.append(1)
        raise AssertionError("the catalog is not needed for a stored folder")

    load = lazy_text_loader(layout, open_catalog)
    assert load("a1", "archive/2024/notulen/a1") == "rapat pleno"
    assert load("zz", "archive/2024/notulen/zz") is None  # folder gone: no snippet
    assert opened == []


def test_without_a_stored_folder_the_catalog_record_names_it(tmp_path: Path) -> None:
    layout = ArchiveLayout(tmp_path)
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    load = lazy_text_loader(layout, lambda: catalog)
    assert load("missing", None) is None
