"""Uploads: safe names, atomic writes into the inbox, limits, the ingest runner, progress."""

from __future__ import annotations

import io
import json
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

from archive.records import DocumentRecord
from flows.app.inbox import data_root_lock, run_in_progress, run_lock
from flows.app.uploads import UploadedFile, UploadRefused, file_status, safe_name, save_upload
from tests.web.conftest import OPEN_ID, sign_in
from web.runner import IngestRunner


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("surat.pdf", "surat.pdf"),
        ("../../etc/passwd", "passwd"),
        ("/etc/passwd", "passwd"),
        ("C:\\Users\\staf\\Pindaian 01.pdf", "Pindaian 01.pdf"),
        ("undangan<script>.png", "undangan_script_.png"),
        ("berita\x00acara\n.pdf", "beritaacara.pdf"),
        ("Surat Undangan (final).docx", "Surat Undangan (final).docx"),
        ("~$surat.docx", "_surat.docx"),  # no longer looks like Word's lock file
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_safe_name(raw: str, expected: str):
    assert safe_name(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", ".bashrc", "..", "../..", "surat.pdf.part", "x.tmp", "a.reason.json"]
)
def test_unsafe_names_are_refused(raw: str):
    with pytest.raises(UploadRefused):
        safe_name(raw)


def test_save_upload_is_atomic_and_never_overwrites(tmp_path: Path):
    inbox = tmp_path / "inbox"
    first, sha = save_upload(inbox, "surat.pdf", io.BytesIO(b"satu"), 100)
    second, _ = save_upload(inbox, "../surat.pdf", io.BytesIO(b"dua"), 100)
    assert first.name == "surat.pdf" and second.name == "surat-1.pdf"
    assert first.read_bytes() == b"satu" and len(sha) == 64
    with pytest.raises(UploadRefused, match="lebih besar"):
        save_upload(inbox, "besar.pdf", io.BytesIO(b"x" * 101), 100)
    with pytest.raises(UploadRefused, match="kosong"):
        save_upload(inbox, "kosong.pdf", io.BytesIO(b""), 100)
    assert sorted(p.name for p in inbox.iterdir()) == ["surat-1.pdf", "surat.pdf"]


def _post(client, files: list[tuple[str, bytes]]):  # type: ignore[no-untyped-def]
    return client.post(
        "/upload",
        data={"csrf_token": client.csrf},
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
    )


def test_upload_writes_into_the_inbox_and_reports_progress(fresh_app: FastAPI):
    services = fresh_app.state.services
    petugas = sign_in(fresh_app, "petugas1")
    page = petugas.get("/upload").text
    assert 'type="file" name="files"' in page and "Seret berkas ke sini" in page
    response = _post(
        petugas,
        [
            ("surat.png", b"\x89PNG bukan gambar"),
            (".htaccess", b"x"),
            ("besar.pdf", b"x" * 2_000_000),
        ],
    )
    assert response.status_code == 303
    batch_url = response.headers["location"]
    inbox = services.settings.layout.inbox
    assert [p.name for p in inbox.iterdir()] == ["surat.png"]
    data = petugas.get(batch_url + ".json").json()
    statuses = [(f["name"], f["status"]) for f in data["files"]]
    assert statuses[1:] == [(".htaccess", "ditolak"), ("besar.pdf", "ditolak")]
    assert statuses[0][1] in ("menunggu", "diproses")
    assert "lebih besar dari 1 MB" in data["files"][2]["detail"]
    assert data["done"] is False
    html = petugas.get(batch_url).text
    assert 'data-status-url="' + batch_url + '.json"' in html
    # Someone else's batch does not exist for them.
    assert sign_in(fresh_app, "ppid1").get(batch_url + ".json").status_code == 404
    _wait_for_runs(services.runner, 1)


def _wait_for_runs(runner: IngestRunner, runs: int) -> None:
    deadline = time.monotonic() + 10
    while runner.status().runs < runs and time.monotonic() < deadline:
        time.sleep(0.02)
    assert runner.status().runs >= runs


def test_upload_limits(fresh_app: FastAPI):
    petugas = sign_in(fresh_app, "petugas1")
    assert _post(petugas, []).status_code == 422
    too_many = [(f"f{n}.txt", b"x") for n in range(21)]
    assert _post(petugas, too_many).status_code == 413


def _record(sha: str, access: str) -> DocumentRecord:
    return DocumentRecord(
        id=sha[:16], sha256=sha, source_name="surat.png", mime="image/png", doc_type="surat",
        doc_type_confidence=0.9, number=None, date=None, year=None, unit=None, title=None,
        pages=1, text_source="ocr", ocr_confidence=80.0, flags=(), access=access,  # type: ignore[arg-type]
        archive_path="archive/x", received_at=datetime.now(UTC),
    )  # fmt: skip


