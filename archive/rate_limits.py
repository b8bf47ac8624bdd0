"""What the web app's rate limits count, kept in the catalog's database (tables made by
the migrations), so that every web worker process, and a restarted one, sees the same
counts: a guesser whose tries are spread over two workers must not get twice the tries.

The policies (how many, how long) are the web app's (``web.security.LoginLimiter``,
``web.requests.public.RateLimit``); this module only stores and reads instants. Instants
are seconds of the limiter's clock (``time.time`` in the app: shared by every process on
a machine, and by machines that keep their clocks in sync).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Float,
    Integer,
    String,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base

USERNAME_CHARS, CLIENT_CHARS, KEY_CHARS = 64, 128, 128


class LoginFailureRow(Base):
    """One failed sign-in. It counts for its account, for its address and, until the
    account signs in from that address (``pair_cleared``), for the pair."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(USERNAME_CHARS), index=True)
    client: Mapped[str] = mapped_column(String(CLIENT_CHARS), index=True)
    at: Mapped[float] = mapped_column(Float, index=True)
    pair_cleared: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginKnownRow(Base):
    """The last successful sign-in of an account from an address."""

    __tablename__ = "login_known"
    username: Mapped[str] = mapped_column(String(USERNAME_CHARS), primary_key=True)
    client: Mapped[str] = mapped_column(String(CLIENT_CHARS), primary_key=True)
    last_success: Mapped[float] = mapped_column(Float, index=True)


class RateEventRow(Base):
    """One counted event of a plain rate limit (``scope``: which limit; ``key``: whose)."""

    __tablename__ = "rate_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(KEY_CHARS))
    at: Mapped[float] = mapped_column(Float, index=True)


@dataclass(frozen=True)
class RecentFailures:
    """Instants of the failures since some time, oldest first, counted three ways."""

    pair: list[float]
    account: list[float]
    address: list[float]


def _fit(username: str, client: str) -> tuple[str, str]:
    return username[:USERNAME_CHARS], client[:CLIENT_CHARS]


_F = LoginFailureRow
_RECENT = (
    select(_F.username, _F.client, _F.at, _F.pair_cleared)
    .where(_F.at >= bindparam("since"))
    .where((_F.username == bindparam("user")) | (_F.client == bindparam("client")))
    .order_by(_F.at, _F.id)
)
_KNOWN = select(LoginKnownRow.last_success).where(
    LoginKnownRow.username == bindparam("user"), LoginKnownRow.client == bindparam("client")
)


class LoginAttempts:
    """Failed and successful sign-ins, per account and address."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def recent(self, username: str, client: str, since: float) -> RecentFailures:
        user, address = _fit(username, client)
        with self.engine.connect() as conn:
            rows = conn.execute(_RECENT, {"since": since, "user": user, "client": address})
            found = [tuple(r) for r in rows]
        return RecentFailures(
            pair=[at for u, c, at, cleared in found if u == user and c == address and not cleared],
            account=[at for u, _c, at, _cl in found if u == user],
            address=[at for _u, c, at, _cl in found if c == address],
        )

    def known_since(self, username: str, client: str) -> float | None:
        """When the account last signed in from this address, or None."""
        user, address = _fit(username, client)
        with self.engine.connect() as conn:
            found = conn.execute(_KNOWN, {"user": user, "client": address}).scalar()
        return float(found) if found is not None else None

    def failed(self, username: str, client: str, at: float, forget_before: float) -> None:
        """Record a failure; failures older than ``forget_before`` count no more: gone."""
        user, address = _fit(username, client)
        with self.engine.begin() as conn:
            conn.execute(delete(_F).where(_F.at < forget_before))
            values = {"username": user, "client": address, "at": at, "pair_cleared": False}
            conn.execute(insert(_F), values)

    def succeeded(self, username: str, client: str, at: float, keep: int, since: float) -> None:
        """The pair's failures stop counting for the pair (still for account and address);
        the address is known for the account from ``at``."""
        user, address = _fit(username, client)
        with self.engine.begin() as conn:
            pair = (_F.username == user) & (_F.client == address)
            conn.execute(update(_F).where(pair).values(pair_cleared=True))
            _upsert_known(conn, {(user, address): at})
            _forget_known(conn, keep, since)

    def remember(self, successes: Mapping[tuple[str, str], float], keep: int, since: float) -> None:
        """Past successful sign-ins (from the audit log); a later one already kept wins."""
        fitted: dict[tuple[str, str], float] = {}
        for (username, client), at in successes.items():
            pair = _fit(username, client)
            fitted[pair] = max(at, fitted.get(pair, at))
        if fitted:
            with self.engine.begin() as conn:
                _upsert_known(conn, fitted)
                _forget_known(conn, keep, since)


def _upsert_known(conn: Connection, successes: Mapping[tuple[str, str], float]) -> None:
    """Insert or move forward (never back) each pair's last success, in one statement."""
    rows = [{"username": u, "client": c, "last_success": at} for (u, c), at in successes.items()]
    k = LoginKnownRow
    on_postgres = conn.dialect.name == "postgresql"
    stmt = postgresql.insert(k) if on_postgres else sqlite.insert(k)
    greatest = func.greatest if on_postgres else func.max  # SQLite's two-argument max
    later = greatest(k.last_success, stmt.excluded.last_success)
    upsert = stmt.on_conflict_do_update(
        index_elements=[k.username, k.client], set_={"last_success": later}
    )
    conn.execute(upsert, rows)


def _forget_known(conn: Connection, keep: int, since: float) -> None:
    """Rows stay bounded: pairs not seen since ``since`` go; past ``keep`` pairs, the
    oldest go until half are left."""
    k = LoginKnownRow
    conn.execute(delete(k).where(k.last_success < since))
    count = conn.execute(select(func.count()).select_from(k)).scalar() or 0
    if count > keep:
        newest = select(k.last_success).order_by(k.last_success.desc()).limit(1)
        cut = conn.execute(newest.offset(keep // 2)).scalar()
        if cut is not None:
            conn.execute(delete(k).where(k.last_success <= cut))


class RateEvents:
    """Events per scope and key over a sliding window."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def allow(self, scope: str, key: str, limit: int, window: float, now: float) -> int | None:
        """None when allowed (and the event counted), else the seconds to wait."""
        r = RateEventRow
        key = key[:KEY_CHARS]
        with self.engine.begin() as conn:
            conn.execute(delete(r).where(r.scope == scope, r.at < now - window))
            mine = (r.scope == scope) & (r.key == key) & (r.at >= now - window)
            oldest = select(r.at).where(mine).order_by(r.at).limit(1)
            count = conn.execute(select(func.count()).select_from(r).where(mine)).scalar() or 0
            if count >= limit:
                first = conn.execute(oldest.offset(count - limit)).scalar() or now
                return int(first + window - now) + 1
            conn.execute(insert(r), {"scope": scope, "key": key, "at": now})
        return None
