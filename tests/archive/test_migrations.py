"""The schema is the migrations': a brand-new database is made by them, a database at an
older revision is refused until `arsip migrate`, and the models never drift from them."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DatabaseError

from archive.audit import AuditEntry, AuditLog
from archive.catalog import Catalog
from archive.custody.handover import HandoverRegister
from archive.db import HEAD, REVISIONS, alembic_config, make_engine, schema_state, upgrade
from archive.errors import NotACatalog, SchemaOutdated, SchemaTooNew
from archive.exemptions import ExemptionRegister
from archive.models import metadata
from tests.exemptions.conftest import DOC_A, PETUGAS, PPID, document, good_draft
from tests.support.db import migrated_database, sqlite_url

APPEND_ONLY = ("audit_log", "handovers", "exemption_events")
ROOT = Path(__file__).resolve().parents[2]


def schema_diff(url: str) -> list[object]:
    """What Alembic's autogenerate would write to bring the database to the models."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def revision_of(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return schema_state(engine).revision
    finally:
        engine.dispose()


def test_head_constant_is_alembics_head():
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        script = ScriptDirectory.from_config(alembic_config(conn))
    history = [r.revision for r in script.walk_revisions()][::-1]
    assert script.get_heads() == [HEAD]
    assert tuple(history) == REVISIONS


def test_a_new_database_is_migrated_on_open_and_matches_the_models(empty_url: str):
    Catalog(empty_url).close()
    assert revision_of(empty_url) == HEAD
    assert schema_diff(empty_url) == []  # a model changed without a migration fails here
    Catalog(empty_url).close()  # opening again changes nothing
    assert upgrade(empty_url).changed is False


def _one_row_each(catalog: Catalog) -> None:
    """A row in every append-only table (row triggers fire only on rows), by the APIs."""
    catalog.add_document(document(DOC_A), [])
    AuditLog(catalog.engine).record(AuditEntry("p", "ppid", "view", DOC_A, None, "c", "ua"))
    when = datetime(2024, 5, 2, tzinfo=UTC)
    HandoverRegister(catalog.engine).record(DOC_A, "Hukum", "Dewi", when, PETUGAS, verified=True)
    ExemptionRegister(catalog.engine).propose(PPID, good_draft())


def test_append_only_tables_refuse_changes(empty_url: str):
    catalog = Catalog(empty_url)
    _one_row_each(catalog)
    catalog.close()
    engine = make_engine(empty_url)
    verbs = ["UPDATE {t} SET id = id", "DELETE FROM {t}"]
    if engine.dialect.name == "postgresql":
        verbs.append("TRUNCATE {t}")
    try:
        for table in APPEND_ONLY:
            for verb in verbs:
                refused = pytest.raises(DatabaseError, match=f"{table} is append-only")
                with refused, engine.begin() as conn:
                    conn.execute(sa.text(verb.format(t=table)))
    finally:
        engine.dispose()


_EVENT = (
    "INSERT INTO exemption_events (entry_id, kind, to_status, username, role, at, note, "
    "documents, digest, detail) VALUES (1, 'diusulkan', 'draf', 'p', 'ppid', now(), '', "
    "'[]', '', '{}')"
)


def test_release_0_1_on_postgresql_gets_its_triggers(empty_url: str):
    """Release 0.1 on PostgreSQL: create_all, the schema_version row, no triggers."""
    engine = make_engine(empty_url)
    if engine.dialect.name != "postgresql":
        pytest.skip("on SQLite release 0.1 made the triggers itself (see test_release_0_1)")
    from alembic import command

    with engine.begin() as conn:  # release 0.1's tables (0001 is exactly them), no marker
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(sa.text("DROP TABLE alembic_version"))
        conn.execute(sa.text("DELETE FROM catalog_meta"))
        conn.execute(sa.text("INSERT INTO catalog_meta VALUES ('schema_version', '1')"))
        conn.execute(sa.text(_EVENT))
    with pytest.raises(SchemaOutdated, match=r"0001 \(release 0.1\).*run `arsip migrate`"):
        Catalog(empty_url)
    assert upgrade(empty_url).before == "0001"
    assert schema_diff(empty_url) == []
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM exemption_events"))
    engine.dispose()


def test_an_older_revision_is_refused_until_migrated(tmp_path: Path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:  # a real database of an older release: only the first step
        command.upgrade(alembic_config(conn), REVISIONS[0])
    with pytest.raises(SchemaOutdated) as refused:
        Catalog(url)
    assert str(refused.value) == (
        f"catalog schema is at {REVISIONS[0]}, this release needs {HEAD}: run `arsip migrate`"
    )
    assert revision_of(url) == REVISIONS[0]  # opening changed nothing
    assert upgrade(url).before == REVISIONS[0]
    Catalog(url).close()
    engine.dispose()


def test_a_newer_or_foreign_schema_is_refused(tmp_path: Path):
    url = migrated_database(tmp_path / "newer.db")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaTooNew, match="9999"):
        Catalog(url)
    with pytest.raises(SchemaTooNew):
        upgrade(url)
    foreign = sqlite_url(tmp_path / "foreign.db")
    engine = make_engine(foreign)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE documents (id TEXT PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(NotACatalog, match="documents"):
        Catalog(foreign)
    with pytest.raises(NotACatalog):
        upgrade(foreign)


_OPEN = (
    "import sys; from archive.catalog import Catalog; Catalog(sys.argv[1]).close(); "
    "print('alembic' in sys.modules)"
)


def test_concurrent_first_opens_migrate_once(empty_url: str):
    """Several processes on a brand-new database: one migrates, the others wait for it."""
    procs = [
        subprocess.Popen([sys.executable, "-c", _OPEN, empty_url], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in results]
    assert revision_of(empty_url) == HEAD and schema_diff(empty_url) == []


def test_opening_a_current_catalog_does_not_import_alembic(tmp_path: Path):
    """`arsip search` pays one SELECT of the revision, not Alembic's import."""
    url = migrated_database(tmp_path / "catalog.db")
    out = subprocess.run([sys.executable, "-c", _OPEN, url], cwd=ROOT, capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert out.stdout.strip() == "False"
