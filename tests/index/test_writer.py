from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from archive.vocabulary import visible_access
from index import (
    SCHEMA_VERSION,
    IndexBusy,
    IndexDoc,
    IndexMissing,
    IndexOutdated,
    add_documents,
    contains,
    delete_documents,
    indexed_ids,
    leftover_dirs,
    open_or_create,
    rebuild,
    search,
)
from index.schema import VERSION_FILE
from tests.index.corpus import SPECIAL

DOC = SPECIAL[0]  # kpts-88
OTHER = SPECIAL[5]  # uji-konsekuensi


def snapshot(path: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def test_open_or_create_then_add_is_findable(tmp_path: Path) -> None:
    path = tmp_path / "index"
    handle = open_or_create(path)
    assert handle.doc_count == 0 and handle.schema_version == SCHEMA_VERSION
    assert not contains(path, DOC.id)
    assert add_documents(path, [DOC]) == 1
    assert contains(path, DOC.id)
    assert indexed_ids(path) == {DOC.id}


def test_readers_on_a_missing_index(tmp_path: Path) -> None:
    path = tmp_path / "none"
    assert indexed_ids(path) == set()
    assert not contains(path, "x")
    with pytest.raises(IndexMissing, match="arsip reindex"):
        search(path, "pemilu", visible=visible_access("ppid"))
    assert not path.exists()


def test_re_adding_a_document_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [DOC, OTHER])
    add_documents(path, [DOC, DOC])
    assert open_or_create(path).doc_count == 2
    assert search(path, "memilih", visible=visible_access("ppid")).total == 1
    renamed = replace(DOC, title="Judul Baru Rekapitulasi", text="isi pengganti")
    add_documents(path, [renamed])
    assert search(path, "memilih", visible=visible_access("ppid")).total == 0
    assert [h.title for h in search(path, "pengganti", visible=visible_access("ppid")).hits] == [
        renamed.title
    ]
    assert indexed_ids(path) == {DOC.id, OTHER.id}


def test_access_change_is_picked_up_on_re_add(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [replace(DOC, access="belum_ditinjau")])
    assert search(path, "memilih", visible=visible_access("petugas")).total == 0
    add_documents(path, [DOC])
    assert search(path, "memilih", visible=visible_access("petugas")).total == 1


def test_delete_documents(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [DOC, OTHER])
    assert delete_documents(path, [DOC.id, "not-there"]) == 1
    assert not contains(path, DOC.id)
    assert indexed_ids(path) == {OTHER.id}


def test_failed_batch_commits_nothing(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [OTHER])

    def broken() -> Iterator[IndexDoc]:
        yield DOC
        raise RuntimeError("catalog went away")

    with pytest.raises(RuntimeError):
        add_documents(path, broken())
    assert indexed_ids(path) == {OTHER.id}
    add_documents(path, [DOC])  # the lock was released
    assert contains(path, DOC.id)


def test_invalid_access_level_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown access level"):
        replace(DOC, access="publik")


def test_rebuild_swaps_atomically(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [OTHER])
    assert rebuild(path, [DOC]) == 1
    assert indexed_ids(path) == {DOC.id}
    assert search(path, "memilih", visible=visible_access("petugas")).total == 1
    assert leftover_dirs(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "index.lock"]


def test_rebuild_creates_an_index_where_there_was_none(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "index"
    assert rebuild(path, [DOC, OTHER]) == 2
    assert indexed_ids(path) == {DOC.id, OTHER.id}


def test_failed_rebuild_keeps_the_old_index(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [OTHER])

    def broken() -> Iterator[IndexDoc]:
        yield DOC
        raise RuntimeError("archive unreadable")

    with pytest.raises(RuntimeError):
        rebuild(path, broken())
    assert indexed_ids(path) == {OTHER.id}
    assert leftover_dirs(path) == []


def test_interrupted_rebuild_leaves_search_working(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [DOC])
    # A rebuild killed while filling its fresh directory.
    stale = tmp_path / "index.new-abc123"
    stale.mkdir()
    (stale / "MAIN_half.seg").write_bytes(b"\0" * 100)
    assert search(path, "memilih", visible=visible_access("petugas")).total == 1
    assert leftover_dirs(path) == [stale]
    assert rebuild(path, [DOC, OTHER]) == 2
    assert search(path, "pengecualian", visible=visible_access("petugas")).total == 1
    assert stale.exists()  # not ours to judge: reported, never deleted


def test_rebuild_killed_between_its_renames_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [DOC])
    path.rename(tmp_path / "index.old-20250101T000000-1")
    assert search(path, "memilih", visible=visible_access("petugas")).total == 1
    assert indexed_ids(path) == {DOC.id}


