from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest

from archive.vocabulary import visible_access
from index import QueryError, SearchIndexError, search


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed', "unclosed quote"),
        ('pemilu "daftar pemilih', "unclosed quote"),
        ("AND", "AND needs a word before it"),
        ("pemilu AND", "AND needs a word after it"),
        ("OR pilkada", "OR needs a word before it"),
        ("pemilu AND OR pilkada", "AND needs a word after it"),
        ("pemilu NOT", "NOT needs a word after it"),
        ("(", "unclosed '('"),
        ("(pemilu OR pilkada", "unclosed '('"),
        ("pemilu)", "')' without a matching '('"),
        ("()", "empty parentheses"),
        ("title:", "'title:' needs a word right after the colon"),
        ("title: pemilu", "'title:' needs a word right after the colon"),
        ('""', "empty phrase"),
        ("*milu", "at least 2 letters before \\*"),
        ("pemilihan~5", "fuzzy distance after ~ must be 1 or 2"),
        (",;.", "nothing to search for"),
    ],
)
def test_malformed_query_gives_a_clear_message(
    shared_index: Path, query: str, message: str
) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        search(shared_index, query, visible=visible_access("petugas"))


def test_query_error_is_a_search_index_error() -> None:
    assert issubclass(QueryError, SearchIndexError)


@pytest.mark.parametrize(
    "query",
    ['title:"daftar pemilih"', "title:(pemilih tetap)", "(pemilu OR pilkada) rapat", "10:30"],
)
def test_well_formed_queries_parse(shared_index: Path, query: str) -> None:
    search(shared_index, query, visible=visible_access("petugas"))


@pytest.mark.parametrize(("page", "size"), [(0, 10), (1, 0), (1, 1000)])
def test_bad_paging_is_a_query_error(shared_index: Path, page: int, size: int) -> None:
    with pytest.raises(QueryError):
        search(shared_index, "pemilu", visible=visible_access("petugas"), page=page, page_size=size)


def test_question_mark_is_not_a_wildcard(shared_index: Path) -> None:
    found = {
        hit.id
        for hit in search(shared_index, "apa itu pemilu?", visible=visible_access("ppid")).hits
    }
    assert found == set()  # "apa" and "itu" occur nowhere: AND of all words
    assert search(shared_index, "pemilu?", visible=visible_access("ppid")).total >= 2


def test_fuzzy_needs_one_word(shared_index: Path) -> None:
    with pytest.raises(QueryError, match="exactly one word before ~"):
        search(shared_index, ".~1", visible=visible_access("ppid"))
    assert (
        search(shared_index, "pemilihan~1/20", visible=visible_access("petugas")).total >= 1
    )  # prefix clamped


def test_overlong_query_is_refused(shared_index: Path) -> None:
    with pytest.raises(QueryError, match="too long"):
        search(shared_index, "pemilu " * 200, visible=visible_access("ppid"))


def test_random_garbage_never_escapes_as_another_exception(shared_index: Path) -> None:
    rng = random.Random(20240101)
    pieces = ['"', "(", ")", "*", "?", "~", "^", ":", "/", "-", ".", ",", "AND ", "OR ",
              "NOT ", "title:", "1", "pemilu ", "\\", "[", "]", "{", "}", "+", "'", "TO ",
              "*:*", "ANDNOT ", "~2", "~1/2", "^2", "a", "b", " "]  # fmt: skip
    for _ in range(300):
        query = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        with contextlib.suppress(QueryError):  # anything else fails the test
            search(shared_index, query, visible=visible_access("petugas"))
