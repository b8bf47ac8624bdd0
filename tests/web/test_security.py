"""Security headers, CSRF on every form, path traversal in every parameter, sign-in abuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import (
    OPEN_ID,
    PASSWORDS,
    Client,
    attempt_login,
    form_token,
    make_app,
    sign_in,
)

POST_FORMS = (
    ("/logout", {}),
    ("/upload", None),  # multipart, below
    (f"/review/{OPEN_ID}", {"doc_type": "surat", "confirm": "1"}),
    (f"/documents/{OPEN_ID}/hardcopy", {"room": "Ruang Arsip 1"}),
)
PAGES = (
    "/search",
    "/search.json?q=koordinasi",
    f"/documents/{OPEN_ID}",
    f"/documents/{OPEN_ID}/original",
    f"/documents/{OPEN_ID}/pages/1.png",
    "/review",
    "/upload",
    "/audit",
    "/documents/ffffffffffffffff",
    "/tidak-ada",
    "/healthz",
    "/login",
    "/static/app.css",
)


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_every_response(ppid: Client, url: str):
    response = ppid.get(url)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    if not url.startswith("/static/"):
        assert response.headers["cache-control"] in ("no-store", "private, max-age=3600")


def test_pages_have_no_inline_script_or_style(ppid: Client):
    for url in ("/search?q=koordinasi", f"/documents/{OPEN_ID}", "/review", "/upload", "/login"):
        html = ppid.get(url).text
        assert "<script>" not in html and "<script src=" in html
        assert "style=" not in html and "<style" not in html
        assert "onclick" not in html.lower()


def _upload_files() -> dict[str, tuple[str, bytes, str]]:
    return {"files": ("surat.txt", b"Undangan rapat koordinasi", "text/plain")}


@pytest.mark.parametrize("url,data", POST_FORMS)
@pytest.mark.parametrize("token", [None, "", "salah-token", "x" * 64])
def test_post_without_the_session_token_is_refused(
    fresh_app: FastAPI, url: str, data: dict[str, str] | None, token: str | None
):
    client = sign_in(fresh_app, "ppid1")
    fields = {**(data or {}), **({"csrf_token": token} if token is not None else {})}
    files = _upload_files() if data is None else None
    response = client.post(url, data=fields, files=files)
    assert response.status_code == 403
    assert "Token formulir tidak valid" in response.text
    # Nothing happened: still signed in, nothing uploaded, nothing changed.
    assert client.get("/review").status_code == 200
    home: Path = fresh_app.state.services.settings.layout.home
    assert list((home / "inbox").iterdir()) == []
    assert fresh_app.state.services.hardcopy.get(OPEN_ID) is None
    assert not fresh_app.state.services.catalog.events(kind="correction")


def test_token_of_another_session_is_refused(fresh_app: FastAPI):
    alice, bob = sign_in(fresh_app, "ppid1"), sign_in(fresh_app, "admin1")
    response = bob.post(f"/documents/{OPEN_ID}/hardcopy", data={"csrf_token": alice.csrf})
    assert response.status_code == 403


def test_login_form_needs_its_token(app: FastAPI):
    client = TestClient(app, follow_redirects=False)
    client.get("/login")
    username, (_role, password) = "ppid1", PASSWORDS["ppid1"]
    for token in (None, "", "0" * 64):
        data = {"username": username, "password": password}
        if token is not None:
            data["csrf_token"] = token
        assert client.post("/login", data=data).status_code == 403
    # A token from another browser (other pre-session cookie) does not work either.
    other = TestClient(app, follow_redirects=False)
    token = form_token(other.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 403


def test_login_brute_force_is_rate_limited(template_home: Path, tmp_path: Path):
    import shutil

    home = tmp_path / "data"
    shutil.copytree(template_home, home)
    app = make_app(home, login_max_failures=5)
    client = TestClient(app, follow_redirects=False)
    codes = [attempt_login(client, "ppid1", f"tebakan-{n:04d}") for n in range(5)]
    assert codes == [401] * 5
    blocked = client.post(
        "/login",
        data={
            "username": "ppid1",
            "password": "x",
            "csrf_token": form_token(client.get("/login").text),
        },
    )
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0
    # Even the right password is refused while blocked: the limit gives nothing away.
    assert attempt_login(client, "ppid1", PASSWORDS["ppid1"][1]) == 429
    # Another user from the same address is not locked out by these five.
    assert attempt_login(client, "petugas1", PASSWORDS["petugas1"][1]) == 303
    entries = app.state.services.audit.entries(username="ppid1")
    assert sum(e.action == "login_failed" for e in entries) == 5
    app.state.services.catalog.close()


def test_session_cookie_flags(app: FastAPI):
    client = TestClient(app, follow_redirects=False)
    token = form_token(client.get("/login").text)
    username, (_role, password) = "ppid1", PASSWORDS["ppid1"]
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "arsip_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_secure_cookies_when_configured(template_home: Path, tmp_path: Path):
    import shutil

    home = tmp_path / "data"
    shutil.copytree(template_home, home)
    app = make_app(home, secure_cookies=True)
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    page = client.get("/login")
    assert "secure" in page.headers["set-cookie"].lower()
    assert page.headers["strict-transport-security"].startswith("max-age=")
    app.state.services.catalog.close()


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_no_open_redirect_after_login(app: FastAPI, target: str):
    client = TestClient(app, follow_redirects=False)
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": "admin1",
            "password": PASSWORDS["admin1"][1],
            "csrf_token": token,
            "next": target,
        },
    )
    assert response.headers["location"] == "/search"


TRAVERSALS = (
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2e%2e",
    "..",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "....//....//etc/passwd",
    "0a0a0a0a0a0a0a01%00",
    "0a0a0a0a0a0a0a01%2f..%2f0b0b0b0b0b0b0b01",
    "..%5c..%5cetc%5cpasswd",
)
TRAVERSAL_URLS = (
    "/documents/{x}",
    "/documents/{x}.json",
    "/documents/{x}/original",
    "/documents/{x}/searchable.pdf",
    "/documents/{x}/pages/1.png",
    "/documents/" + OPEN_ID + "/pages/{x}.png",
    "/review/{x}",
    "/upload/{x}",
    "/upload/{x}.json",
    "/static/{x}",
)


@pytest.mark.parametrize("x", TRAVERSALS)
@pytest.mark.parametrize("template", TRAVERSAL_URLS)
def test_path_traversal_in_path_parameters(ppid: Client, template: str, x: str):
    response = ppid.get(template.format(x=x))
    assert response.status_code in (404, 422, 303), response.status_code
    assert b"root:" not in response.content
    assert b"[project]" not in response.content


@pytest.mark.parametrize("x", TRAVERSALS)
def test_path_traversal_in_query_parameters(ppid: Client, x: str):
    for url, params in (
        ("/search.json", {"q": x, "unit": x, "type": x, "access": x}),
        (f"/documents/{OPEN_ID}/pages/1.png", {"size": x}),
        ("/audit.json", {"document": x, "user": x}),
        ("/login", {"next": x}),
    ):
        response = ppid.get(url, params=params)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        assert b"root:" not in response.content


def test_traversal_in_the_next_field_of_the_login_form(app: FastAPI):
    client = TestClient(app, follow_redirects=False)
    page = client.get("/login", params={"next": "../../etc/passwd"})
    assert 'name="next" value="/search"' in page.text


def test_catalog_row_pointing_outside_the_archive_is_not_followed(fresh_app: FastAPI):
    services = fresh_app.state.services
    services.catalog.update_document(OPEN_ID, archive_path="../../../../etc")
    client = sign_in(fresh_app, "ppid1")
    for suffix in ("", "/original", "/pages/1.png"):
        assert client.get(f"/documents/{OPEN_ID}{suffix}").status_code == 404


def _raw_get(app: FastAPI, raw_path: bytes, cookie: str) -> tuple[int, bytes]:
    """One request with the path exactly as given (HTTP clients normalise ``..`` away)."""
    import asyncio
    from urllib.parse import unquote

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(raw_path.decode()),
        "raw_path": raw_path,
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    status = int(sent[0]["status"])  # type: ignore[call-overload]
    body = b"".join(m.get("body", b"") for m in sent[1:])  # type: ignore[misc]
    return status, body


@pytest.mark.parametrize(
    "raw",
    [
        b"/static/../../../../etc/passwd",
        b"/static/..%2f..%2f..%2fpyproject.toml",
        b"/static/%2e%2e/app.py",
        b"/documents/../../../../etc/passwd",
        b"/documents/" + OPEN_ID.encode() + b"/../../../etc/passwd",
        b"/documents/" + OPEN_ID.encode() + b"/pages/../../../../etc/passwd.png",
    ],
)
def test_unnormalised_traversal_paths(app: FastAPI, ppid: Client, raw: bytes):
    cookie = f"arsip_session={ppid.cookies.get('arsip_session')}"
    status, body = _raw_get(app, raw, cookie)
    assert status in (404, 400)
    assert b"root:" not in body and b"create_app" not in body


def test_oversized_bodies_are_refused(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    big = "x" * (1024 * 1024 + 10)
    response = ppid.post_form(f"/documents/{OPEN_ID}/hardcopy", {"room": big})
    assert response.status_code in (400, 413)
    # The upload's limit (20 files x 1 MB here) is checked before the body is parsed.
    files = {"files": ("besar.pdf", b"x" * (22 * 1024 * 1024), "application/pdf")}
    upload = ppid.post("/upload", data={"csrf_token": ppid.csrf}, files=files)
    assert upload.status_code == 413 and "terlalu besar" in upload.text
    assert list(fresh_app.state.services.settings.layout.inbox.iterdir()) == []


def test_every_post_form_carries_the_token(ppid: Client, anon: TestClient):
    import re

    pages = [ppid.get(url).text for url in ("/search", f"/documents/{OPEN_ID}", "/upload")]
    pages += [ppid.get(f"/review/{OPEN_ID}").text, anon.get("/login").text]
    forms = [f for page in pages for f in re.findall(r"<form[^>]*>.*?</form>", page, re.S)]
    posts = [f for f in forms if 'method="post"' in f]
    assert len(posts) >= 6
    assert all('name="csrf_token"' in form for form in posts)
