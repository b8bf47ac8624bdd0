"""Staff accounts and sign-in sessions, kept in the catalog's database (tables made by
the migrations; the engine given must be a migrated one, e.g. ``Catalog.engine``). The
tables are in ``archive.account_tables``, what a valid account is in ``archive.account_rules``.

Passwords are stored only as argon2id hashes (memory-hard, salted; argon2-cffi is imported
here and nowhere else). Session tokens are random and only their SHA-256 is stored, so a
copy of the database does not let anyone sign in. Sessions live in the database rather
than in one process's memory so several web workers (or a restart) share them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.account_rules import (
    MAX_PASSWORD_CHARS,
    UnknownUser,
    UserExists,
    check_password,
    check_role,
    check_username,
)
from archive.account_tables import SESSION_READ, SessionRow, UserRow
from archive.db import utc_now
from archive.errors import ArchiveError

# Touching last_seen on every request would make every page view a write.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class KdfCost:
    """argon2id parameters; the defaults are RFC 9106's second recommended profile."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4

    def hasher(self) -> PasswordHasher:
        return PasswordHasher(
            time_cost=self.time_cost, memory_cost=self.memory_kib, parallelism=self.parallelism
        )


@dataclass(frozen=True)
class User:
    username: str
    role: str
    disabled: bool
    created_at: datetime
    password_changed_at: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "username": self.username,
            "role": self.role,
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat(),
            "password_changed_at": self.password_changed_at.isoformat(),
        }


@dataclass(frozen=True)
class SignedIn:
    """A live session: the user and the CSRF token every form of this session must carry."""

    user: User
    csrf_token: str
    started_at: datetime


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: UserRow) -> User:
    return User(row.username, row.role, bool(row.disabled), row.created_at, row.password_changed_at)


class Accounts:
    def __init__(self, engine: Engine, kdf: KdfCost | None = None) -> None:
        self.engine = engine
        self._hasher = (kdf or KdfCost()).hasher()
        # Verified against when the username is unknown, so both cases take as long.
        self._dummy_hash = self._hasher.hash(secrets.token_hex(16))

    # ------------------------------------------------------------------ users

    def create(self, username: str, role: str, password: str) -> User:
        now = utc_now()
        row = UserRow(
            username=check_username(username),
            role=check_role(role),
            password_hash=self._hasher.hash(check_password(password)),
            disabled=False,
            created_at=now,
            password_changed_at=now,
        )
        user = User(username, role, False, now, now)
        try:
            with Session(self.engine) as s, s.begin():
                s.add(row)
        except IntegrityError:
            raise UserExists(f"user {username!r} already exists") from None
        return user

    def get(self, username: str) -> User | None:
        with Session(self.engine) as s:
            row = s.get(UserRow, username)
            return _user(row) if row else None

    def list(self) -> list[User]:
        with Session(self.engine) as s:
            return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]

    def count_active(self) -> int:
        return sum(not u.disabled for u in self.list())

    def set_password(self, username: str, password: str) -> None:
        """New password; every session of the user ends (a stolen session dies with it)."""
        digest = self._hasher.hash(check_password(password))
        with Session(self.engine) as s, s.begin():
            row = self._row(s, username)
            row.password_hash = digest
            row.password_changed_at = utc_now()
            s.execute(delete(SessionRow).where(SessionRow.username == username))

    def set_disabled(self, username: str, disabled: bool = True) -> None:
        with Session(self.engine) as s, s.begin():
            self._row(s, username).disabled = disabled
            if disabled:
                s.execute(delete(SessionRow).where(SessionRow.username == username))

    def _row(self, s: Session, username: str) -> UserRow:
        row = s.get(UserRow, username)
        if row is None:
            raise UnknownUser(f"no user {username!r}")
        return row

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when name and password match an active account, else None (no reason:
        telling "unknown user" from "wrong password" would help someone guessing)."""
        with Session(self.engine) as s:
            row = s.get(UserRow, username)
            user = _user(row) if row else None
            stored = row.password_hash if row else self._dummy_hash
        if len(password) > MAX_PASSWORD_CHARS or not self._verify(stored, password):
            return None
        if user is None or user.disabled:
            return None
        if self._hasher.check_needs_rehash(stored):
            self._rehash(username, password)
        return user

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(stored, password))
        except (VerificationError, InvalidHashError):
            return False

    def _rehash(self, username: str, password: str) -> None:
        # The cost settings were raised since this hash was made: upgrade it on sign-in.
        with Session(self.engine) as s, s.begin():
            row = s.get(UserRow, username)
            if row is not None:
                row.password_hash = self._hasher.hash(password)

    # ------------------------------------------------------------------ sessions

    def start_session(self, username: str, client: str) -> tuple[str, SignedIn]:
        """A new session (never a reused id, so a planted cookie is useless); returns
        the token for the cookie and the session."""
        token = secrets.token_urlsafe(32)
        now = utc_now()
        row = SessionRow(
            token_sha256=_token_hash(token),
            username=username,
            csrf_token=secrets.token_urlsafe(32),
            client=client[:128],
            started_at=now,
            last_seen=now,
        )
        with Session(self.engine) as s, s.begin():
            user = self._row(s, username)
            s.add(row)
            signed_in = SignedIn(_user(user), row.csrf_token, now)
        return token, signed_in

    def session(self, token: str, idle: timedelta, lifetime: timedelta) -> SignedIn | None:
        """The live session for ``token``; expired ones are deleted on sight.

        Every signed-in request asks this: one read of the session joined to its user,
        and a write only to delete an expired session or, once a minute, to touch it."""
        now, digest = utc_now(), _token_hash(token)
        with self.engine.connect() as conn:
            found = conn.execute(SESSION_READ, {"digest": digest}).first()
        if found is None:
            return None
        csrf, started, seen, username, role, disabled, created, changed = found._tuple()
        user = User(username, role, bool(disabled), created, changed) if username else None
        signed_in = SignedIn(user, csrf, started) if user is not None else None
        row = SessionRow.token_sha256 == digest
        if (
            signed_in is None
            or signed_in.user.disabled
            or now - seen > idle
            or now - started > lifetime
        ):
            with self.engine.begin() as conn:
                conn.execute(delete(SessionRow).where(row))
            return None
        if now - seen > _TOUCH_EVERY:
            with self.engine.begin() as conn:
                conn.execute(update(SessionRow).where(row).values(last_seen=now))
        return signed_in

    def end_session(self, token: str) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(delete(SessionRow).where(SessionRow.token_sha256 == _token_hash(token)))


DEMO_USER = "demo"


class NoAccounts(ArchiveError):
    """Production mode with no active account: there is no default password to fall back on."""


def require_accounts(accounts: Accounts) -> None:
    if accounts.count_active() == 0:
        raise NoAccounts(
            "no active user account: create one first with "
            "`arsip user add NAME --role admin` (or run with --demo / ARSIP_WEB_DEMO=1)"
        )


def ensure_demo_account(accounts: Accounts) -> str | None:
    """With no active account: a ``demo`` PPID account with a fresh random password,
    returned to be shown once. None when someone can already sign in."""
    if accounts.count_active() > 0:
        return None
    password = secrets.token_urlsafe(12)
    if accounts.get(DEMO_USER) is None:
        accounts.create(DEMO_USER, "ppid", password)
    else:
        accounts.set_password(DEMO_USER, password)
        accounts.set_disabled(DEMO_USER, False)
    return password
