"""Append-only tables: the database itself refuses to change or delete their rows.

SQLite only for now (a trigger per verb); on PostgreSQL the guarantee rests on the code,
which never updates or deletes these rows.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine


def protect_append_only(engine: Engine, table: str) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        for verb in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} "
                f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
