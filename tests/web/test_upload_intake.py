"""Staff intake, end to end through the real app and a real ingest run: quarantine reasons
in Indonesian, "Unggahan saya" for every role (kept across a restart), the optional type,
hardcopy location and handover applied when the document is filed, and no "duplikat" for
bytes of a document the uploader may not see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from archive.custody.handover import HandoverRegister
from flows.app.ingest import run_once
from flows.app.uploads import AWAITING_REVIEW
from flows.settings import Settings
from tests.web.conftest import OPEN_ID, PENDING_ID, Client, close_app, make_app, sign_in

LETTER = (
    "NOTULEN RAPAT\nRapat pleno terbuka rekapitulasi hasil penghitungan suara tingkat "
    "kabupaten, dihadiri anggota KPU dan saksi. Notulen ini mencatat jalannya rapat, "
    "keberatan saksi, dan keputusan rapat pleno.\n"
)


def _upload(client: Client, files: list[tuple[str, bytes]], **fields: str) -> str:
    response = client.post(
        "/upload",
        data={"csrf_token": client.csrf, **fields},
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _ingest(app: FastAPI) -> dict[str, Any]:
    home = app.state.services.settings.home
    return run_once(Settings(home=home, settle_seconds=0, ocr_workers=1), "test-upload")


def _files(client: Client, batch_url: str) -> list[dict[str, Any]]:
    data = client.get(batch_url + ".json").json()
    files: list[dict[str, Any]] = data["files"]
    return files


def _original(app: FastAPI, doc_id: str) -> bytes:
    services = app.state.services
    record = services.catalog.get(doc_id)
    files = services.settings.layout.document_files(record.archive_path)
    original: Path = files.original()
    return original.read_bytes()


def test_quarantined_upload_says_why_and_what_to_do_in_indonesian(fresh_app: FastAPI):
    petugas = sign_in(fresh_app, "petugas1")
    batch = _upload(petugas, [("rusak.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n")])
    summary = _ingest(fresh_app)
    assert [r["outcome"] for r in summary["results"]] == ["quarantined"]
    (status,) = _files(petugas, batch)
    assert (status["status"], status["reason"]) == ("dikarantina", "corrupt")
    assert status["explanation"].startswith("Berkas rusak")
    assert "unggah lagi" in status["action"]
    assert "PDF" in status["technical"]  # the machine's words stay, as detail
    page = petugas.get(batch).text
    assert "Berkas rusak atau tidak lengkap" in page and "Rincian teknis (corrupt)" in page


def test_restricted_bytes_read_like_any_new_filing(fresh_app: FastAPI):
    """#11: "duplikat" for the bytes of a hidden document would tell that it exists."""
    petugas = sign_in(fresh_app, "petugas1")
    secret = _upload(petugas, [("pindaian.png", _original(fresh_app, PENDING_ID))])
    fresh = _upload(petugas, [("notulen.txt", LETTER.encode())])
    outcomes = sorted(r["outcome"] for r in _ingest(fresh_app)["results"])
    assert outcomes == ["archived", "duplicate"]
    (hidden,), (new,) = _files(petugas, secret), _files(petugas, fresh)
    assert hidden == {**new, "name": "pindaian.png"}
    assert (hidden["status"], hidden["document_id"]) == ("diarsipkan", None)
    assert hidden["detail"] == AWAITING_REVIEW
    for url in (secret, "/upload/mine"):
        assert "Duplikat" not in petugas.get(url).text
    # Bytes of an open document, which the petugas may see, are still called a duplicate.
    shown = _upload(petugas, [("undangan.png", _original(fresh_app, OPEN_ID))])
    _ingest(fresh_app)
    (dup,) = _files(petugas, shown)
    assert (dup["status"], dup["document_id"]) == ("duplikat", OPEN_ID)


