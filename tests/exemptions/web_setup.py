"""A copy of the web tests' data root with the two approving roles the web tests lack,
and helpers to drive an entry through the web app."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from fastapi import FastAPI

from archive.accounts import Accounts
from archive.catalog import Catalog
from archive.store import ArchiveLayout
from flows.app.indexing import index_batch
from tests.web.conftest import (
    PASSWORDS,
    PENDING_ID,
    TEST_KDF,
    Client,
    Doc,
    _file,
    build_home,
    sign_in,
)

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
        "period_years": "5",
        "remarks": "Notulen internal.",
    }
    form.update(changes)
    return form


def propose(ppid: Client, **changes: str) -> int:
    """A new entry through the form, with the pending notulen chosen; returns its id."""
    form = entry_form(documents=PENDING_ID, **changes)
    response = ppid.post_form("/exemptions/new", form)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/exemptions/")[1].split("?")[0])


def step(client: Client, entry_id: int, name: str, **form: str):  # type: ignore[no-untyped-def]
    return client.post_form(f"/exemptions/{entry_id}/step/{name}", form)


def shown_digest(client: Client, entry_id: int) -> str:
    """The digest the approval page shows (what the approver saw), from its form."""
    page = client.get(f"/exemptions/{entry_id}/step/approve").text
    found = re.search(r'name="digest" value="([0-9a-f]{64})"', page)
    assert found, page
    return found.group(1)


def approve_all(app: FastAPI, entry_id: int) -> None:
    for name in APPROVER_NAMES:
        approver = login(app, name)  # each in their own session
        digest = shown_digest(approver, entry_id)
        done = step(approver, entry_id, "approve", digest=digest, confirm="1",
                    note=f"Setuju ({name})")  # fmt: skip
        assert done.status_code == 303, done.text