def test_schema_version_mismatch_raises_and_touches_nothing(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [DOC])
    (path / VERSION_FILE).write_text("arsip-index 0\n", encoding="utf-8")
    before = snapshot(path)
    with pytest.raises(IndexOutdated, match="run `arsip reindex`"):
        search(path, "pemilu", visible=visible_access("ppid"))
    with pytest.raises(IndexOutdated):
        add_documents(path, [OTHER])
    with pytest.raises(IndexOutdated):
        open_or_create(path)
    with pytest.raises(IndexOutdated):
        indexed_ids(path)
    assert snapshot(path) == before
    assert rebuild(path, [OTHER]) == 1  # the remedy the message names
    assert indexed_ids(path) == {OTHER.id}


def test_missing_version_file_is_outdated(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [DOC])
    (path / VERSION_FILE).unlink()
    with pytest.raises(IndexOutdated, match="no schema version file"):
        contains(path, DOC.id)


class HeldWriter:
    """Holds the index's write lock until released: a rebuild stuck reading its input.

    add_documents reads its whole batch before taking the lock, so a streaming rebuild
    is the public way to keep a writer busy for as long as a test needs."""

    def __init__(self, path: Path) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(path,))

    def _docs(self) -> Iterator[IndexDoc]:
        yield DOC
        self.started.set()
        self.release.wait(10)

    def _run(self, path: Path) -> None:
        try:
            rebuild(path, self._docs())
        except BaseException as exc:  # reported to the test thread
            self.errors.append(exc)

    def __enter__(self) -> HeldWriter:
        self.thread.start()
        assert self.started.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(10)
        assert not self.errors


def test_second_writer_raises_index_busy_after_its_timeout(tmp_path: Path) -> None:
    path = tmp_path / "index"
    open_or_create(path)
    with HeldWriter(path):
        began = time.monotonic()
        with pytest.raises(IndexBusy, match="locked by another writer"):
            add_documents(path, [OTHER], lock_timeout=0.3)
        assert 0.25 <= time.monotonic() - began < 2
        with pytest.raises(IndexBusy):
            rebuild(path, [OTHER], lock_timeout=0.2)
        assert (
            search(path, "", visible=visible_access("ppid")).total == 0
        )  # readers are never blocked
        with pytest.raises(IndexBusy):
            delete_documents(path, [DOC.id], lock_timeout=0.1)
    assert indexed_ids(path) == {DOC.id}


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    path = tmp_path / "index"
    open_or_create(path)
    with HeldWriter(path) as held:
        threading.Timer(0.3, held.release.set).start()
        assert add_documents(path, [OTHER], lock_timeout=5) == 1
    assert indexed_ids(path) == {DOC.id, OTHER.id}


def test_rebuild_refuses_repeated_ids_and_keeps_the_old_index(tmp_path: Path) -> None:
    path = tmp_path / "index"
    add_documents(path, [OTHER])
    with pytest.raises(ValueError, match="repeats document id"):
        rebuild(path, [DOC, DOC])
    assert indexed_ids(path) == {OTHER.id}
    assert leftover_dirs(path) == []


def test_empty_batch_takes_no_lock(tmp_path: Path) -> None:
    path = tmp_path / "index"
    open_or_create(path)
    with HeldWriter(path):
        assert add_documents(path, [], lock_timeout=0.1) == 0


def test_nobody_creates_an_empty_index_while_a_rebuild_swaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index"
    add_documents(path, [OTHER])
    monkeypatch.setattr("index.store.SWAP_WAIT", 0.2)
    with HeldWriter(path):
        # Freeze the instant between the rebuild's two renames.
        path.rename(tmp_path / "index.old-20250101T000000-1")
        with pytest.raises(IndexBusy):
            open_or_create(path, lock_timeout=0.2)
        with pytest.raises(IndexBusy):
            add_documents(path, [OTHER], lock_timeout=0.2)
        with pytest.raises(IndexMissing):
            search(
                path, "pemilu", visible=visible_access("ppid")
            )  # after waiting SWAP_WAIT for the swap
        assert not path.exists()  # neither created empty nor "recovered" under the rebuild
    assert indexed_ids(path) == {DOC.id}


def test_rebuild_keeps_the_common_words_it_picked_in_the_index(tmp_path: Path) -> None:
    from dataclasses import replace as copy

    from index import schema as index_schema

    path = tmp_path / "index"
    docs = [copy(DOC, id=f"d{i}", text=f"rapat pleno terbuka ke-{i} hari ini") for i in range(80)]
    rebuild(path, docs, procs=1)
    ix = index_schema.open_dir(path)
    try:
        common = index_schema.common_words(ix.schema)
    finally:
        ix.close()
    assert {"rapat", "pleno", "terbuka", "hari", "ini"} <= common
    # A later batch is paired with the same words, so its phrases are found the same way.
    add_documents(path, [copy(OTHER, text="hasil rapat pleno terbuka")])
    results = search(path, '"rapat pleno terbuka"', visible=visible_access("ppid"), page_size=100)
    assert results.total == 81 and OTHER.id in {hit.id for hit in results.hits}
    assert search(path, '"pleno rapat"', visible=visible_access("ppid")).total == 0
