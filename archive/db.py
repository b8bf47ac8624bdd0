"""The catalog database: one metadata for every table, one UTC time type, one engine
factory, and the schema's check and upgrade.

Tables are made and changed only by the Alembic migrations in ``archive/migrations``; no
constructor creates one. Opening (:func:`open_engine`) costs one SELECT of the revision:
a brand-new database is migrated on the spot (a fresh data root just works); a database
at another revision is never changed silently: opening refuses and says to run
``arsip migrate`` (:func:`upgrade`). Alembic is imported only to upgrade.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from sqlalchemy import DateTime, TypeDecorator, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

from archive.errors import CatalogUnavailable, NotACatalog, SchemaOutdated, SchemaTooNew

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Every revision, oldest first (a test checks this against Alembic's own history).
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")
HEAD = REVISIONS[-1]
# Release 0.1 made its tables with create_all, lazily, and wrote no alembic_version; it is
# recognised by its catalog_meta row and taken as this revision.
RELEASE_0_1 = "0001"
_RELEASE_0_1_TABLES = frozenset(
    {
        "documents", "receipts", "events", "catalog_meta", "users", "web_sessions",
        "audit_log", "handovers", "hardcopy_locations", "exemption_entries",
        "exemption_documents", "exemption_events", "legal_bases", "exemption_settings",
    }
)  # fmt: skip
# pg_advisory_xact_lock key serialising upgrades of one PostgreSQL database ("arsip" + 1).
_PG_LOCK_KEY = 0x617273697001


class Base(DeclarativeBase):
    """The one declarative base: every table of the catalog database is on its metadata."""


class UtcDateTime(TypeDecorator[datetime]):
    """An instant, stored and returned in UTC on every engine.

    SQLite keeps only the wall-clock digits (a +07:00 time would come back 7 hours off);
    PostgreSQL returns its session's time zone. Naive values are taken as UTC. The DDL is
    ``DateTime(timezone=True)``'s.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | None) -> datetime | None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """The same instant in UTC; a naive value is taken as UTC (as everything stored is)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers (web app, CLI) work while an ingest run writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine with the catalog's connection settings; it checks nothing."""
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_engine(url: str) -> Engine:
    """An engine on a database at :data:`HEAD`; a brand-new database is migrated first.

    Raises :class:`SchemaOutdated` (run ``arsip migrate``), :class:`SchemaTooNew`,
    :class:`NotACatalog`, or :class:`CatalogUnavailable` when it cannot be reached.
    """
    engine = make_engine(url)
    try:
        _ensure_schema(engine, url)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _ensure_schema(engine: Engine, url: str) -> None:
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        revision = None  # no version table, or no database: the slow path says which
    if revision == HEAD:
        return
    state = schema_state(engine) if revision is None else SchemaState(revision, stamped=True)
    if state.revision is None:
        upgrade(url)
        return
    _refuse(state)


@dataclass(frozen=True)
class SchemaState:
    revision: str | None  # None: none of the catalog's tables (a brand-new database)
    stamped: bool  # False: no alembic_version (release 0.1, or brand-new)

    @property
    def label(self) -> str:
        if self.revision is None:
            return "empty"
        return self.revision if self.stamped else f"{self.revision} (release 0.1)"


def schema_state(engine: Engine) -> SchemaState:
    """Where the database's schema is, without changing anything."""
    try:
        with engine.connect() as conn:
            return _read_state(conn)
    except DBAPIError as exc:
        raise CatalogUnavailable(f"catalog database unreachable: {exc}") from exc


def _read_state(conn: Connection) -> SchemaState:
    names = set(inspect(conn).get_table_names())
    if "alembic_version" in names:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return SchemaState(revision, stamped=revision is not None)
    if not names & _RELEASE_0_1_TABLES:
        return SchemaState(None, stamped=False)
    marker = None
    if "catalog_meta" in names:
        marker = conn.execute(
            text("SELECT value FROM catalog_meta WHERE key = 'schema_version'")
        ).scalar()
    if marker == "1":
        return SchemaState(RELEASE_0_1, stamped=False)
    raise NotACatalog(
        f"the database has tables ({', '.join(sorted(names & _RELEASE_0_1_TABLES))}) but no "
        "schema revision: it is not an arsip catalog this release recognises"
    )


def _refuse(state: SchemaState) -> None:
    if state.revision in REVISIONS:
        raise SchemaOutdated(
            f"catalog schema is at {state.label}, this release needs {HEAD}: run `arsip migrate`"
        )
    raise SchemaTooNew(
        f"catalog schema is at {state.label}, newer than this release knows ({HEAD}): "
        "run the release that wrote it"
    )


@dataclass(frozen=True)
class Upgraded:
    before: str | None  # None: the database was empty
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def upgrade(url: str) -> Upgraded:
    """Bring the database at ``url`` to :data:`HEAD`: what ``arsip migrate`` runs.

    Creates a brand-new database, adopts release 0.1's, and refuses a newer or foreign
    schema. All of it happens in one transaction holding the database's write lock
    (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock), so a second upgrade
    running at the same time waits, then finds nothing left to do.
    """
    from alembic import command

    engine = _migration_engine(url)
    try:
        try:
            conn = engine.connect()
        except DBAPIError as exc:
            raise CatalogUnavailable(f"catalog database unreachable: {exc}") from exc
        with conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            state = _read_state(conn)
            if state.revision is not None and state.revision not in REVISIONS:
                _refuse(state)
            if state.revision != HEAD or not state.stamped:
                command.upgrade(alembic_config(conn), HEAD)
        return Upgraded(state.revision, HEAD)
    finally:
        engine.dispose()


def _migration_engine(url: str) -> Engine:
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        # pysqlite would run DDL outside any transaction; take the transaction (and the
        # write lock, at once) ourselves so a migration is all or nothing.
        event.listen(engine, "connect", _sqlite_manual_transactions)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_manual_transactions(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None


def _sqlite_begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(connection: Connection) -> Config:
    """Alembic's configuration for the migrations, running on ``connection``.

    Also what a developer uses to write the next revision (see migrations/README.md).
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config