def test_file_status_follows_the_file(fresh_app: FastAPI):
    services = fresh_app.state.services
    layout, catalog = services.settings.layout, services.catalog
    path, sha = save_upload(layout.inbox, "surat.png", io.BytesIO(b"pindaian"), 100)
    item = UploadedFile("surat.png", path.name, sha, 8, None)
    petugas, ppid = frozenset({"terbuka"}), frozenset({"terbuka", "belum_ditinjau"})
    assert file_status(layout, catalog, item, petugas, running=False).status == "menunggu"
    assert file_status(layout, catalog, item, petugas, running=True).status == "diproses"
    path.unlink()
    assert file_status(layout, catalog, item, petugas, running=True).status == "diproses"
    catalog.add_document(_record(sha, "belum_ditinjau"), [])
    hidden = file_status(layout, catalog, item, petugas, running=False)
    assert (hidden.status, hidden.document_id) == ("diarsipkan", None)
    assert "menunggu tinjauan" in (hidden.detail or "")
    shown = file_status(layout, catalog, item, ppid, running=False)
    assert (shown.status, shown.document_id) == ("diarsipkan", sha[:16])
    duplicate = replace(item, known_as=OPEN_ID)
    assert file_status(layout, catalog, duplicate, ppid, running=False).status == "duplikat"
    # The same bytes for a viewer who may not see the document: a filing like any other.
    assert file_status(layout, catalog, duplicate, petugas, running=False) == hidden


def test_quarantined_upload(fresh_app: FastAPI):
    layout = fresh_app.state.services.settings.layout
    catalog = fresh_app.state.services.catalog
    item = UploadedFile("acak.pdf", "acak.pdf", "ab" * 32, 10, None)
    reason = layout.quarantine / f"{'ab' * 6}-acak.pdf.reason.json"
    reason.write_text(json.dumps({"code": "corrupt", "detail": "PDF is truncated"}))
    status = file_status(layout, catalog, item, frozenset({"terbuka"}), running=False)
    assert (status.status, status.reason, status.detail) == (
        "dikarantina",
        "corrupt",
        "PDF is truncated",
    )


def test_runner_waits_while_another_run_holds_the_lock(tmp_path: Path):
    counter = tmp_path / "runs"
    script = (
        "import os, pathlib, sys; p = pathlib.Path(sys.argv[1]); "
        "n = int(p.read_text()) if p.exists() else 0; p.write_text(str(n + 1)); "
        "pathlib.Path(sys.argv[2]).write_text(os.environ['ARSIP_HOME'] + ' ' "
        "+ os.environ['ARSIP_SETTLE_SECONDS'] + ' ' + os.environ['EXTRA']); "
        "sys.exit(75 if n == 0 else 0)"
    )
    env_out = tmp_path / "env"
    runner = IngestRunner(
        tmp_path / "home",
        env={"EXTRA": "dari-tes"},
        command=[sys.executable, "-c", script, str(counter), str(env_out)],
        busy_retry_seconds=0.05,
    )
    runner.request()
    _wait_for_runs(runner, 2)
    runner.close()
    status = runner.status()
    assert status.last_exit == 0 and status.last_error is None and not status.pending
    assert env_out.read_text() == f"{tmp_path / 'home'} 0 dari-tes"


def test_runner_reports_a_failed_run(tmp_path: Path):
    script = "import sys; print('arsip: tesseract is not installed', file=sys.stderr); sys.exit(4)"
    runner = IngestRunner(tmp_path, command=[sys.executable, "-c", script])
    runner.request()
    _wait_for_runs(runner, 1)
    runner.close()
    assert runner.status().last_exit == 4
    assert "tesseract is not installed" in (runner.status().last_error or "")


def test_a_run_of_another_process_shows_the_file_as_processed(fresh_app: FastAPI):
    """Two web workers: the run was started by the other one (or by the schedule), so this
    worker's runner is idle, yet the data root's lock says a run takes the inbox."""
    services = fresh_app.state.services
    layout = services.settings.layout
    data = b"Surat undangan rapat"
    path, sha = save_upload(layout.inbox, "surat.txt", io.BytesIO(data), 1_000_000)
    batch = services.uploads.new_batch("petugas1")
    batch.files.append(UploadedFile("surat.txt", path.name, sha, len(data), None))
    services.uploads.save(batch)
    petugas = sign_in(fresh_app, "petugas1")
    url = f"/upload/{batch.id}.json"
    assert not services.runner.status().running
    assert petugas.get(url).json()["files"][0]["status"] == "menunggu"
    with run_lock(data_root_lock(layout.home)):
        assert run_in_progress(data_root_lock(layout.home))
        assert petugas.get(url).json()["files"][0]["status"] == "diproses"
    assert not run_in_progress(data_root_lock(layout.home))
    assert petugas.get(url).json()["files"][0]["status"] == "menunggu"
