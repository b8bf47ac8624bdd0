"""The redacted public copy of a partly exempted form, with real Tesseract: the NIK and
KK numbers (and a listed area) are gone from its pixels, from its text layer, from a
fresh OCR of it and from the index, while the rest of the form stays readable."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from archive.catalog import Catalog
from archive.exemptions import ExemptionRegister, RedactionSpec, Region
from archive.records import DocumentRecord
from archive.store import ArchiveLayout, file_document, read_manifest, sha256_bytes, sha256_path
from archive.vocabulary import visible_access
from flows import demo
from flows.app.exemptions import Desk, make_public_copy, public_dir, public_text
from flows.app.indexing import index_batch, to_index_doc
from index import add_documents, search
from tasks.ocr import OcrOptions, ocr_page
from tasks.pictures import rasterize_pdf_page
from tasks.redact import _ocr, number_boxes
from tests.exemptions.conftest import APPROVERS, DECREE_DAY, PPID, approve, good_draft, take
from tests.support.records import document_record

pytestmark = pytest.mark.slow
NIK, KK = "1709054507890003", "1709051203110007"
DOC_ID = "2f2f2f2f2f2f2f01"
# The rendered form's "Alamat" line (row 9 at 230 + 70 px a row on a 3508 px page).
ADDRESS = Region(page=1, left=0.05, top=0.242, width=0.9, height=0.0175)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@pytest.fixture
def filed(layout: ArchiveLayout, catalog: Catalog, tmp_path: Path) -> DocumentRecord:
    form = demo.formulir_with_nik(NIK, KK)
    scan = demo.write_scanned_pdf(form, tmp_path / "formulir.pdf", seed=5).read_bytes()
    target = layout.document_dir(2023, "formulir", DOC_ID)
    text = "\n".join(form.lines)
    files: dict[str, Path | bytes] = {"original.pdf": scan, "text.txt": text.encode()}
    file_document(layout, target, files, {"original.pdf": sha256_bytes(scan)})
    record = document_record(
        DOC_ID,
        sha256=sha256_bytes(scan),
        source_name="formulir.pdf",
        doc_type="formulir",
        number=form.number,
        date=form.date,
        year=2023,
        unit=form.unit,
        title="Formulir",
        text_source="ocr",
        ocr_confidence=90.0,
        flags=("data_pribadi",),
        archive_path=str(target.relative_to(layout.home)),
        received_at=datetime(2023, 8, 21, tzinfo=UTC),
    )
    catalog.add_document(record, [])
    index_batch(layout, [record])
    return record


def test_public_copy_has_no_nik_in_pixels_text_layer_ocr_or_index(
    layout: ArchiveLayout, catalog: Catalog, filed: DocumentRecord, tmp_path: Path
):
    register = ExemptionRegister(catalog.engine)
    spec = RedactionSpec(personal_numbers=True, regions=(ADDRESS,))
    entry = register.propose(PPID, good_draft(scope="sebagian", redaction=spec))
    take(register, entry.id, "link", PPID, documents=(DOC_ID,))
    take(register, entry.id, "record_test", PPID)
    take(register, entry.id, "submit", PPID)
    for approver in APPROVERS:
        approve(register, entry.id, approver)
    take(register, entry.id, "set_decree", PPID, number="12/PP.06-Kpt/05/2024", on=DECREE_DAY)

    # The index, before: the PPID finds the form by its NIK, a petugas never does.
    assert [h.id for h in search(layout.index, NIK, visible=visible_access("ppid")).hits] == [
        DOC_ID
    ]
    assert search(layout.index, NIK, visible=visible_access("petugas")).total == 0

    desk = Desk(layout, catalog, register, OcrOptions())
    out = make_public_copy(desk, entry.id, DOC_ID, PPID)
    link = out.entry.documents[0]
    copy = public_dir(layout, DOC_ID) / "redacted.pdf"
    assert link.public_sha256 == sha256_path(copy) != filed.sha256  # its own checksum
    manifest = read_manifest(copy.parent)
    assert manifest == {name: sha256_path(copy.parent / name) for name in manifest}
    assert set(manifest) == {"redacted.pdf", "text.txt", "redaction.json"}

    # Text layer (exactly what a reader copies out of the PDF).
    layer = subprocess.run(
        ["pdftotext", str(copy), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Rina Marlina" in layer and "Pendaftaran" in layer  # the rest stays readable
    assert NIK not in _digits(layer) and KK not in _digits(layer)
    assert "Pagar Jati" not in layer  # the listed area

    # A fresh OCR of the copy's pixels.
    (tmp_path / "fresh-ocr").mkdir()
    fresh = ocr_page(copy, "pdf", 1, OcrOptions(), tmp_path / "fresh-ocr").text
    assert "Rina Marlina" in fresh
    assert NIK not in _digits(fresh) and KK not in _digits(fresh)
    assert "Pagar" not in fresh

    # The pixels where the numbers were are black.
    original = rasterize_pdf_page(
        layout.home / filed.archive_path / "original.pdf", 1, 300, tmp_path
    )
    _, words = _ocr(original, 300, OcrOptions(), tmp_path / "orig-ocr", 1)
    boxes = number_boxes(words, (NIK, KK), personal=False)
    assert len(boxes) == 2
    (tmp_path / "r").mkdir()
    redacted = rasterize_pdf_page(copy, 1, 300, tmp_path / "r")
    with Image.open(redacted) as img:
        gray = img.convert("L")
        for box in boxes:
            region = gray.crop((box.left, box.top, box.right, box.bottom))
            assert ImageStat.Stat(region).mean[0] < 30

    # The index: the copy's own text does not hold the numbers; the original's entry
    # stays hidden from roles that may only have the public copy.
    text = public_text(layout, DOC_ID) or ""
    assert "Rina Marlina" in text and NIK not in _digits(text)
    copy_index = tmp_path / "public-index"
    public_doc = to_index_doc(catalog.get(DOC_ID), text)  # type: ignore[arg-type]
    add_documents(
        copy_index, [public_doc.__class__(**{**public_doc.__dict__, "access": "terbuka"})]
    )
    assert search(copy_index, NIK, visible=visible_access("petugas")).total == 0
    assert search(copy_index, "Marlina", visible=visible_access("petugas")).total == 1
    assert search(layout.index, NIK, visible=visible_access("petugas")).total == 0
    assert take(register, entry.id, "publish", PPID).entry.status == "dipublikasikan"
