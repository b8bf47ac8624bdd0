"""The index schema, its version file, and opening an index safely.

Full text is not stored: the archive keeps ``text.txt`` and snippets are highlighted on
text loaded from there at search time. The schema version lives in a small file next to
Whoosh's own files; a mismatch means "run ``arsip reindex``" and nothing is ever deleted.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from whoosh import fields  # type: ignore[import-untyped]
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage  # type: ignore[import-untyped]

from index.analysis import exact_analyzer, stemming_analyzer
from index.errors import IndexMissing, IndexOutdated

# Bump whenever a field, an analyzer or the protected-word list changes meaning.
SCHEMA_VERSION = 1
VERSION_FILE = "arsip-schema-version"
_VERSION_TEXT = f"arsip-index {SCHEMA_VERSION}\n"
_REINDEX = "run `arsip reindex`"
# Whoosh names its write lock "<indexname>_WRITELOCK"; the default index name is MAIN.
WRITELOCK = "MAIN_WRITELOCK"


def build_schema() -> Any:
    stemmed = stemming_analyzer()
    exact = exact_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        number=fields.ID(stored=True),
        number_norm=fields.ID(),
        codes=fields.KEYWORD(lowercase=True, scorable=True),
        title=fields.TEXT(analyzer=stemmed, stored=True, phrase=True),
        title_exact=fields.TEXT(analyzer=exact, phrase=True),
        # Phrases run on content_exact only, so the stemmed copy skips positions.
        content=fields.TEXT(analyzer=stemmed, phrase=False),
        content_exact=fields.TEXT(analyzer=exact, phrase=True),
        doc_type=fields.ID(stored=True, sortable=True),
        unit=fields.ID(stored=True, sortable=True),
        access=fields.ID(stored=True, sortable=True),
        year=fields.NUMERIC(int, bits=32, stored=True, sortable=True),
        date=fields.DATETIME(stored=True, sortable=True),
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
        f"{_VERSION_TEXT.strip()!r}; {_REINDEX}"
    )


def fsync_dir(path: Path) -> None:
    """Make renames inside ``path`` durable before anything relies on them."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover_swap(path: Path) -> None:
    """Put the previous index back if a rebuild died between its two renames.

    Renaming back loses nothing: the old index was complete, and the fresh one (if it got
    that far) stays beside it as a ``.new-*`` directory.
    """
    if path.exists() or not path.parent.is_dir():
        return
    prefix = f"{path.name}.old-"
    olds = sorted(p for p in path.parent.iterdir() if p.name.startswith(prefix) and has_index(p))
    if not olds:
        return
    # A live rebuild holds this lock across both renames; only a dead one lets go of it.
    lock = FileStorage(str(olds[-1])).lock(WRITELOCK)
    if not lock.acquire(blocking=False):
        return
    try:
        with contextlib.suppress(OSError):  # another process may have restored it first
            olds[-1].rename(path)
    finally:
        lock.release()


def open_existing(path: Path) -> Any:
    """Open an index for reading or writing; never creates, never deletes."""
    recover_swap(path)
    if not has_index(path):
        raise IndexMissing(f"no search index at {path}; {_REINDEX}")
    check_version(path)
    return whoosh_index.open_dir(str(path))


def create(path: Path) -> Any:
    """Create an empty index in ``path`` (which must not hold one yet)."""
    path.mkdir(parents=True, exist_ok=True)
    # Version first: a crash before the index exists leaves a directory open_or_create
    # simply finishes, instead of an index without a version that looks outdated.
    write_version(path)
    return whoosh_index.create_in(str(path), build_schema())
