"""Access decisions as work of the review queue: declaring documents open (one or many),
confirming types, marking documents reviewed; the queue empties, search follows at once,
and each document gets one catalog event per decision."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from archive.exemptions import Draft, NotAllowed
from archive.records import Actor
from archive.vocabulary import CAN_DECLARE_OPEN, ROLES
from flows.app.exemptions import propose
from tests.web.conftest import (
    EXEMPT_ID,
    OPEN_ID,
    PENDING_ID,
    Client,
    close_app,
    make_app,
    sign_in,
)
from tests.web.review_fixtures import (
    LETTER_IDS,
    LETTER_WORD,
    MULTIPAGE_ID,
    PERSONAL_ID,
    RESCAN_ID,
    review_home,
)


@pytest.fixture
def review_app(template_home: Path, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(review_home(template_home, tmp_path))
    yield application
    close_app(application)


def _queue_ids(client: Client) -> list[str]:
    return [d["id"] for d in client.get("/review.json").json()["documents"]]


def _events(app: FastAPI, doc_id: str, kind: str) -> list[dict[str, object]]:
    catalog = app.state.services.catalog
    return [e.detail for e in catalog.events(document_id=doc_id, kind=kind)]


def _search_ids(client: Client, q: str) -> set[str]:
    return {h["id"] for h in client.get("/search.json", params={"q": q}).json()["hits"]}


def test_bulk_open_empties_the_queue_and_a_petugas_finds_them(review_app: FastAPI):
    ppid, petugas = sign_in(review_app, "ppid1"), sign_in(review_app, "petugas1")
    assert _search_ids(petugas, LETTER_WORD) == set()  # undecided: hidden from the desk
    html = ppid.get("/review").text
    for doc_id in LETTER_IDS:
        assert f'name="ids" value="{doc_id}"' in html
    assert 'id="bulk-open"' in html and 'id="select-all"' in html
    form = {"action": "open", "back": "queue", "ids": list(LETTER_IDS)}
    response = ppid.post_form("/review/decide", form)  # type: ignore[dict-item]
    assert response.status_code == 303
    assert response.headers["location"] == f"/review?aksi=open&jumlah={len(LETTER_IDS)}"
    assert not set(LETTER_IDS) & set(_queue_ids(ppid))
    assert "5 dokumen dinyatakan terbuka" in ppid.get(response.headers["location"]).text
    assert _search_ids(petugas, LETTER_WORD) == set(LETTER_IDS)
    for doc_id in LETTER_IDS:
        changes = _events(review_app, doc_id, "perubahan_akses")
        assert len(changes) == 1 and changes[0]["after"] == "terbuka"
        assert changes[0]["by"] == "ppid1"


def test_a_row_button_opens_one_document(review_app: FastAPI):
    ppid = sign_in(review_app, "ppid1")
    response = ppid.post_form("/review/decide", {"open_one": LETTER_IDS[0], "back": "queue"})
    assert response.headers["location"] == "/review?aksi=open&jumlah=1"
    assert review_app.state.services.catalog.get(LETTER_IDS[0]).access == "terbuka"
    assert review_app.state.services.catalog.get(LETTER_IDS[1]).access == "belum_ditinjau"


def test_open_from_the_document_page(review_app: FastAPI):
    ppid = sign_in(review_app, "ppid1")
    page = ppid.get(f"/documents/{PERSONAL_ID}").text
    assert 'id="declare-open"' in page and 'action="/review/decide"' in page
    assert ppid.get(f"/documents/{PERSONAL_ID}.json").json()["decision"]["can_open"] is True
    form = {"action": "open", "back": "document", "ids": PERSONAL_ID}
    response = ppid.post_form("/review/decide", form)
    assert response.headers["location"] == f"/documents/{PERSONAL_ID}?keputusan=open"
    after = ppid.get(response.headers["location"]).text
    assert "dinyatakan terbuka" in after and 'id="declare-open"' not in after
    assert PERSONAL_ID in _search_ids(sign_in(review_app, "petugas1"), "hadir")


def test_the_open_button_is_offered_to_whom_the_register_accepts(review_app: FastAPI):
    register = review_app.state.exemption_desk.register
    for role in sorted(ROLES, key=lambda r: r == "ppid"):  # the PPID last: it succeeds
        try:
            register.mark_open(LETTER_IDS[0], Actor(f"x-{role}", role))
            accepted = True
        except NotAllowed:
            accepted = False
        assert accepted == (role in CAN_DECLARE_OPEN), role
    admin = sign_in(review_app, "admin1")
    assert 'id="declare-open"' not in admin.get(f"/documents/{PERSONAL_ID}").text
    assert 'id="bulk-open"' not in admin.get("/review").text
    refused = admin.post_form("/review/decide", {"action": "open", "ids": PERSONAL_ID})
    assert refused.status_code == 409 and "Hanya Pejabat PPID" in refused.text
    assert review_app.state.services.catalog.get(PERSONAL_ID).access == "belum_ditinjau"


def test_decisions_need_the_form_token_and_a_visible_document(review_app: FastAPI):
    ppid, petugas = sign_in(review_app, "ppid1"), sign_in(review_app, "petugas1")
    no_token = ppid.post("/review/decide", data={"action": "open", "ids": PERSONAL_ID})
    assert no_token.status_code == 403
    hidden = petugas.post_form("/review/decide", {"action": "done", "ids": PERSONAL_ID})
    assert hidden.status_code == 404
    unknown = ppid.post_form("/review/decide", {"action": "hapus", "ids": PERSONAL_ID})
    assert unknown.status_code == 422 and "tidak dikenal" in unknown.text
    nothing = ppid.post_form("/review/decide", {"action": "done"})
    assert nothing.status_code == 422 and "Pilih sedikitnya satu dokumen" in nothing.text
    assert review_app.state.services.catalog.get(PERSONAL_ID).access == "belum_ditinjau"
    assert _events(review_app, PERSONAL_ID, "reviewed") == []


def test_bulk_confirm_type_and_mark_reviewed(review_app: FastAPI):
    ppid = sign_in(review_app, "ppid1")
    two = list(LETTER_IDS[:2])
    typed = ppid.post_form(
        "/review/decide",
        {"action": "confirm_type", "doc_type": "surat", "ids": two},  # type: ignore[dict-item]
        headers={"accept": "application/json"},
    )
    body = typed.json()
    assert typed.status_code == 200 and body["done"] == two and body["failed"] == []
    catalog = review_app.state.services.catalog
    for doc_id in two:
        record = catalog.get(doc_id)
        assert record.doc_type == "surat" and record.doc_type_confidence == 1.0
        assert record.flags == () and record.access == "belum_ditinjau"
        [change] = _events(review_app, doc_id, "correction")
        assert change["before"]["doc_type"] == "lainnya" and change["after"]["doc_type"] == "surat"
    done = ppid.post_form("/review/decide", {"action": "done", "ids": [MULTIPAGE_ID, PERSONAL_ID]})  # type: ignore[dict-item]
    assert done.headers["location"] == "/review?aksi=done&jumlah=2"
    waiting = _queue_ids(ppid)
    assert not {*two, MULTIPAGE_ID, PERSONAL_ID} & set(waiting)
    assert set(LETTER_IDS[2:]) <= set(waiting)
    assert len(_events(review_app, PERSONAL_ID, "reviewed")) == 1
    assert catalog.get(PERSONAL_ID).flags == ("data_pribadi",)  # the content, still said


def test_a_reviewed_document_with_personal_data_leaves_the_queue(review_app: FastAPI):
    """It stayed forever: ``data_pribadi`` is never cleared, the access stays undecided,
    and saving the form with nothing to correct recorded nothing at all."""
    ppid = sign_in(review_app, "ppid1")
    assert PERSONAL_ID in _queue_ids(ppid)
    form = ppid.get(f"/review/{PERSONAL_ID}.json").json()
    saved = ppid.post_form(f"/review/{PERSONAL_ID}", {
        "doc_type": "lainnya", "number": "", "date": "2024-02-01",
        "unit": "KPU Kabupaten Kepahiang", "title": form["document"]["title"], "confirm": "1",
    })  # fmt: skip
    assert saved.status_code == 303
    assert PERSONAL_ID not in _queue_ids(ppid)
    assert len(_events(review_app, PERSONAL_ID, "reviewed")) == 1


def test_a_rescan_names_its_first_and_merges_in_one_click(review_app: FastAPI):
    ppid, petugas = sign_in(review_app, "ppid1"), sign_in(review_app, "petugas1")
    first = review_app.state.services.catalog.get(OPEN_ID)
    page = ppid.get(f"/documents/{RESCAN_ID}").text
    assert "Kemungkinan duplikat dari" in page
    assert f'<a href="/documents/{OPEN_ID}" id="near-duplicate-link">{first.title}</a>' in page
    assert f'action="/documents/{RESCAN_ID}/merge"' in page and 'id="merge-rescan"' in page
    data = ppid.get(f"/documents/{RESCAN_ID}.json").json()["decision"]
    assert data["near_duplicate"]["id"] == OPEN_ID and data["can_merge"] is True
    assert "near-duplicate-link" not in ppid.get(f"/documents/{LETTER_IDS[0]}").text
    assert ppid.post(f"/documents/{RESCAN_ID}/merge").status_code == 403  # no form token
    assert petugas.post_form(f"/documents/{RESCAN_ID}/merge").status_code == 404  # hidden
    assert ppid.post_form(f"/documents/{LETTER_IDS[0]}/merge").status_code == 409
    assert RESCAN_ID in _queue_ids(ppid)
    merged = ppid.post_form(f"/documents/{RESCAN_ID}/merge")
    assert merged.headers["location"] == f"/documents/{OPEN_ID}?digabung={RESCAN_ID}"
    shown = ppid.get(merged.headers["location"]).text
    assert "digabung" in shown and f"{RESCAN_ID}.pdf (duplikat)" in shown
    assert review_app.state.services.catalog.get(RESCAN_ID).merged_into == OPEN_ID
    assert RESCAN_ID not in _queue_ids(ppid)
    again = ppid.post_form(f"/documents/{RESCAN_ID}/merge")
    assert again.status_code == 409
    assert "merge-rescan" not in ppid.get(f"/documents/{RESCAN_ID}").text


def test_review_view_shows_every_page_and_goes_to_the_next(review_app: FastAPI):
    ppid = sign_in(review_app, "ppid1")
    html = ppid.get(f"/review/{MULTIPAGE_ID}").text
    shown = re.findall(
        rf'src="/documents/{MULTIPAGE_ID}/pages/(\d+)\.png" alt="Halaman \d+" loading="lazy"', html
    )
    assert shown == ["1", "2", "3"]
    assert html.count('loading="lazy"') >= 3
    assert ppid.get(f"/documents/{MULTIPAGE_ID}/pages/3.png").status_code == 200
    data = ppid.get(f"/review/{MULTIPAGE_ID}.json").json()
    assert data["pages"] == [1, 2, 3] and data["next"] in _queue_ids(ppid)
    queue = _queue_ids(ppid)
    expected = queue[queue.index(MULTIPAGE_ID) + 1]
    assert f'href="/review/{expected}" id="next-in-queue"' in html
    response = ppid.post_form("/review/decide", {"action": "done", "ids": MULTIPAGE_ID,
                                                 "back": "next"})  # fmt: skip
    assert response.headers["location"] == (
        f"/review/{expected}?sebelumnya={MULTIPAGE_ID}&keputusan=done"
    )
    assert "ditandai sudah ditinjau" in ppid.get(response.headers["location"]).text


def test_save_and_next_goes_to_the_next_document(review_app: FastAPI):
    ppid = sign_in(review_app, "ppid1")
    queue = _queue_ids(ppid)
    first, second = queue[0], queue[1]
    saved = ppid.post_form(f"/review/{first}", {"doc_type": "surat", "confirm": "1",
                                                "then": "next"})  # fmt: skip
    assert saved.headers["location"] == f"/review/{second}?sebelumnya={first}"
    assert first not in _queue_ids(ppid)


def test_an_exempted_document_is_refused_with_the_reason(review_app: FastAPI):
    """Covered by a live entry the register refuses; the other documents go on."""
    desk = review_app.state.exemption_desk
    ppid = sign_in(review_app, "ppid1")
    actor = Actor("ppid1", "ppid")
    bases = desk.register.bases.list()
    entry = propose(desk, actor, Draft(description="Daftar hadir berisi NIK",
                                       legal_basis=bases[0].code), [LETTER_IDS[0]])  # fmt: skip
    assert entry.id
    form = {"action": "open", "ids": [LETTER_IDS[0], LETTER_IDS[1]]}
    response = ppid.post_form("/review/decide", form)  # type: ignore[dict-item]
    assert response.status_code == 200
    assert "1 dokumen tidak dapat diproses" in response.text and f"#{entry.id}" in response.text
    catalog = review_app.state.services.catalog
    assert catalog.get(LETTER_IDS[1]).access == "terbuka"
    assert catalog.get(LETTER_IDS[0]).access == "belum_ditinjau"  # proposed: still undecided
    assert EXEMPT_ID not in _queue_ids(ppid) and PENDING_ID in _queue_ids(ppid)
