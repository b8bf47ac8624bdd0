"""A copy of the web tests' data root with the two approving roles the web tests lack,
and helpers to drive an entry through the web app."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi import FastAPI

from archive.accounts import Accounts
from archive.catalog import Catalog
from archive.store import ArchiveLayout
from flows.app.indexing import index_batch
from tests.web.conftest import PASSWORDS, TEST_KDF, Client, Doc, _file, build_home, sign_in

EXTRA_USERS = {
    "tim1": ("tim_pertimbangan", "sandi-tim-00001"),
    "pembina1": ("pembina", "sandi-pembina-01"),
    "ppid2": ("ppid", "sandi-ppid-0002"),
}
USERS = {**PASSWORDS, **EXTRA_USERS}
APPROVER_NAMES = ("tim1", "atasan1", "pembina1")
PERSONAL_ID = "0d0d0d0d0d0d0d01"
PERSONAL_NIK = "1709056607900002"
PERSONAL = Doc(
    PERSONAL_ID,
    "belum_ditinjau",
    "formulir",
    "Formulir Permohonan Informasi Publik",
    f"Formulir permohonan informasi atas nama Sari Wulandari NIK {PERSONAL_NIK} "
    "alamat Desa Taba Penanjung.",
    2023,
    "KPU Kabupaten Bengkulu Tengah",
    "pdf",
    False,
    ("data_pribadi",),
)


def build_exemption_home(home: Path) -> None:
    build_home(home)
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    layout = ArchiveLayout(home)
    record = _file(layout, PERSONAL, home.parent / "gen")
    catalog.add_document(record, [])
    index_batch(layout, [record])
    accounts = Accounts(catalog.engine, TEST_KDF)
    for username, (role, password) in EXTRA_USERS.items():
        accounts.create(username, role, password)
    catalog.close()


def copy_home(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


def login(app: FastAPI, username: str) -> Client:
    return sign_in(app, username, USERS[username][1])


def entry_form(**changes: str) -> dict[str, str]:
    form = {
        "description": "Catatan rapat internal penyusunan anggaran yang belum final",
        "legal_basis": "uu14-2008-p17i",
        "doc_type": "lainnya",
        "consequence": "Mengganggu proses pengambilan keputusan yang belum final.",
        "consideration": "Kepentingan publik terpenuhi setelah keputusan ditetapkan.",
        "scope": "seluruh",
        "period_kind": "durasi",
        "period_years": "2",
        "remarks": "Notulen internal.",
    }
    form.update(changes)
    return form
