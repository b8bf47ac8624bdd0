"""The stems table kept beside the index: written by builds, read by highlighting searches,
ignored (never an error) when damaged or made by other rules."""

from __future__ import annotations

import pickle
import random
from dataclasses import replace
from pathlib import Path

import pytest

from archive.vocabulary import visible_access
from index import IndexDoc, add_documents, parallel, rebuild, search, stems, writer
from tests.index.corpus import SPECIAL


def _new_words(seed: int, count: int) -> list[str]:
    """Affixed pseudo-words no other test stems (so no process has them in its table)."""
    rng = random.Random(seed)
    syllables = ["ba", "di", "gu", "ko", "lu", "ma", "ne", "pi", "ru", "sa", "to", "wu"]
    words = set()
    while len(words) < count:
        root = "".join(rng.choice(syllables) for _ in range(4))
        words.add(rng.choice(["me", "di", "pe", "ber"]) + root + rng.choice(["kan", "an", ""]))
    return sorted(words)


def _docs(words: list[str], count: int) -> list[IndexDoc]:
    base = SPECIAL[0]
    per_doc = max(1, len(words) // count)
    return [
        replace(base, id=f"stem-{n}", text=" ".join(words[n * per_doc : (n + 1) * per_doc]))
        for n in range(count)
    ]


@pytest.fixture
def fresh_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as if just started: nothing stemmed, nothing loaded."""
    monkeypatch.setattr(stems, "_table", {})
    monkeypatch.setattr(stems, "_loaded", {})
    monkeypatch.setattr(stems, "_saved", {})


def _kept(index_dir: Path) -> dict[str, str]:
    found = stems._read(index_dir / stems.STEMS_FILE)
    assert found is not None
    return found


def test_parallel_rebuild_keeps_the_stems_its_workers_computed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_table: None
) -> None:
    monkeypatch.setattr(parallel, "BATCH", 5)
    monkeypatch.setattr(writer, "PARALLEL_MIN_DOCS", 20)
    monkeypatch.setattr(writer, "COMMON_SAMPLE_DOCS", 20)
    words = _new_words(1, 400)
    path = tmp_path / "index"
    assert rebuild(path, _docs(words, 40), procs=2) == 40
    kept = _kept(path)
    assert not set(words) & set(stems.table())  # computed in the workers only
    assert {word: kept.get(word) for word in words} == {w: stems._stem_alpha(w) for w in words}


def test_highlights_use_the_kept_stems_instead_of_stemming_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = _new_words(2, 60)
    path = tmp_path / "index"
    docs = _docs(words, 6)
    rebuild(path, docs, procs=1)
    texts = {doc.id: doc.text for doc in docs}
    monkeypatch.setattr(stems, "_table", {})  # a new search process
    monkeypatch.setattr(stems, "_loaded", {})
    search(path, words[0], visible=visible_access("ppid"))  # the query's own word is stemmed
    before = stems.stemmed_word_count()
    results = search(
        path,
        words[0],
        visible=visible_access("ppid"),
        text_loader=lambda doc_id, folder=None: texts.get(doc_id),
    )
    assert results.total >= 1
    assert f"<mark>{words[0]}</mark>" in (results.hits[0].snippet or "")
    assert stems.stemmed_word_count() == before  # the text's words: stems from the file


def test_a_batch_adds_its_new_words_to_the_kept_stems(tmp_path: Path, fresh_table: None) -> None:
    path = tmp_path / "index"
    first, second = _new_words(3, 20), _new_words(4, 20)
    add_documents(path, _docs(first, 2))
    add_documents(path, [replace(d, id=d.id + "-b") for d in _docs(second, 2)])
    assert set(first) | set(second) <= set(_kept(path))


@pytest.mark.parametrize(
    "content",
    [
        b"not a pickle",
        b"",
        pickle.dumps(("another fingerprint", {"memilih": "salah"})),
        pickle.dumps(["no", "tuple"]),
    ],
)
def test_a_damaged_or_foreign_table_is_ignored(
    tmp_path: Path, content: bytes, fresh_table: None
) -> None:
    (tmp_path / stems.STEMS_FILE).write_bytes(content)
    stems.use_table(tmp_path)
    assert stems.stem_word("memilih") == "pilih"
    stems.save_table(tmp_path)  # replaced by a good one
    assert _kept(tmp_path)["memilih"] == "pilih"


def test_an_unwritable_table_is_not_an_error(tmp_path: Path) -> None:
    stems.save_table(tmp_path / "missing", {"memilih": "pilih"})
    assert not (tmp_path / "missing").exists()
