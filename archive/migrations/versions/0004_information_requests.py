"""The register of information requests: requests, their yearly counters, attached
documents, objections, and the append-only request events (triggers on SQLite and
PostgreSQL, as for the exemption events).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # archive.db.UtcDateTime's DDL
EVENTS = "info_request_events"


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("info_requests"):
        # Already made: a migration runs in one transaction, so all of it was (a database
        # stamped back to an older revision and upgraded again must not fail here).
        return
    _requests()
    _documents_and_objections()
    op.create_table(
        EVENTS,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{EVENTS}_request_id", EVENTS, ["request_id"])
    _append_only(EVENTS)


def _requests() -> None:
    op.create_table(
        "info_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("requester_name", sa.Text(), nullable=False),
        sa.Column("requester_contact", sa.Text(), nullable=False),
        sa.Column("requester_identity", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_due_on", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("overdue_marked_on", sa.Date(), nullable=True),
        sa.Column("tracking_sha256", sa.String(64), nullable=False),
        sa.Column("formulir_sha256", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("tracking_sha256"),
        sa.UniqueConstraint("year", "seq"),
    )
    for column in ("received_on", "status", "formulir_sha256"):
        op.create_index(f"ix_info_requests_{column}", "info_requests", [column])
    op.create_table(
        "info_request_counters",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )


def _documents_and_objections() -> None:
    op.create_table(
        "info_request_documents",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("attached_by", sa.String(64), nullable=False),
        sa.Column("attached_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["info_requests.id"]),
        sa.PrimaryKeyConstraint("request_id", "document_id"),
    )
    op.create_index(
        "ix_info_request_documents_document_id", "info_request_documents", ["document_id"]
    )
    op.create_table(
        "info_objections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(4), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("ki_number", sa.String(128), nullable=True),
        sa.Column("ki_filed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["info_requests.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("request_id", "status"):
        op.create_index(f"ix_info_objections_{column}", "info_objections", [column])


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        # arsip_refuse_change() is revision 0002's; its message names the table.
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION arsip_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION arsip_refuse_change()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    # The archive goes forward only: restore the backup taken before `arsip migrate`.
    raise NotImplementedError("downgrades are not supported")
