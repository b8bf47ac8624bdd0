"""The catalog's checks from tests/test_catalog.py, on SQLite and on a real PostgreSQL,
plus what differs between the two engines (lengths, time zones, JSON, unique keys)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

import tests.test_catalog as base
from archive.catalog import Catalog
from archive.errors import CatalogUnavailable
from archive.records import EventRecord, Receipt

CHECKS: dict[str, Callable[[Catalog], None]] = {
    name: getattr(base, name) for name in sorted(dir(base)) if name.startswith("test_")
}


@pytest.fixture
def catalog(catalog_url: str) -> Iterator[Catalog]:
    cat = Catalog(catalog_url)
    yield cat
    cat.close()


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_catalog_checks(catalog: Catalog, check: str):
    CHECKS[check](catalog)


def test_long_once_key_and_names_are_kept(catalog: Catalog):
    """once keys embed file names (up to 255 bytes): PostgreSQL enforces VARCHAR lengths."""
    name = "laporan-" + "x" * 240 + ".pdf"
    key = f"duplicate:{'d' * 16}:{name}:{datetime.now(UTC).isoformat()}"
    ev = EventRecord(sha256="s" * 64, kind="duplicate", outcome="info", source_name=name)
    assert catalog.record_event(ev, once_key=key)
    assert not catalog.record_event(ev, once_key=key)
    assert [e.source_name for e in catalog.events(kind="duplicate")] == [name]


def test_times_come_back_as_the_same_instant_in_utc(catalog: Catalog):
    catalog.add_document(base._doc(), [])
    wib = timezone(timedelta(hours=7))
    at = datetime(2025, 3, 1, 8, 30, tzinfo=wib)
    catalog.add_receipt(Receipt("d1", "lagi.pdf", at, "duplicate"))
    got = catalog.receipts("d1")[-1].received_at
    assert got == at and got.utcoffset() == timedelta(0)


def test_event_detail_json_keeps_unicode_and_nesting(catalog: Catalog):
    detail = {"judul": "Keputusan — Pemilu “2024”", "halaman": [1, 2], "x": {"y": None}}
    catalog.record_event(EventRecord(sha256="s", kind="k", outcome="ok", detail=detail))
    assert catalog.events(kind="k")[0].detail == detail


def test_mark_released_and_update_document(catalog: Catalog):
    catalog.add_document(base._doc(), [])
    at = datetime(2025, 1, 1, tzinfo=UTC)
    catalog.mark_released("d1", at)
    catalog.update_document("d1", flags=("a", "b"), access="terbuka")
    got = catalog.get("d1")
    assert got is not None
    assert got.released_at == at and got.flags == ("a", "b") and got.access == "terbuka"
    assert [d.id for d in catalog.list_documents()] == ["d1"]
    assert catalog.count_documents() == 1


def test_unreachable_database_is_catalog_unavailable(catalog_url: str):
    if catalog_url.startswith("sqlite"):
        url = "sqlite:////nonexistent-dir/x/catalog.db"
    else:
        url = "postgresql+psycopg://arsip@127.0.0.1:9/none?connect_timeout=2"
    with pytest.raises(CatalogUnavailable):
        Catalog(url)
