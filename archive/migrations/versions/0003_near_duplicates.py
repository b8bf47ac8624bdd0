"""Near-duplicate detection of re-scans: each document's text SimHash, and the document a
re-scan was merged into (a merged re-scan keeps its files and its row).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text_simhash", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("merged_into", sa.String(length=32), nullable=True))
        batch.create_index("ix_documents_merged_into", ["merged_into"])


def downgrade() -> None:
    # The archive goes forward only: restore the backup taken before `arsip migrate`.
    raise NotImplementedError("downgrades are not supported")
