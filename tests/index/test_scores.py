"""Scores say nothing about documents the role may not see; the evaluator scores as
Whoosh's matchers would; pages and expansions are bounded."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from archive.vocabulary import visible_access
from index import IndexDoc, QueryError, SearchFilters, add_documents, rebuild, search
from index.errors import PageOutOfRange
from index.evaluate import MAX_EXPANSIONS, Evaluator
from index.generation import of
from index.query import parse
from index.schema import open_dir
from index.scoring import whoosh_scores
from index.searching import MAX_RESULT_WINDOW
from tests.index.corpus import all_docs, filler

PROBES = [
    "pleno",
    "rapat pleno",
    "title:rahasia",
    "rahasia",
    "pemilu OR rahasia",
    '"rapat pleno"',
    "pemil*",
    "rahasiah~1",
    "pleno NOT rahasia",
    "88/Kpts/KPU/TAHUN 2015",
    "3201234567890123",
]


def _hidden(n: int, access: str) -> IndexDoc:
    return IndexDoc(
        id=f"hidden-{n:03d}",
        number=f"{n}/Kpts/KPU/TAHUN 2015",
        title="Rahasia rahasia pleno pemilux",
        text="rahasia pleno pleno rapat pleno pemilux pemilu " * (n + 3),
        doc_type="nota_dinas",
        unit="KPU Provinsi Bengkulu",
        access=access,
        date=date(2024, 1, 1 + n),
        year=2024,
        source_name=f"hidden-{n}.pdf",
    )


VISIBLE = [
    *[d for d in all_docs() if d.access == "terbuka"],
    replace(filler()[0], id="rahasia-open", title="Bukan rahasia", access="terbuka"),
]


def _build(path: Path, hidden: list[IndexDoc], batches: int) -> Path:
    """The visible documents in the same order, hidden ones interleaved, in ``batches``
    commits (segments)."""
    docs: list[IndexDoc] = []
    for n, doc in enumerate(VISIBLE):
        docs.append(doc)
        if n < len(hidden):
            docs.append(hidden[n])
    size = -(-len(docs) // batches)
    for start in range(0, len(docs), size):
        add_documents(path, docs[start : start + size])
    return path


def _seen(path: Path, query: str) -> tuple[object, ...]:
    results = search(path, query, visible=visible_access("petugas"), page_size=100)
    return (results.total, results.facets, [(h.id, h.score) for h in results.hits])


def test_hidden_documents_change_no_visible_score_or_order(tmp_path: Path) -> None:
    plain = _build(tmp_path / "plain", [], batches=1)
    hidden = [_hidden(n, ("belum_ditinjau", "dikecualikan")[n % 2]) for n in range(12)]
    other = _build(tmp_path / "other", hidden, batches=3)
    for query in PROBES:
        assert _seen(plain, query) == _seen(other, query), query
    # Not vacuous: the hidden documents match, for a role that sees them.
    assert (
        search(other, "rahasia", visible=visible_access("ppid")).total
        > search(plain, "rahasia", visible=visible_access("ppid")).total
    )


def test_score_is_the_same_after_a_rebuild_in_workers(tmp_path: Path) -> None:
    hidden = [_hidden(n, "dikecualikan") for n in range(5)]
    added = _build(tmp_path / "added", hidden, batches=2)
    rebuilt = tmp_path / "rebuilt"
    rebuild(rebuilt, [*hidden, *VISIBLE], procs=1)
    for query in PROBES:
        assert _seen(added, query) == _seen(rebuilt, query), query


@pytest.mark.parametrize("role_levels", [frozenset({"terbuka"}), None])
@pytest.mark.parametrize("query", [*PROBES, "keberatan NOT saksi", "pemutakh*", "pemilihen~1"])
def test_evaluator_scores_as_whoosh_matchers(
    shared_index: Path, query: str, role_levels: frozenset[str] | None
) -> None:
    parsed = parse(query)
    assert parsed is not None
    ix = open_dir(shared_index)
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            generation = of(shared_index, reader)
            levels = role_levels or frozenset({"terbuka", "belum_ditinjau", "dikecualikan"})
            visible = generation.visible(reader, levels)
            allowed = generation.allowed(reader, levels, SearchFilters())
            ours = Evaluator(reader, visible, allowed).scores(parsed.query)
            theirs = whoosh_scores(reader, parsed.query, visible, allowed)
    finally:
        ix.close()
    assert ours.keys() == theirs.keys()
    for docnum, score in ours.items():
        assert score == pytest.approx(theirs[docnum], rel=1e-12), docnum


def test_pages_beyond_the_result_window_are_refused_at_once(shared_index: Path) -> None:
    began = time.monotonic()
    with pytest.raises(PageOutOfRange, match="beyond the last page"):
        search(shared_index, "pleno", visible=visible_access("petugas"), page=10_000, page_size=20)
    with pytest.raises(QueryError):  # the CLI and the web app already handle QueryError
        search(
            shared_index, "", visible=visible_access("petugas"), page=MAX_RESULT_WINDOW // 10 + 1
        )
    assert time.monotonic() - began < 1
    # Within the window but past the last page: the last page.
    last = search(
        shared_index, "", visible=visible_access("ppid"), page=MAX_RESULT_WINDOW // 10, page_size=10
    )
    assert last.hits and last.page == last.page_count < MAX_RESULT_WINDOW // 10


def _words_doc(n: int, access: str, words: list[str]) -> IndexDoc:
    return replace(filler()[0], id=f"words-{access}-{n}", text=" ".join(words), access=access)


def test_expansions_are_bounded_counting_visible_words_only(tmp_path: Path) -> None:
    path = tmp_path / "index"
    many = [f"zzk{n:04d}" for n in range(MAX_EXPANSIONS + 5)]
    add_documents(
        path,
        [
            _words_doc(0, "terbuka", many[:3]),
            _words_doc(1, "dikecualikan", many),
        ],
    )
    # For petugas "zzk*" stands for three words: the hidden ones are not words to them.
    assert search(path, "zzk*", visible=visible_access("petugas")).total == 1
    with pytest.raises(QueryError, match="stands for more than"):
        search(path, "zzk*", visible=visible_access("ppid"))
