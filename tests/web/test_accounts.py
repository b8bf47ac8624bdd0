"""Accounts, sessions, the audit log's append-only table, sign-in and sign-out, and the
`arsip user` / `arsip serve` commands (paper locations: tests/archive/test_custody.py)."""

from __future__ import annotations

import io
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import DatabaseError

from archive.account_rules import InvalidAccount, UnknownUser, UserExists
from archive.accounts import Accounts, NoAccounts
from archive.audit import AuditEntry, AuditLog
from archive.catalog import Catalog
from flows import cli
from flows.settings import Settings, WebSettings
from tests.support.db import migrated_catalog
from tests.web.conftest import PASSWORDS, TEST_KDF, form_token, make_app, sign_in
from web.app import create_app

IDLE, LIFE = timedelta(minutes=30), timedelta(hours=12)


@pytest.fixture
def catalog(tmp_path: Path):  # type: ignore[no-untyped-def]
    cat = migrated_catalog(tmp_path / "catalog.db")
    yield cat
    cat.close()


def test_accounts_hash_verify_and_rules(catalog: Catalog):
    accounts = Accounts(catalog.engine, TEST_KDF)
    user = accounts.create("siti.rahma", "ppid", "kata-sandi-panjang")
    assert user.role == "ppid" and not user.disabled
    with catalog.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    assert stored.startswith("$argon2id$") and "kata-sandi" not in stored
    assert accounts.authenticate("siti.rahma", "kata-sandi-panjang") == user
    assert accounts.authenticate("siti.rahma", "salah-sandi-panjang") is None
    assert accounts.authenticate("tidak.ada", "kata-sandi-panjang") is None
    with pytest.raises(UserExists):
        accounts.create("siti.rahma", "ppid", "kata-sandi-panjang")
    for name, role, password in (
        ("Siti", "ppid", "kata-sandi-panjang"),
        ("budi", "raja", "kata-sandi-panjang"),
        ("budi", "ppid", "pendek"),
    ):
        with pytest.raises(InvalidAccount):
            accounts.create(name, role, password)
    with pytest.raises(UnknownUser):
        accounts.set_password("tidak.ada", "kata-sandi-panjang")


def test_sessions_end_on_disable_and_password_change(catalog: Catalog):
    accounts = Accounts(catalog.engine, TEST_KDF)
    accounts.create("budi", "petugas", "kata-sandi-panjang")
    token, live = accounts.start_session("budi", "10.0.0.5")
    assert accounts.session(token, IDLE, LIFE) == live
    assert accounts.session(token + "x", IDLE, LIFE) is None
    assert accounts.session(token, timedelta(seconds=-1), LIFE) is None  # idle: gone
    token, _ = accounts.start_session("budi", "10.0.0.5")
    accounts.set_password("budi", "sandi-baru-panjang")
    assert accounts.session(token, IDLE, LIFE) is None
    token, _ = accounts.start_session("budi", "10.0.0.5")
    accounts.set_disabled("budi")
    assert accounts.session(token, IDLE, LIFE) is None
    assert accounts.authenticate("budi", "sandi-baru-panjang") is None
    with catalog.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_sha256 FROM web_sessions").all()
    assert all(token not in row[0] for row in stored)  # only hashes of tokens are kept


def test_audit_log_is_append_only(catalog: Catalog):
    log = AuditLog(catalog.engine)
    log.record(
        AuditEntry("ppid1", "ppid", "view", "0b0b0b0b0b0b0b01", "belum_ditinjau", "1.2.3.4", "UA")
    )
    assert log.entries()[0].client == "1.2.3.4"
    for sql in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), catalog.engine.begin() as conn:
            conn.exec_driver_sql(sql)
    assert len(log.entries()) == 1


def test_sign_in_and_out(app: FastAPI):
    client = TestClient(app, follow_redirects=False)
    assert client.get("/search").headers["location"] == "/login?next=%2Fsearch"
    page = client.get("/login", params={"next": "/review"})
    assert "Masuk" in page.text and 'value="/review"' in page.text
    data = {"username": "PPID1 ", "password": PASSWORDS["ppid1"][1], "next": "/review"}
    response = client.post("/login", data={**data, "csrf_token": form_token(page.text)})
    assert response.status_code == 303 and response.headers["location"] == "/review"
    review = client.get("/review")
    assert review.status_code == 200 and "ppid1" in review.text
    out = client.post("/logout", data={"csrf_token": form_token(review.text)})
    assert out.headers["location"] == "/login?keluar=1"
    assert client.get("/review").status_code == 303
    assert "Anda telah keluar" in client.get("/login?keluar=1").text


