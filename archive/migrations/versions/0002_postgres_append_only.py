"""The append-only guarantee on PostgreSQL too: triggers make the database refuse UPDATE,
DELETE and TRUNCATE on the audit log, the handovers and the exemption events, as SQLite's
have since release 0.1 (nothing changes on SQLite).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("audit_log", "handovers", "exemption_events")
# One function for every table; the message names the table, as SQLite's triggers do.
REFUSE = """
CREATE FUNCTION arsip_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(REFUSE)
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION arsip_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION arsip_refuse_change()"
        )


def downgrade() -> None:
    # The archive goes forward only: restore the backup taken before `arsip migrate`.
    raise NotImplementedError("downgrades are not supported")
