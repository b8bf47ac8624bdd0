"""Posting lists and columns read a block at a time, for the search evaluator.

Whoosh's matchers hand out one posting per method call (``id()``, ``weight()``,
``next()``), a few microseconds each in Python; a common word has a posting in most
documents. Here a posting block (up to 128 postings) is decoded at once, as Whoosh's W3
codec stores it, and columns are read as one byte string. Deleted documents are *not*
filtered out here: every caller intersects with a set of live documents.

Document numbers are global (a segment's offset added), as in a multi-segment searcher.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any

from whoosh.codec.whoosh3 import (  # type: ignore[import-untyped]
    LENGTHS_COLUMN,
    W3LeafMatcher,
    _lenfield,
)
from whoosh.columns import (  # type: ignore[import-untyped]
    CompressedBytesColumn,
    PickleColumn,
    VarBytesColumn,
)
from whoosh.reading import SegmentReader  # type: ignore[import-untyped]
from whoosh.util.numeric import byte_to_length  # type: ignore[import-untyped]

_BYTE_LENGTHS = [byte_to_length(n) for n in range(256)]
_SWAP = sys.byteorder == "little"  # Whoosh's numeric columns are big-endian
_STORED = "_stored"  # the stored fields' column (W3Codec)


@dataclass(frozen=True)
class Block:
    ids: list[int]  # global document numbers, ascending
    weights: list[float] | tuple[float, ...]
    values: tuple[bytes, ...] | None  # raw posting values (positions), when asked for


def leaves(reader: Any) -> list[tuple[Any, int]]:
    """(segment reader, document offset) pairs of ``reader`` (none for an empty index)."""
    pairs = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    return [(leaf, offset) for leaf, offset in pairs if isinstance(leaf, SegmentReader)]


def blocks(
    leaf_readers: list[tuple[Any, int]], field: str, btext: bytes, values: bool = False
) -> Iterator[Block]:
    """Every posting of a term, block by block, over all segments."""
    for leaf, offset in leaf_readers:
        if (field, btext) not in leaf:
            continue
        fmt = leaf.schema[field].format
        matcher = leaf._terms.matcher(field, btext, fmt)
        if type(matcher) is W3LeafMatcher:
            yield from _w3_blocks(matcher, offset, values)
        else:
            yield _generic_block(matcher, offset, values)


def _w3_blocks(matcher: Any, offset: int, values: bool) -> Iterator[Block]:
    # The block layout written by W3PostingsWriter._write_block (and read by
    # W3LeafMatcher._read_ids/_read_weights/_read_values): delta-coded ids, weights
    # minified to None (all 1.0), one float, or a tuple, values as a tuple of bytes.
    while not matcher._atend:
        matcher._read_data()
        deltas, weights, _values = matcher._data
        count = len(deltas)
        ids = list(accumulate(deltas, initial=offset))[1:]
        if weights is None:
            weights = [1.0] * count
        elif isinstance(weights, float):
            weights = list(repeat(weights, count))
        found = None
        if values:
            matcher._read_values()
            found = tuple(matcher._values)
        yield Block(ids, weights, found)
        matcher._next_block()


def _generic_block(matcher: Any, offset: int, values: bool) -> Block:
    ids: list[int] = []
    weights: list[float] = []
    found: list[bytes] = []
    while matcher.is_active():
        ids.append(matcher.id() + offset)
        weights.append(matcher.weight())
        if values:
            found.append(matcher.value())
        matcher.next()
    return Block(ids, weights, tuple(found) if values else None)


def doc_ids(leaf_readers: list[tuple[Any, int]], field: str, btext: bytes) -> list[int]:
    """The document numbers of a term's postings (deleted ones included)."""
    found: list[int] = []
    for block in blocks(leaf_readers, field, btext):
        found.extend(block.ids)
    return found


def _numeric_column(leaf: Any, reader: Any) -> array[int]:
    """A W3 numeric column read whole: the stored prefix, then the default for the
    documents after the last one that had a value."""
    typecode = reader._typecode
    data = array(typecode, reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen))
    if _SWAP:
        data.byteswap()
    missing = leaf.doc_count_all() - len(data)
    if missing > 0:
        data.extend(repeat(reader._default, missing))
    return data


def numeric_column(leaf_readers: list[tuple[Any, int]], field: str) -> list[int]:
    """A numeric column's values for every document number."""
    values: list[int] = []
    for leaf, _offset in leaf_readers:
        column = leaf.schema[field].column_type
        perdoc = leaf._perdoc
        if perdoc.has_column(field):
            values.extend(_numeric_column(leaf, perdoc.column_reader(field, column)))
        else:
            values.extend(repeat(column.default_value(), leaf.doc_count_all()))
    return values


def field_lengths(leaf_readers: list[tuple[Any, int]], field: str) -> list[int]:
    """Each document's length of ``field`` as Whoosh scores with it (its one-byte
    approximation, ``doc_field_length``), 0 where the document has none."""
    lengths: list[int] = []
    name = _lenfield(field)
    for leaf, _offset in leaf_readers:
        perdoc = leaf._perdoc
        if perdoc.has_column(name):
            coded = _numeric_column(leaf, perdoc.column_reader(name, LENGTHS_COLUMN))
            lengths.extend(map(_BYTE_LENGTHS.__getitem__, coded))
        else:
            lengths.extend(repeat(0, leaf.doc_count_all()))
    return lengths


def deleted(leaf_readers: list[tuple[Any, int]]) -> set[int]:
    found: set[int] = set()
    for leaf, offset in leaf_readers:
        if leaf.has_deletions():
            found.update(offset + docnum for docnum in leaf.segment().deleted_docs())
    return found


class _StoredReader(CompressedBytesColumn.Reader):  # type: ignore[misc]
    """The stored-fields column reader, with its offsets given instead of derived: Whoosh
    derives them from the lengths in a Python loop over every document of the segment,
    each time a reader opens (milliseconds a search)."""

    def __init__(
        self, dbfile: Any, basepos: int, length: int, doccount: int, layout: tuple[Any, Any]
    ) -> None:
        self._dbfile = dbfile
        self._basepos = basepos
        self._length = length
        self._doccount = doccount
        self.had_stored_offsets = False
        self._offsets, self._lengths = layout
        self._decompress = zlib.decompress


def install_stored_reader(leaf: Any, layouts: dict[str, tuple[Any, Any]]) -> None:
    """Give ``leaf`` a stored-fields reader whose offsets come from ``layouts`` (segment
    id -> offsets and lengths, filled here on first use)."""
    perdoc = leaf._perdoc
    if _STORED in perdoc._readers or not perdoc.has_column(_STORED):
        return
    if _STORED not in perdoc._colfiles:
        perdoc._colfiles[_STORED] = perdoc._get_column_file(_STORED)
    colfile, basepos, length = perdoc._colfiles[_STORED]
    key = leaf.segment().segment_id()
    layout = layouts.get(key)
    if layout is None:
        plain = VarBytesColumn.Reader(colfile, basepos, length, perdoc._doccount)
        layout = layouts[key] = (plain._offsets, plain._lengths)
    inner = _StoredReader(colfile, basepos, length, perdoc._doccount, layout)
    perdoc._readers[_STORED] = PickleColumn.Reader(inner)
