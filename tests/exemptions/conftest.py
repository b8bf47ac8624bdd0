"""A catalog with a few documents and the exemption register on the same database (its
clock fixed at TODAY), and short ways to take steps the way a person would."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from archive.catalog import Catalog
from archive.exemptions import Actor, Draft, ExemptionRegister, Period, StepArgs, StepResult
from archive.records import DocumentRecord
from tests.support.records import document_record

PPID = Actor("ppid1", "ppid")
PPID2 = Actor("ppid2", "ppid")
TIM = Actor("tim1", "tim_pertimbangan")
ATASAN = Actor("atasan1", "atasan")
PEMBINA = Actor("pembina1", "pembina")
APPROVERS = (TIM, ATASAN, PEMBINA)
PETUGAS = Actor("petugas1", "petugas")
SYSTEM = Actor("prefect:expiry", "sistem")
DOC_A, DOC_B, DOC_C = "1a1a1a1a1a1a1a01", "1b1b1b1b1b1b1b01", "1c1c1c1c1c1c1c01"
DECREE_DAY = date(2024, 2, 1)
TODAY = date(2024, 3, 1)  # the register's clock in these tests


def document(
    doc_id: str, access: str = "belum_ditinjau", flags: tuple[str, ...] = ()
) -> DocumentRecord:
    return document_record(
        doc_id,
        doc_type="formulir",
        year=2023,
        unit="KPU Kabupaten Bengkulu Tengah",
        title=f"Formulir {doc_id}",
        flags=flags,
        access=access,
        archive_path=f"archive/2023/formulir/{doc_id}",
        received_at=datetime(2023, 8, 21, tzinfo=UTC),
    )


def good_draft(**changes: object) -> Draft:
    values: dict[str, object] = {
        "description": "NIK dan Nomor KK pemohon pada formulir permohonan informasi",
        "legal_basis": "uu14-2008-p17h",
        "legal_point": 1,
        "other_bases": ("uu27-2022",),
        "doc_type": "formulir",
        "consequence": "Membuka rahasia pribadi pemohon dan keluarganya.",
        "consideration": "Perlindungan data pribadi lebih besar daripada kepentingan publik.",
        "scope": "seluruh",
        "period": Period("durasi", years=5),
        "remarks": "Berlaku untuk formulir permohonan tahun 2023.",
    }
    values.update(changes)
    return Draft(**values)  # type: ignore[arg-type]


@pytest.fixture
def docs(catalog: Catalog) -> Catalog:
    catalog.add_document(document(DOC_A, flags=("data_pribadi",)), [])
    catalog.add_document(document(DOC_B, flags=("data_pribadi",)), [])
    catalog.add_document(document(DOC_C, access="terbuka"), [])
    return catalog


@pytest.fixture
def register(docs: Catalog) -> ExemptionRegister:
    return ExemptionRegister(docs.engine, today=lambda: TODAY)


def take(
    register: ExemptionRegister, entry_id: int, step: str, actor: Actor, **args: object
) -> StepResult:
    return register.take(entry_id, step, actor, StepArgs(**args))  # type: ignore[arg-type]


def approve(register: ExemptionRegister, entry_id: int, actor: Actor, note: str = "") -> StepResult:
    """An approval from the entry as the approver was shown it (its digest)."""
    digest = register.get(entry_id).approval_digest()
    return take(register, entry_id, "approve", actor, digest=digest, note=note)


def submitted(register: ExemptionRegister, draft: Draft | None = None) -> int:
    """An entry proposed, linked to DOC_A, tested and submitted; returns its id."""
    entry = register.propose(PPID, draft or good_draft())
    take(register, entry.id, "link", PPID, documents=(DOC_A,))
    take(register, entry.id, "record_test", PPID)
    take(register, entry.id, "submit", PPID)
    return entry.id


def decreed(register: ExemptionRegister, draft: Draft | None = None) -> int:
    entry_id = submitted(register, draft)
    for actor in APPROVERS:
        approve(register, entry_id, actor, "setuju")
    take(register, entry_id, "set_decree", PPID, number="12/PP.06-Kpt/05/2024", on=DECREE_DAY)
    return entry_id
