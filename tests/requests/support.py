"""A catalog with documents at every access level, the exemption register deciding on
some of them, and the request register over the same database.

The exemption register is reached through its public names only (``archive.exemptions``),
as the request register itself does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from archive.catalog import Catalog
from archive.exemptions import Draft, ExemptionRegister, Period, PublicCopy, RedactionSpec, StepArgs
from archive.records import Actor, DocumentRecord
from archive.requests import Intake, Requester, RequestRegister, WorkingCalendar
from tests.support.db import migrated_catalog
from tests.support.records import document_record

PETUGAS = Actor("petugas1", "petugas")
PPID = Actor("ppid1", "ppid")
ATASAN = Actor("atasan1", "atasan")
ADMIN = Actor("admin1", "admin")
APPROVERS = (Actor("tim1", "tim_pertimbangan"), ATASAN, Actor("pembina1", "pembina"))
OPEN_DOC, WHOLE_DOC, PART_DOC, PENDING_DOC = (
    "2a2a2a2a2a2a2a01",
    "2b2b2b2b2b2b2b01",
    "2c2c2c2c2c2c2c01",
    "2d2d2d2d2d2d2d01",
)
NIK = "3171011203850004"


def document(doc_id: str, title: str, access: str = "belum_ditinjau") -> DocumentRecord:
    return document_record(
        doc_id,
        doc_type="formulir",
        year=2024,
        unit="KPU Kabupaten Bengkulu Tengah",
        title=title,
        access=access,
        archive_path=f"archive/2024/formulir/{doc_id}",
        received_at=datetime(2024, 1, 8, tzinfo=UTC),
    )


def exemption(
    register: ExemptionRegister,
    doc_id: str,
    *,
    scope: str,
    basis: str,
    point: int | None,
    description: str,
) -> int:
    """An entry over ``doc_id`` taken through approval to its decree (in force)."""
    draft = Draft(
        description=description,
        legal_basis=basis,
        legal_point=point,
        other_bases=("uu27-2022",) if basis.endswith("p17h") else (),
        doc_type="formulir",
        consequence=f"Bila dibuka: {description.lower()} diketahui umum dan disalahgunakan.",
        consideration="Kepentingan yang dilindungi lebih besar daripada kepentingan publik.",
        scope=scope,
        period=Period("durasi", years=5),  # type: ignore[arg-type]
        redaction=RedactionSpec(personal_numbers=scope == "sebagian"),
    )
    entry = register.propose(PPID, draft)
    register.take(entry.id, "link", PPID, StepArgs(documents=(doc_id,)))
    register.take(entry.id, "record_test", PPID)
    register.take(entry.id, "submit", PPID)
    for approver in APPROVERS:
        digest = register.get(entry.id).approval_digest()
        register.take(entry.id, "approve", approver, StepArgs(digest=digest, note="setuju"))
    decree = StepArgs(number=f"{entry.id}/PP.06-Kpt/2024", on=date(2024, 2, 1))
    register.take(entry.id, "set_decree", PPID, decree)
    return entry.id


def record_public_copy(
    register: ExemptionRegister, entry_id: int, doc_id: str, sha256: str, path: str
) -> None:
    """The redacted copy of ``doc_id`` (its source digest is ``doc_id * 4``) on the entry."""
    copy = PublicCopy(doc_id, doc_id * 4, sha256, path)
    register.take(entry_id, "public_copy", PPID, StepArgs(copy=copy))


def archive_home(path: Path) -> tuple[Catalog, ExemptionRegister]:
    catalog = migrated_catalog(path / "catalog.db")
    catalog.add_document(document(OPEN_DOC, "Keputusan penetapan DPT", "terbuka"), [])
    catalog.add_document(document(WHOLE_DOC, "Formulir data pemilih (NIK)"), [])
    catalog.add_document(document(PART_DOC, "Berita acara rekapitulasi dengan NIK saksi"), [])
    catalog.add_document(document(PENDING_DOC, "Notulen rapat internal"), [])
    exemptions = ExemptionRegister(catalog.engine)
    exemption(
        exemptions,
        WHOLE_DOC,
        scope="seluruh",
        basis="uu14-2008-p17h",
        point=1,
        description="NIK dan Nomor KK pemilih pada formulir data pemilih",
    )
    part = exemption(
        exemptions,
        PART_DOC,
        scope="sebagian",
        basis="uu14-2008-p17h",
        point=1,
        description="NIK saksi pada berita acara rekapitulasi",
    )
    copy_sha = "e" * 64
    record_public_copy(exemptions, part, PART_DOC, copy_sha, "archive-public/x")
    return catalog, exemptions


def requests_register(catalog: Catalog) -> RequestRegister:
    return RequestRegister(catalog.engine, WorkingCalendar.load())


def intake(
    name: str = "Sari Wulandari",
    received: date = date(2024, 3, 4),
    channel: str = "langsung",
    subject: str = "Salinan keputusan penetapan DPT",
) -> Intake:
    return Intake(
        Requester(name, "0812-7300-1122, Jl. Merdeka 5, Bengkulu", NIK),
        channel,  # type: ignore[arg-type]
        subject,
        "Bahan penelitian skripsi tentang partisipasi pemilih",
        received,
    )
