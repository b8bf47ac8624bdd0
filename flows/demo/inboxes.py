"""Whole inboxes: the README demo and every kind of bad input."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from flows.demo.documents import (
    BODY,
    SampleDoc,
    berita_acara,
    formulir_with_nik,
    keputusan,
    notulen,
    sop,
    surat,
)
from flows.demo.render import (
    write_docx,
    write_encrypted_pdf,
    write_executable_as_pdf,
    write_image,
    write_png_bomb,
    write_random,
    write_scanned_pdf,
    write_text_pdf,
    write_truncated_pdf,
    write_txt,
    write_zip,
)

# ---------------------------------------------------------------- inboxes


def demo_inbox(inbox: Path) -> dict[str, SampleDoc | None]:
    """The README demo: one of each accepted kind and one bad file. Returns name -> sample."""
    inbox.mkdir(parents=True, exist_ok=True)
    long_kep = keputusan()
    two_pages = SampleDoc(
        long_kep.doc_type,
        long_kep.number,
        long_kep.date,
        long_kep.unit,
        long_kep.title,
        long_kep.lines + ("",) * 30 + BODY,
    )
    made: dict[str, SampleDoc | None] = {
        "keputusan-dpt-scan.pdf": two_pages,
        "surat-undangan.png": surat(),
        "berita-acara-rekap.jpg": berita_acara(),
        "formulir-permohonan.tiff": formulir_with_nik(),
        "sop-dik.pdf": sop(),
        "notulen-rapat.docx": notulen(),
        "catatan-notulen.txt": notulen(),
        "rusak.pdf": None,
    }
    write_scanned_pdf(two_pages, inbox / "keputusan-dpt-scan.pdf")
    write_image(surat(), inbox / "surat-undangan.png", seed=11)
    write_image(berita_acara(), inbox / "berita-acara-rekap.jpg", seed=12)
    write_image(formulir_with_nik(), inbox / "formulir-permohonan.tiff", seed=13)
    write_text_pdf(sop(), inbox / "sop-dik.pdf")
    write_docx(notulen(), inbox / "notulen-rapat.docx")
    write_txt(notulen(), inbox / "catatan-notulen.txt", encoding="cp1252")
    write_truncated_pdf(sop(), inbox / "rusak.pdf")
    return made


def hostile_files(inbox: Path) -> dict[str, str]:
    """Every kind of bad input, mapped to the quarantine reason code it must get."""
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "kosong.pdf").write_bytes(b"")
    write_truncated_pdf(keputusan(), inbox / "terpotong.pdf")
    write_encrypted_pdf(surat(), inbox / "terkunci.pdf")
    write_random(inbox / "acak.bin")
    write_executable_as_pdf(inbox / "program.pdf")
    write_png_bomb(inbox / "bom.png")
    write_zip(inbox / "arsip.zip")
    return {
        "kosong.pdf": "empty",
        "terpotong.pdf": "corrupt",
        "terkunci.pdf": "encrypted",
        "acak.bin": "unsupported_type",
        "program.pdf": "unsupported_type",
        "bom.png": "image_too_large",
        "arsip.zip": "unsupported_type",
    }


def copy_tree(files: Iterable[Path], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, dest / f.name)
