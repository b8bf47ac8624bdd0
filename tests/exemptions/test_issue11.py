"""Issue 11's exemption findings, through the real app in process: each test failed on
the code before the fix (the handover list leaked restricted documents, an approval
without a digest counted, an ended period could be decreed, the signed-in DIK page was
publicly cacheable, and DIK CSV cells could carry formulas)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.exemptions.web_setup import (
    APPROVER_NAMES,
    approve_all,
    build_exemption_home,
    copy_home,
    entry_form,
    login,
    propose,
    shown_digest,
    step,
)
from tests.web.conftest import EXEMPT_ID, OPEN_ID, Client, close_app, make_app


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("exemption-issue11") / "data"
    build_exemption_home(home)
    return home


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(copy_home(template, tmp_path / "data"))
    yield application
    close_app(application)


def _submitted(ppid: Client, **changes: str) -> int:
    entry_id = propose(ppid, **changes)
    assert step(ppid, entry_id, "record_test").status_code == 303
    assert step(ppid, entry_id, "submit").status_code == 303
    return entry_id


def test_handover_list_shows_only_documents_the_viewer_may_see(app: FastAPI):
    ppid, petugas = login(app, "ppid1"), login(app, "petugas1")
    base = {"handed_over_by": "Budi", "handed_over_at": "2024-05-02T09:30", "verified": "1"}
    hidden = base | {"document_id": EXEMPT_ID, "division": "Divisi Hukum Rahasia",
                     "note": "catatan-ppid-rahasia"}  # fmt: skip
    assert ppid.post_form("/handover", hidden).status_code == 303
    shown = base | {"document_id": OPEN_ID, "division": "Subbagian Teknis"}
    assert ppid.post_form("/handover", shown).status_code == 303

    rows = petugas.get("/handover.json").json()["handovers"]
    assert [r["document_id"] for r in rows] == [OPEN_ID]
    html = petugas.get("/handover").text
    for secret in (EXEMPT_ID, "Divisi Hukum Rahasia", "catatan-ppid-rahasia"):
        assert secret not in html
    assert "Subbagian Teknis" in html
    # The PPID, who may see both documents, still sees both handovers.
    assert {r["document_id"] for r in ppid.get("/handover.json").json()["handovers"]} == {
        OPEN_ID,
        EXEMPT_ID,
    }


@pytest.mark.parametrize("given", [None, ""])
def test_an_approval_needs_the_digest_of_what_the_approver_saw(app: FastAPI, given: str | None):
    ppid = login(app, "ppid1")
    entry_id = _submitted(ppid)
    tim = login(app, "tim1")
    form = {"confirm": "1"} | ({} if given is None else {"digest": given})
    refused = step(tim, entry_id, "approve", **form)
    assert refused.status_code == 422, refused.text
    events = ppid.get(f"/exemptions/{entry_id}.json").json()["events"]
    assert [e["kind"] for e in events].count("disetujui") == 0
    # The other two approve properly: the decree still lacks Tim Pertimbangan.
    for name in APPROVER_NAMES[1:]:
        approver = login(app, name)
        done = step(approver, entry_id, "approve", digest=shown_digest(approver, entry_id),
                    confirm="1")  # fmt: skip
        assert done.status_code == 303
    decree = {"decree_number": "1/2026", "decree_date": date.today().isoformat(), "confirm": "1"}
    blocked = step(ppid, entry_id, "set_decree", **decree)
    assert blocked.status_code == 422 and "Tim Pertimbangan" in blocked.text
    assert ppid.get(f"/exemptions/{entry_id}.json").json()["status"] != "ditetapkan"


def test_a_decree_refuses_a_period_already_over(app: FastAPI):
    ppid = login(app, "ppid1")
    entry_id = _submitted(ppid, period_years="1")
    approve_all(app, entry_id)
    two_years_ago = (date.today() - timedelta(days=2 * 366)).isoformat()
    refused = step(ppid, entry_id, "set_decree", decree_number="2/2024",
                   decree_date=two_years_ago, confirm="1")  # fmt: skip
    assert refused.status_code == 422 and "sudah berakhir" in refused.text
    data = ppid.get(f"/exemptions/{entry_id}.json").json()
    assert data["status"] == "menunggu_persetujuan" and data["decree_number"] is None
    recent = (date.today() - timedelta(days=30)).isoformat()
    done = step(ppid, entry_id, "set_decree", decree_number="2/2026", decree_date=recent,
                confirm="1")  # fmt: skip
    assert done.status_code == 303


def test_dik_is_publicly_cacheable_only_for_anonymous_visitors(app: FastAPI):
    anon = Client(app, follow_redirects=False)
    public = anon.get("/dik")
    assert public.headers["cache-control"] == "public, max-age=300"
    assert "cookie" in public.headers["vary"].lower()
    ppid = login(app, "ppid1")
    signed_in = ppid.get("/dik")
    assert "ppid1" in signed_in.text  # the staff header, with the logout form's token
    control = signed_in.headers["cache-control"]
    assert "public" not in control and "no-store" in control and "private" in control
    assert "cookie" in signed_in.headers["vary"].lower()


def test_dik_csv_cells_cannot_start_a_formula(app: FastAPI):
    ppid = login(app, "ppid1")
    form = entry_form(
        description='=HYPERLINK("http://contoh.invalid","klik")',
        consequence="+1+2 membuka rahasia",
        consideration="-1 pertimbangan",
        remarks="@SUM(A1:A9)",
    )
    entry_id = _submitted(ppid, **form)
    approve_all(app, entry_id)
    recent = (date.today() - timedelta(days=10)).isoformat()
    decree = {"decree_number": "=3/2026", "decree_date": recent, "confirm": "1"}
    assert step(ppid, entry_id, "set_decree", **decree).status_code == 303
    assert step(ppid, entry_id, "publish", confirm="1").status_code == 303
    body = Client(app).get("/dik.csv").content.decode("utf-8-sig")
    (header, row) = list(csv.reader(io.StringIO(body)))
    cells = dict(zip(header, row, strict=True))
    assert cells["Informasi yang dikecualikan"] == "'" + form["description"]
    assert cells["Konsekuensi bila dibuka"] == "'+1+2 membuka rahasia"
    assert cells["Pertimbangan bila ditutup"] == "'-1 pertimbangan"
    assert cells["Keputusan"].startswith("'=3/2026")
    assert cells["Keterangan"] == "Dikecualikan seluruhnya. @SUM(A1:A9)"  # not at the start
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    assert not any(cell.startswith(dangerous) for cell in [*header, *row])
