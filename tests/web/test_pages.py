"""The pages and their JSON twins: search, document, review queue, corrections, hardcopy."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from archive.vocabulary import visible_access
from index import search
from tests.web.conftest import EXEMPT_ID, OPEN_ID, OPEN_PDF_ID, PENDING_ID, Client, sign_in


def test_search_page_shows_hits_facets_and_snippets(petugas: Client):
    page = petugas.get("/search", params={"q": "koordinasi"})
    assert page.status_code == 200
    html = page.text
    assert "<strong>2</strong> dokumen ditemukan" in html
    assert "<mark>koordinasi</mark>" in html
    assert f'href="/documents/{OPEN_ID}"' in html
    assert "Jenis dokumen" in html and "Surat Dinas / Undangan" in html
    assert "/search?q=koordinasi&amp;type=surat" in html  # a facet is a link


def test_search_twins_answer_the_same(petugas: Client):
    by_suffix = petugas.get("/search.json", params={"q": "koordinasi"}).json()
    by_accept = petugas.get(
        "/search", params={"q": "koordinasi"}, headers={"Accept": "application/json"}
    ).json()
    for data in (by_suffix, by_accept):
        assert data["total"] == 2
        assert [h["id"] for h in data["hits"]] == [OPEN_ID, OPEN_PDF_ID]
        assert "<mark>" in data["hits"][0]["snippet"]


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"type": "keputusan"}, [OPEN_PDF_ID]),
        ({"year": "2022"}, [OPEN_ID]),
        ({"unit": "KPU Provinsi Bengkulu"}, [OPEN_PDF_ID]),
        ({"access": "terbuka", "q": "pemilih"}, [OPEN_ID, OPEN_PDF_ID]),
        ({"year": ""}, [OPEN_ID, OPEN_PDF_ID]),  # blank form fields are no filter
    ],
)
def test_search_filters(petugas: Client, params: dict[str, str], expected: list[str]):
    data = petugas.get("/search.json", params=params).json()
    assert sorted(h["id"] for h in data["hits"]) == sorted(expected)


def test_search_pagination(ppid: Client):
    first = ppid.get("/search.json").json()
    assert first["total"] == 4 and first["page_count"] == 1
    beyond = ppid.get("/search.json", params={"page": "2"}).json()
    # A page past the last is the last (tests/web/test_search_pages.py).
    assert beyond["page"] == 1 and len(beyond["hits"]) == 4 and beyond["page_clamped_from"] == 2
    assert ppid.get("/search.json", params={"page": "abc"}).json()["page"] == 1


def test_bad_query_and_year_are_explained(petugas: Client):
    bad = petugas.get("/search", params={"q": '"tanpa penutup'})
    assert bad.status_code == 400 and "Kueri tidak dapat dipahami" in bad.text
    year = petugas.get("/search.json", params={"year": "dua ribu"})
    assert year.status_code == 400 and "Tahun" in year.json()["error"]


def test_document_page_and_json(petugas: Client):
    html = petugas.get(f"/documents/{OPEN_ID}").text
    for expected in (
        "Undangan Rapat Koordinasi Pemutakhiran Data",
        "14 Maret 2022",
        "KPU Kabupaten Bengkulu Tengah",
        "Unduh berkas asli",
        "Unduh PDF dapat dicari",
        f"/documents/{OPEN_ID}/pages/1.png",
        "Lokasi arsip fisik",
        "Riwayat",
    ):
        assert expected in html, expected
    data = petugas.get(f"/documents/{OPEN_ID}.json").json()
    assert data["id"] == OPEN_ID and data["access"] == "terbuka"
    assert data["has_searchable_pdf"] and data["preview_pages"] == [1]
    assert "koordinasi" in data["text"]
    assert data["hardcopy"] == {"room": "", "cabinet": "", "box": "", "folder": ""}


def test_thumbnails_and_downloads(petugas: Client, app: FastAPI):
    for doc_id in (OPEN_ID, OPEN_PDF_ID):
        thumb = petugas.get(f"/documents/{doc_id}/pages/1.png")
        assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")
        assert thumb.headers["cache-control"] == "private, max-age=3600"
    home = app.state.services.settings.layout.home
    assert (home / "cache" / "thumbs" / OPEN_ID / "page-1-300.png").exists()
    assert petugas.get(f"/documents/{OPEN_ID}/pages/2.png").status_code == 404
    assert petugas.get(f"/documents/{OPEN_ID}/pages/0.png").status_code == 404
    assert petugas.get(f"/documents/{OPEN_PDF_ID}/searchable.pdf").status_code == 404
    pdf = petugas.get(f"/documents/{OPEN_ID}/searchable.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"


def test_review_queue_and_twin(ppid: Client):
    data = ppid.get("/review.json").json()
    # The flagged one, and the exempted one is not in it (access already decided).
    assert [d["id"] for d in data["documents"]] == [PENDING_ID]
    assert data["documents"][0]["flags"] == ["tipe_tidak_pasti", "perlu_tinjauan"]
    html = ppid.get("/review").text
    assert "Jenis tidak pasti" in html and f'href="/review/{PENDING_ID}"' in html
    form = ppid.get(f"/review/{PENDING_ID}.json").json()
    assert form["document"]["id"] == PENDING_ID and form["needs_review"] is True


def test_correction_updates_catalog_events_and_index(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    form = ppid.get(f"/review/{PENDING_ID}").text
    assert 'name="doc_type"' in form and "Simpan koreksi" in form
    response = ppid.post_form(
        f"/review/{PENDING_ID}",
        {
            "doc_type": "notulen",
            "number": "07/NOT/KPU-Kota/2023",
            "date": "2023-05-02",
            "unit": "KPU Kota Bengkulu",
            "title": "Notulen Rapat Anggaran",
            "confirm": "1",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/review?disimpan={PENDING_ID}"
    services = fresh_app.state.services
    record = services.catalog.get(PENDING_ID)
    assert record.doc_type == "notulen" and record.doc_type_confidence == 1.0
    assert record.flags == () and str(record.date) == "2023-05-02"
    assert record.number == "07/NOT/KPU-Kota/2023" and record.title == "Notulen Rapat Anggaran"
    event = services.catalog.events(document_id=PENDING_ID, kind="correction")[-1]
    assert event.detail["by"] == "ppid1" and event.detail["role"] == "ppid"
    assert event.detail["before"]["doc_type"] == "lainnya"
    assert event.detail["after"]["doc_type"] == "notulen"
    hits = search(services.settings.layout.index, "", visible=visible_access("ppid"))
    found = {h.id: h for h in hits.hits}
    assert found[PENDING_ID].doc_type == "notulen"
    assert found[PENDING_ID].title == "Notulen Rapat Anggaran"
    assert ppid.get("/review.json").json()["total"] == 0
    typed = ppid.get("/search.json", params={"type": "notulen"}).json()
    assert [h["id"] for h in typed["hits"]] == [PENDING_ID]


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"doc_type": "bukan_jenis"}, "Jenis dokumen tidak dikenal"),
        ({"doc_type": "surat", "date": "14/03/2023"}, "Tanggal harus berformat"),
        ({"doc_type": "surat", "title": "x" * 1200}, "Isian Judul terlalu panjang"),
        ({"doc_type": "surat", "title": "x" * 5000}, "Permintaan tidak valid"),
    ],
)
def test_invalid_corrections_change_nothing(
    fresh_app: FastAPI, fields: dict[str, str], message: str
):
    ppid = sign_in(fresh_app, "ppid1")
    response = ppid.post_form(f"/review/{PENDING_ID}", fields)
    assert response.status_code == 422 and message in response.text
    assert fresh_app.state.services.catalog.get(PENDING_ID).doc_type == "lainnya"


def test_correction_answers_json(fresh_app: FastAPI):
    ppid = sign_in(fresh_app, "ppid1")
    response = ppid.post_form(
        f"/review/{PENDING_ID}",
        {"doc_type": "notulen", "title": "Notulen Internal Anggaran"},
        headers={"Accept": "application/json"},
    )
    data = response.json()
    assert data["indexed"] is True and data["document"]["doc_type"] == "notulen"
    # Not confirmed: the review flags stay, the document stays in the queue.
    assert data["document"]["flags"] == ["tipe_tidak_pasti", "perlu_tinjauan"]


def test_hardcopy_location_is_stored_and_is_an_event(fresh_app: FastAPI):
    petugas = sign_in(fresh_app, "petugas1")
    location = {"room": "Ruang Arsip 2", "cabinet": "L-03", "box": "B-12", "folder": "M-7"}
    response = petugas.post_form(f"/documents/{OPEN_ID}/hardcopy", location)
    assert response.status_code == 303
    assert response.headers["location"] == f"/documents/{OPEN_ID}?disimpan=1#lokasi"
    data = petugas.get(f"/documents/{OPEN_ID}.json").json()
    assert data["hardcopy"] == location and data["hardcopy_updated"]["by"] == "petugas1"
    petugas.post_form(f"/documents/{OPEN_ID}/hardcopy", {**location, "box": "B-13"})
    events = fresh_app.state.services.catalog.events(document_id=OPEN_ID, kind="hardcopy_location")
    assert len(events) == 2
    assert (
        events[1].detail["before"]["box"] == "B-12" and events[1].detail["after"]["box"] == "B-13"
    )
    html = petugas.get(f"/documents/{OPEN_ID}").text
    assert 'value="B-13"' in html and "Lokasi fisik diubah" in html


def test_exempted_document_page_for_ppid(ppid: Client):
    data = ppid.get(f"/documents/{EXEMPT_ID}.json").json()
    assert data["access"] == "dikecualikan" and data["flags"] == ["data_pribadi"]
    assert data["preview_pages"] == [1]  # original.pdf, no searchable copy


def test_unknown_page_is_a_friendly_404(petugas: Client):
    response = petugas.get("/tidak-ada")
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.text
    assert petugas.get("/tidak-ada", headers={"Accept": "application/json"}).json() == {
        "error": "Halaman tidak ditemukan."
    }
