from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from whoosh import index as whoosh_index  # type: ignore[import-untyped]

from archive.vocabulary import visible_access
from index import IndexDoc, SearchFilters, add_documents, schema, search
from index.query import parse
from index.snippets import highlight_terms, make_snippet
from tests.index.conftest import RecordingLoader
from tests.index.corpus import KAB, PROV, filler


def ids(path: Path, query: str, role: str = "ppid", **kwargs: object) -> list[str]:
    return [
        hit.id
        for hit in search(path, query, visible=visible_access(role), page_size=50, **kwargs).hits
    ]


def test_derived_word_finds_its_root_form(shared_index: Path) -> None:
    # Only "pengecualian" occurs in the visible report; the query uses another derivation.
    assert "uji-konsekuensi" in ids(shared_index, "dikecualikan", role="petugas")


def test_pemilihan_finds_memilih_through_the_shared_stem(shared_index: Path) -> None:
    results = search(shared_index, "memilih", visible=visible_access("petugas"))
    assert "kpts-88" in [hit.id for hit in results.hits]


def test_protected_word_does_not_match_its_mangled_stem(shared_index: Path) -> None:
    found = ids(shared_index, "pemilu")
    assert {"ba-rekap", "undangan-590"} <= set(found)
    assert "desa-milu" not in found
    assert ids(shared_index, "pengadaan") == ["pengadaan-logistik"]


def test_negation_is_searchable(shared_index: Path) -> None:
    assert "ba-rekap" in ids(shared_index, "tidak", role="petugas")
    assert ids(shared_index, "tanpa hambatan") == ["ba-rekap"]


def test_exact_phrase_finds_only_its_document(shared_index: Path) -> None:
    assert set(ids(shared_index, '"ada keberatan"')) == {"ba-rekap", "notulen-rapat"}
    assert ids(shared_index, '"tidak ada keberatan"') == ["ba-rekap"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("88/Kpts/KPU/TAHUN 2015", "kpts-88"),
        ("88/kpts/kpu/tahun   2015", "kpts-88"),
        ("590/PL.02.4/1906/KPU-Kab/XI/2020", "undangan-590"),
        ("NOMOR 731 TAHUN 2025", "peraturan-731"),
    ],
)
def test_document_number_ranks_its_document_first(
    shared_index: Path, query: str, expected: str
) -> None:
    found = ids(shared_index, query, role="petugas")
    assert found[0] == expected
    if expected != "peraturan-731":
        # The letter citing the number three times still matches, but below it.
        assert "rujukan-88" in found


def test_fuzzy_search_finds_a_one_letter_ocr_typo(shared_index: Path) -> None:
    assert "kpts-88" in ids(shared_index, "pemilihen~1", role="petugas")
    # Typed plainly, the typo finds nothing as typed: the fuzzy retry says so.
    assert search(shared_index, "pemilihen", visible=visible_access("petugas")).fuzzy


def test_prefix_search_runs_on_unstemmed_words(shared_index: Path) -> None:
    found = set(ids(shared_index, "pemutakh*", role="petugas"))
    assert found == {"undangan-590"}


def test_nik_is_found_exactly(shared_index: Path) -> None:
    assert ids(shared_index, "3201234567890123") == ["formulir-nik"]
    assert ids(shared_index, "3201234567890124") == []


def test_boolean_operators(shared_index: Path) -> None:
    assert set(ids(shared_index, "hambatan OR katalog")) == {"ba-rekap", "pengadaan-logistik"}
    assert "ba-rekap" not in ids(shared_index, "keberatan NOT saksi")
    assert "notulen-rapat" in ids(shared_index, "keberatan NOT saksi")


def test_title_field_query_and_title_boost(shared_index: Path) -> None:
    assert set(ids(shared_index, "title:logistik")) == {"notulen-rapat", "pengadaan-logistik"}
    assert ids(shared_index, "title:katalog") == []  # "katalog" is only in a body
    # "penetapan" is in the decree's title and in the follow-up letter's body only.
    assert ids(shared_index, "penetapan")[:2] == ["kpts-88", "rujukan-88"]


def _pleno_visible(role_sees_all: bool) -> list[IndexDoc]:
    return [d for d in filler() if role_sees_all or d.access == "terbuka"]


