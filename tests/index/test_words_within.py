"""Words near a typed word (fuzzy terms, "did you mean"): a generation walks a segment's
word list on disk, then from memory, and keeps what it found; the words are Whoosh's."""

from __future__ import annotations

from pathlib import Path

from archive.vocabulary import visible_access
from index import generation, postings, search
from index.schema import open_dir

WORDS = [
    ("pemilihan", 1, 1),
    ("pemilihen", 2, 2),
    ("pengecualiam", 2, 2),
    ("kpu", 1, 1),
    ("rapat", 1, 1),
    ("keputusn", 2, 1),
    ("pemilihan", 1, 1),  # again: kept
]


def test_words_within_are_whooshs_from_disk_and_from_memory(shared_index: Path) -> None:
    assert len(WORDS) > generation.FUZZY_WALKS_BEFORE_LOADING + 2
    ix = open_dir(shared_index)
    with ix.reader() as reader:
        kept = generation.Generation(reader.doc_count_all(), frozenset())
        for leaf, _offset in postings.leaves(reader):
            for field in ("content_exact", "title_exact"):
                for word, distance, prefix in WORDS:
                    expected = set(leaf.terms_within(field, word, distance, prefix))
                    found = kept.words_within(leaf, field, word, distance, prefix)
                    assert set(found) == expected, (field, word)
    ix.close()


def test_misspelt_searches_answer_the_same_every_time(shared_index: Path) -> None:
    # The first ones walk the word lists on disk, later ones in memory or from the memo.
    queries = ["pemilihen", "pengecualiam", "rapat pemutakhirn", "keputusn komisi"]
    generation._GENERATIONS.clear()
    rounds = [
        [
            (r.suggestion, r.fuzzy, [h.id for h in r.hits])
            for r in (search(shared_index, q, visible=visible_access("ppid")) for q in queries)
        ]
        for _ in range(3)
    ]
    assert rounds[0] == rounds[1] == rounds[2]
    assert any(suggestion for suggestion, _fuzzy, _ids in rounds[0])
