from __future__ import annotations

from datetime import UTC, date, datetime

from archive.catalog import Catalog
from archive.records import DocumentRecord, EventRecord, Receipt
from tests.support.records import document_record


def _doc(doc_id: str = "d1") -> DocumentRecord:
    return document_record(
        doc_id,
        sha256=(doc_id * 64)[:64],
        source_name="a.pdf",
        doc_type="keputusan",
        number="88/Kpts/KPU/TAHUN 2015",
        date=date(2015, 3, 1),
        year=2015,
        unit="KPU RI",
        title="T",
        pages=2,
        text_source="ocr",
        ocr_confidence=91.5,
        flags=("data_pribadi",),
        archive_path="archive/2015/keputusan/d1",
        received_at=datetime(2024, 1, 2, tzinfo=UTC),
    )


def test_document_round_trip_with_events(catalog: Catalog):
    ev = EventRecord(
        sha256=_doc().sha256, kind="intake", outcome="ok", detail={"a": 1}, document_id="d1"
    )
    assert catalog.add_document(_doc(), [ev])
    got = catalog.get("d1")
    assert got is not None
    assert got.date == date(2015, 3, 1) and got.flags == ("data_pribadi",)
    assert got.received_at == datetime(2024, 1, 2, tzinfo=UTC)
    assert [e.kind for e in catalog.events(document_id="d1")] == ["intake"]
    assert catalog.find_by_sha(_doc().sha256) is not None
    assert [r.kind for r in catalog.receipts("d1")] == ["original"]


def test_second_insert_is_refused_without_side_effects(catalog: Catalog):
    assert catalog.add_document(_doc(), [])
    ev = EventRecord(sha256=_doc().sha256, kind="again", outcome="ok")
    assert not catalog.add_document(_doc(), [ev])
    assert catalog.events(kind="again") == []
    assert catalog.count_documents() == 1


def test_once_key_and_receipt_are_idempotent(catalog: Catalog):
    catalog.add_document(_doc(), [])
    ev = EventRecord(sha256="s", kind="quarantine", outcome="fail")
    assert catalog.record_event(ev, once_key="k")
    assert not catalog.record_event(ev, once_key="k")
    r = Receipt("d1", "copy.pdf", datetime(2024, 5, 1, tzinfo=UTC), "duplicate")
    assert catalog.add_receipt(r)
    assert not catalog.add_receipt(r)
    assert len(catalog.receipts("d1")) == 2


def test_catalog_reopens_existing_database(catalog: Catalog):
    catalog.add_document(_doc(), [])
    again = Catalog(catalog.url)
    assert again.get("d1") is not None
    again.close()
