"""Issue 13's exemption screens, through the real app in process: buttons only for what
the viewer may do now, the stage after every approval, confirmation before irreversible
steps, the configured approvers on the list, the document picker by search, drawn areas,
a draft's withdrawal, a proposed document shown as proposed, and the public DIK."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from archive.exemptions import Actor
from archive.vocabulary import visible_access
from flows.settings import Settings, WebSettings
from tests.exemptions.web_setup import (
    PERSONAL_ID,
    approve_all,
    build_exemption_home,
    copy_home,
    login,
    propose,
    shown_digest,
    step,
)
from tests.web.conftest import PENDING_ID, TEST_KDF, Client, close_app
from web.app import create_app
from web.runner import IngestRunner
from web.search import pick_documents

OFFICE = "KPU Kabupaten Bengkulu Tengah"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("exemption-screens") / "data"
    build_exemption_home(home)
    return home


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Iterator[FastAPI]:
    home = copy_home(template, tmp_path / "data")
    # The office name comes from the settings; the web part is left at its defaults.
    application = create_app(
        Settings(home=home, office_name=OFFICE),
        WebSettings(session_secret="test-secret"),  # type: ignore[arg-type]
        kdf=TEST_KDF,
        runner=IngestRunner(home, command=["true"]),
    )
    yield application
    close_app(application)


def _submitted(app: FastAPI) -> tuple[Client, int]:
    ppid = login(app, "ppid1")
    entry_id = propose(ppid)
    assert step(ppid, entry_id, "record_test").status_code == 303
    assert step(ppid, entry_id, "submit").status_code == 303
    return ppid, entry_id


def _buttons(client: Client, entry_id: int) -> set[str]:
    return set(re.findall(r'id="step-([a-z_]+)"', client.get(f"/exemptions/{entry_id}").text))


def test_an_approver_sees_only_what_they_may_do(app: FastAPI):
    ppid, entry_id = _submitted(app)
    atasan = login(app, "atasan1")
    assert _buttons(atasan, entry_id) == {"approve", "reject"}
    assert _buttons(ppid, entry_id) == set()  # the proposer may not approve, nor decree yet
    digest = shown_digest(atasan, entry_id)
    assert step(atasan, entry_id, "approve", digest=digest, confirm="1").status_code == 303
    page = atasan.get(f"/exemptions/{entry_id}").text
    assert _buttons(atasan, entry_id) == set()
    assert "Setujui" not in page.split('id="waiting"')[0].split("<h2>Tindakan</h2>")[1]
    assert "Atasan PPID sudah menyetujui" in page
    assert atasan.get(f"/exemptions/{entry_id}.json").json()["steps"] == []
    assert 'id="approval-count">1 dari 3 persetujuan' in page


def test_the_state_follows_the_approvals_and_the_decree_waits_for_them(app: FastAPI):
    ppid, entry_id = _submitted(app)
    page = ppid.get(f"/exemptions/{entry_id}").text
    assert "Tetapkan dengan keputusan</b>: Entri" in page  # waits, with the reason
    assert "step-set_decree" not in page and "step-expire" not in page
    approve_all(app, entry_id)
    page = ppid.get(f"/exemptions/{entry_id}").text
    assert re.search(r'id="entry-status">Disetujui, menunggu penetapan<', page)
    assert _buttons(ppid, entry_id) == {"set_decree"}
    data = ppid.get(f"/exemptions/{entry_id}.json").json()
    assert (data["status"], data["stage"]) == ("menunggu_persetujuan", "disetujui")
    listed = ppid.get("/exemptions").text
    assert "Disetujui, menunggu penetapan" in listed


def test_irreversible_steps_ask_for_confirmation_first(app: FastAPI):
    ppid, entry_id = _submitted(app)
    approve_all(app, entry_id)
    confirm = ppid.get(f"/exemptions/{entry_id}/step/set_decree")
    assert confirm.status_code == 200
    assert 'id="confirm-form"' in confirm.text and 'name="confirm" value="1"' in confirm.text
    assert "tidak dapat dibatalkan" in confirm.text
    decree = {"decree_number": "9/PP.06-Kpt/2026", "decree_date": "2026-11-02"}
    unconfirmed = step(ppid, entry_id, "set_decree", **decree)
    assert unconfirmed.status_code == 200 and 'id="confirm-form"' in unconfirmed.text
    assert 'value="9/PP.06-Kpt/2026"' in unconfirmed.text  # what was typed stays
    as_json = ppid.post(f"/exemptions/{entry_id}/step/set_decree",
                        data={"csrf_token": ppid.csrf, **decree},
                        headers={"Accept": "application/json"})  # fmt: skip
    assert as_json.status_code == 409 and as_json.json()["confirm"] is True
    assert ppid.get(f"/exemptions/{entry_id}.json").json()["status"] == "menunggu_persetujuan"
    done = step(ppid, entry_id, "set_decree", confirm="1", **decree)
    assert done.status_code == 303
    assert ppid.get(f"/exemptions/{entry_id}.json").json()["status"] == "ditetapkan"
    page = ppid.get(f"/exemptions/{entry_id}").text
    for name in ("publish", "revoke", "annul"):  # links to their confirmation pages
        assert f'href="/exemptions/{entry_id}/step/{name}" id="step-{name}"' in page


def test_the_list_names_the_configured_approvers(app: FastAPI):
    register = app.state.exemption_desk.register
    ppid = login(app, "ppid1")
    intro = re.search(r'id="register-intro">(.*?)</p>', ppid.get("/exemptions").text, re.S)
    assert intro and "Tim Pertimbangan, Atasan PPID, Pembina PPID" in intro.group(1)
    register.set_required_approvers(["atasan", "pembina"], Actor("admin1", "admin"))
    intro = re.search(r'id="register-intro">(.*?)</p>', ppid.get("/exemptions").text, re.S)
    assert intro and "Atasan PPID, Pembina PPID" in intro.group(1)
    assert "Tim Pertimbangan" not in intro.group(1)


def test_documents_are_picked_by_search_as_the_viewer_sees_them(app: FastAPI):
    ppid = login(app, "ppid1")
    entry_id = propose(ppid)
    found = ppid.get(f"/exemptions/{entry_id}.json", params={"cari": "formulir permohonan"})
    assert PERSONAL_ID in [c["id"] for c in found.json()["candidates"]]
    page = ppid.get(f"/exemptions/{entry_id}", params={"cari": "formulir permohonan"}).text
    assert f'name="documents" value="{PERSONAL_ID}"' in page
    assert step(ppid, entry_id, "link", documents=PERSONAL_ID).status_code == 303
    data = ppid.get(f"/exemptions/{entry_id}.json").json()
    assert {d["id"] for d in data["documents"]} == {PENDING_ID, PERSONAL_ID}
    doc_page = ppid.get(f"/documents/{PERSONAL_ID}").text
    assert f"Diusulkan dikecualikan · entri #{entry_id}" in doc_page
    # The picker searches with the viewer's access: a petugas finds nothing restricted.
    layout = app.state.services.settings.layout
    hits, _ = pick_documents(layout, visible_access("petugas"), "formulir permohonan")
    assert PERSONAL_ID not in {h.id for h in hits}
    # A query error is said in Indonesian, as on the search page.
    assert pick_documents(layout, visible_access("ppid"), "formulir (") == (
        [],
        "Kueri tidak dapat dipahami: '(' belum ditutup. Tambahkan ')' penutup.",
    )


def test_areas_are_drawn_into_the_draft(app: FastAPI):
    ppid = login(app, "ppid1")
    entry_id = propose(ppid, scope="sebagian")
    page = ppid.get(f"/exemptions/{entry_id}/areas").text
    assert f'src="/documents/{PENDING_ID}/pages/1.png?size=l"' in page
    assert 'id="area-left"' in page and "/static/exemptions.js" in page
    area = {"dokumen": PENDING_ID, "page": "1", "left": "10", "top": "20.5", "width": "30",
            "height": "5"}  # fmt: skip
    assert ppid.post_form(f"/exemptions/{entry_id}/areas", area).status_code == 303
    regions = ppid.get(f"/exemptions/{entry_id}.json").json()["redaction"]["regions"]
    assert regions == [{"page": 1, "left": 0.1, "top": 0.205, "width": 0.3, "height": 0.05}]
    page = ppid.get(f"/exemptions/{entry_id}/areas").text
    assert '<rect class="area-saved" x="100.0" y="205.0" width="300.0" height="50.0">' in page
    bad = ppid.post_form(f"/exemptions/{entry_id}/areas", area | {"width": "0"})
    assert bad.status_code == 422 and "lebar dan tinggi" in bad.text
    outside = ppid.post_form(f"/exemptions/{entry_id}/areas", area | {"left": "90"})
    assert outside.status_code == 422 and "di dalam halaman" in outside.text
    assert login(app, "atasan1").get(f"/exemptions/{entry_id}/areas").status_code == 403
    assert step(ppid, entry_id, "record_test").status_code == 303  # the area is the spec
    gone = ppid.post_form(f"/exemptions/{entry_id}/areas/0/remove", {"dokumen": PENDING_ID})
    assert gone.status_code == 422 and "berstatus" in gone.text  # not a draft any more


def test_a_draft_is_withdrawn_with_an_event(app: FastAPI):
    ppid = login(app, "ppid1")
    entry_id = propose(ppid)
    assert "step-withdraw" in ppid.get(f"/exemptions/{entry_id}").text
    assert "Tarik usulan" in ppid.get(f"/exemptions/{entry_id}/step/withdraw").text
    done = step(ppid, entry_id, "withdraw", confirm="1", note="Salah pilih dokumen.")
    assert done.status_code == 303
    data = ppid.get(f"/exemptions/{entry_id}.json").json()
    assert data["status"] == "ditarik" and data["events"][-1]["kind"] == "ditarik"
    assert data["events"][-1]["note"] == "Salah pilih dokumen." and data["steps"] == []
    doc = ppid.get(f"/documents/{PENDING_ID}.json").json()
    assert doc["access"] == "belum_ditinjau" and doc["exemptions"] == []
    assert "Usulan ditarik" in ppid.get(f"/exemptions/{entry_id}").text


def test_public_dik_has_downloads_decrees_and_the_office_name(app: FastAPI, tmp_path: Path):
    ppid, entry_id = _submitted(app)
    approve_all(app, entry_id)
    decree = {"decree_number": "12/PP.06-Kpt/1709/2026", "decree_date": "2026-11-20"}
    assert step(ppid, entry_id, "set_decree", confirm="1", **decree).status_code == 303
    assert step(ppid, entry_id, "publish", confirm="1").status_code == 303
    anon = Client(app, follow_redirects=False)
    page = anon.get("/dik").text
    assert f'id="dik-office">{OFFICE}<' in page and f"· {OFFICE}</title>" in page
    assert 'href="/dik.pdf" id="dik-pdf"' in page and 'href="/dik.csv" id="dik-csv"' in page
    assert 'data-label="Keputusan">12/PP.06-Kpt/1709/2026, tanggal 20 November 2026<' in page
    row = anon.get("/dik.json").json()["rows"][0]
    assert (row["decree_number"], row["decree_date"]) == ("12/PP.06-Kpt/1709/2026", "2026-11-20")
    pdf = anon.get("/dik.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    (tmp_path / "dik.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "dik.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    words = " ".join(text.split())
    assert OFFICE in words and "12/PP.06-Kpt/1709/2026" in words
    assert pdf.headers["cache-control"] == "public, max-age=300"


def test_a_draft_does_not_read_as_bound_to_approvals(app: FastAPI):
    ppid = login(app, "ppid1")
    entry_id = propose(ppid)
    draft = ppid.get(f"/exemptions/{entry_id}").text
    assert 'id="not-submitted"' in draft and 'id="entry-digest"' not in draft
    assert step(ppid, entry_id, "record_test", note="Rapat uji").status_code == 303
    assert step(ppid, entry_id, "submit").status_code == 303
    assert 'id="entry-digest"' in ppid.get(f"/exemptions/{entry_id}").text


def test_linking_to_an_entry_in_force_says_it_applies_at_once(app: FastAPI):
    ppid, entry_id = _submitted(app)
    draft_id = propose(ppid)
    approve_all(app, entry_id)
    decree = {"decree_number": "13/PP.06-Kpt/1709/2026", "decree_date": "2026-11-20"}
    assert step(ppid, entry_id, "set_decree", confirm="1", **decree).status_code == 303
    in_force = ppid.get(f"/exemptions/{entry_id}?cari=formulir").text
    assert 'id="link-form"' in in_force and 'id="link-in-force"' in in_force
    assert "13/PP.06-Kpt/1709/2026 dan tidak dapat dilepas lagi" in in_force
    draft = ppid.get(f"/exemptions/{draft_id}?cari=formulir").text
    assert 'id="link-form"' in draft and 'id="link-in-force"' not in draft


def test_the_approval_page_names_the_scope_being_approved(app: FastAPI):
    _ppid, entry_id = _submitted(app)
    page = login(app, "atasan1").get(f"/exemptions/{entry_id}/step/approve").text
    assert 'id="confirm-scope">Seluruhnya' in page
