"""Sort orders, the unit filter by contains, date ranges, the fuzzy retry of a query that
found nothing, pages past the last one, and an error code on every query error."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from archive.vocabulary import visible_access
from index import IndexDoc, QueryError, SearchFilters, add_documents, search
from index.query import fuzzy_fallback


def _doc(n: int, **kw: object) -> IndexDoc:
    base = IndexDoc(
        id=f"doc-{n:02d}",
        number=None,
        title=f"Surat nomor {n}",
        text="rapat koordinasi pemutakhiran data pemilih",
        doc_type="surat",
        unit="KPU Kabupaten Seluma",
        access="terbuka",
        date=date(2024, 1, n),
        year=2024,
        source_name=f"doc-{n}.pdf",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


DOCS = [
    _doc(1, number="10/PP.01/KPU/2024", unit="KPU Kabupaten Bengkulu Tengah"),
    _doc(2, number="2/PP.01/KPU/2024", unit="KPU Kabupaten Bengkulu"),
    _doc(3, number="1/PP.01/KPU/2024", date=date(2023, 12, 31), year=2023),
    _doc(4, number=None, date=None, year=None, unit="Sekretariat KPU Provinsi"),
    _doc(5, number="3/PP.01/KPU/2024", date=date(2024, 2, 1)),
    _doc(
        6,
        access="dikecualikan",
        text="anggaran rahasia zebrakuda",
        title="Nota rahasia",
        unit="Unit Rahasia Sekali",
    ),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("orders") / "index"
    add_documents(path, DOCS)
    return path


def _ids(path: Path, query: str = "", **kw: object) -> list[str]:
    kw.setdefault("visible", visible_access("petugas"))
    kw.setdefault("page_size", 50)
    return [hit.id for hit in search(path, query, **kw).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize("query", ["", "pemilih"])
def test_sort_orders(index: Path, query: str) -> None:
    assert _ids(index, query, sort="newest") == ["doc-05", "doc-02", "doc-01", "doc-03", "doc-04"]
    # Oldest first, undated still last.
    assert _ids(index, query, sort="oldest") == ["doc-03", "doc-01", "doc-02", "doc-05", "doc-04"]
    # Numbers read as numbers: 1, 2, 3, 10; no number last.
    assert _ids(index, query, sort="number") == ["doc-03", "doc-02", "doc-05", "doc-01", "doc-04"]


def test_sort_pages_go_on_in_order(index: Path) -> None:
    pages = [_ids(index, "pemilih", sort="oldest", page=n, page_size=2) for n in (1, 2, 3)]
    assert pages == [["doc-03", "doc-01"], ["doc-02", "doc-05"], ["doc-04"]]


def test_unknown_sort_is_a_query_error(index: Path) -> None:
    with pytest.raises(QueryError) as caught:
        search(index, "pemilih", visible=visible_access("petugas"), sort="acak")
    assert caught.value.code == "unknown_sort" and caught.value.params == {"sort": "acak"}


def test_unit_filter_contains_any_case(index: Path) -> None:
    def units(text: str) -> list[str]:
        return sorted(_ids(index, filters=SearchFilters(unit=text), visible=visible_access("ppid")))

    assert units("seluma") == ["doc-03", "doc-05"]
    assert units("BENGKULU") == ["doc-01", "doc-02"]
    assert units("provinsi") == ["doc-04"]
    # A unit named exactly (a facet link) is that unit only, not those containing it.
    assert units("kpu kabupaten bengkulu") == ["doc-02"]
    # A unit only hidden documents name finds nothing for petugas.
    assert units("rahasia") == ["doc-06"]
    assert _ids(index, filters=SearchFilters(unit="rahasia")) == []


def test_date_range_in_date_order_is_inclusive_and_leaves_undated_out(index: Path) -> None:
    span = SearchFilters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 2))
    assert _ids(index, filters=span, sort="oldest") == ["doc-01", "doc-02"]
    assert _ids(index, "pemilih", filters=span, sort="newest") == ["doc-02", "doc-01"]
    assert _ids(index, filters=SearchFilters(date_to=date(2023, 12, 31))) == ["doc-03"]


def test_a_typo_is_retried_fuzzily_and_says_so(index: Path) -> None:
    typed = search(index, "pemutakhiren", visible=visible_access("petugas"))
    assert typed.fuzzy and typed.total == 5
    exact = search(index, "pemutakhiran", visible=visible_access("petugas"))
    assert not exact.fuzzy and exact.total == 5
    assert typed.to_json()["fuzzy"] is True and exact.to_json()["fuzzy"] is False


def test_fuzzy_retry_keeps_the_first_letter_and_needs_a_long_word(index: Path) -> None:
    # The first letter is fixed (bounded walk over the word list): "bemutakhiran" is
    # one edit away, but not retried into "pemutakhiran".
    assert search(index, "bemutakhiran", visible=visible_access("petugas")).total == 0
    assert (
        search(index, "dat", visible=visible_access("petugas")).total == 0
    )  # too short to guess at
    assert fuzzy_fallback("dat") is None and fuzzy_fallback("12/PP.01/KPU/2024") is None


def test_fuzzy_retry_leaves_negated_words_and_phrases_as_typed() -> None:
    retry = fuzzy_fallback('pemutakhiren NOT koordinasi "data pemilh"')
    assert retry is not None and retry.words == ("pemutakhiren",)


def test_fuzzy_retry_sees_only_visible_words(index: Path) -> None:
    # "zebrakuda" is only in a hidden document: for petugas the typo finds nothing.
    hidden = search(index, "zebrakudo", visible=visible_access("petugas"))
    assert hidden.total == 0 and not hidden.fuzzy
    seen = search(index, "zebrakudo", visible=visible_access("ppid"))
    assert seen.fuzzy and [h.id for h in seen.hits] == ["doc-06"]


def test_a_page_past_the_last_is_the_last(index: Path) -> None:
    results = search(index, "pemilih", visible=visible_access("petugas"), page=99, page_size=2)
    assert results.page == results.page_count == 3 and len(results.hits) == 1
    listing = search(index, "", visible=visible_access("petugas"), page=99, page_size=2)
    assert listing.page == 3 and [h.id for h in listing.hits] == ["doc-04"]


@pytest.mark.parametrize(
    ("query", "code", "params"),
    [
        ('"unclosed', "unclosed_quote", {}),
        ("pemilu)", "unopened_paren", {}),
        ("(pemilu", "unclosed_paren", {}),
        ("()", "empty_parens", {}),
        ("AND pemilu", "operator_needs_word_before", {"operator": "AND"}),
        ("pemilu OR", "operator_needs_word_after", {"operator": "OR"}),
        ("pemilu NOT", "operator_needs_word_after", {"operator": "NOT"}),
        ('""', "empty_phrase", {}),
        ("title:", "field_needs_word", {"field": "title"}),
        ("pemilu~5", "fuzzy_distance", {"word": "pemilu~5"}),
        ("*milu", "wildcard_prefix", {"word": "*milu", "letters": "2"}),
        (".~1", "fuzzy_one_word", {"word": "."}),
        ("x" * 501, "too_long", {"length": "501", "limit": "500"}),
        (",;.", "no_words", {}),
    ],
)
def test_every_query_error_has_a_code(
    index: Path, query: str, code: str, params: dict[str, str]
) -> None:
    with pytest.raises(QueryError) as caught:
        search(index, query, visible=visible_access("petugas"))
    assert caught.value.code == code
    assert caught.value.params == params


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"page": 0}, "bad_page"),
        ({"page_size": 0}, "bad_page_size"),
        ({"page": 10_000}, "page_out_of_range"),
    ],
)
def test_paging_errors_have_codes(index: Path, kw: dict[str, int], code: str) -> None:
    with pytest.raises(QueryError) as caught:
        search(index, "pemilih", visible=visible_access("petugas"), **kw)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_too_many_expansions_has_a_code(tmp_path: Path) -> None:
    words = " ".join(f"zzk{n:04d}" for n in range(305))
    add_documents(tmp_path / "ix", [_doc(1, text=words)])
    with pytest.raises(QueryError) as caught:
        search(tmp_path / "ix", "zzk*", visible=visible_access("petugas"))
    assert caught.value.code == "too_many_expansions"
    assert caught.value.params == {"word": "zzk", "limit": "300"}


def test_location_is_searchable_as_words_and_phrase(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    add_documents(
        path,
        [
            _doc(1, location="Ruang Arsip Lemari 3 Boks 12"),
            _doc(2, location="Lemari 12 Boks 3"),
            _doc(3, text="boks 12 disebut di isi surat saja"),
        ],
    )
    assert set(_ids(path, '"boks 12"')) == {
        "doc-01",
        "doc-03",
    }
    assert set(_ids(path, "Boks 12")) == {"doc-01", "doc-02", "doc-03"}
    assert _ids(path, '"boks 3"') == ["doc-02"]
    hit = search(path, '"boks 3"', visible=visible_access("petugas")).hits[0]
    assert hit.location == "Lemari 12 Boks 3"
    assert _ids(path, "title:boks") == []  # title: searches the title only


def test_only_misspelt_words_are_retried(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    add_documents(
        path,
        [
            _doc(1, text="rapat pemutakhiran data"),
            _doc(2, text="rapar pemutakhiran data"),
            _doc(3, text="anggaran logistik", date=date(2020, 5, 5), year=2020),
        ],
    )
    # "rapat" is a word of the visible documents: kept exact, so "rapar" does not match.
    typed = search(path, "rapat pemutakhiren", visible=visible_access("petugas"))
    assert typed.fuzzy and [h.id for h in typed.hits] == ["doc-01"]
    # Known words that meet nowhere (or not within the filters) are no typo: no retry.
    apart = search(path, "rapat anggaran", visible=visible_access("petugas"))
    assert apart.total == 0 and not apart.fuzzy and apart.suggestion is None
    before = SearchFilters(date_to=date(2021, 1, 1))
    filtered = search(path, "pemutakhiran", visible=visible_access("petugas"), filters=before)
    assert filtered.total == 0 and not filtered.fuzzy
