"""The sign-in limits counted in the catalog's database (issue #11): the policy of
``LoginLimiter`` against its database store, on SQLite and PostgreSQL, and two apps (two
web workers) on one database sharing one count."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.catalog import Catalog
from archive.rate_limits import LoginAttempts, LoginFailureRow, LoginKnownRow, RateEvents
from tests.support.db import POSTGRES_ENV, postgres_schema, postgres_url, sqlite_url
from tests.web.conftest import PASSWORDS, attempt_login, close_app, make_app
from web.requests.public import RateLimit
from web.security import LoginLimiter

WINDOW = 900.0


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Catalog]:
    if request.param == "sqlite":
        cat = Catalog(sqlite_url(tmp_path / "catalog.db"))
        yield cat
        cat.close()
        return
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} not set (./dev test starts a PostgreSQL and sets it)")
    with postgres_schema(base) as url:
        cat = Catalog(url)
        yield cat
        cat.close()


def limiter(catalog: Catalog, clock: Clock, max_keys: int | None = None) -> LoginLimiter:
    made = LoginLimiter(5, WINDOW, LoginAttempts(catalog.engine), clock)
    if max_keys is not None:
        made.MAX_KEYS = max_keys
    return made


def rows(catalog: Catalog, table: type[object]) -> int:
    with catalog.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_the_pair_waits_out_the_window_after_max_failures(catalog: Catalog):
    clock = Clock()
    limits = limiter(catalog, clock)
    for _ in range(4):
        limits.failed("Ppid1", "10.0.0.1")
        assert limits.retry_after("ppid1", "10.0.0.1") is None
    limits.failed("ppid1", "10.0.0.1")
    assert limits.retry_after("PPID1 ", "10.0.0.1") == int(WINDOW) + 1
    clock.now += WINDOW - 10
    assert limits.retry_after("ppid1", "10.0.0.1") == 11
    clock.now += 11
    assert limits.retry_after("ppid1", "10.0.0.1") is None


def test_the_account_backs_off_doubling_across_addresses(catalog: Catalog):
    clock = Clock()
    limits = limiter(catalog, clock)
    for n in range(5):
        limits.failed("ppid1", f"10.0.1.{n}")
    assert limits.retry_after("ppid1", "10.0.2.1") == 31  # 30 s after the last failure
    waits = []
    for n in range(4):
        clock.now += 31 * 2**n
        assert limits.retry_after("ppid1", f"10.0.3.{n}") is None
        limits.failed("ppid1", f"10.0.3.{n}")
        waits.append(limits.retry_after("ppid1", "10.0.4.1"))
    assert waits == [61, 121, 241, 481]
    for n in range(10):  # 30 s x 2^5 would be past the window: the window it is
        limits.failed("petugas1", f"10.0.5.{n}")
    assert limits.retry_after("petugas1", "10.0.6.1") == int(WINDOW) + 1


def test_a_known_address_spares_the_account_from_backoff_and_the_address_limit(
    catalog: Catalog,
):
    clock = Clock()
    limits = limiter(catalog, clock)
    limits.succeeded("ppid1", "192.0.2.10")  # the account's desk
    for n in range(8):
        limits.failed("ppid1", f"10.1.0.{n}")  # a guesser elsewhere
    for n in range(20):
        limits.failed(f"tamu{n:02d}", "192.0.2.10")  # junk names from the desk's NAT address
    assert limits.retry_after("ppid1", "192.0.2.10") is None
    assert limits.retry_after("atasan1", "192.0.2.10") == int(WINDOW) + 1  # never signed in here
    assert limits.retry_after("ppid1", "10.1.1.1") is not None
    clock.now += limits.REMEMBER_SECONDS + 1  # a desk not used for a month is not known
    for n in range(5):
        limits.failed("ppid1", f"10.1.2.{n}")
    assert limits.retry_after("ppid1", "192.0.2.10") == 31


def test_success_clears_the_pair_but_not_the_account_count(catalog: Catalog):
    clock = Clock()
    limits = limiter(catalog, clock)
    for _ in range(4):
        limits.failed("ppid1", "10.2.0.1")
    limits.succeeded("ppid1", "10.2.0.1")
    for _ in range(4):
        limits.failed("ppid1", "10.2.0.1")
    assert limits.retry_after("ppid1", "10.2.0.1") is None  # the pair counts 4, not 8
    assert limits.retry_after("ppid1", "10.2.0.2") == 241  # the account counts all 8


def test_two_limiters_on_one_database_share_the_counts(catalog: Catalog):
    clock = Clock()
    first, second = limiter(catalog, clock), limiter(catalog, clock)
    for n in range(5):
        (first if n % 2 else second).failed("ppid1", "10.3.0.1")
    assert first.retry_after("ppid1", "10.3.0.1") == int(WINDOW) + 1
    assert second.retry_after("ppid1", "10.3.0.1") == int(WINDOW) + 1
    second.succeeded("petugas1", "10.3.0.9")
    for n in range(20):
        first.failed(f"junk{n}", "10.3.0.9")
    assert second.retry_after("petugas1", "10.3.0.9") is None  # known, whoever recorded it
    assert first.retry_after("petugas1", "10.3.0.9") is None


def test_rows_stay_bounded(catalog: Catalog):
    clock = Clock()
    limits = limiter(catalog, clock, max_keys=10)
    for n in range(30):
        limits.failed(f"user{n}", "10.4.0.1")
    clock.now += WINDOW + 1
    limits.failed("user0", "10.4.0.2")
    assert rows(catalog, LoginFailureRow) == 1  # failures past the window count no more
    for n in range(11):
        clock.now += 1
        limits.succeeded(f"user{n}", "10.4.0.3")
    assert rows(catalog, LoginKnownRow) == 5  # past MAX_KEYS, the newest half is kept
    assert limits.store.known_since("user10", "10.4.0.3") == clock.now
    assert limits.store.known_since("user5", "10.4.0.3") is None


def test_remembered_sign_ins_never_move_a_later_one_back(catalog: Catalog):
    clock = Clock()
    limits = limiter(catalog, clock)
    limits.succeeded("ppid1", "10.5.0.1")
    limits.remember({("ppid1", "10.5.0.1"): 3600.0, ("PPID1", "10.5.0.2"): 60.0})
    limits.remember({("ppid1", "10.5.0.2"): 7200.0})  # a second worker starting later
    assert limits.store.known_since("ppid1", "10.5.0.1") == clock.now
    assert limits.store.known_since("ppid1", "10.5.0.2") == clock.now - 60


def test_the_public_form_limit_is_shared_too(catalog: Catalog):
    clock = Clock()
    store = RateEvents(catalog.engine)
    first = RateLimit("request_submit", 3, 3600, store, clock)
    second = RateLimit("request_submit", 3, 3600, RateEvents(catalog.engine), clock)
    lookups = RateLimit("request_lookup", 3, 600, store, clock)
    assert [first.allow("10.6.0.1"), second.allow("10.6.0.1"), first.allow("10.6.0.1")] == [
        None,
        None,
        None,
    ]
    assert second.allow("10.6.0.1") == 3601
    assert lookups.allow("10.6.0.1") is None  # another limit, its own count
    clock.now += 3601
    assert second.allow("10.6.0.1") is None


def test_two_apps_on_one_data_root_share_the_limit(template_home: Path, tmp_path: Path):
    """Two web workers: a guesser's tries spread over both count as one series."""
    home = tmp_path / "data"
    shutil.copytree(template_home, home)
    first, second = (make_app(home, login_max_failures=5) for _ in range(2))
    clients = [TestClient(app, follow_redirects=False) for app in (first, second)]
    codes = [attempt_login(clients[n % 2], "ppid1", f"tebakan-{n}") for n in range(7)]
    assert codes == [401] * 5 + [429] * 2
    right = PASSWORDS["ppid1"][1]
    assert attempt_login(clients[0], "ppid1", right) == 429
    assert attempt_login(clients[1], "ppid1", right) == 429
    close_app(first)
    close_app(second)
