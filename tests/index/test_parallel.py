"""Rebuilding in worker processes: complete under every start method, or a clean failure.

Workers are killed, left idle and orphaned here for real; a failure must never touch the
live index, and nothing may be left running or lying around.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.vocabulary import visible_access
from index import IndexDoc, indexed_ids, parallel, rebuild, schema, search, writer
from index.errors import SearchIndexError
from tests.index.corpus import SPECIAL
from tests.index.test_building import _docs, _lengths, _postings, reference  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
START_METHODS = ["fork", "spawn", "forkserver"]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 5 and workers from 20 documents on, so small tests use several workers."""
    monkeypatch.setattr(parallel, "BATCH", 5)
    monkeypatch.setattr(writer, "PARALLEL_MIN_DOCS", 20)
    monkeypatch.setattr(writer, "COMMON_SAMPLE_DOCS", 20)


def _skip_unsafe_fork(method: str) -> None:
    # Forking a process that runs threads (a Prefect server left by earlier tests in the
    # same run) copies their locks mid-use: the reason workers default to forkserver.
    if method == "fork" and threading.active_count() > 1:
        pytest.skip(f"fork from a process with {threading.active_count()} threads is unsafe")


def _workers() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name.startswith("arsip-index")]


def _old_index(path: Path) -> set[str]:
    rebuild(path, SPECIAL[:2], procs=1)
    return {SPECIAL[0].id, SPECIAL[1].id}


@pytest.mark.parametrize("method", START_METHODS)
def test_worker_segments_hold_the_same_postings(
    reference: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
) -> None:
    from index.analysis import default_common_words

    _skip_unsafe_fork(method)
    monkeypatch.setattr(parallel, "BATCH", 7)
    path = tmp_path / "index"
    schema.create(path, default_common_words()).close()
    with parallel.ParallelBuild(path, 2, limitmb=2, start_method=method) as build:
        for doc in _once_both_started(path, _docs(120)):
            build.add(doc)
    ix = schema.open_dir(path)
    try:
        assert len(ix._segments()) == 2
    finally:
        ix.close()
    assert _postings(path) == _postings(reference)
    assert _lengths(path) == _lengths(reference)
    assert not _workers()
    assert sorted(p.name for p in path.iterdir() if p.is_dir()) == []  # no scratch left


def _once_both_started(path: Path, docs: list[IndexDoc]) -> Iterator[IndexDoc]:
    """``docs`` once two workers wait for batches (each has made its scratch directory):
    under load a worker slow to start (spawn) could otherwise find every batch taken."""
    deadline = time.monotonic() + 60
    while len(list(path.glob("MAIN.*.tmp"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    yield from docs


def _slow(docs: list[IndexDoc], pause_after: int, seconds: float) -> Iterator[IndexDoc]:
    for n, doc in enumerate(docs):
        if n == pause_after:
            time.sleep(seconds)  # workers sit idle, waiting for the next batch
        yield doc


@pytest.mark.parametrize("method", START_METHODS)
def test_idle_workers_keep_waiting_and_the_index_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_batches: None, method: str
) -> None:
    # Under forkserver a worker used to take its idle time for a dead parent (getppid()
    # is the fork server), cancel itself and delete the other workers' scratch files.
    _skip_unsafe_fork(method)
    monkeypatch.setattr(parallel, "START_METHOD", method)
    docs = _docs(60)
    path = tmp_path / "index"
    assert rebuild(path, _slow(docs, 30, 3 * parallel.POLL_SECONDS), procs=2) == len(docs)
    assert indexed_ids(path) == {d.id for d in docs}
    assert not _workers()


def test_parallel_rebuild_is_searchable_like_a_single_one(
    tmp_path: Path, small_batches: None
) -> None:
    docs = _docs(60)
    one, two = tmp_path / "one", tmp_path / "two"
    assert rebuild(two, docs, procs=2) == len(docs)
    assert rebuild(one, docs, procs=1) == len(docs)
    assert indexed_ids(one) == indexed_ids(two) == {d.id for d in docs}
    for query in ("pleno", '"tidak ada keberatan"', "memilih", "88/Kpts/KPU", "pemilihen~1", ""):
        first, second = (
            search(one, query, visible=visible_access("ppid")),
            search(two, query, visible=visible_access("ppid")),
        )
        assert first.total == second.total > 0, query
        assert first.facets == second.facets
        # Scores and order depend on the documents, not on how they were spread.
        assert first.hits == second.hits, query


def test_small_rebuild_starts_no_worker(tmp_path: Path) -> None:
    assert rebuild(tmp_path / "index", _docs(3), procs=4) == len(_docs(3))
    assert not multiprocessing.active_children()


def _repeating(docs: list[IndexDoc]) -> Iterator[IndexDoc]:
    yield from docs
    yield docs[0]


def test_failed_rebuild_stops_its_workers_and_keeps_the_old_index(
    tmp_path: Path, small_batches: None
) -> None:
    path = tmp_path / "index"
    old = _old_index(path)
    with pytest.raises(ValueError, match="repeats document id"):
        rebuild(path, _repeating(_docs(40)), procs=2)
    assert not _workers()
    assert indexed_ids(path) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "index.lock"]


def _killing_one(docs: list[IndexDoc], after: int) -> Iterator[IndexDoc]:
    for n, doc in enumerate(docs):
        if n == after:
            os.kill(_workers()[0].pid, signal.SIGKILL)  # type: ignore[arg-type]
        yield doc


def test_killed_worker_fails_the_rebuild_cleanly(tmp_path: Path, small_batches: None) -> None:
    path = tmp_path / "index"
    old = _old_index(path)
    began = time.monotonic()
    with pytest.raises(SearchIndexError, match="worker process"):
        rebuild(path, _killing_one(_docs(200), 100), procs=2)
    assert time.monotonic() - began < 30
    assert not _workers()
    assert indexed_ids(path) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "index.lock"]
    # And the next rebuild works.
    assert rebuild(path, _docs(40), procs=2) == len(_docs(40))


ORPHAN_SCRIPT = """
import multiprocessing, sys, time
from index import parallel, rebuild, writer
from tests.index.test_building import _docs
parallel.BATCH = 5
writer.COMMON_SAMPLE_DOCS = writer.PARALLEL_MIN_DOCS = 5
def docs():
    yield from _docs(30)
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()
                   if p.name.startswith("arsip-index")), flush=True)
    time.sleep(600)
if __name__ == "__main__":
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
    path = tmp_path / "index"
    old = _old_index(path)
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(path)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        pids = [int(pid) for pid in proc.stdout.readline().split()]
        assert len(pids) == 2
        time.sleep(2 * parallel.POLL_SECONDS)
        assert not any(_gone(pid) for pid in pids)  # idle, not dead, while the parent lives
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 15
    while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(pid) for pid in pids)
    assert indexed_ids(path) == old  # the live index is untouched; the .new- dir stays
    assert [p.name.split("-")[0] for p in writer.leftover_dirs(path)] == ["index.new"]
