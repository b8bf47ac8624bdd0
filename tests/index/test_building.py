"""The rebuild writer: the same postings as Whoosh's writer (worker processes: test_parallel)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from whoosh.codec.whoosh3 import W3Codec  # type: ignore[import-untyped]
from whoosh.writing import SegmentWriter  # type: ignore[import-untyped]

from index import IndexDoc, building, indexed_ids, rebuild, schema, writer
from index.analysis import default_common_words
from index.docs import index_fields
from index.errors import SearchIndexError
from tests.index.corpus import SPECIAL, all_docs

REPO = Path(__file__).resolve().parents[2]
WORDS = [
    "dan",
    "yang",
    "di",
    "tidak",
    "ada",
    "keberatan",
    "rapat",
    "pleno",
    "pemilihan",
    "memilih",
    "88/Kpts/KPU",
]


def _docs(count: int, seed: int = 1) -> list[IndexDoc]:
    rng = random.Random(seed)
    base = SPECIAL[0]
    return [
        replace(
            base,
            id=f"gen-{i:04d}",
            number=None,
            title=" ".join(rng.choices(WORDS, k=rng.randint(1, 6))),
            text=" ".join(rng.choices(WORDS, k=rng.randint(0, 300))),
            access=rng.choice(("terbuka", "belum_ditinjau", "dikecualikan")),
        )
        for i in range(count)
    ] + list(all_docs())


def _build(path: Path, docs: list[IndexDoc], make: Any) -> None:
    common = default_common_words()
    ix = schema.create(path, common)
    try:
        with make(ix) as w:
            for doc in docs:
                w.add_document(**index_fields(doc, common))
    finally:
        ix.close()


def _postings(path: Path) -> dict[tuple[str, bytes], dict[str, tuple[float, bytes]]]:
    """Every posting, keyed by document id (document numbers differ between layouts)."""
    ix = schema.open_dir(path)
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            ids = {n: stored["id"] for n, stored in enumerate(reader.all_stored_fields())}
            if reader.is_atomic():
                leaves = [(reader, 0)]
            else:
                leaves = list(zip(reader.readers, reader.doc_offsets, strict=True))
            found: dict[tuple[str, bytes], dict[str, tuple[float, bytes]]] = {}
            for leaf, offset in leaves:
                for fieldname, text in leaf.all_terms():
                    postings = found.setdefault((fieldname, text), {})
                    matcher = leaf.postings(fieldname, text)
                    while matcher.is_active():
                        doc_id = ids[matcher.id() + offset]
                        postings[doc_id] = (matcher.weight(), matcher.value())
                        matcher.next()
            return found
    finally:
        ix.close()


def _lengths(path: Path) -> dict[str, dict[str, int]]:
    ix = schema.open_dir(path)
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            return {
                stored["id"]: {
                    f: reader.doc_field_length(n, f) for f in ("content", "content_exact")
                }
                for n, stored in enumerate(reader.all_stored_fields())
            }
    finally:
        ix.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reference") / "index"
    codec = W3Codec(compression=building.COMPRESSION)
    _build(path, _docs(120), lambda ix: SegmentWriter(ix, compound=False, codec=codec))
    return path


def _segment_files(path: Path) -> dict[str, bytes]:
    """Postings, terms and columns by name without the (random) segment id."""
    found = {}
    for file in path.iterdir():
        if file.suffix in (".pst", ".trm", ".col"):
            found[file.name.split(".", 1)[1]] = file.read_bytes()
    return found


def test_build_writer_writes_the_same_files_as_whoosh(reference: Path, tmp_path: Path) -> None:
    path = tmp_path / "index"
    _build(path, _docs(120), lambda ix: building.BuildWriter(ix, limitmb=256, compound=False))
    files = _segment_files(path)
    assert {"pst", "trm", "_content_len.col"} <= set(files)
    assert files == _segment_files(reference)


def test_build_writer_spilling_runs_writes_the_same_postings(
    reference: Path, tmp_path: Path
) -> None:
    path = tmp_path / "index"
    # limitmb=1 spills many runs, so the run merge is exercised.
    _build(path, _docs(120), lambda ix: building.BuildWriter(ix, limitmb=1, compound=False))
    assert _postings(path) == _postings(reference)
    assert _lengths(path) == _lengths(reference)


def test_missing_documents_fail_the_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index"
    rebuild(path, SPECIAL[:2], procs=1)
    monkeypatch.setattr(writer, "_doc_count", lambda fresh: 1)
    with pytest.raises(SearchIndexError, match="wrote 1 of"):
        rebuild(path, SPECIAL[:3], procs=1)
    assert indexed_ids(path) == {SPECIAL[0].id, SPECIAL[1].id}


def test_default_procs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(writer.PROCS_ENV, "3")
    assert writer.default_procs() == 3
    monkeypatch.setenv(writer.PROCS_ENV, "0")
    assert writer.default_procs() == 1
    monkeypatch.setenv(writer.PROCS_ENV, "many")
    with pytest.raises(ValueError, match="whole number"):
        writer.default_procs()
    monkeypatch.delenv(writer.PROCS_ENV)
    assert writer.default_procs() >= 1
    with pytest.raises(ValueError, match="procs must be 1 or more"):
        rebuild(Path("/nonexistent/index"), [], procs=0)
