from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows import demo
from tasks.detect import Limits, detect
from tasks.errors import Rejected
from tests.conftest import LIMITS


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    inbox = tmp_path_factory.mktemp("hostile")
    return inbox, demo.hostile_files(inbox)


def test_every_hostile_file_is_rejected_with_its_reason(hostile: tuple[Path, dict[str, str]]):
    inbox, expected = hostile
    for name, code in expected.items():
        with pytest.raises(Rejected) as info:
            detect(inbox / name, LIMITS)
        assert info.value.code == code, name
        assert info.value.detail  # a person must be able to act on it


def test_executable_named_pdf_reports_real_type(hostile: tuple[Path, dict[str, str]]):
    with pytest.raises(Rejected, match="executable"):
        detect(hostile[0] / "program.pdf", LIMITS)


@pytest.mark.parametrize(
    ("writer", "name", "kind"),
    [
        (demo.write_scanned_pdf, "a.pdf", "pdf"),
        (demo.write_text_pdf, "b.pdf", "pdf"),
        (demo.write_image, "c.png", "png"),
        (demo.write_image, "d.jpg", "jpeg"),
        (demo.write_image, "e.tiff", "tiff"),
        (demo.write_docx, "f.docx", "docx"),
        (demo.write_txt, "g.txt", "txt"),
    ],
)
def test_accepted_kinds(tmp_path: Path, writer, name: str, kind: str):
    path = writer(demo.surat(), tmp_path / name)
    found = detect(path, LIMITS)
    assert found.kind == kind
    assert found.extension_matches
    assert len(found.sha256) == 64
    assert found.pages == 1


def test_mislabelled_png_is_taken_as_png(tmp_path: Path):
    png = demo.write_image(demo.surat(), tmp_path / "x.png")
    renamed = tmp_path / "surat.pdf"
    shutil.move(png, renamed)
    found = detect(renamed, LIMITS)
    assert found.kind == "png"
    assert not found.extension_matches


def test_multipage_tiff_counts_frames(tmp_path: Path):
    doc = demo.long_document(3)
    found = detect(demo.write_image(doc, tmp_path / "scan.tif"), LIMITS)
    assert (found.kind, found.pages) == ("tiff", 3)


def test_limits_are_enforced(tmp_path: Path):
    pdf = demo.write_text_pdf(demo.long_document(3), tmp_path / "long.pdf")
    with pytest.raises(Rejected) as info:
        detect(pdf, Limits(max_bytes=10**8, max_pages=2, max_pixels=10**8))
    assert info.value.code == "too_many_pages"
    with pytest.raises(Rejected) as info:
        detect(pdf, Limits(max_bytes=100, max_pages=10, max_pixels=10**8))
    assert info.value.code == "too_large"
    png = demo.write_image(demo.surat(), tmp_path / "big.png")
    with pytest.raises(Rejected) as info:
        detect(png, Limits(max_bytes=10**8, max_pages=10, max_pixels=1_000_000))
    assert info.value.code == "image_too_large"


def test_owner_only_encryption_is_readable(tmp_path: Path):
    out = demo.write_protected_pdf(demo.surat(), tmp_path / "owner.pdf", user="", owner="pemilik")
    assert detect(out, LIMITS).kind == "pdf"


def test_docx_zip_bomb_is_refused(tmp_path: Path):
    import zipfile

    bomb = tmp_path / "bom.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>" + " " * 50_000_000 + "</w:document>")
    with pytest.raises(Rejected) as info:
        detect(bomb, LIMITS)
    assert info.value.code in {"zip_bomb", "unsupported_type"}
