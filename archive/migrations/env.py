"""Alembic's environment: migrations run only on the connection ``archive.db.upgrade``
hands over, inside its transaction and under its lock (never on a URL of their own)."""

from __future__ import annotations

from alembic import context

from archive.models import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through archive.db.upgrade (`arsip migrate`)")
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
