"""Release 0.1's schema, exactly: the tables its constructors made with create_all, the
schema_version row, and the append-only triggers it added at run time on SQLite.

It is also how a database made by release 0.1 (no alembic_version, catalog_meta
schema_version = 1) is adopted. Release 0.1 made each module's tables when the module was
first used, so some may be missing (a data root whose web app never ran has no users
table): those are made, and the tables present are left as they are.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen here rather than imported: a migration must not change when the models do.
# (archive.db.UtcDateTime has this DDL.)
TIME = sa.DateTime(timezone=True)
APPEND_ONLY = ("audit_log", "handovers", "exemption_events")


def _table(
    name: str, *items: sa.schema.SchemaItem, indexes: Sequence[tuple[str, bool]] = ()
) -> None:
    """Create the table and its ``ix_<table>_<column>`` indexes unless 0.1 made them."""
    if sa.inspect(op.get_bind()).has_table(name):
        return
    op.create_table(name, *items)
    for column, unique in indexes:
        op.create_index(f"ix_{name}_{column}", name, [column], unique=unique)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def upgrade() -> None:
    # In 0.1's order: a table comes after the tables its foreign keys name.
    for make in (
        _documents,
        _receipts_and_events,
        _catalog_meta,
        _accounts,
        _audit_and_custody,
        _exemption_entries,
        _exemption_links,
        _exemption_reference,
    ):
        make()
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            _sqlite_append_only(table)


def _documents() -> None:
    _table(
        "documents",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("mime", sa.String(128), nullable=False),
        sa.Column("doc_type", sa.String(64), nullable=False),
        sa.Column("doc_type_confidence", sa.Float(), nullable=False),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("text_source", sa.String(32), nullable=False),
        sa.Column("ocr_confidence", sa.Float(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("access", sa.String(32), nullable=False),
        sa.Column("archive_path", sa.String(1024), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.Column("archived_at", TIME, nullable=True),
        sa.Column("released_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        indexes=[
            ("access", False),
            ("doc_type", False),
            ("number", False),
            ("sha256", True),
            ("year", False),
        ],
    )


def _receipts_and_events() -> None:
    _table(
        "receipts",
        _id(),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "source_name", "received_at"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        indexes=[("document_id", False)],
    )
    _table(
        "events",
        _id(),
        sa.Column("once_key", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=True),
        sa.Column("source_name", sa.Text(), nullable=True),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("once_key"),
        indexes=[("document_id", False), ("sha256", False)],
    )


def _catalog_meta() -> None:
    """The key-value table and release 0.1's ``schema_version`` row, unless 0.1 wrote it."""
    _table(
        "catalog_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.String(256), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    meta = sa.table("catalog_meta", sa.column("key", sa.String), sa.column("value", sa.String))
    marker = sa.select(meta.c.value).where(meta.c.key == "schema_version")
    if op.get_bind().execute(marker).first() is None:
        op.bulk_insert(meta, [{"key": "schema_version", "value": "1"}])


def _accounts() -> None:
    _table(
        "users",
        sa.Column("username", sa.String(32), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("password_changed_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("username"),
    )
    _table(
        "web_sessions",
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("username", sa.String(32), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("client", sa.String(128), nullable=False),
        sa.Column("started_at", TIME, nullable=False),
        sa.Column("last_seen", TIME, nullable=False),
        sa.ForeignKeyConstraint(["username"], ["users.username"]),
        sa.PrimaryKeyConstraint("token_sha256"),
        indexes=[("username", False)],
    )


def _audit_and_custody() -> None:
    _table(
        "audit_log",
        _id(),
        sa.Column("at", TIME, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=True),
        sa.Column("access", sa.String(32), nullable=True),
        sa.Column("client", sa.String(128), nullable=False),
        sa.Column("user_agent", sa.String(512), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("at", False), ("document_id", False), ("username", False)],
    )
    _table(
        "handovers",
        _id(),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("division", sa.String(200), nullable=False),
        sa.Column("handed_over_by", sa.String(200), nullable=False),
        sa.Column("handed_over_at", TIME, nullable=False),
        sa.Column("received_by", sa.String(64), nullable=False),
        sa.Column("received_role", sa.String(32), nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("document_id", False)],
    )
    _table(
        "hardcopy_locations",
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("room", sa.String(120), nullable=False),
        sa.Column("cabinet", sa.String(120), nullable=False),
        sa.Column("box", sa.String(120), nullable=False),
        sa.Column("folder", sa.String(120), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
    )


def _exemption_entries() -> None:
    _table(
        "exemption_entries",
        _id(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("doc_type", sa.String(64), nullable=True),
        sa.Column("legal_basis", sa.String(64), nullable=False),
        sa.Column("legal_point", sa.Integer(), nullable=True),
        sa.Column("other_bases", sa.JSON(), nullable=False),
        sa.Column("consequence", sa.Text(), nullable=False),
        sa.Column("consideration", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("redaction", sa.JSON(), nullable=False),
        sa.Column("period", sa.JSON(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(64), nullable=False),
        sa.Column("proposed_role", sa.String(32), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("required_approvers", sa.JSON(), nullable=False),
        sa.Column("decree_number", sa.String(256), nullable=True),
        sa.Column("decree_date", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("expires_on", False), ("next_review", False), ("status", False)],
    )


def _exemption_links() -> None:
    """An entry's documents and its append-only history."""
    _table(
        "exemption_documents",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("linked_at", TIME, nullable=False),
        sa.Column("linked_by", sa.String(64), nullable=False),
        sa.Column("public_sha256", sa.String(64), nullable=True),
        sa.Column("public_path", sa.String(1024), nullable=True),
        sa.Column("public_source_sha256", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["exemption_entries.id"]),
        sa.PrimaryKeyConstraint("entry_id", "document_id"),
        indexes=[("document_id", False)],
    )
    _table(
        "exemption_events",
        _id(),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("entry_id", False)],
    )


def _exemption_reference() -> None:
    """The legal bases the office cites and the exemption settings."""
    _table(
        "legal_bases",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("law", sa.String(256), nullable=False),
        sa.Column("article", sa.String(256), nullable=False),
        sa.Column("letter", sa.String(4), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("permanent_allowed", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    _table(
        "exemption_settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def _sqlite_append_only(table: str) -> None:
    # Release 0.1's triggers, by the same names (IF NOT EXISTS: 0.1 may have made them).
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} "
            f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    # The archive goes forward only: restore the backup taken before `arsip migrate`.
    raise NotImplementedError("downgrades are not supported")
