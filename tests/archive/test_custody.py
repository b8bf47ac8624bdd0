"""Custody records: handovers (append-only, naming both sides) and hardcopy locations,
each writing its catalog event in the same transaction as its own row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from archive.catalog import Catalog
from archive.custody import InvalidCustody, UnknownDocument
from archive.custody.handover import HandoverRegister
from archive.custody.hardcopy import HardcopyLocation, HardcopyRegister, InvalidLocation
from archive.records import Actor
from tests.exemptions.conftest import DOC_A, document

PETUGAS = Actor("petugas1", "petugas")
ATASAN = Actor("atasan1", "atasan")


@pytest.fixture
def docs(catalog: Catalog) -> Catalog:
    catalog.add_document(document(DOC_A), [])
    return catalog


def test_handover_names_both_sides_and_its_event(docs: Catalog):
    handovers = HandoverRegister(docs.engine)
    wib = timezone(timedelta(hours=7))
    when = datetime(2024, 5, 2, 9, 30, tzinfo=wib)
    record = handovers.record(DOC_A, "Subbagian Hukum", "Dewi", when, PETUGAS, verified=True)
    assert (record.division, record.received_by, record.handed_over_at) == (
        "Subbagian Hukum",
        "petugas1",
        when,
    )
    assert record.handed_over_at.utcoffset() == timedelta(0)  # the same instant, in UTC
    assert handovers.list(DOC_A) == [record]  # read back exactly as returned
    event = docs.events(document_id=DOC_A, kind="serah_terima")[0]
    assert event.detail["bidang"] == "Subbagian Hukum" and event.detail["by"] == "petugas1"
    assert event.detail["waktu_serah"] == "2024-05-02T02:30:00+00:00"
    assert event.at == record.recorded_at


def test_handover_refusals_write_nothing(docs: Catalog):
    handovers = HandoverRegister(docs.engine)
    when = datetime(2024, 5, 2, 2, 30, tzinfo=UTC)
    with pytest.raises(InvalidCustody, match="Bidang/divisi wajib diisi"):
        handovers.record(DOC_A, " ", "Dewi", when, PETUGAS, verified=True)
    with pytest.raises(InvalidCustody, match="Petugas PPID atau Pejabat PPID"):
        handovers.record(DOC_A, "Hukum", "Dewi", when, ATASAN, verified=True)
    with pytest.raises(InvalidCustody, match="masa depan"):
        handovers.record(DOC_A, "Hukum", "Dewi", datetime.now(UTC) + timedelta(hours=1), PETUGAS,
                         verified=True)  # fmt: skip
    with pytest.raises(UnknownDocument):
        handovers.record("f" * 16, "Hukum", "Dewi", when, PETUGAS, verified=True)
    assert handovers.list() == [] and docs.events(kind="serah_terima") == []


def test_handovers_are_append_only(docs: Catalog):
    handovers = HandoverRegister(docs.engine)
    when = datetime(2024, 5, 2, 2, 30, tzinfo=UTC)
    handovers.record(DOC_A, "Hukum", "Dewi", when, PETUGAS, verified=False)
    for sql in ("UPDATE handovers SET division = 'x'", "DELETE FROM handovers"):
        with docs.engine.begin() as conn, pytest.raises(DatabaseError, match="append-only"):
            conn.execute(text(sql))
    assert [h.division for h in handovers.list()] == ["Hukum"]


def test_hardcopy_location_and_its_history(docs: Catalog):
    register = HardcopyRegister(docs.engine)
    where = HardcopyLocation.clean(room="  Ruang  Arsip ", cabinet="L1", box="B2", folder="")
    assert where.room == "Ruang Arsip"
    assert register.set(DOC_A, where, PETUGAS).is_empty()
    assert register.set(DOC_A, where, Actor("siti", "ppid")) == where  # unchanged: no event
    assert register.set(DOC_A, HardcopyLocation(), Actor("siti", "ppid")) == where
    stored = register.get(DOC_A)
    assert stored is not None and stored.updated_by == "siti" and stored.location.is_empty()
    events = docs.events(document_id=DOC_A, kind="hardcopy_location")
    assert [(e.detail["by"], e.detail["after"]["room"]) for e in events] == [
        ("petugas1", "Ruang Arsip"),
        ("siti", ""),
    ]
    assert events[1].detail["before"] == where.to_json() and events[1].detail["role"] == "ppid"
    with pytest.raises(InvalidLocation, match=r"^Boks terlalu panjang \(maks\. 120 karakter\)\.$"):
        HardcopyLocation.clean(box="x" * 121)


def test_hardcopy_of_an_unknown_document_is_refused(docs: Catalog):
    register = HardcopyRegister(docs.engine)
    with pytest.raises(UnknownDocument):
        register.set("f" * 16, HardcopyLocation(room="R1"), PETUGAS)
    assert register.get("f" * 16) is None and docs.events(kind="hardcopy_location") == []
