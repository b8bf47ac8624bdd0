"""The exemption pages in process: the PPID's proposal through approvals by three roles in
their own sessions, decree and publication; refusals; the public DIK; access and search
following the entry; handover records; CSRF on every form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from archive.exemptions import Actor, PublicCopy, StepArgs
from tests.exemptions.web_setup import (
    APPROVER_NAMES,
    PERSONAL_ID,
    approve_all,
    build_exemption_home,
    copy_home,
    entry_form,
    login,
    propose,
    step,
)
from tests.web.conftest import (
    EXEMPT_ID,
    NIK,
    OPEN_ID,
    PENDING_ID,
    Client,
    close_app,
    make_app,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("exemption-web") / "data"
    build_exemption_home(home)
    return home


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(copy_home(template, tmp_path / "data"))
    yield application
    close_app(application)


_propose = propose
_step = step
_approve_all = approve_all
DONE = "1"  # the confirmation field of an irreversible step


def test_proposal_to_publication_through_the_web(app: FastAPI):
    ppid = login(app, "ppid1")
    entry_id = _propose(ppid)
    # Proposed, not decided: restricted, and shown as proposed, until the decree.
    pending = ppid.get(f"/documents/{PENDING_ID}.json").json()
    assert pending["access"] == "belum_ditinjau"
    assert pending["exemptions"] == [{"id": entry_id, "status": "draf", "standing": "diusulkan"}]
    assert "Diusulkan dikecualikan" in ppid.get(f"/exemptions/{entry_id}").text
    assert (
        _step(ppid, entry_id, "record_test", note="Uji konsekuensi rapat 3 Mei").status_code == 303
    )
    assert _step(ppid, entry_id, "submit").status_code == 303
    own = ppid.get(f"/exemptions/{entry_id}")
    assert 'id="step-approve"' not in own.text  # no button for the proposer
    refused = _step(ppid, entry_id, "approve", confirm=DONE)
    assert refused.status_code == 403
    assert "tidak boleh menyetujui usulan Anda sendiri" in refused.text
    _approve_all(app, entry_id)
    decree = {"decree_number": "77/PP.06-Kpt/1709/2024", "decree_date": "2024-03-01"}
    assert _step(ppid, entry_id, "set_decree", confirm=DONE, **decree).status_code == 303
    assert ppid.get(f"/documents/{PENDING_ID}.json").json()["access"] == "dikecualikan"
    assert _step(ppid, entry_id, "publish", confirm=DONE).status_code == 303
    data = ppid.get(f"/exemptions/{entry_id}.json").json()
    assert data["status"] == "dipublikasikan"
    approvals = [e for e in data["events"] if e["kind"] == "disetujui"]
    assert {e["username"] for e in approvals} == set(APPROVER_NAMES)
    assert all(e["digest"] == data["digest"] for e in approvals)

    listed = login(app, "pembina1").get("/exemptions")
    assert "Catatan rapat internal penyusunan anggaran" in listed.text
    anon = Client(app, follow_redirects=False)
    public = anon.get("/dik")
    assert public.status_code == 200
    assert "Catatan rapat internal penyusunan anggaran" in public.text
    assert "UU 14/2008 Pasal 17 huruf i" in public.text
    assert "77/PP.06-Kpt/1709/2024, tanggal 1 Maret 2024" in public.text
    assert "/documents/" not in public.text and PENDING_ID not in public.text
    rows = anon.get("/dik.json").json()["rows"]
    assert [r["No"] for r in rows] == [1]
    csv = anon.get("/dik.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert (
        csv.content.decode("utf-8-sig").splitlines()[0].startswith("No,Informasi yang dikecualikan")
    )
    for url in (
        f"/documents/{PENDING_ID}",
        f"/documents/{PENDING_ID}/original",
        f"/exemptions/{entry_id}",
    ):
        assert anon.get(url).status_code == 303  # to the sign-in form
    assert anon.get(f"/exemptions/{entry_id}.json").status_code == 401


def test_refusals_are_shown_with_the_registers_message(app: FastAPI):
    ppid = login(app, "ppid1")
    no_basis = _propose(ppid, legal_basis="")
    refused = _step(ppid, no_basis, "record_test")
    assert refused.status_code == 422
    assert "Dasar hukum wajib diisi" in refused.text
    permanent = _propose(ppid, legal_basis="uu14-2008-p17c", period_kind="permanen")
    refused = _step(ppid, permanent, "record_test")
    assert refused.status_code == 422 and "tidak boleh permanen" in refused.text
    bad = ppid.post_form("/exemptions/new", entry_form(description=f"NIK {NIK}"))
    assert bad.status_code == 422 and "nomor 16 digit" in bad.text
    skipped = _step(ppid, no_basis, "publish", confirm=DONE)
    assert skipped.status_code == 422 and "tidak dapat dilakukan" in skipped.text
    atasan = login(app, "atasan1")
    denied = _step(atasan, no_basis, "record_test")
    assert denied.status_code == 403 and "Atasan PPID tidak berwenang" in denied.text


def test_rejection_sends_the_entry_back(app: FastAPI):
    ppid = login(app, "ppid1")
    entry_id = _propose(ppid)
    _step(ppid, entry_id, "record_test")
    _step(ppid, entry_id, "submit")
    tim = login(app, "tim1")
    assert _step(tim, entry_id, "reject").status_code == 422  # a reason is required
    assert _step(tim, entry_id, "reject", note="Perjelas konsekuensinya.").status_code == 303
    data = ppid.get(f"/exemptions/{entry_id}.json").json()
    assert data["status"] == "draf"
    assert data["events"][-1]["note"] == "Perjelas konsekuensinya."


def test_access_and_search_follow_the_entry(app: FastAPI):
    ppid, petugas = login(app, "ppid1"), login(app, "petugas1")
    entry_id = _propose(ppid)
    assert petugas.get(f"/exemptions/{entry_id}").status_code == 404
    assert petugas.get("/exemptions.json").status_code == 404
    _step(ppid, entry_id, "record_test")
    _step(ppid, entry_id, "submit")
    _approve_all(app, entry_id)
    _step(ppid, entry_id, "set_decree", decree_number="5/2024", decree_date="2024-01-02",
          confirm=DONE)  # fmt: skip
    hits = petugas.get("/search.json", params={"q": "rahasiabelum"}).json()["hits"]
    assert hits == []
    revoked = _step(
        ppid,
        entry_id,
        "revoke",
        decree_number="9/2024",
        decree_date="2024-06-01",
        note="Keputusan sudah final",
        confirm=DONE,
    )
    assert revoked.status_code == 303
    assert petugas.get(f"/documents/{PENDING_ID}").status_code == 200
    hits = petugas.get("/search.json", params={"q": "rahasiabelum"}).json()["hits"]
    assert [h["id"] for h in hits] == [PENDING_ID]  # re-indexed at once
    access = ppid.get(f"/documents/{PENDING_ID}.json").json()["events"]
    assert [e["detail"]["after"] for e in access if e["kind"] == "perubahan_akses"] == [
        "dikecualikan",
        "terbuka",
    ]


def test_every_form_needs_the_session_token(app: FastAPI):
    ppid = login(app, "ppid1")
    entry_id = _propose(ppid)
    urls = [
        "/exemptions/new",
        f"/exemptions/{entry_id}/step/record_test",
        f"/exemptions/{entry_id}/step/link",
        f"/exemptions/{entry_id}/areas",
        f"/exemptions/{entry_id}/edit",
        f"/exemptions/documents/{OPEN_ID}/open",
        "/handover",
    ]
    for url in urls:
        assert ppid.post(url, data={"csrf_token": "wrong"}).status_code == 403, url
    assert ppid.get(f"/exemptions/{entry_id}.json").json()["status"] == "draf"


def test_marking_open_and_suggestions(app: FastAPI):
    ppid, petugas = login(app, "ppid1"), login(app, "petugas1")
    form = ppid.get("/exemptions/new").text
    assert f'name="documents" value="{PERSONAL_ID}"' in form  # suggested: personal data
    assert f'value="{PENDING_ID}"' not in form  # no personal data flag
    done = ppid.post_form(f"/exemptions/documents/{PENDING_ID}/open")
    assert done.status_code == 303
    assert petugas.get(f"/documents/{PENDING_ID}").status_code == 200
    assert petugas.post_form(f"/exemptions/documents/{OPEN_ID}/open").status_code == 403


def test_handover_records_procedure_a(app: FastAPI):
    petugas = login(app, "petugas1")
    form = {
        "document_id": OPEN_ID,
        "division": "Subbagian Teknis",
        "handed_over_by": "Budi",
        "handed_over_at": "2024-05-02T09:30",
        "room": "Arsip 1",
        "cabinet": "L2",
        "box": "B7",
        "folder": "M3",
        "verified": "1",
    }
    done = petugas.post_form("/handover", form)
    assert done.status_code == 303, done.text
    rows = petugas.get("/handover.json").json()["handovers"]
    assert rows[0]["division"] == "Subbagian Teknis" and rows[0]["received_by"] == "petugas1"
    assert rows[0]["handed_over_at"] == "2024-05-02T02:30:00+00:00"  # 09.30 WIB
    doc = petugas.get(f"/documents/{OPEN_ID}.json").json()
    assert doc["hardcopy"] == {"room": "Arsip 1", "cabinet": "L2", "box": "B7", "folder": "M3"}
    assert {"serah_terima", "hardcopy_location"} <= {e["kind"] for e in doc["events"]}
    hidden = petugas.post_form("/handover", form | {"document_id": EXEMPT_ID})
    assert hidden.status_code == 404
    future = petugas.post_form("/handover", form | {"handed_over_at": "2999-01-01T08:00"})
    assert future.status_code == 422 and "masa depan" in future.text
    atasan = login(app, "atasan1")
    assert atasan.get("/handover").status_code == 403


def test_public_copy_download_checks_its_checksum(app: FastAPI):
    from archive.store import file_document, sha256_bytes
    from flows.app.exemptions import public_dir

    services = app.state.services
    layout = services.settings.layout
    ppid = login(app, "ppid1")
    entry_id = _propose(ppid, scope="sebagian", redact_personal="1")
    _step(ppid, entry_id, "record_test")
    _step(ppid, entry_id, "submit")
    _approve_all(app, entry_id)
    _step(ppid, entry_id, "set_decree", decree_number="8/2024", decree_date="2024-02-02",
          confirm=DONE)  # fmt: skip
    refused = _step(ppid, entry_id, "publish", confirm=DONE)
    assert refused.status_code == 422 and "salinan publik tersamar" in refused.text
    fake = b"%PDF-1.4 redacted copy\n%%EOF\n"  # stands in for the OCR-made copy here
    target = public_dir(layout, PENDING_ID)
    file_document(layout, target, {"redacted.pdf": fake}, {})
    register = app.state.exemption_desk.register
    source = services.catalog.get(PENDING_ID).sha256
    copy = PublicCopy(PENDING_ID, source, sha256_bytes(fake), "archive-public/" + PENDING_ID)
    register.take(entry_id, "public_copy", Actor("ppid1", "ppid"), StepArgs(copy=copy))
    assert _step(ppid, entry_id, "publish", confirm=DONE).status_code == 303
    petugas = login(app, "petugas1")
    assert petugas.get(f"/documents/{PENDING_ID}").status_code == 404  # the original: hidden
    got = petugas.get(f"/salinan-publik/{PENDING_ID}.pdf")
    assert got.status_code == 200 and got.content == fake
    (target / "redacted.pdf").write_bytes(fake + b"changed")
    assert petugas.get(f"/salinan-publik/{PENDING_ID}.pdf").status_code == 404
    anon = Client(app, follow_redirects=False)
    assert anon.get(f"/salinan-publik/{PENDING_ID}.pdf").status_code == 303


def test_legal_bases_are_editable_data(app: FastAPI):
    ppid, atasan = login(app, "ppid1"), login(app, "atasan1")
    assert "Pasal 17 huruf j" in atasan.get("/exemptions/bases").text
    new = {
        "code": "uu43-2009",
        "law": "UU 43/2009",
        "article": "tentang Kearsipan",
        "summary": "Kearsipan",
        "active": "1",
    }
    assert atasan.post_form("/exemptions/bases", new).status_code == 403
    assert ppid.post_form("/exemptions/bases", new).status_code == 303
    listed = ppid.get("/exemptions/bases.json").json()["bases"]
    assert any(b["code"] == "uu43-2009" and b["law"] == "UU 43/2009" for b in listed)
    edit = ppid.get("/exemptions/bases?kode=uu14-2008-p17h").text
    assert "riwayat dan kondisi anggota keluarga" in edit
    bad = ppid.post_form("/exemptions/bases", new | {"letter": "c", "permanent_allowed": "1"})
    assert bad.status_code == 422 and "tidak boleh bersifat permanen" in bad.text
