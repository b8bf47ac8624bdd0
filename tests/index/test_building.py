"""The rebuild writers: same postings as Whoosh's writer, and no hung or lost workers."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from whoosh.writing import SegmentWriter  # type: ignore[import-untyped]

from index import IndexDoc, building, indexed_ids, rebuild, schema, search, writer
from index.analysis import default_common_words
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
                w.add_document(**writer._fields(doc, common))
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
    _build(path, _docs(120), lambda ix: SegmentWriter(ix, compound=False))
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


def test_parallel_writer_writes_the_same_postings_in_worker_segments(
    reference: Path, tmp_path: Path
) -> None:
    path = tmp_path / "index"
    _build(path, _docs(120), lambda ix: building.ParallelWriter(ix, 2, limitmb=1, batchsize=7))
    ix = schema.open_dir(path)
    try:
        assert len(ix._segments()) >= 2
    finally:
        ix.close()
    assert _postings(path) == _postings(reference)
    assert _lengths(path) == _lengths(reference)
    assert not multiprocessing.active_children()


def test_parallel_rebuild_is_searchable_like_a_single_one(tmp_path: Path) -> None:
    docs = _docs(60)
    one, two = tmp_path / "one", tmp_path / "two"
    building_batch = building.BATCH
    try:
        building.BATCH = 5
        assert rebuild(two, docs, procs=2) == len(docs)
    finally:
        building.BATCH = building_batch
    assert rebuild(one, docs, procs=1) == len(docs)
    assert indexed_ids(one) == indexed_ids(two) == {d.id for d in docs}
    for query in ("pleno", '"tidak ada keberatan"', "memilih", "88/Kpts/KPU", "pemilihen~1"):
        first, second = search(one, query, role="ppid"), search(two, query, role="ppid")
        assert first.total == second.total > 0, query
        assert first.facets == second.facets


def test_small_parallel_rebuild_starts_no_worker(tmp_path: Path) -> None:
    assert rebuild(tmp_path / "index", _docs(3), procs=4) == len(_docs(3))
    assert not multiprocessing.active_children()


def _repeating(docs: list[IndexDoc]) -> Iterator[IndexDoc]:
    yield from docs
    yield docs[0]


def test_failed_parallel_rebuild_stops_its_workers_and_keeps_the_old_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index"
    rebuild(path, SPECIAL[:2], procs=1)
    monkeypatch.setattr(building, "BATCH", 5)
    with pytest.raises(ValueError, match="repeats document id"):
        rebuild(path, _repeating(_docs(40)), procs=2)
    assert not multiprocessing.active_children()
    assert indexed_ids(path) == {SPECIAL[0].id, SPECIAL[1].id}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "index.lock"]


def test_dead_worker_fails_the_rebuild_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index"
    rebuild(path, SPECIAL[:2], procs=1)
    monkeypatch.setattr(building, "BATCH", 5)
    start_worker = building.ParallelWriter._new_task

    def start_then_kill(self: building.ParallelWriter) -> building._Worker:
        # Workers start from a fork server, so a patched method would not reach them:
        # kill the real process instead.
        task = start_worker(self)
        os.kill(task.pid, signal.SIGKILL)
        return task

    monkeypatch.setattr(building.ParallelWriter, "_new_task", start_then_kill)
    began = time.monotonic()
    with pytest.raises(SearchIndexError, match="worker process"):
        rebuild(path, _docs(200), procs=2)
    assert time.monotonic() - began < 30
    assert not multiprocessing.active_children()
    assert indexed_ids(path) == {SPECIAL[0].id, SPECIAL[1].id}


def test_missing_documents_fail_the_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index"
    rebuild(path, SPECIAL[:2], procs=1)
    monkeypatch.setattr(writer, "_doc_count", lambda fresh: 1)
    with pytest.raises(SearchIndexError, match="wrote 1 of"):
        rebuild(path, SPECIAL[:3], procs=1)
    assert indexed_ids(path) == {SPECIAL[0].id, SPECIAL[1].id}


ORPHAN_SCRIPT = """
import itertools, multiprocessing, sys, time
from index import building, rebuild, writer
from tests.index.test_building import _docs
building.BATCH = 5
writer.COMMON_SAMPLE_DOCS = 5
def docs():
    yield from _docs(30)
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    time.sleep(600)
rebuild(sys.argv[1], docs(), procs=2)
"""


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # exited; only waiting to be reaped


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_workers_exit_when_the_rebuild_process_is_killed(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_SCRIPT, str(tmp_path / "index")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        pids = [int(pid) for pid in proc.stdout.readline().split()]
        assert len(pids) == 2
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 15
    while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(pid) for pid in pids)


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
