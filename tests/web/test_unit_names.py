"""The search page's unit suggestions: read from the catalog at most once a minute."""

from __future__ import annotations

from dataclasses import replace

from archive.catalog import Catalog
from archive.records import DocumentRecord
from archive.vocabulary import visible_access
from tests.exemptions.conftest import DOC_A, DOC_B, document
from web.deps import UnitNames


def _open(doc_id: str, unit: str) -> DocumentRecord:
    return replace(document(doc_id, access="terbuka"), unit=unit)


def test_unit_names_are_kept_for_their_time_then_read_again(catalog: Catalog) -> None:
    petugas = visible_access("petugas")
    catalog.add_document(_open(DOC_A, "KPU Kota Bengkulu"), [])
    kept, fresh = UnitNames(catalog, ttl=3600), UnitNames(catalog, ttl=0)
    assert kept(petugas) == fresh(petugas) == ["KPU Kota Bengkulu"]
    catalog.add_document(
        replace(document(DOC_B, access="terbuka"), unit="KPU Provinsi Bengkulu"), []
    )
    assert kept(petugas) == ["KPU Kota Bengkulu"]  # within its time: no catalog read
    assert fresh(petugas) == ["KPU Kota Bengkulu", "KPU Provinsi Bengkulu"]
    # Each set of access levels is kept apart (read here for the first time).
    assert kept(visible_access("ppid")) == ["KPU Kota Bengkulu", "KPU Provinsi Bengkulu"]
