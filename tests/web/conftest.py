"""A data root with documents at every access level, filed and indexed without OCR, and
the real app (in process) over it, with one signed-in client per role."""

from __future__ import annotations

import io
import re
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its TestClient; httpx is what this project has.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from archive.accounts import Accounts, KdfCost
from archive.catalog import Catalog
from archive.records import DocumentRecord
from archive.store import ArchiveLayout, file_document, sha256_bytes
from flows import demo
from flows.app.indexing import index_batch
from flows.settings import Settings, WebSettings
from web.app import create_app
from web.runner import IngestRunner

# Cheap argon2 for tests only: the parameters are stored in each hash, nothing else changes.
TEST_KDF = KdfCost(time_cost=1, memory_kib=8, parallelism=1)
PASSWORDS = {
    "petugas1": ("petugas", "sandi-petugas-1"),
    "ppid1": ("ppid", "sandi-ppid-0001"),
    "atasan1": ("atasan", "sandi-atasan-01"),
    "admin1": ("admin", "sandi-admin-001"),
}
OPEN_ID = "0a0a0a0a0a0a0a01"
OPEN_PDF_ID = "0a0a0a0a0a0a0a02"
PENDING_ID = "0b0b0b0b0b0b0b01"
EXEMPT_ID = "0c0c0c0c0c0c0c01"
RESTRICTED_IDS = (PENDING_ID, EXEMPT_ID)
NIK = "1709054507890003"


@dataclass(frozen=True)
class Doc:
    id: str
    access: str
    doc_type: str
    title: str
    text: str
    year: int
    unit: str
    original: str  # png | pdf | txt
    searchable: bool
    flags: tuple[str, ...] = ()


DOCS = (
    Doc(OPEN_ID, "terbuka", "surat", "Undangan Rapat Koordinasi Pemutakhiran Data",
        "Undangan rapat koordinasi pemutakhiran data pemilih berkelanjutan di aula kantor.",
        2022, "KPU Kabupaten Bengkulu Tengah", "png", True),
    Doc(OPEN_PDF_ID, "terbuka", "keputusan", "Penetapan Daftar Pemilih Tetap",
        "Keputusan tentang penetapan daftar pemilih tetap setelah rapat koordinasi pleno.",
        2020, "KPU Provinsi Bengkulu", "pdf", False),
    Doc(PENDING_ID, "belum_ditinjau", "lainnya", "Notulen Internal Anggaran",
        "Notulen internal rapat koordinasi anggaran rahasiabelum tindak lanjut.",
        2023, "KPU Kota Bengkulu", "png", True, ("tipe_tidak_pasti", "perlu_tinjauan")),
    Doc(EXEMPT_ID, "dikecualikan", "formulir", "Formulir Data Pemilih",
        f"Formulir data pemilih NIK {NIK} koordinasi rahasiadikecualikan alamat lengkap.",
        2021, "KPU Kabupaten Seluma", "pdf", False, ("data_pribadi",)),
)  # fmt: skip


def page_png(lines: list[str]) -> bytes:
    img = Image.new("L", (620, 877), 250)
    draw = ImageDraw.Draw(img)
    for row, text in enumerate(lines):
        draw.text((40, 40 + row * 22), text, fill=20)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def text_pdf(tmp: Path, lines: list[str]) -> bytes:
    doc = demo.SampleDoc("lainnya", None, None, None, None, tuple(lines))
    return demo.write_text_pdf(doc, tmp / "doc.pdf").read_bytes()


