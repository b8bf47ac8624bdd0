"""Catalog databases for tests: migrated ones, release 0.1's data root, PostgreSQL schemas.

The migrations run once per test session into a template database; each test gets a copy
(running them per test would cost about 0.1 s each).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from archive.catalog import Catalog
from archive.db import upgrade

POSTGRES_ENV = "ARSIP_TEST_POSTGRES_URL"
RELEASE_0_1 = Path(__file__).resolve().parents[1] / "data" / "release-0.1"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@cache
def _template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="arsip-test-db-")) / "catalog.db"
    upgrade(sqlite_url(path))
    return path


def migrated_database(path: Path) -> str:
    """A SQLite database at the head revision in ``path``; returns its URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The backup API copies a consistent database whatever the template's WAL holds.
    with sqlite3.connect(_template()) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return sqlite_url(path)


def migrated_catalog(path: Path) -> Catalog:
    """A :class:`Catalog` at the head revision in the SQLite file ``path``."""
    return Catalog(migrated_database(path))


def restore_release_0_1(home: Path) -> str:
    """The data root release 0.1 left (its ``catalog.sql`` dump and ``archive/``) in
    ``home``; returns the catalog's URL. Nothing is migrated."""
    shutil.copytree(RELEASE_0_1 / "archive", home / "archive")
    db = home / "catalog.db"
    with sqlite3.connect(db) as conn:
        conn.executescript((RELEASE_0_1 / "catalog.sql").read_text(encoding="utf-8"))
    conn.close()
    return sqlite_url(db)


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """A fresh schema in the PostgreSQL at ``base``, as a URL whose search_path is it;
    dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
