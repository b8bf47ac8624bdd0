"""Phrases: positional on the exact fields, matched by ``FastPhrase``."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import query as wq  # type: ignore[import-untyped]

from archive.vocabulary import visible_access
from index import IndexDoc, add_documents, rebuild, schema, search
from index.phrase import BodyPhrase, FastPhrase, decode_positions, phrase_meets, phrase_start
from index.schema import open_dir
from tests.index.conftest import RecordingLoader
from tests.index.corpus import SPECIAL
from tests.index.test_search import ids


def _doc(doc_id: str, text: str, title: str = "Catatan") -> IndexDoc:
    return replace(SPECIAL[0], id=doc_id, title=title, text=text, number=None)


@pytest.fixture(scope="module")
def phrase_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("phrases") / "index"
    add_documents(
        path,
        [
            _doc("adjacent", "Tidak ada keberatan dari saksi yang hadir."),
            # Both words, in order, but apart: no phrase.
            _doc("apart", "Saksi tidak hadir; ada catatan keberatan tertulis."),
            # Both words, adjacent but reversed.
            _doc("reversed", "Keberatan ada pada berkas lampiran."),
            # Each pair of the three-word phrase, but never the three in one run.
            _doc("pairs-apart", "Ia tidak ada di rumah. Ada keberatan lain."),
            _doc("in-title", "Isi surat tanpa frasa itu.", title="Tidak Ada Keberatan"),
        ],
    )
    return path


def test_phrase_does_not_match_its_words_apart_or_reversed(phrase_index: Path) -> None:
    assert set(ids(phrase_index, "ada keberatan")) >= {"adjacent", "apart", "reversed"}
    assert set(ids(phrase_index, '"ada keberatan"')) == {"adjacent", "pairs-apart", "in-title"}


def test_three_word_phrase_needs_one_run(phrase_index: Path) -> None:
    assert set(ids(phrase_index, '"tidak ada keberatan"')) == {"adjacent", "in-title"}


def test_title_phrase(phrase_index: Path) -> None:
    assert ids(phrase_index, 'title:"ada keberatan"') == ["in-title"]
    assert ids(phrase_index, 'title:"keberatan ada"') == []


def test_slop_lets_words_stand_apart_in_order(phrase_index: Path) -> None:
    found = set(ids(phrase_index, '"ada keberatan"~3'))
    assert found == {"adjacent", "apart", "pairs-apart", "in-title"}
    assert set(ids(phrase_index, '"ada keberatan"~2')) == found
    assert "apart" not in ids(phrase_index, '"ada keberatan"~1')
    assert ids(phrase_index, 'title:"tidak keberatan"~2') == ["in-title"]
    assert ids(phrase_index, 'title:"keberatan tidak"~2') == []


def test_phrase_across_a_code(shared_index: Path) -> None:
    code = "590/PL.02.4/1906/KPU-Kab/XI/2020"
    assert ids(shared_index, f'"surat {code}"') == ["rujukan-88"]
    assert ids(shared_index, f'"{code} dan"') == ["rujukan-88"]
    # A word next to a code also forms a phrase with the code's parts.
    assert set(ids(shared_index, '"nomor 88"')) == {"kpts-88", "rujukan-88"}


def test_parts_of_one_code_are_not_a_phrase(shared_index: Path) -> None:
    assert "undangan-590" in ids(shared_index, "kpu kab")
    assert ids(shared_index, '"kpu kab"') == []


def test_phrase_words_are_highlighted(shared_index: Path) -> None:
    loader = RecordingLoader()
    hits = search(
        shared_index, '"ada keberatan"', visible=visible_access("ppid"), text_loader=loader
    ).hits
    snippet = next(hit.snippet for hit in hits if hit.id == "notulen-rapat")
    assert "<mark>Ada</mark> <mark>keberatan</mark>" in snippet


WORDS = ["dan", "yang", "di", "tidak", "ada", "keberatan", "rapat", "88/kpts/kpu", "kpu"]


def _random_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 60)))


@pytest.fixture(scope="module")
def random_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(5)
    path = tmp_path_factory.mktemp("random") / "index"
    docs = [_doc(f"d{i:03d}", _random_text(rng), title=_random_text(rng)) for i in range(150)]
    # Two segments: documents written in two commits.
    rebuild(path, docs[:100])
    add_documents(path, docs[100:])
    return path


def test_fast_phrase_matches_and_scores_like_whoosh_phrase(random_index: Path) -> None:
    rng = random.Random(11)
    ix = open_dir(random_index)
    try:
        with ix.searcher() as searcher:
            assert len(searcher.reader().leaf_readers()) == 2
            for _ in range(300):
                words = [rng.choice(WORDS) for _ in range(rng.randint(2, 4))]
                slop = rng.choice((1, 1, 2, 3, 40))
                field = rng.choice(("content_exact", "title_exact"))
                fast = searcher.search(FastPhrase(field, words, slop=slop), limit=None)
                slow = searcher.search(wq.Phrase(field, words, slop=slop), limit=None)
                expected = {hit.docnum: round(hit.score, 6) for hit in slow}
                assert {hit.docnum: round(hit.score, 6) for hit in fast} == expected, words
    finally:
        ix.close()


def test_body_phrase_with_pairs_matches_like_whoosh_phrase(random_index: Path) -> None:
    rng = random.Random(12)
    ix = open_dir(random_index)
    try:
        with ix.searcher() as searcher:
            common = schema.common_words(searcher.schema)
            assert {"dan", "yang", "tidak", "ada"} <= common  # picked from the documents
            assert "88/kpts/kpu" not in common  # codes are never paired
            paired = 0
            for _ in range(300):
                words = [rng.choice(WORDS) for _ in range(rng.randint(2, 5))]
                slop = rng.choice((1, 1, 1, 2))
                body = BodyPhrase("content_exact", words, slop=slop)
                fast = {hit.docnum for hit in searcher.search(body, limit=None)}
                slow = searcher.search(wq.Phrase("content_exact", words, slop=slop), limit=None)
                assert fast == {hit.docnum for hit in slow}, (words, slop)
                paired += slop == 1 and any(w in common for w in words)
            assert paired > 100
    finally:
        ix.close()


def test_fast_phrase_matcher_lists_ids_per_segment(random_index: Path) -> None:
    ix = open_dir(random_index)
    try:
        with ix.searcher() as searcher:
            query = FastPhrase("content_exact", ["tidak", "ada"])
            expected = [hit.docnum for hit in searcher.search(query, limit=None)]
            assert len(expected) > 3
            for leaf, offset in searcher.leaf_searchers():
                matcher = query.matcher(leaf)
                ids = []
                while matcher.is_active():
                    ids.append(matcher.id() + offset)
                    matcher.next()
                assert list(query.matcher(leaf).all_ids()) == [i - offset for i in ids]
                expected = [n for n in expected if n not in ids]
            assert expected == []
    finally:
        ix.close()


def test_decode_positions_matches_whoosh() -> None:
    from whoosh import formats  # type: ignore[import-untyped]

    fmt = formats.Positions()
    for positions in ([0], [3, 4, 90], list(range(0, 3000, 7))):
        value = fmt.encode(positions)
        assert decode_positions(value) == fmt.decode_positions(value) == positions
        assert decode_positions(value.rstrip(b".")) == positions


def test_phrase_meets_agrees_with_phrase_start_on_raw_values() -> None:
    from whoosh import formats

    fmt = formats.Positions()
    rng = random.Random(3)
    agreed = {True: 0, False: 0}
    for _ in range(2000):
        count = rng.randint(1, 4)
        lists = [sorted(rng.sample(range(60), rng.randint(1, 12))) for _ in range(count)]
        offsets = [rng.randint(0, 3) for _ in range(count)]
        expected = phrase_start(list(zip(lists, offsets, strict=True))) is not None
        values = [fmt.encode(positions) for positions in lists]
        assert phrase_meets(values, offsets) is expected
        agreed[expected] += 1
    assert min(agreed.values()) > 100  # both outcomes were tried often
