"""Access control on every surface: restricted documents do not exist for a petugas (404,
never 403), roles allowed to see them can, and every such read lands in the audit log."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import (
    EXEMPT_ID,
    NIK,
    OPEN_ID,
    OPEN_PDF_ID,
    PENDING_ID,
    RESTRICTED_IDS,
    Client,
)

DOC_URLS = (
    "/documents/{id}",
    "/documents/{id}.json",
    "/documents/{id}/original",
    "/documents/{id}/searchable.pdf",
    "/documents/{id}/pages/1.png",
    "/documents/{id}/pages/1.png?size=l",
    "/review/{id}",
    "/review/{id}.json",
)
GET_ROUTES = (
    "/",
    "/search",
    "/search.json",
    f"/documents/{OPEN_ID}",
    f"/documents/{OPEN_ID}.json",
    f"/documents/{OPEN_ID}/original",
    f"/documents/{OPEN_ID}/searchable.pdf",
    f"/documents/{OPEN_ID}/pages/1.png",
    "/upload",
    "/upload.json",
    "/upload/0123456789abcdef01234567",
    "/upload/0123456789abcdef01234567.json",
    "/review",
    "/review.json",
    f"/review/{OPEN_ID}",
    "/audit",
    "/audit.json",
)
POST_ROUTES = (
    "/logout",
    "/upload",
    f"/review/{OPEN_ID}",
    f"/documents/{OPEN_ID}/hardcopy",
)


@pytest.mark.parametrize("url", GET_ROUTES)
def test_signed_out_pages_redirect_to_login_and_json_gets_401(anon: TestClient, url: str):
    page = anon.get(url)
    if url == "/":
        assert page.status_code == 303 and page.headers["location"] == "/search"
        return
    if url.endswith(".json"):
        assert page.status_code == 401
        return
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=")
    api = anon.get(url, headers={"Accept": "application/json"})
    assert api.status_code == 401
    assert "masuk" in api.json()["error"]


@pytest.mark.parametrize("url", POST_ROUTES)
def test_signed_out_posts_are_refused(anon: TestClient, url: str):
    response = anon.post(url, data={"csrf_token": "x"}, headers={"Accept": "application/json"})
    assert response.status_code == 401


def test_healthz_and_static_need_no_sign_in(anon: TestClient):
    health = anon.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "catalog": True, "index": True}
    assert anon.get("/static/app.css").status_code == 200
    assert anon.get("/static/app.js").status_code == 200


@pytest.mark.parametrize("doc_id", RESTRICTED_IDS)
@pytest.mark.parametrize("template", DOC_URLS)
def test_petugas_gets_404_for_restricted_documents(petugas: Client, doc_id: str, template: str):
    restricted = petugas.get(template.format(id=doc_id))
    missing = petugas.get(template.format(id="f" * 16))
    assert restricted.status_code == 404
    # Same answer as for an id that does not exist: existence does not leak.
    assert restricted.text == missing.text
    assert doc_id not in restricted.text


@pytest.mark.parametrize("doc_id", RESTRICTED_IDS)
def test_petugas_cannot_change_restricted_documents(petugas: Client, doc_id: str):
    hardcopy = petugas.post_form(f"/documents/{doc_id}/hardcopy", {"room": "R1"})
    correct = petugas.post_form(f"/review/{doc_id}", {"doc_type": "surat", "confirm": "1"})
    assert hardcopy.status_code == correct.status_code == 404


@pytest.mark.parametrize("query", ["koordinasi", "", "rahasiabelum", "rahasiadikecualikan", NIK])
def test_petugas_search_never_shows_restricted_documents(petugas: Client, query: str):
    data = petugas.get("/search.json", params={"q": query}).json()
    ids = {hit["id"] for hit in data["hits"]}
    assert not ids & set(RESTRICTED_IDS)
    assert data["total"] == len(ids) <= 2
    assert set(data["facets"]["access"]) <= {"terbuka"}
    assert "formulir" not in data["facets"]["doc_type"]
    assert "lainnya" not in data["facets"]["doc_type"]
    assert not {"2021", "2023"} & set(data["facets"]["year"])
    html = petugas.get("/search", params={"q": query}).text
    for secret in ("rahasiabelum", "rahasiadikecualikan", "Notulen Internal", "Seluma"):
        assert secret not in html or secret == query


def test_petugas_asking_for_restricted_access_level_gets_nothing(petugas: Client):
    for level in ("belum_ditinjau", "dikecualikan"):
        data = petugas.get("/search.json", params={"access": level}).json()
        assert data["total"] == 0 and data["hits"] == []


def test_petugas_review_queue_holds_no_restricted_documents(petugas: Client):
    data = petugas.get("/review.json").json()
    assert data["total"] == 0


def test_petugas_sees_open_documents(petugas: Client):
    assert petugas.get(f"/documents/{OPEN_ID}").status_code == 200
    original = petugas.get(f"/documents/{OPEN_PDF_ID}/original")
    assert original.status_code == 200
    assert original.content.startswith(b"%PDF")
    assert "attachment" in original.headers["content-disposition"]


@pytest.mark.parametrize("client_name", ["ppid", "atasan"])
def test_allowed_roles_see_restricted_documents(request: pytest.FixtureRequest, client_name: str):
    client: Client = request.getfixturevalue(client_name)
    data = client.get("/search.json", params={"q": "koordinasi"}).json()
    assert {OPEN_ID, OPEN_PDF_ID, PENDING_ID, EXEMPT_ID} == {h["id"] for h in data["hits"]}
    assert data["facets"]["access"] == {"terbuka": 2, "belum_ditinjau": 1, "dikecualikan": 1}
    assert client.get(f"/documents/{PENDING_ID}").status_code == 200
    by_nik = client.get("/search.json", params={"q": NIK}).json()
    assert [h["id"] for h in by_nik["hits"]] == [EXEMPT_ID]


def _entries(ppid: Client, doc_id: str) -> list[dict[str, object]]:
    return ppid.get("/audit.json", params={"document": doc_id}).json()["entries"]


def test_restricted_reads_are_audited(ppid: Client):
    before = len(_entries(ppid, PENDING_ID))
    ua = {"User-Agent": "Peramban-Uji/1.0"}
    assert ppid.get(f"/documents/{PENDING_ID}", headers=ua).status_code == 200
    assert ppid.get(f"/documents/{PENDING_ID}/original", headers=ua).status_code == 200
    assert ppid.get(f"/documents/{PENDING_ID}/searchable.pdf", headers=ua).status_code == 200
    assert ppid.get(f"/documents/{PENDING_ID}/pages/1.png", headers=ua).status_code == 200
    entries = _entries(ppid, PENDING_ID)
    new = entries[: len(entries) - before]
    actions = [e["action"] for e in reversed(new)]
    assert actions == ["view", "download_original", "download_searchable", "thumbnail"]
    for entry in new:
        assert entry["username"] == "ppid1" and entry["role"] == "ppid"
        assert entry["client"] == "testclient"
        assert entry["user_agent"] == "Peramban-Uji/1.0"
        assert entry["access"] == "belum_ditinjau"
        assert entry["at"]


def test_open_reads_are_not_audited_and_search_hits_of_restricted_ones_are(ppid: Client):
    ppid.get(f"/documents/{OPEN_ID}")
    assert _entries(ppid, OPEN_ID) == []
    ppid.get("/search.json", params={"q": "rahasiadikecualikan"})
    assert _entries(ppid, EXEMPT_ID)[0]["action"] == "search"


def test_refused_attempts_are_audited(petugas: Client, ppid: Client):
    petugas.get(f"/documents/{EXEMPT_ID}/original")
    latest = _entries(ppid, EXEMPT_ID)[0]
    assert latest["action"] == "denied" and latest["username"] == "petugas1"
    assert latest["detail"] == {"attempted": "download_original"}


def test_audit_page_is_for_ppid_and_admin_only(petugas: Client, atasan: Client, ppid: Client):
    assert petugas.get("/audit").status_code == 403
    assert atasan.get("/audit.json").status_code == 403
    page = ppid.get("/audit")
    assert page.status_code == 200 and "Log Audit" in page.text


@pytest.mark.parametrize("doc_id", RESTRICTED_IDS)
def test_restricted_files_are_no_store(ppid: Client, doc_id: str):
    for suffix in ("", "/original", "/pages/1.png"):
        response = ppid.get(f"/documents/{doc_id}{suffix}")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"


def test_read_only_roles_cannot_upload_or_correct(atasan: Client, app: FastAPI):
    assert atasan.get("/upload").status_code == 403
    correct = atasan.post_form(f"/review/{OPEN_ID}", {"doc_type": "surat"})
    assert correct.status_code == 403
    hardcopy = atasan.post_form(f"/documents/{OPEN_ID}/hardcopy", {"room": "A"})
    assert hardcopy.status_code == 403