def test_facets_count_every_visible_match(shared_index: Path) -> None:
    docs = _pleno_visible(role_sees_all=False)
    results = search(shared_index, "pleno", visible=visible_access("petugas"))
    assert results.total == len(docs)
    assert results.facets.doc_type == dict(Counter(d.doc_type for d in docs))
    assert results.facets.year == dict(Counter(d.year for d in docs))
    assert results.facets.unit == dict(Counter(d.unit for d in docs))
    assert results.facets.access == {"terbuka": len(docs)}


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        (SearchFilters(doc_type="pengumuman"), lambda d: d.doc_type == "pengumuman"),
        (SearchFilters(year=2019), lambda d: d.year == 2019),
        (SearchFilters(unit=KAB), lambda d: d.unit == KAB),
        (
            SearchFilters(date_from=date(2018, 1, 1), date_to=date(2020, 12, 31)),
            lambda d: date(2018, 1, 1) <= d.date <= date(2020, 12, 31),
        ),
        (
            SearchFilters(doc_type="surat", unit=PROV, year=2022),
            lambda d: (d.doc_type, d.unit, d.year) == ("surat", PROV, 2022),
        ),
        (SearchFilters(access="belum_ditinjau"), lambda d: d.access == "belum_ditinjau"),
    ],
)
def test_filters(shared_index: Path, filters: SearchFilters, keep) -> None:  # type: ignore[no-untyped-def]
    expected = {d.id for d in _pleno_visible(role_sees_all=True) if keep(d)}
    results = search(
        shared_index, "pleno", visible=visible_access("ppid"), filters=filters, page_size=50
    )
    assert {hit.id for hit in results.hits} == expected
    assert results.total == len(expected)
    assert sum(results.facets.access.values()) == len(expected)


def test_date_filter_excludes_undated_documents(shared_index: Path) -> None:
    results = search(
        shared_index,
        "",
        visible=visible_access("ppid"),
        filters=SearchFilters(date_to=date(2016, 12, 31)),
    )
    assert results.total > 0
    assert all(hit.date is not None and hit.date <= date(2016, 12, 31) for hit in results.hits)


