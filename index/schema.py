"""The index schema and its version file.

Full text is not stored: the archive keeps ``text.txt`` and snippets are highlighted on
text loaded from there at search time. The schema version lives in a small file next to
Whoosh's own files; a mismatch means "run ``arsip reindex``" and nothing is ever deleted.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from pickle import dumps
from typing import Any

from whoosh import columns, fields  # type: ignore[import-untyped]
from whoosh import index as whoosh_index
from whoosh.system import pack_uint  # type: ignore[import-untyped]

from index.analysis import (
    ContentTerms,
    content_terms,
    default_common_words,
    exact_analyzer,
    stemming_analyzer,
)
from index.errors import IndexOutdated
from index.mapped import open_mapped

# Bump whenever a field, an analyzer or the protected-word list changes meaning.
# 3: body fields analyzed once (BodyField), pairs of common words (content_pairs). (2 was
# an intermediate layout that reached a commit: never reuse it.)
# 4: listing_key is 64-bit, the date above a checksum of the id (docs.listing_key).
# 5: location, where the paper original is kept ("Ruang Arsip 1 Lemari 3 Boks 12").
SCHEMA_VERSION = 5
VERSION_FILE = "arsip-schema-version"
_VERSION_TEXT = f"arsip-index {SCHEMA_VERSION}\n"
# Written for a document without a year: Whoosh's column default would surface in the
# year facet as 2**31-1.
YEAR_MISSING = 0
REINDEX_HINT = "run `arsip reindex`"
# Whoosh's default index name: its files, lock and scratch directory start with it.
INDEX_NAME = "MAIN"
# Whoosh's table-of-contents file of one generation (whoosh.index.TOC._filename).
_TOC_NAME = re.compile(rf"_{INDEX_NAME}_\d+\.toc")


class BodyField(fields.TEXT):  # type: ignore[misc]
    """A body field indexed from ``content_terms``: the text is read once for all three.

    The writer passes the same ``ContentTerms`` to ``content``, ``content_exact`` and
    ``content_pairs``; a plain string is analyzed here. ``common`` (kept on every body
    field, so in the index's own schema) is the word list the pairs were made with: the
    phrase query reads it from there. The analyzer is kept for anything in Whoosh that
    asks a field for one. Postings are what Whoosh's own formats would encode.
    """

    def __init__(self, analyzer: Any, *, part: str, common: frozenset[str]) -> None:
        super().__init__(analyzer=analyzer, phrase=part != "stemmed")
        self.part = part
        self.common = common

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        terms = value if isinstance(value, ContentTerms) else content_terms(value, self.common)
        boost = self.format.field_boost
        shared = len(_WEIGHTS) if boost == 1.0 else 0  # below it, a weight is _WEIGHTS[freq]
        if self.part == "stemmed":
            for word, freq in terms.stemmed.items():
                weight = _WEIGHTS[freq] if freq < shared else freq * boost
                value = _FREQUENCIES[freq] if freq < len(_FREQUENCIES) else pack_uint(freq)
                yield word.encode("utf-8"), freq, weight, value
            return
        for word, positions in (terms.exact if self.part == "exact" else terms.pairs).items():
            freq = len(positions)
            weight = _WEIGHTS[freq] if freq < shared else freq * boost
            yield word.encode("utf-8"), freq, weight, encode_positions(positions)


# formats.Frequency's value for small frequencies, made once; and their weights: one
# float object per frequency, shared by every posting (see posting_pool.GroupedPool).
_FREQUENCIES = [pack_uint(freq) for freq in range(256)]
_WEIGHTS = [float(freq) for freq in range(256)]
# formats.Positions' value for a word seen once, by position (most words of a document).
_ONE_POSITION: dict[int, bytes] = {}
_ONE_POSITION_MAX = 1 << 16


def encode_positions(positions: list[int]) -> bytes:
    """What ``formats.Positions.encode`` gives, faster (a cache for single positions)."""
    if len(positions) == 1:
        pos = positions[0]
        value = _ONE_POSITION.get(pos)
        if value is None:
            value = bytes(_FREQUENCIES[1]) + dumps(positions, 2)
            if pos < _ONE_POSITION_MAX:
                _ONE_POSITION[pos] = value
        return value
    deltas = [positions[0]]
    deltas += [after - before for before, after in pairwise(positions)]
    return bytes(pack_uint(len(deltas))) + dumps(deltas, 2)


def build_schema(common: frozenset[str] | None = None) -> Any:
    """The schema; ``common``: the words paired in ``content_pairs`` (default list if None)."""
    stemmed = stemming_analyzer()
    exact = exact_analyzer()
    words = default_common_words() if common is None else common
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        number=fields.ID(stored=True),
        number_norm=fields.ID(),
        codes=fields.KEYWORD(lowercase=True, scorable=True),
        title=fields.TEXT(analyzer=stemmed, stored=True, phrase=False),
        # Titles are short: their phrases need no pairs.
        title_exact=fields.TEXT(analyzer=exact, phrase=True),
        # Phrases run on the exact fields only, so the stemmed copy skips positions.
        content=BodyField(stemmed, part="stemmed", common=words),
        content_exact=BodyField(exact, part="exact", common=words),
        # Two common words in a row, at the first one's position (see index.phrase).
        content_pairs=BodyField(exact, part="pairs", common=words),
        doc_type=fields.ID(stored=True, sortable=True),
        unit=fields.ID(stored=True, sortable=True),
        access=fields.ID(stored=True, sortable=True),
        year=fields.NUMERIC(int, bits=32, stored=True, sortable=True),
        date=fields.DATETIME(stored=True),
        # Listing order and tie-break (docs.listing_key; 0 in the date part when undated):
        # a column only, so undated documents sort last; a sortable DATETIME would put
        # them first (its default is the maximum).
        listing_key=fields.COLUMN(columns.NumericColumn("q", default=0)),
        source_name=fields.STORED(),
        # The document's archive folder, for snippets. Optional: an index created before
        # it was added has no such field, and its searches ask the catalog instead.
        folder=fields.STORED(),
        # Where the paper original is kept (custody's hardcopy register): words as typed,
        # phrases ("Boks 12") on positions, shown on the hit.
        location=fields.TEXT(analyzer=exact, phrase=True, stored=True),
    )


def read_version(path: Path) -> str | None:
    try:
        return (path / VERSION_FILE).read_text("utf-8")
    except FileNotFoundError:
        return None


def write_version(path: Path) -> None:
    """Write the version file atomically so a crash never leaves half a version."""
    fd, tmp = tempfile.mkstemp(dir=path, prefix=f".{VERSION_FILE}.")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes it private; the web server must read it too
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(_VERSION_TEXT)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path / VERSION_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def has_index(path: Path) -> bool:
    """Whether ``path`` holds a table of contents (what ``whoosh.index.exists_in`` asks,
    without opening the index and unpickling its schema: a tenth of the time, and every
    search asks)."""
    try:
        names = os.listdir(path)  # noqa: PTH208 - names only, no Path per entry
    except OSError:  # missing, or not a directory
        return False
    return any(_TOC_NAME.fullmatch(name) for name in names)


def check_version(path: Path) -> None:
    """Raise ``IndexOutdated`` unless the index at ``path`` was built with this schema."""
    found = read_version(path)
    if found == _VERSION_TEXT:
        return
    what = "has no schema version file" if found is None else f"is {found.strip()!r}"
    raise IndexOutdated(
        f"the search index at {path} {what}, this program needs "
        f"{_VERSION_TEXT.strip()!r}; {REINDEX_HINT}"
    )


def fsync_dir(path: Path) -> None:
    """Make renames inside ``path`` durable before anything relies on them."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_dir(path: Path) -> Any:
    return open_mapped(str(path))


def create(path: Path, common: frozenset[str] | None = None) -> Any:
    """Create an empty index in ``path`` (which must not hold one yet)."""
    path.mkdir(parents=True, exist_ok=True)
    # Version first: a crash before the index exists leaves a directory open_or_create
    # simply finishes, instead of an index without a version that looks outdated.
    write_version(path)
    return whoosh_index.create_in(str(path), build_schema(common))


def common_words(whoosh_schema: Any) -> frozenset[str]:
    """The words an index pairs (from its own schema, as written when it was created)."""
    return frozenset(whoosh_schema["content_pairs"].common)