def _file(layout: ArchiveLayout, doc: Doc, tmp: Path) -> DocumentRecord:
    lines = [doc.title, "", doc.text]
    originals = {"png": page_png(lines), "pdf": text_pdf(tmp, lines), "txt": doc.text.encode()}
    original = originals[doc.original]
    files: dict[str, Path | bytes] = {
        f"original.{doc.original}": original,
        "text.txt": doc.text.encode(),
    }
    if doc.searchable:
        files["searchable.pdf"] = text_pdf(tmp, lines)
    target = layout.document_dir(doc.year, doc.doc_type, doc.id)
    file_document(layout, target, files, {f"original.{doc.original}": sha256_bytes(original)})
    mime = {"png": "image/png", "pdf": "application/pdf", "txt": "text/plain"}[doc.original]
    return DocumentRecord(
        id=doc.id, sha256=sha256_bytes(original), source_name=f"{doc.id}.{doc.original}",
        mime=mime, doc_type=doc.doc_type, doc_type_confidence=0.3 if doc.flags else 0.9,
        number=f"{doc.id[-3:]}/PP.01/KPU/{doc.year}", date=date(doc.year, 3, 14),
        year=doc.year, unit=doc.unit, title=doc.title, pages=1,
        text_source="ocr" if doc.original == "png" else "text_layer",
        ocr_confidence=71.5 if doc.original == "png" else None, flags=doc.flags,
        access=doc.access,  # type: ignore[arg-type]
        archive_path=str(target.relative_to(layout.home)),
        received_at=datetime(doc.year, 3, 15, 2, 30, tzinfo=UTC),
    )  # fmt: skip


def build_home(home: Path) -> None:
    layout = ArchiveLayout(home)
    layout.ensure()
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    tmp = home.parent / "gen"
    tmp.mkdir(exist_ok=True)
    records = [_file(layout, doc, tmp) for doc in DOCS]
    for record in records:
        catalog.add_document(record, [])
    index_batch(layout, records)
    accounts = Accounts(catalog.engine, TEST_KDF)
    for username, (role, password) in PASSWORDS.items():
        accounts.create(username, role, password)
    catalog.close()


@pytest.fixture(scope="session")
def template_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("web-template") / "data"
    build_home(home)
    return home


def make_app(home: Path, **web: object) -> FastAPI:
    settings = Settings(home=home, max_file_mb=1.0)
    options = {"session_secret": "test-secret", **web}
    # A runner whose "ingest" does nothing: these tests never start a real run.
    runner = IngestRunner(home, command=["true"])
    return create_app(settings, WebSettings(**options), kdf=TEST_KDF, runner=runner)  # type: ignore[arg-type]


def close_app(app: FastAPI) -> None:
    app.state.services.runner.close()
    app.state.services.catalog.close()


@pytest.fixture(scope="module")
def app(template_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """Shared by the tests of one module: they must not change documents."""
    home = tmp_path_factory.mktemp("web-shared") / "data"
    shutil.copytree(template_home, home)
    application = make_app(home)
    yield application
    close_app(application)


@pytest.fixture
def fresh_app(template_home: Path, tmp_path: Path) -> Iterator[FastAPI]:
    """A private copy of the data root, for tests that change things."""
    home = tmp_path / "data"
    shutil.copytree(template_home, home)
    application = make_app(home)
    yield application
    close_app(application)


_HIDDEN_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    match = _HIDDEN_TOKEN.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1)


def attempt_login(client: TestClient, username: str, password: str) -> int:
    """One sign-in through the form, as a browser sends it; the answer's status code."""
    token = form_token(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data).status_code


class Client(TestClient):
    """A TestClient signed in as one user; ``csrf`` is its session's form token."""

    csrf: str = ""

    def post_form(self, url: str, data: dict[str, str] | None = None, **kw: object):  # type: ignore[no-untyped-def]
        return self.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kw)  # type: ignore[arg-type]


def sign_in(app: FastAPI, username: str, password: str | None = None) -> Client:
    client = Client(app, follow_redirects=False)
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password or PASSWORDS[username][1],
            "csrf_token": form_token(page.text),
            "next": "/search",
        },
    )
    assert response.status_code == 303, response.text
    client.csrf = form_token(client.get("/review").text)
    return client


@pytest.fixture(scope="module")
def petugas(app: FastAPI) -> Client:
    return sign_in(app, "petugas1")


@pytest.fixture(scope="module")
def ppid(app: FastAPI) -> Client:
    return sign_in(app, "ppid1")


@pytest.fixture(scope="module")
def atasan(app: FastAPI) -> Client:
    return sign_in(app, "atasan1")


@pytest.fixture
def anon(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False)
