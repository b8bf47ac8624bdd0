"""Audit rows written by many threads at once share commits (one wait for the disk), and
each caller still returns only once its own row is stored, or raises the commit's error."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from archive.audit import AuditEntry, AuditLog
from archive.catalog import Catalog
from tests.support.db import migrated_catalog

THREADS, EACH = 8, 25


def _entry(user: str, n: int) -> AuditEntry:
    return AuditEntry(user, "ppid", "search", None, None, "10.0.0.1", "ua", detail={"n": n})


def _run_all(work: list[threading.Thread]) -> None:
    for thread in work:
        thread.start()
    for thread in work:
        thread.join(60)


def test_concurrent_rows_are_all_stored_before_each_call_returns(tmp_path: Path):
    catalog = migrated_catalog(tmp_path / "catalog.db")
    audit = AuditLog(catalog.engine)
    commits: list[int] = []
    sa.event.listen(catalog.engine, "commit", lambda _conn: commits.append(1))
    missing: list[tuple[str, int]] = []

    def writer(user: str) -> None:
        for n in range(EACH):
            audit.record(_entry(user, n))
            mine = audit.entries(username=user, limit=EACH)
            if not any(e.detail == {"n": n} for e in mine):
                missing.append((user, n))

    _run_all([threading.Thread(target=writer, args=(f"u{k}",)) for k in range(THREADS)])
    assert missing == []
    assert len(commits) < THREADS * EACH  # rows queued meanwhile shared a commit
    rows = audit.entries(limit=THREADS * EACH + 1)
    assert len(rows) == THREADS * EACH
    for k in range(THREADS):  # each caller's rows in the order it wrote them
        mine = [e.detail["n"] for e in reversed(rows) if e.username == f"u{k}"]
        assert mine == list(range(EACH))
    catalog.close()


def test_every_caller_of_a_failed_commit_gets_the_error(tmp_path: Path):
    catalog: Catalog = migrated_catalog(tmp_path / "catalog.db")
    with catalog.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE audit_log"))
    audit = AuditLog(catalog.engine)
    errors: list[BaseException] = []

    def writer(user: str) -> None:
        for n in range(3):
            try:
                audit.record(_entry(user, n))
            except OperationalError as exc:
                errors.append(exc)

    _run_all([threading.Thread(target=writer, args=(f"u{k}",)) for k in range(THREADS)])
    assert len(errors) == THREADS * 3
    with pytest.raises(OperationalError, match="no such table"):
        audit.record(_entry("u0", 9))
    catalog.close()
