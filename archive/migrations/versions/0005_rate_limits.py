"""The web app's rate limits in the database, shared by every web worker process: failed
sign-ins, the addresses accounts signed in from, and the public form's counted events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Instants are seconds since the epoch: FLOAT is double precision on PostgreSQL and
# SQLite alike (REAL would round them to minutes).
INSTANT = sa.Float()


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("login_failures"):
        return  # already made: a migration runs in one transaction, so all of it was
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("client", sa.String(128), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("pair_cleared", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("at", "client", "username"):
        op.create_index(f"ix_login_failures_{column}", "login_failures", [column])
    op.create_table(
        "login_known",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("client", sa.String(128), nullable=False),
        sa.Column("last_success", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("username", "client"),
    )
    op.create_index("ix_login_known_last_success", "login_known", ["last_success"])
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rate_events_at", "rate_events", ["at"])


def downgrade() -> None:
    # The archive goes forward only: restore the backup taken before `arsip migrate`.
    raise NotImplementedError("downgrades are not supported")
