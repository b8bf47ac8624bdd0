"""Restricted documents never reach petugas: not in hits, totals, facets, snippets or
suggestions. The same searches as ppid show them, so the tests are not vacuous."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.vocabulary import ACCESS_LEVELS as ARCHIVE_LEVELS
from archive.vocabulary import ROLE_ACCESS, visible_access
from index import ACCESS_LEVELS, SearchFilters, UnknownAccess, search
from tests.index.conftest import RecordingLoader
from tests.index.corpus import RESTRICTED, all_docs

RESTRICTED_IDS = {doc.id for doc in all_docs() if doc.access != "terbuka"}
RESTRICTED_TYPES = {"formulir", "nota_dinas"}  # only restricted documents have these types
QUERIES = [
    "",
    "pengecualian",
    "permohonan",
    "pemeriksaan kesehatan",
    "Sulastriwati",
    "3201234567890123",
    "pleno",
    "pemilih",
    '"rekam medis"',
    "anamnes*",
    "anamnesys~1",
]


@pytest.mark.parametrize("query", QUERIES)
def test_petugas_never_sees_restricted_documents(shared_index: Path, query: str) -> None:
    loader = RecordingLoader()
    results = search(
        shared_index, query, visible=visible_access("petugas"), page_size=100, text_loader=loader
    )
    assert not {hit.id for hit in results.hits} & RESTRICTED_IDS
    assert results.total == len(results.hits)
    assert set(results.facets.access) <= {"terbuka"}
    assert not set(results.facets.doc_type) & RESTRICTED_TYPES
    assert sum(results.facets.doc_type.values()) == results.total
    assert not set(loader.calls) & RESTRICTED_IDS
    for hit in results.hits:
        assert "Sulastriwati" not in hit.snippet and "anamnesis" not in hit.snippet


@pytest.mark.parametrize("role", sorted(set(ROLE_ACCESS) - {"petugas"}))
def test_other_roles_see_restricted_documents(shared_index: Path, role: str) -> None:
    found = {
        hit.id for hit in search(shared_index, "", visible=visible_access(role), page_size=100).hits
    }
    assert found >= RESTRICTED_IDS


def test_restricted_hits_totals_and_facets_for_ppid(shared_index: Path) -> None:
    loader = RecordingLoader()
    results = search(
        shared_index, "Sulastriwati", visible=visible_access("ppid"), text_loader=loader
    )
    assert [hit.id for hit in results.hits] == ["formulir-nik"]
    assert results.facets.access == {"belum_ditinjau": 1}
    assert "<mark>Sulastriwati</mark>" in results.hits[0].snippet
    assert search(shared_index, "Sulastriwati", visible=visible_access("petugas")).total == 0


def test_petugas_filtering_for_a_restricted_level_gets_nothing(shared_index: Path) -> None:
    results = search(
        shared_index,
        "",
        visible=visible_access("petugas"),
        filters=SearchFilters(access="dikecualikan"),
    )
    assert results.total == 0 and results.hits == ()
    assert results.facets.doc_type == {}


def test_word_only_in_restricted_documents_is_never_suggested(shared_index: Path) -> None:
    # "sulastriwati" and "anamnesis" occur only in restricted documents.
    for typo, word in [("Sulastriwaty", "sulastriwati"), ("anamnesys", "anamnesis")]:
        as_petugas = search(shared_index, typo, visible=visible_access("petugas"))
        assert as_petugas.total == 0
        assert as_petugas.suggestion is None or word not in as_petugas.suggestion.lower()
        as_ppid = search(shared_index, typo, visible=visible_access("ppid"))
        assert as_ppid.suggestion == word


def test_restricted_word_gets_the_same_suggestion_as_an_unknown_word(
    shared_index: Path,
) -> None:
    # "pengecualiam" is a typo of a word in a visible and in a restricted document alike.
    assert (
        search(shared_index, "pengecualiam", visible=visible_access("petugas")).suggestion
        == "pengecualian"
    )


def test_an_unknown_access_level_is_refused(shared_index: Path) -> None:
    with pytest.raises(UnknownAccess, match=r"unknown access level\(s\) \['terbuk'\]"):
        search(shared_index, "pemilu", visible=frozenset({"terbuka", "terbuk"}))


def test_the_index_holds_the_archive_s_access_levels() -> None:
    assert set(ACCESS_LEVELS) == set(ARCHIVE_LEVELS)


def test_nothing_visible_finds_nothing(shared_index: Path) -> None:
    results = search(shared_index, "", visible=frozenset())
    assert results.total == 0 and results.hits == ()


def test_restricted_fixture_is_what_the_tests_assume() -> None:
    assert {doc.access for doc in RESTRICTED} == {"belum_ditinjau", "dikecualikan"}
