"""Indonesian stems: Sastrawi behind a process-wide table, and that table kept with the index.

Sastrawi is slow on a word it has not seen (it tries its prefix rules one regular
expression at a time: 0.3 ms a word here, 10.6 s for 30,000 words), and a word's
stem never changes for one Sastrawi and one protected-word list. A rebuild stems every
word of every document anyway, so it leaves the table beside the index (``stems.bin``);
a search process that highlights hits loads it once (``use_table``) instead of stemming
each new word of each hit's text again: the cold searches after a start or a reindex
were the slowest highlights.

The file is a cache, never the truth: it carries a fingerprint of what the stems depend
on (this module's rules, the protected words, Sastrawi's version) and is ignored when
that differs, or when it cannot be read; a word missing from it is stemmed as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import threading
from collections.abc import Mapping, Sized
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # type: ignore[import-untyped]

STEMS_FILE = "stems.bin"
# Bumped when the rules below change what a word stems to.
_RULES_VERSION = 1
_PARTICLES = ("nya", "lah", "kah", "pun")
# Words kept in this process's table; beyond, new stems are computed but not kept (the
# lexicon of an office's archive is far smaller: ~45,000 words at 10,000 documents).
MAX_WORDS = 500_000

_table: dict[str, str] = {}
_computed = 0  # words that went through Sastrawi in this process
_loaded: dict[Path, tuple[int, int, int]] = {}  # stems file -> the (inode, size, mtime) read
_saved: dict[Path, int] = {}  # stems file -> _computed when this process last wrote it
_lock = threading.Lock()


@cache
def _stemmer() -> Any:
    # The factory wraps the stemmer in an unbounded dict cache; ours is bounded instead.
    return StemmerFactory().create_stemmer().delegatedStemmer


@cache
def protected_words() -> Mapping[str, str]:
    """Protected word -> the stem to index it under (usually the word itself)."""
    words: dict[str, str] = {}
    for line in _protected_text().splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            words[parts[0].lower()] = parts[1].lower() if len(parts) > 1 else parts[0].lower()
    return words


def _protected_text() -> str:
    return resources.files("index").joinpath("data/protected_words.txt").read_text("utf-8")


def stem_word(word: str) -> str:
    """Stem of one lowercase token; codes, numbers and non-ASCII words stay unchanged."""
    # Checked before the table: numbers and codes are mostly unique and would fill it.
    if not (word.isascii() and word.isalpha()):
        return word
    found = _table.get(word)
    if found is None:
        found = _stem_alpha(word)
        if len(_table) < MAX_WORDS:
            _table[word] = found
    return found


def stem_counts(words: Mapping[str, Sized]) -> dict[str, int]:
    """Stem -> total count of ``words`` (word -> its positions): a document's stemmed terms.
    Most words of a document are known: looked up here, not through ``stem_word``."""
    table = _table
    counts: dict[str, int] = {}
    for word, found in words.items():
        root = table.get(word)
        if root is None:
            root = stem_word(word)
        counts[root] = counts.get(root, 0) + len(found)
    return counts


def _stem_alpha(word: str) -> str:
    global _computed
    _computed += 1
    protected = protected_words()
    if word in protected:
        return protected[word]
    for particle in _PARTICLES:
        base = word[: -len(particle)]
        if word.endswith(particle) and base in protected:
            return protected[base]
    stem = str(_stemmer().stem(word))
    return stem if stem.isalpha() else word


def stemmed_word_count() -> int:
    """Words that went through Sastrawi in this process (each at most once)."""
    return _computed


@cache
def fingerprint() -> str:
    """What a stem depends on: the rules here, the protected words, Sastrawi's release."""
    digest = hashlib.sha256(f"{_RULES_VERSION}\n".encode())
    digest.update(metadata.version("pysastrawi").encode())
    digest.update(_protected_text().encode("utf-8"))
    return digest.hexdigest()


def table() -> dict[str, str]:
    """A copy of this process's table (word -> stem), for a rebuild worker to hand back."""
    return dict(_table)


def save_table(index_dir: Path, more: Mapping[str, str] | None = None) -> None:
    """Keep this process's table (and ``more``) beside the index, merged with the file
    already there; atomically: a reader sees the old file or the new one. Nothing is
    written when this process stemmed no new word since it last saved there (an ingest
    that met only known words), nor when the file cannot be written."""
    path = index_dir / STEMS_FILE
    if not more and _saved.get(path) == _computed:
        return
    stems = _read(path) or {}
    stems.update(_table)
    stems.update(more or {})
    payload = pickle.dumps((fingerprint(), stems), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        _write(path, payload)
    except OSError:
        return  # a cache: the index is whole without it, and searches stem as before
    _saved[path] = _computed


def _write(path: Path, payload: bytes) -> None:
    handle, scratch = tempfile.mkstemp(prefix=".stems-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        Path(scratch).chmod(0o644)  # mkstemp makes it private; readers may be another user
        Path(scratch).replace(path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def use_table(index_dir: Path) -> None:
    """Take the stems kept beside the index into this process's table, once per file."""
    path = index_dir / STEMS_FILE
    try:
        info = path.stat()
    except OSError:
        return
    seen = (info.st_ino, info.st_size, info.st_mtime_ns)
    if _loaded.get(path) == seen:
        return
    with _lock:
        if _loaded.get(path) == seen:
            return
        stems = _read(path)
        if stems:
            room = MAX_WORDS - len(_table)
            _table.update(stems if len(stems) <= room else dict(list(stems.items())[:room]))
        _loaded[path] = seen


def _read(path: Path) -> dict[str, str] | None:
    """The stems in ``path``, or None when it is missing, unreadable or from other rules."""
    try:
        found, stems = pickle.loads(path.read_bytes())  # noqa: S301 - the index's own file
    except Exception:  # a cache: whatever a damaged file raises, stemming still works
        return None
    if found != fingerprint() or not isinstance(stems, dict):
        return None
    return stems