def test_my_uploads_for_every_role_and_after_a_restart(fresh_app: FastAPI):
    petugas, ppid = sign_in(fresh_app, "petugas1"), sign_in(fresh_app, "ppid1")
    first = _upload(petugas, [("notulen.txt", LETTER.encode()), (".x", b"x")])
    _upload(ppid, [("lain.txt", b"berkas milik ppid")])
    _ingest(fresh_app)
    mine = petugas.get("/upload/mine.json").json()
    assert mine["total"] == 1 and [b["id"] for b in mine["batches"]] == [first.rsplit("/")[-1]]
    statuses = [(f["name"], f["status"]) for f in mine["batches"][0]["files"]]
    assert statuses == [("notulen.txt", "diarsipkan"), (".x", "ditolak")]
    page = petugas.get("/upload/mine")
    assert page.status_code == 200 and "notulen.txt" in page.text and "Diarsipkan" in page.text
    atasan = sign_in(fresh_app, "atasan1")  # may not upload, may open the page
    assert atasan.get("/upload/mine.json").json() == {
        "page": 1,
        "page_count": 1,
        "total": 0,
        "batches": [],
    }
    assert "Anda belum mengunggah berkas" in atasan.get("/upload/mine").text
    assert "lain.txt" not in page.text
    # The list is on disk, not in the process: a restarted app still has it.
    again = make_app(fresh_app.state.services.settings.home)
    try:
        after = sign_in(again, "petugas1").get("/upload/mine.json").json()
        assert [b["id"] for b in after["batches"]] == [first.rsplit("/")[-1]]
        assert sign_in(again, "petugas1").get(first + ".json").status_code == 200
    finally:
        close_app(again)


def test_type_location_and_handover_given_at_upload_are_applied_when_filed(fresh_app: FastAPI):
    petugas = sign_in(fresh_app, "petugas1")
    note = {
        "doc_type": "berita_acara",
        "room": "Ruang Arsip",
        "box": "Boks 12",
        "division": "Subbagian Teknis",
        "handed_over_by": "Rina",
        "handed_over_at": "2024-05-02T09:30",
        "verified": "1",
    }
    _upload(petugas, [("notulen.txt", LETTER.encode())], **note)
    (result,) = _ingest(fresh_app)["results"]
    assert result["outcome"] == "archived"
    services = fresh_app.state.services
    record = services.catalog.get(result["id"])
    assert record.doc_type == "berita_acara" and record.doc_type_confidence == 1.0
    location = services.hardcopy.get(record.id).location
    assert (location.room, location.box) == ("Ruang Arsip", "Boks 12")
    (handover,) = HandoverRegister(services.catalog.engine).list(record.id)
    assert (handover.division, handover.handed_over_by) == ("Subbagian Teknis", "Rina")
    assert (handover.received_by, handover.received_role, handover.verified) == (
        "petugas1",
        "petugas",
        True,
    )
    kinds = [e.kind for e in services.catalog.events(document_id=record.id)]
    assert {"correction", "hardcopy_location", "serah_terima"} <= set(kinds)
    # Applied once: the note is gone, a second run changes nothing.
    _ingest(fresh_app)
    assert len(HandoverRegister(services.catalog.engine).list(record.id)) == 1


def test_a_bad_note_is_refused_before_any_file_is_taken(fresh_app: FastAPI):
    petugas = sign_in(fresh_app, "petugas1")
    inbox = fresh_app.state.services.settings.layout.inbox
    for fields in (
        {"doc_type": "bukan_jenis"},
        {"division": "Subbagian Teknis"},  # a handover needs who and when too
        {"division": "A", "handed_over_by": "B", "handed_over_at": "2999-01-01T08:00"},
        {"box": "x" * 500},
    ):
        response = petugas.post(
            "/upload",
            data={"csrf_token": petugas.csrf, **fields},
            files=[("files", ("a.txt", b"isi", "text/plain"))],
        )
        assert response.status_code == 422, fields
    assert list(inbox.iterdir()) == []
