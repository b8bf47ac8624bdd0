"""A data root for the public DIK and the pages around it: the web tests' documents and
users, a partial exemption decreed and published with its public copy filed, one entry
waiting for the approvers, one draft, and an information request in progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF

from archive.catalog import Catalog
from archive.exemptions import Draft, ExemptionRegister, Period, PublicCopy, RedactionSpec
from archive.exemptions import StepArgs as Args
from archive.records import Actor
from archive.requests import Intake, Requester, RequestRegister, WorkingCalendar
from archive.store import ArchiveLayout, file_document, sha256_path
from flows.app.exemptions import PUBLIC_PDF, public_dir
from tests.exemptions.web_setup import PERSONAL_ID, build_exemption_home
from tests.web.conftest import EXEMPT_ID, PENDING_ID

PPID = Actor("ppid1", "ppid")
APPROVERS = (Actor("tim1", "tim_pertimbangan"), Actor("atasan1", "atasan"),
             Actor("pembina1", "pembina"))  # fmt: skip


@dataclass(frozen=True)
class Seeded:
    draft: int  # a partial exemption still being written (edit and area pages)
    waiting: int  # submitted, waiting for the approvers
    published: int  # partial, decreed and published, with its public copy
    request: int  # an information request in progress


def _draft(description: str, scope: str = "seluruh") -> Draft:
    return Draft(
        description=description, legal_basis="uu14-2008-p17h", legal_point=1,
        other_bases=("uu27-2022",), doc_type="formulir",
        consequence="Bila dibuka: data pribadi pemohon diketahui umum dan dapat disalahgunakan.",
        consideration="Perlindungan data pribadi lebih besar daripada kepentingan publik.",
        scope=scope, period=Period("durasi", years=5),  # type: ignore[arg-type]
        redaction=RedactionSpec(personal_numbers=scope == "sebagian"),
        remarks="Formulir yang memuat NIK dan alamat lengkap.",
    )  # fmt: skip


def _submitted(register: ExemptionRegister, doc_id: str, draft: Draft) -> int:
    entry = register.propose(PPID, draft)
    register.take(entry.id, "link", PPID, Args(documents=(doc_id,)))
    register.take(entry.id, "record_test", PPID)
    register.take(entry.id, "submit", PPID)
    return entry.id


def _file_public_copy(layout: ArchiveLayout, catalog: Catalog, doc_id: str) -> PublicCopy:
    """A public copy filed where the redaction step files it (the sweep checks the page
    and the download, not the redaction, which tests/exemptions/test_redaction.py does)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Formulir permohonan informasi publik (salinan publik)")
    source = layout.home.parent / "copy.pdf"
    source.write_bytes(bytes(pdf.output()))
    sha = sha256_path(source)
    filed = file_document(
        layout, public_dir(layout, doc_id), {PUBLIC_PDF: source}, {PUBLIC_PDF: sha}
    )
    record = catalog.get(doc_id)
    assert record is not None
    return PublicCopy(doc_id, record.sha256, sha, str(filed.directory.relative_to(layout.home)))


def seed(home: Path) -> Seeded:
    """``home`` as built by build_exemption_home, plus the entries and the request."""
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    layout = ArchiveLayout(home)
    register = ExemptionRegister(catalog.engine)
    about = "NIK dan alamat pemohon pada formulir permohonan informasi publik tahun 2023"
    published = _submitted(register, PERSONAL_ID, _draft(about, "sebagian"))
    for approver in APPROVERS:
        digest = register.get(published).approval_digest()
        register.take(published, "approve", approver, Args(digest=digest, note="Setuju."))
    decree = Args(number="77/PP.06-Kpt/1709/2024", on=date(2024, 3, 1))
    register.take(published, "set_decree", PPID, decree)
    copy = _file_public_copy(layout, catalog, PERSONAL_ID)
    register.take(published, "public_copy", PPID, Args(copy=copy))
    register.take(published, "publish", PPID)
    waiting = _submitted(register, EXEMPT_ID, _draft("NIK pemilih pada formulir data pemilih"))
    draft = register.propose(PPID, _draft("NIK pada notulen internal anggaran", "sebagian"))
    register.take(draft.id, "link", PPID, Args(documents=(PENDING_ID,)))
    requests = RequestRegister(catalog.engine, WorkingCalendar.load())
    who = Requester("Sari Wulandari", "0812-7300-1122, Jl. Merdeka 5", "3171011203850004")
    subject = "Salinan keputusan penetapan daftar pemilih tetap tahun 2020"
    asked = Intake(who, "langsung", subject, "Bahan penelitian skripsi", date.today())
    request, _code = requests.intake(Actor("petugas1", "petugas"), asked)
    catalog.close()
    return Seeded(draft.id, waiting, published, request.id)


def build_dik_home(home: Path) -> Seeded:
    build_exemption_home(home)
    return seed(home)
