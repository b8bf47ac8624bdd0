"""The tables of staff accounts and sign-in sessions, and the one statement every
signed-in request runs (a session joined to its user, read without the ORM)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base, UtcDateTime


class UserRow(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(256))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SessionRow(Base):
    __tablename__ = "web_sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)


# A User's fields, in order, as columns (the per-request session read skips the ORM).
_USER = (
    UserRow.username,
    UserRow.role,
    UserRow.disabled,
    UserRow.created_at,
    UserRow.password_changed_at,
)


# Built once: composing the statement cost more than running it.
SESSION_READ = (
    select(SessionRow.csrf_token, SessionRow.started_at, SessionRow.last_seen, *_USER)
    .outerjoin(UserRow, UserRow.username == SessionRow.username)
    .where(SessionRow.token_sha256 == bindparam("digest"))
)
