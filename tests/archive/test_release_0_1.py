"""A data root as release 0.1 left it (tests/data/release-0.1, never regenerated): opening
refuses until `arsip migrate`, and after the upgrade every row reads back through the
archive's own APIs, and the append-only tables still refuse changes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from archive.accounts import Accounts, KdfCost
from archive.audit import AuditLog
from archive.catalog import Catalog
from archive.custody.handover import HandoverRegister
from archive.custody.hardcopy import HardcopyLocation, HardcopyRegister
from archive.db import HEAD, make_engine, upgrade
from archive.errors import SchemaOutdated
from archive.exemptions import ExemptionRegister
from archive.fixity import verify_archive
from archive.layout import ArchiveLayout
from tests.archive.test_migrations import APPEND_ONLY, revision_of, schema_diff
from tests.support.db import restore_release_0_1

OPEN_ID, PENDING_ID = "0a0a0a0a0a0a0a01", "0b0b0b0b0b0b0b01"
# The accounts' passwords when release 0.1 made them (make_fixture.py.txt).
PASSWORDS = {"ppid1": "sandi-ppid-0001", "tim1": "sandi-lama-0001"}
KDF = KdfCost(time_cost=1, memory_kib=8, parallelism=1)
CATALOG_TABLES = ("documents", "receipts", "events", "catalog_meta")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_opening_refuses_until_migrated_and_changes_nothing(home: Path):
    url = restore_release_0_1(home)
    before = _dump(home / "catalog.db")
    with pytest.raises(SchemaOutdated) as refused:
        Catalog(url)
    assert str(refused.value) == (
        f"catalog schema is at 0001 (release 0.1), this release needs {HEAD}: run `arsip migrate`"
    )
    assert _dump(home / "catalog.db") == before  # no table, row or trigger added


def _dump(db: Path) -> list[str]:
    # Not the file's bytes: opening switches it to WAL, as release 0.1 did too.
    with closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def test_every_row_reads_back_after_the_upgrade(home: Path):
    url = restore_release_0_1(home)
    done = upgrade(url)
    assert (done.before, done.after) == ("0001", HEAD)
    assert schema_diff(url) == []
    catalog = Catalog(url)
    _documents_receipts_events(catalog)
    _accounts_and_audit(catalog)
    _custody(catalog)
    _exemption(catalog)
    report = verify_archive(ArchiveLayout(home), catalog)
    assert report.problems == () and report.checked == 10  # original, text (+ searchable) x 4
    catalog.close()


def _documents_receipts_events(catalog: Catalog) -> None:
    docs = {d.id: d for d in catalog.iter_documents()}
    assert len(docs) == 4 and catalog.count_documents() == 4
    opened = docs[OPEN_ID]
    assert (opened.doc_type, opened.date, opened.access) == ("surat", date(2022, 3, 14), "terbuka")
    assert opened.received_at == datetime(2022, 3, 15, 2, 30, tzinfo=UTC)
    assert docs[PENDING_ID].flags == ("tipe_tidak_pasti", "perlu_tinjauan")
    assert docs[PENDING_ID].access == "dikecualikan"
    assert [r.source_name for r in catalog.receipts(OPEN_ID)] == [f"{OPEN_ID}.png"]
    assert [e.kind for e in catalog.events()] == ["serah_terima", "perubahan_akses"]
    change = catalog.events(document_id=PENDING_ID)[0]
    assert change.detail["after"] == "dikecualikan" and change.at is not None
    assert change.at.tzinfo == UTC


def _accounts_and_audit(catalog: Catalog) -> None:
    accounts = Accounts(catalog.engine, KDF)
    assert [u.username for u in accounts.list()] == [
        "admin1", "atasan1", "pembina1", "petugas1", "ppid1", "tim1",
    ]  # fmt: skip
    for username, password in PASSWORDS.items():
        user = accounts.authenticate(username, password)
        assert user is not None and user.created_at.tzinfo == UTC
    token, _ = accounts.start_session("ppid1", "127.0.0.1")
    assert accounts.session(token, timedelta(hours=1), timedelta(hours=1)) is not None
    (entry,) = AuditLog(catalog.engine).entries()
    assert (entry.username, entry.action, entry.document_id) == ("ppid1", "view", PENDING_ID)
    assert entry.at == datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def _custody(catalog: Catalog) -> None:
    (handover,) = HandoverRegister(catalog.engine).list()
    assert (handover.document_id, handover.division, handover.verified) == (
        OPEN_ID,
        "Divisi Teknis",
        True,
    )
    assert handover.handed_over_at == datetime(2026, 11, 19, 2, 0, tzinfo=UTC)
    stored = HardcopyRegister(catalog.engine).get(OPEN_ID)
    assert stored is not None and stored.updated_by == "petugas1"
    assert stored.location == HardcopyLocation("R1", "L2", "Boks 12", "F3")


def _exemption(catalog: Catalog) -> None:
    register = ExemptionRegister(catalog.engine)
    (entry,) = register.entries()
    assert (entry.status, entry.decree_number) == ("dipublikasikan", "3/PP.06-Kpt/2026")
    assert entry.expires_on == date(2031, 11, 1) and entry.draft.period is not None
    assert [d.document_id for d in entry.documents] == [PENDING_ID]
    events = register.events(entry.id)
    assert [e.kind for e in events] == [
        "diusulkan", "dokumen_ditautkan", "uji_konsekuensi", "diajukan",
        "disetujui", "disetujui", "disetujui", "ditetapkan", "dipublikasikan",
    ]  # fmt: skip
    assert events[-1].at.tzinfo == UTC and events[1].documents[0]["id"] == PENDING_ID
    assert set(register.approvals(entry)) == {"tim_pertimbangan", "atasan", "pembina"}
    assert register.bases.get("uu14-2008-p17h") is not None


def test_append_only_tables_still_refuse_changes_after_the_upgrade(home: Path):
    url = restore_release_0_1(home)
    upgrade(url)
    engine = make_engine(url)
    for table in APPEND_ONLY:
        for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(sql))
    engine.dispose()


def test_a_release_0_1_root_whose_web_app_never_ran(home: Path):
    """Release 0.1 made each module's tables on first use: only the catalog's may exist."""
    url = restore_release_0_1(home)
    with closing(sqlite3.connect(home / "catalog.db")) as conn:  # foreign keys off
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(set(names) - set(CATALOG_TABLES)):
            conn.execute(f"DROP TABLE {table}")
        conn.commit()
    assert upgrade(url).before == "0001" and revision_of(url) == HEAD
    assert schema_diff(url) == []
    catalog = Catalog(url)
    assert catalog.count_documents() == 4 and Accounts(catalog.engine, KDF).list() == []
    catalog.close()


def test_the_commands_a_person_types_upgrade_it_and_verify_is_clean(home: Path):
    """As ops would: every command refuses with the way out, `arsip migrate` upgrades,
    `arsip reindex` rebuilds the derived index (release 0.1's is not kept), `arsip verify`
    finds nothing wrong."""
    import json
    import os
    import subprocess
    import sys

    restore_release_0_1(home)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}
    env["ARSIP_HOME"] = str(home)

    def arsip(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "flows.cli", *args]
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)

    refused = arsip("list")
    assert refused.returncode == SchemaOutdated.exit_code == 8
    assert "run `arsip migrate`" in refused.stderr
    migrated = arsip("migrate", "--json")
    assert migrated.returncode == 0, migrated.stderr
    assert json.loads(migrated.stdout) == {"before": "0001", "after": HEAD, "changed": True}
    assert json.loads(arsip("migrate", "--json").stdout)["changed"] is False
    assert arsip("reindex").returncode == 0
    verify = arsip("verify", "--json")
    assert verify.returncode == 0, verify.stdout
    assert json.loads(verify.stdout)["checked"] > 0
    assert len(json.loads(arsip("list", "--json").stdout)) == 4
