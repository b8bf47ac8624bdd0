"""The terms files are read through memory maps; what a search finds is unchanged."""

from __future__ import annotations

import mmap
from pathlib import Path

from whoosh import index as whoosh_index  # type: ignore[import-untyped]

from index.mapped import MappedStorage
from index.schema import open_dir


def test_terms_files_open_as_maps_and_others_as_files(shared_index: Path) -> None:
    storage = MappedStorage(str(shared_index))
    names = storage.list()
    terms = [name for name in names if name.endswith(".trm")]
    others = [name for name in names if name.endswith((".pst", ".toc"))]
    assert terms and others
    for name in terms:
        opened = storage.open_file(name)
        assert isinstance(opened.file, mmap.mmap)
        assert opened.get(0, 4) == (shared_index / name).read_bytes()[:4]
        opened.close()
        assert opened.file.closed
    for name in others:
        opened = storage.open_file(name)
        assert not isinstance(opened.file, mmap.mmap)
        opened.close()


def test_an_empty_terms_file_opens_as_a_plain_file(tmp_path: Path) -> None:
    (tmp_path / "EMPTY.trm").write_bytes(b"")
    opened = MappedStorage(str(tmp_path)).open_file("EMPTY.trm")
    assert opened.read() == b""
    opened.close()


def test_word_lists_walked_through_maps_are_whooshs_own(shared_index: Path) -> None:
    # The on-disk walk of a fuzzy term and "did you mean" probes the terms file.
    plain, mapped = whoosh_index.open_dir(str(shared_index)), open_dir(shared_index)
    with plain.reader() as whooshs, mapped.reader() as ours:
        for field in ("content_exact", "title_exact"):
            for word, distance in (("pemilihan", 1), ("pemilu", 2), ("kpu", 1)):
                assert set(ours.terms_within(field, word, distance)) == set(
                    whooshs.terms_within(field, word, distance)
                )
            assert list(ours.lexicon(field)) == list(whooshs.lexicon(field))
