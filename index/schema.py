"""The index schema and its version file.

Full text is not stored: the archive keeps ``text.txt`` and snippets are highlighted on
text loaded from there at search time. The schema version lives in a small file next to
Whoosh's own files; a mismatch means "run ``arsip reindex``" and nothing is ever deleted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import columns, fields  # type: ignore[import-untyped]
from whoosh import index as whoosh_index
from whoosh.system import pack_uint  # type: ignore[import-untyped]

from index.analysis import ContentTerms, content_terms, exact_analyzer, stemming_analyzer
from index.errors import IndexOutdated

# Bump whenever a field, an analyzer or the protected-word list changes meaning.
# 2: word-pair field for phrases; body fields without positions.
SCHEMA_VERSION = 2
VERSION_FILE = "arsip-schema-version"
_VERSION_TEXT = f"arsip-index {SCHEMA_VERSION}\n"
# Written for a document without a year: Whoosh's column default would surface in the
# year facet as 2**31-1.
YEAR_MISSING = 0
REINDEX_HINT = "run `arsip reindex`"


class BodyField(fields.TEXT):  # type: ignore[misc]
    """A body field indexed from ``content_terms``: one of its three counts, no positions.

    The writer passes the same ``ContentTerms`` to all three body fields, so a text is
    tokenized once instead of once a field; a plain string is analyzed here. The
    analyzer is kept for anything in Whoosh that asks a field for one.
    """

    def __init__(self, part: str, analyzer: Any) -> None:
        super().__init__(analyzer=analyzer, phrase=False)
        self.part = part

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        terms = value if isinstance(value, ContentTerms) else content_terms(value)
        counts: dict[str, int] = getattr(terms, self.part)
        boost = self.format.field_boost
        for word, freq in counts.items():
            # What formats.Frequency.word_values gives for ``freq`` tokens of boost 1.
            yield word.encode("utf-8"), freq, freq * boost, pack_uint(freq)


def build_schema() -> Any:
    stemmed = stemming_analyzer()
    exact = exact_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        number=fields.ID(stored=True),
        number_norm=fields.ID(),
        codes=fields.KEYWORD(lowercase=True, scorable=True),
        title=fields.TEXT(analyzer=stemmed, stored=True, phrase=False),
        # Titles are short: phrases there stay positional (and so exact, slop included).
        title_exact=fields.TEXT(analyzer=exact, phrase=True),
        # No positions in the body: a phrase there is an AND of its word pairs
        # (content_pairs), which is fast where a positional match of common words is not.
        content=BodyField("stemmed", stemmed),
        content_exact=BodyField("exact", exact),
        content_pairs=BodyField("pairs", exact),
        doc_type=fields.ID(stored=True, sortable=True),
        unit=fields.ID(stored=True, sortable=True),
        access=fields.ID(stored=True, sortable=True),
        year=fields.NUMERIC(int, bits=32, stored=True, sortable=True),
        date=fields.DATETIME(stored=True),
        # Listing order (YYYYMMDD, 0 when undated): a column only, so undated documents
        # sort last; a sortable DATETIME would put them first (its default is the maximum).
        listing_key=fields.COLUMN(columns.NumericColumn("i", default=0)),
        source_name=fields.STORED(),
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
    return path.is_dir() and bool(whoosh_index.exists_in(str(path)))


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
    return whoosh_index.open_dir(str(path))


def create(path: Path) -> Any:
    """Create an empty index in ``path`` (which must not hold one yet)."""
    path.mkdir(parents=True, exist_ok=True)
    # Version first: a crash before the index exists leaves a directory open_or_create
    # simply finishes, instead of an index without a version that looks outdated.
    write_version(path)
    return whoosh_index.create_in(str(path), build_schema())
