"""The use cases around the register: the formulir of a request ends up archived as a
document (with its identity number flagged as personal data), an answer makes and stores
its letter and records its SHA-256, and a file that changed is never handed out."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.exemptions import ExemptionRegister
from archive.requests import StepRefused
from flows.app.ingest import run_once
from flows.app.requests import (
    answer_request,
    given_path,
    letter_file,
    open_register,
    record_request,
)
from flows.settings import Settings
from tasks.poppler import page_texts
from tests.browser_support import ARTIFACTS
from tests.requests.support import NIK, PETUGAS, PPID, exemption, intake
from tests.web.conftest import build_home, text_pdf

TODAY = date(2024, 3, 4)
OPEN_ID, EXEMPT_ID = "0a0a0a0a0a0a0a02", "0c0c0c0c0c0c0c01"  # tests.web.conftest DOCS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    home = tmp_path / "data"
    build_home(home)
    return Settings(home=home, settle_seconds=0, ocr_workers=1)


def test_formulir_is_made_ingested_and_linked(settings: Settings):
    catalog = Catalog(settings.catalog_url)
    register = open_register(settings, catalog)
    done = record_request(settings, register, PETUGAS, intake(channel="surel"), today=TODAY)
    assert done.formulir.parent == settings.layout.inbox and done.formulir.is_file()
    summary = run_once(settings, "test-formulir")
    assert [r["outcome"] for r in summary["results"]] == ["archived"]
    doc = catalog.get(done.request.formulir_document_id or "")
    assert doc is not None and doc.doc_type == "formulir"
    assert "data_pribadi" in doc.flags and doc.access == "belum_ditinjau"
    text = (settings.layout.home / doc.archive_path / "text.txt").read_text()
    assert NIK in text and done.request.number in text
    assert register.events(done.request.id)[-1].kind == "formulir_ditautkan"
    catalog.close()


def test_a_scanned_formulir_is_linked_before_the_request_is_recorded(
    settings: Settings, tmp_path: Path
):
    catalog = Catalog(settings.catalog_url)
    register = open_register(settings, catalog)
    scan = text_pdf(tmp_path, ["FORMULIR PERMOHONAN INFORMASI", "Nama : Sari", f"NIK : {NIK}"])
    done = record_request(settings, register, PETUGAS, intake(), ("pindai.pdf", io.BytesIO(scan)),
                          today=TODAY)  # fmt: skip
    assert done.request.formulir_sha256 is not None and done.formulir.name == "pindai.pdf"
    assert [e.kind for e in register.events(done.request.id)] == ["diterima"]
    catalog.close()


def test_answer_stores_its_letter_and_checks_the_files(settings: Settings):
    catalog = Catalog(settings.catalog_url)
    register = open_register(settings, catalog)
    req = record_request(settings, register, PETUGAS, intake(), today=TODAY).request
    register.attach(req.id, PPID, [OPEN_ID])
    plan = register.plan(req.id)
    item = plan.items()[0]
    original = given_path(settings.layout, catalog, item)
    assert original is not None
    saved = original.read_bytes()
    original.write_bytes(saved + b"x")  # the archived file no longer has its hash
    with pytest.raises(StepRefused, match="arsip verify"):
        answer_request(settings, catalog, register, PPID, req.id, plan.digest(), today=TODAY)
    original.write_bytes(saved)
    answered = answer_request(settings, catalog, register, PPID, req.id, plan.digest(),
                              "Salinan dikirim melalui surel", today=TODAY)  # fmt: skip
    assert answered.outcome == "dipenuhi"
    event = register.events(req.id)[-1]
    letter = letter_file(settings.layout, answered, event)
    assert letter is not None and letter.read_bytes().startswith(b"%PDF")
    assert letter.parent == settings.layout.home / "permohonan" / "2024" / "001"
    catalog.close()


def test_refusal_letter_cites_the_dik_entry(settings: Settings):
    catalog = Catalog(settings.catalog_url)
    exemptions = ExemptionRegister(catalog.engine)
    # The web data root's exempted formulir gets its decided DIK entry.
    entry = exemption(exemptions, EXEMPT_ID, scope="seluruh", basis="uu14-2008-p17h", point=1,
                      description="NIK pemilih pada formulir data pemilih")  # fmt: skip
    register = open_register(settings, catalog)
    req = record_request(settings, register, PETUGAS, intake(), today=TODAY).request
    register.attach(req.id, PPID, [EXEMPT_ID])
    plan = register.plan(req.id)
    answered = answer_request(settings, catalog, register, PPID, req.id, plan.digest(), today=TODAY)
    assert answered.outcome == "ditolak"
    letter = letter_file(settings.layout, answered, register.events(req.id)[-1])
    assert letter is not None
    flat = " ".join(" ".join(page_texts(letter)).split())
    assert "PENOLAKAN PERMOHONAN INFORMASI" in flat
    assert "UU 14/2008 Pasal 17 huruf h angka 1" in flat and f"DIK entri #{entry}" in flat
    assert "Bila dibuka: nik pemilih" in flat and NIK not in flat
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "surat-penolakan.pdf").write_bytes(letter.read_bytes())
    catalog.close()
