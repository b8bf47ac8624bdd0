"""The audit log people can read: one row per search, filters, titles, Indonesian action
names, bounded pages, and a CSV export that no spreadsheet runs as formulas."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from fastapi import FastAPI

from archive.audit import AuditFilter
from tests.web.conftest import EXEMPT_ID, OPEN_ID, PENDING_ID, Client, sign_in


def _rows(app: FastAPI, **where: object) -> int:
    return int(app.state.services.audit.count(AuditFilter(**where)))  # type: ignore[arg-type]


def test_a_search_is_one_row_with_its_hit_count(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    before = _rows(fresh_app)
    data = ppid.get("/search.json", params={"q": "koordinasi"}).json()
    shown = {h["id"] for h in data["hits"]} & {PENDING_ID, EXEMPT_ID}
    assert len(shown) == 2  # two restricted snippets: the old code wrote two rows
    assert _rows(fresh_app) == before + 1
    (row,) = fresh_app.state.services.audit.entries(AuditFilter(action="search"))
    assert row.username == "ppid1" and row.document_id is None
    assert row.detail["hits"] == data["total"] == 4
    assert row.detail["query"] == "koordinasi" and set(row.detail["documents"]) == shown
    # Searches that show no restricted text (a petugas's) write nothing.
    petugas = sign_in(fresh_app, "petugas1")
    before = _rows(fresh_app)
    petugas.get("/search.json", params={"q": "koordinasi"})
    assert _rows(fresh_app) == before


def test_n_searches_write_n_rows(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    before = _rows(fresh_app)
    searches = 25
    for n in range(searches):
        ppid.get("/search.json", params={"q": "koordinasi" if n % 2 else "rapat koordinasi"})
    assert _rows(fresh_app) - before == searches


def _audit(client: Client, **params: str) -> dict[str, object]:
    response = client.get("/audit.json", params=params)
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()
    return data


def test_filters_by_person_action_document_and_date(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    admin = sign_in(fresh_app, "admin1")
    ppid.get(f"/documents/{PENDING_ID}")
    admin.get(f"/documents/{EXEMPT_ID}")
    ppid.get("/search.json", params={"q": "rahasiadikecualikan"})
    views = _audit(admin, action="view")["entries"]
    assert [(e["username"], e["document_id"]) for e in views] == [  # type: ignore[index,union-attr]
        ("admin1", EXEMPT_ID),
        ("ppid1", PENDING_ID),
    ]
    mine = _audit(admin, user="PPID1", action="view")["entries"]
    assert [e["document_id"] for e in mine] == [PENDING_ID]  # type: ignore[index,union-attr]
    # A document's rows include the searches that showed it.
    exempt = _audit(admin, document=EXEMPT_ID)["entries"]
    assert [e["action"] for e in exempt] == ["search", "view"]  # type: ignore[index,union-attr]
    assert exempt[0]["documents"] == [  # type: ignore[index]
        {"id": EXEMPT_ID, "title": "Formulir Data Pemilih"}
    ]
    today = datetime.now(fresh_app.state.services.zone).date()
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    assert _audit(admin, **{"from": tomorrow.isoformat()})["total"] == 0
    assert _audit(admin, to=yesterday.isoformat())["total"] == 0
    both = {"from": today.isoformat(), "to": today.isoformat(), "action": "view"}
    assert _audit(admin, **both)["total"] == 2


def test_page_shows_titles_and_indonesian_action_names(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    ppid.get(f"/documents/{PENDING_ID}/original")
    ppid.get("/search", params={"q": "koordinasi"})
    page = ppid.get("/audit")
    assert page.status_code == 200
    table = page.text.split('id="audit-table"', 1)[1]
    assert "Notulen Internal Anggaran" in table  # the title, not only the id
    assert "Mengunduh berkas asli" in table and "download_original" not in table
    assert "Pencarian (menampilkan dokumen terbatas)" in table
    assert "«koordinasi» — 4 hasil" in table
    assert 'href="/audit.csv?' in page.text


def test_pages_are_bounded(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    for _ in range(3):
        ppid.get(f"/documents/{PENDING_ID}")
    data = _audit(ppid, page="99999")
    assert data["page"] == data["page_count"] == 1 and data["has_next"] is False
    assert len(data["entries"]) == data["total"]  # type: ignore[arg-type]
    assert _audit(ppid, page="9" * 40)["page"] == 1


def test_csv_export_is_filtered_titled_and_neutralised(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    hostile = {"User-Agent": '=HYPERLINK("http://x","klik")'}
    ppid.get(f"/documents/{PENDING_ID}", headers=hostile)
    ppid.get(f"/documents/{OPEN_ID}")  # open: not audited
    response = ppid.get("/audit.csv", params={"action": "view"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Waktu", "Pengguna", "Peran", "Aksi", "Dokumen"]
    (row,) = rows[1:]
    assert row[1] == "ppid1" and row[3] == "Melihat dokumen" and row[4] == PENDING_ID
    assert row[5] == "Notulen Internal Anggaran" and row[6] == "Belum ditinjau"
    assert row[8] == "'" + hostile["User-Agent"]  # inert in a spreadsheet
    assert sign_in(fresh_app, "petugas1").get("/audit.csv").status_code == 403