def test_pagination_covers_every_hit_once(shared_index: Path) -> None:
    visible = {d.id for d in _pleno_visible(role_sees_all=False)}
    seen: list[str] = []
    first = search(shared_index, "pleno", visible=visible_access("petugas"), page=1, page_size=7)
    assert first.page_count == -(-len(visible) // 7)
    for page in range(1, first.page_count + 1):
        results = search(
            shared_index, "pleno", visible=visible_access("petugas"), page=page, page_size=7
        )
        assert results.total == len(visible)
        seen.extend(hit.id for hit in results.hits)
    assert sorted(seen) == sorted(visible)
    beyond = search(
        shared_index,
        "pleno",
        visible=visible_access("petugas"),
        page=first.page_count + 1,
        page_size=7,
    )
    assert beyond.page == first.page_count and beyond.total == len(visible)
    assert [h.id for h in beyond.hits] == [h.id for h in results.hits]


def test_empty_query_lists_newest_first_within_filters(shared_index: Path) -> None:
    results = search(shared_index, "  ", visible=visible_access("petugas"), page_size=100)
    dated = [hit.date for hit in results.hits if hit.date is not None]
    assert dated == sorted(dated, reverse=True)
    assert results.hits[0].id == "peraturan-731"
    # Undated documents come last, not first.
    assert results.hits[-1].id == "tanpa-tanggal"
    assert results.total == len(results.hits)
    assert 0 not in results.facets.year and None not in results.facets.year
    surat = search(
        shared_index, "", visible=visible_access("petugas"), filters=SearchFilters(doc_type="surat")
    )
    assert {hit.doc_type for hit in surat.hits} == {"surat"}


def test_snippet_marks_matches_and_escapes_html(shared_index: Path) -> None:
    loader = RecordingLoader()
    results = search(
        shared_index, "permohonan", visible=visible_access("petugas"), text_loader=loader
    )
    hit = next(hit for hit in results.hits if hit.id == "html-surat")
    assert "<mark>permohonan</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "&amp;" in hit.snippet
    assert loader.calls == [h.id for h in results.hits]


def test_snippet_marks_derived_forms_and_codes(shared_index: Path) -> None:
    loader = RecordingLoader()
    hit = search(
        shared_index, "pemilihan", visible=visible_access("petugas"), text_loader=loader
    ).hits[0]
    assert hit.id == "kpts-88"
    assert "<mark>memilih</mark>" in hit.snippet
    code = search(
        shared_index,
        "590/PL.02.4/1906/KPU-Kab/XI/2020",
        visible=visible_access("petugas"),
        text_loader=loader,
    ).hits[0]
    assert "<mark>590/PL.02.4/1906/KPU-Kab/XI/2020</mark>" in code.snippet


@pytest.mark.parametrize("query", ["pemil*", "memilyh~1", "pem*han", "pemilihen~1", "pengecual*"])
def test_expanded_terms_mark_the_words_the_search_found(shared_index: Path, query: str) -> None:
    # The search hands its prefix/wildcard/fuzzy words to the snippets; matching the term
    # against each hit's own words marks the same ones.
    loader = RecordingLoader()
    results = search(shared_index, query, visible=visible_access("petugas"), text_loader=loader)
    parsed = parse(query)
    assert results.hits and parsed is not None
    for hit in results.hits:
        by_text = make_snippet(loader(hit.id) or "", highlight_terms(parsed.query))
        assert hit.snippet == by_text and "<mark>" in hit.snippet


def test_a_code_found_by_its_prefix_is_marked_whole(shared_index: Path) -> None:
    # Only the search's own expansion knows the code: a hit's words are split at "/".
    loader = RecordingLoader()
    hits = search(shared_index, "590/pl*", visible=visible_access("petugas"), text_loader=loader)
    assert hits.hits
    for hit in hits.hits:
        assert "<mark>590/PL.02.4/1906/KPU-Kab/XI/2020</mark>" in hit.snippet


def test_snippets_only_for_the_current_page(shared_index: Path) -> None:
    loader = RecordingLoader()
    results = search(
        shared_index,
        "pleno",
        visible=visible_access("petugas"),
        page=2,
        page_size=5,
        text_loader=loader,
    )
    assert loader.calls == [hit.id for hit in results.hits]
    assert len(loader.calls) == 5


def test_without_loader_snippets_are_empty(shared_index: Path) -> None:
    assert all(
        hit.snippet == ""
        for hit in search(shared_index, "pleno", visible=visible_access("ppid")).hits
    )


def test_did_you_mean_for_a_misspelling(shared_index: Path) -> None:
    results = search(shared_index, "rapat pemutakhiren", visible=visible_access("petugas"))
    # Nothing as typed: the suggestion, and the fuzzy retry's results beside it.
    assert results.fuzzy and results.total == 1
    assert results.suggestion == "rapat pemutakhiran"
    assert (
        search(shared_index, "pemutakhiran", visible=visible_access("petugas")).suggestion is None
    )


def test_hit_json_is_serialisable(shared_index: Path) -> None:
    import json

    data = search(shared_index, "pemilihan", visible=visible_access("petugas")).to_json()
    assert json.loads(json.dumps(data))["hits"][0]["id"] == "kpts-88"


def test_unreadable_text_gives_an_empty_snippet(shared_index: Path) -> None:
    def broken(doc_id: str, folder: str | None) -> str | None:
        raise FileNotFoundError(doc_id)

    results = search(
        shared_index, "pemilihan", visible=visible_access("petugas"), text_loader=broken
    )
    assert results.hits and all(hit.snippet == "" for hit in results.hits)


def test_fuzzy_term_expands_each_segment_once(
    shared_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh import query as wq  # type: ignore[import-untyped]

    from index.query import FuzzyTerm
    from index.schema import open_dir

    walks: list[int] = []
    original = wq.FuzzyTerm._btexts

    def counted(self: wq.FuzzyTerm, reader: object) -> object:
        walks.append(id(reader))
        return original(self, reader)

    monkeypatch.setattr(wq.FuzzyTerm, "_btexts", counted)
    ix = open_dir(shared_index)
    try:
        with ix.searcher() as searcher:
            ours = FuzzyTerm("content_exact", "pemilihen", maxdist=1, prefixlength=1)
            theirs = wq.FuzzyTerm("content_exact", "pemilihen", maxdist=1, prefixlength=1)
            found = {hit.docnum for hit in searcher.search(ours, limit=None)}
            assert len(walks) == len(set(walks))  # one walk a segment
            assert found == {hit.docnum for hit in searcher.search(theirs, limit=None)}
            assert found
    finally:
        ix.close()


def _folder_doc(doc_id: str, folder: str = "") -> IndexDoc:
    return IndexDoc(
        id=doc_id, number=None, title="Notulen rapat", text="rapat pleno terbuka",
        doc_type="notulen", unit=None, access="terbuka", date=None, year=2024,
        source_name=f"{doc_id}.pdf", folder=folder,
    )  # fmt: skip


def _noting_folders(folders: list[str | None]) -> Callable[[str, str | None], str | None]:
    def load(doc_id: str, folder: str | None) -> str | None:
        folders.append(folder)
        return "rapat pleno terbuka"

    return load


def test_each_hit_brings_the_archive_folder_the_index_stored(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [_folder_doc("a1", "archive/2024/notulen/a1")])
    folders: list[str | None] = []
    load = _noting_folders(folders)
    results = search(path, "rapat", visible=visible_access("petugas"), text_loader=load)
    assert [h.id for h in results.hits] == ["a1"] and "<mark>" in results.hits[0].snippet
    assert folders == ["archive/2024/notulen/a1"]


def test_an_index_made_before_folders_were_stored_still_takes_documents(tmp_path: Path) -> None:
    path = tmp_path / "index"
    old = schema.build_schema()
    old.remove("folder")
    path.mkdir()
    schema.write_version(path)
    whoosh_index.create_in(str(path), old).close()
    add_documents(path, [_folder_doc("b1", "archive/2024/notulen/b1")])
    folders: list[str | None] = []
    load = _noting_folders(folders)
    results = search(path, "rapat", visible=visible_access("petugas"), text_loader=load)
    assert [h.id for h in results.hits] == ["b1"]
    assert folders == [None]  # the caller then finds the folder in the catalog
