from __future__ import annotations

from pathlib import Path

import pytest

from flows import demo
from tasks.errors import Rejected
from tasks.pdf import read_pdf_info
from tasks.poppler import extract_page_image, single_image_pages


def test_scanned_pages_are_recognised_as_single_images(tmp_path: Path):
    scan = demo.write_scanned_pdf(demo.long_document(2), tmp_path / "scan.pdf")
    found = single_image_pages(scan)
    assert sorted(found) == [1, 2]
    assert found[1].ppi == 300 and found[1].encoding == "jpeg"
    image = extract_page_image(scan, 2, tmp_path)
    assert image.suffix == ".jpg"
    assert image.read_bytes()[:2] == b"\xff\xd8"


def test_text_pages_and_mixed_documents(tmp_path: Path):
    text = demo.write_text_pdf(demo.sop(), tmp_path / "t.pdf")
    scan = demo.write_scanned_pdf(demo.surat(), tmp_path / "s.pdf")
    mixed = demo.merge_pdfs([text, scan], tmp_path / "m.pdf")
    assert single_image_pages(text) == {}
    assert sorted(single_image_pages(mixed)) == [2]


def test_encrypted_and_truncated_are_refused(tmp_path: Path):
    locked = demo.write_encrypted_pdf(demo.surat(), tmp_path / "l.pdf")
    with pytest.raises(Rejected, match="password"):
        read_pdf_info(locked, 10)
    cut = demo.write_truncated_pdf(demo.surat(), tmp_path / "c.pdf")
    with pytest.raises(Rejected, match="truncated"):
        read_pdf_info(cut, 10)
