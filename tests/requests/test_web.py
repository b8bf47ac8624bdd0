"""The request pages in the app (in process): access and personal data per role, the
refusal on the answer page with its DIK citation, the public form's CSRF and rate limit,
and a status page that says the status and nothing else."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from archive.catalog import Catalog
from archive.exemptions import ExemptionRegister
from tests.requests.support import NIK, exemption
from tests.web.conftest import (
    EXEMPT_ID,
    OPEN_PDF_ID,
    Client,
    build_home,
    close_app,
    make_app,
    sign_in,
)

FORM = {
    "name": "Sari Wulandari",
    "contact": "sari@contoh.id",
    "identity_number": NIK,
    "channel": "langsung",
    "subject": "Formulir data pemilih Desa Taba Penanjung",
    "purpose": "Memeriksa data keluarga sendiri",
}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    home = tmp_path / "data"
    build_home(home)
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    exemption(
        ExemptionRegister(catalog.engine),
        EXEMPT_ID,
        scope="seluruh",
        basis="uu14-2008-p17h",
        point=1,
        description="NIK pemilih pada formulir",
    )
    catalog.close()
    application = make_app(home)
    yield application
    close_app(application)


def _record(client: Client, **changes: str) -> int:
    today = client.get("/requests/new").text.split(
        'name="received_on" id="received_on" required value="'
    )[1][:10]
    r = client.post_form(
        "/requests/new",
        {**FORM, "received_on": today, **changes},
        headers={"accept": "application/json"},
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_desk_records_and_personal_data_is_masked_for_petugas(app: FastAPI):
    petugas, ppid = sign_in(app, "petugas1"), sign_in(app, "ppid1")
    rid = _record(petugas)
    assert NIK not in petugas.get(f"/requests/{rid}").text
    assert NIK not in petugas.get("/requests.json").text + petugas.get(f"/requests/{rid}.json").text
    assert NIK in ppid.get(f"/requests/{rid}").text
    audit = ppid.get("/audit.json").json()
    assert any(e["action"] == "lihat_data_pemohon" for e in audit["entries"])
    anon = TestClient(app, follow_redirects=False)
    assert anon.get(f"/requests/{rid}.json").status_code == 401
    assert sign_in(app, "atasan1").post(f"/requests/{rid}/documents").status_code == 403  # no CSRF


def test_petugas_search_shows_only_open_documents_and_cannot_attach_exempted(app: FastAPI):
    petugas = sign_in(app, "petugas1")
    rid = _record(petugas)
    page = petugas.get(f"/requests/{rid}.json", params={"q": "koordinasi"}).json()
    assert {h["access"] for h in page["hits"]} == {"terbuka"}
    refused = petugas.post_form(f"/requests/{rid}/documents", {"documents": EXEMPT_ID})
    assert refused.status_code == 422


def test_answer_page_refuses_the_exempted_document_citing_the_dik(app: FastAPI):
    ppid = sign_in(app, "ppid1")
    rid = _record(ppid)
    assert (
        ppid.post_form(f"/requests/{rid}/documents", {"document_ids": EXEMPT_ID}).status_code == 303
    )
    page = ppid.get(f"/requests/{rid}/answer")
    assert "DIK entri #" in page.text and "UU 14/2008 Pasal 17 huruf h angka 1" in page.text
    assert "Konsekuensi bila dibuka" in page.text and "Bila dibuka: nik pemilih" in page.text
    data = ppid.get(f"/requests/{rid}/answer.json").json()
    assert data["outcome"] == "ditolak" and data["citations"][0]["legal_basis"] == "uu14-2008-p17h"
    assert ppid.get(f"/requests/{rid}/answer/preview.pdf").content.startswith(b"%PDF")
    petugas = sign_in(app, "petugas1")
    assert (
        petugas.post_form(f"/requests/{rid}/answer", {"digest": data["digest"]}).status_code == 403
    )
    done = ppid.post_form(f"/requests/{rid}/answer", {"digest": data["digest"], "note": "Ditolak"})
    assert done.status_code == 303
    shown = ppid.get(f"/requests/{rid}").text
    assert "Ditolak" in shown and ppid.get(f"/requests/{rid}/letters/1.pdf").status_code == 200


def test_keberatan_decided_only_by_the_atasan(app: FastAPI):
    ppid, atasan = sign_in(app, "ppid1"), sign_in(app, "atasan1")
    rid = _record(ppid)
    ppid.post_form(f"/requests/{rid}/documents", {"document_ids": OPEN_PDF_ID})
    digest = ppid.get(f"/requests/{rid}/answer.json").json()["digest"]
    ppid.post_form(f"/requests/{rid}/answer", {"digest": digest})
    assert (
        ppid.post_form(
            f"/requests/{rid}/objections", {"reason": "d", "statement": "Bukan yang diminta"}
        ).status_code
        == 303
    )
    objection = ppid.get(f"/requests/{rid}.json").json()["objections"][0]["id"]
    url = f"/requests/{rid}/objections/{objection}/decide"
    assert ppid.post_form(url, {"decision": "ditolak", "reasons": "x"}).status_code == 403
    assert (
        atasan.post_form(url, {"decision": "ditolak", "reasons": "Sudah sesuai"}).status_code == 303
    )
    assert ppid.get(f"/requests/{rid}.json").json()["objections"][0]["status"] == "ditolak"


def _public(client: TestClient) -> str:
    match = _TOKEN.search(client.get("/permohonan").text)
    assert match
    return match.group(1)


def test_public_form_needs_its_token_and_gives_a_tracking_code(app: FastAPI):
    visitor = TestClient(app, follow_redirects=False)
    fields = {k: v for k, v in FORM.items() if k != "channel"}
    assert visitor.post("/permohonan", data=fields).status_code == 403  # no token
    other = TestClient(app)
    assert (
        visitor.post("/permohonan", data={**fields, "csrf_token": _public(other)}).status_code
        == 403
    )
    token = _public(visitor)
    made = visitor.post(
        "/permohonan", data={**fields, "csrf_token": token}, headers={"accept": "application/json"}
    )
    assert made.status_code == 201
    code = made.json()["tracking_code"]
    assert set(made.json()) == {"tracking_code"}  # not the number: it would count requests
    status = visitor.post("/permohonan/status.json", data={"code": code, "csrf_token": token})
    assert status.json() == {
        "status": "diproses",
        "label": "Permohonan diterima dan sedang diproses.",
    }
    page = visitor.post("/permohonan/status", data={"code": code, "csrf_token": token}).text
    body = page.split("<main", 1)[1]
    for secret in (FORM["name"], NIK, FORM["subject"], "/PPID/", "Formulir data pemilih", "2026"):
        assert secret not in body, secret
    unknown = visitor.post(
        "/permohonan/status.json", data={"code": "ZZZZ-ZZZZ-ZZZZ", "csrf_token": token}
    )
    assert unknown.json() == {"status": None, "label": None}
    staff = sign_in(app, "ppid1").get("/requests.json").json()["requests"]
    assert [r["channel"] for r in staff] == ["web"]


def test_public_pages_are_rate_limited(app: FastAPI):
    visitor = TestClient(app, follow_redirects=False)
    token = _public(visitor)
    answers = [
        visitor.post("/permohonan/status", data={"code": "AAAA-AAAA-AAAA", "csrf_token": token})
        for _ in range(21)
    ]
    assert [a.status_code for a in answers[:20]] == [200] * 20
    assert answers[20].status_code == 429 and int(answers[20].headers["retry-after"]) > 0
    fields = {k: v for k, v in FORM.items() if k != "channel"} | {"csrf_token": token}
    made = [visitor.post("/permohonan", data=fields).status_code for _ in range(6)]
    assert made == [201] * 5 + [429]


def test_request_page_search_errors_read_in_indonesian(app: FastAPI):
    petugas = sign_in(app, "petugas1")
    rid = _record(petugas)
    html = petugas.get(f"/requests/{rid}", params={"q": "pemilu AND"}).text
    assert "AND memerlukan kata sesudahnya" in html and "needs a word" not in html