def test_wrong_password_says_nothing_about_which_part(app: FastAPI):
    client = TestClient(app, follow_redirects=False)
    answers = []
    for username in ("ppid1", "tidak.ada"):
        page = client.get("/login")
        data = {
            "username": username,
            "password": "salah-sekali",
            "csrf_token": form_token(page.text),
        }
        answers.append(client.post("/login", data=data))
    assert [a.status_code for a in answers] == [401, 401]
    assert all("Nama pengguna atau kata sandi salah" in a.text for a in answers)


def test_disabled_user_is_signed_out(fresh_app: FastAPI):
    client = sign_in(fresh_app, "petugas1")
    fresh_app.state.services.accounts.set_disabled("petugas1")
    assert client.get("/search").status_code == 303
    page = client.get("/login")
    data = {"username": "petugas1", "password": PASSWORDS["petugas1"][1]}
    response = client.post("/login", data={**data, "csrf_token": form_token(page.text)})
    assert response.status_code == 401


def test_no_default_password_in_production(tmp_path: Path):
    settings = Settings(home=tmp_path / "data")
    with pytest.raises(NoAccounts, match="arsip user add"):
        create_app(settings, WebSettings(), kdf=TEST_KDF)
    demo = create_app(settings, WebSettings(demo=True), kdf=TEST_KDF)
    password = demo.state.demo_password
    assert password and len(password) >= 12
    client = TestClient(demo, follow_redirects=False)
    page = client.get("/login")
    data = {"username": "demo", "password": password, "csrf_token": form_token(page.text)}
    assert client.post("/login", data=data).status_code == 303
    demo.state.services.catalog.close()
    # Once an account exists, demo mode makes no other one.
    again = create_app(settings, WebSettings(demo=True), kdf=TEST_KDF)
    assert again.state.demo_password is None
    again.state.services.catalog.close()


def _arsip(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_user_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("ARSIP_HOME", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    monkeypatch.setattr("sys.stdin", io.StringIO("rahasia-sekali-123\n"))
    code, out, _ = _arsip(
        capsys, "user", "add", "siti", "--role", "ppid", "--password-stdin", "--json"
    )
    assert code == 0 and json.loads(out)["role"] == "ppid"
    code, _, err = _arsip(capsys, "user", "add", "siti", "--role", "ppid", "--password-stdin")
    assert code == 1 and "already exists" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("pendek\n"))
    code, _, err = _arsip(capsys, "user", "passwd", "siti", "--password-stdin")
    assert code == 1 and "at least 10" in err
    code, _, err = _arsip(capsys, "user", "passwd", "tidak.ada", "--password-stdin")
    assert code == 3 and "no user" in err
    assert _arsip(capsys, "user", "disable", "siti")[0] == 0
    code, out, _ = _arsip(capsys, "user", "list", "--json")
    assert json.loads(out) == [json.loads(out)[0]] and json.loads(out)[0]["disabled"] is True
    code, out, _ = _arsip(capsys, "user", "list")
    assert "siti" in out and "disabled" in out
    # No active account left: serve refuses to start rather than run without sign-in.
    code, _, err = _arsip(capsys, "serve", "--port", "1")
    assert code == 1 and "no active user account" in err


def test_password_change_from_cli_ends_web_sessions(
    template_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):  # fmt: skip
    home = tmp_path / "data"
    shutil.copytree(template_home, home)
    app = make_app(home)
    client = sign_in(app, "ppid1")
    monkeypatch.setenv("ARSIP_HOME", str(home))
    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-baru-ppid-1\n"))
    assert _arsip(capsys, "user", "passwd", "ppid1", "--password-stdin")[0] == 0
    assert client.get("/search").status_code == 303
    assert sign_in(app, "ppid1", "sandi-baru-ppid-1").get("/search").status_code == 200
    app.state.services.catalog.close()
