"""Documents waiting in the review queue, added to a copy of the web tests' data root
before the app opens it: flagged letters, one with personal data only, a three-page
scan, and a likely re-scan of an open letter (with its checkpoint event)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from archive.catalog import Catalog
from archive.records import DocumentRecord, EventRecord
from archive.store import ArchiveLayout, file_document, sha256_bytes
from flows import demo
from flows.app.indexing import index_batch
from tests.support.records import document_record
from tests.web.conftest import OPEN_ID

LETTER_IDS = tuple(f"0d0d0d0d0d0d0d{i:02x}" for i in range(1, 6))
PERSONAL_ID = "0e0e0e0e0e0e0e01"
MULTIPAGE_ID = "0e0e0e0e0e0e0e02"
RESCAN_ID = "0e0e0e0e0e0e0e03"
WAITING_IDS = (*LETTER_IDS, PERSONAL_ID, MULTIPAGE_ID, RESCAN_ID)
LETTER_WORD = "silaturahmikoordinasi"  # in every flagged letter: a petugas searches for it


@dataclass(frozen=True)
class Waiting:
    id: str
    title: str
    lines: tuple[str, ...]
    flags: tuple[str, ...]
    pages: int = 1


def waiting_docs() -> list[Waiting]:
    letters = [
        Waiting(doc_id, f"Surat Undangan Silaturahmi {n}",
                (f"Surat undangan {LETTER_WORD} nomor {n} kepada panitia kecamatan.",),
                ("tipe_tidak_pasti", "perlu_tinjauan"))
        for n, doc_id in enumerate(LETTER_IDS, 1)
    ]  # fmt: skip
    many = tuple(f"Baris {i} lampiran rekapitulasi pemilih per desa." for i in range(3 * 44 - 2))
    return [
        *letters,
        Waiting(PERSONAL_ID, "Daftar Hadir Rapat Pleno",
                ("Daftar hadir NIK 1709054507890003 alamat lengkap peserta.",), ("data_pribadi",)),
        Waiting(MULTIPAGE_ID, "Lampiran Rekapitulasi Tiga Halaman", many,
                ("ocr_rendah", "perlu_tinjauan"), pages=3),
        Waiting(RESCAN_ID, "Undangan Rapat Koordinasi (pindaian ulang)",
                ("Undangan rapat koordinasi pemutakhiran data pemilih berkelanjutan.",),
                ("kemungkinan_duplikat", "perlu_tinjauan")),
    ]  # fmt: skip


def _record(layout: ArchiveLayout, doc: Waiting, tmp: Path, at: datetime) -> DocumentRecord:
    sample = demo.SampleDoc("lainnya", None, None, None, None, (doc.title, "", *doc.lines))
    pdf = demo.write_text_pdf(sample, tmp / f"{doc.id}.pdf").read_bytes()
    text = "\n".join(doc.lines).encode()
    target = layout.document_dir(2024, "lainnya", doc.id)
    file_document(layout, target, {"original.pdf": pdf, "text.txt": text},
                  {"original.pdf": sha256_bytes(pdf)})  # fmt: skip
    return document_record(
        doc.id, sha256=sha256_bytes(pdf), doc_type="lainnya", doc_type_confidence=0.3,
        date=date(2024, 2, 1), year=2024, unit="KPU Kabupaten Kepahiang", title=doc.title,
        pages=doc.pages, flags=doc.flags, received_at=at,
        archive_path=str(target.relative_to(layout.home)),
    )  # fmt: skip


def add_waiting(home: Path, docs: Sequence[Waiting] | None = None) -> list[DocumentRecord]:
    """File, catalog and index the waiting documents (newest last in ``docs``)."""
    layout = ArchiveLayout(home)
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    tmp = home.parent / "gen-review"
    tmp.mkdir(exist_ok=True)
    start = datetime(2024, 2, 2, 1, 0, tzinfo=UTC)
    todo = list(docs or waiting_docs())
    records = [_record(layout, d, tmp, start + timedelta(minutes=i)) for i, d in enumerate(todo)]
    for record in records:
        catalog.add_document(record, [])
        if record.id == RESCAN_ID:
            catalog.record_event(EventRecord(
                sha256=record.sha256, kind="near_duplicate", outcome="flag",
                detail={"of": OPEN_ID, "resemblance": 0.93,
                        "flags": ["kemungkinan_duplikat", "perlu_tinjauan"]},
                document_id=record.id, at=record.received_at,
            ))  # fmt: skip
    index_batch(layout, records)
    catalog.close()
    return records


def review_home(template_home: Path, tmp_path: Path) -> Path:
    home = tmp_path / "data"
    shutil.copytree(template_home, home)
    add_waiting(home)
    return home
