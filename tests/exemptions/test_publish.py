"""The public DIK files: from published entries only, the DIK columns, a PDF that parses,
and nothing exempted in any of them; ``arsip publish --out DIR``."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.exemptions import COLUMNS, ExemptionRegister, Period, PublicCopy, RedactionSpec
from flows.app.publish import current_rows, write_dik
from flows.cli import main
from flows.settings import Settings
from tests.exemptions.conftest import DOC_A, PPID, decreed, good_draft, take

NIK = "1709054507890003"
DRAFT_TEXT = "Rancangan yang belum diputuskan"


@pytest.fixture
def published(register: ExemptionRegister) -> ExemptionRegister:
    spec = RedactionSpec(personal_numbers=True, numbers=(NIK,))
    first = decreed(
        register,
        good_draft(
            scope="sebagian", redaction=spec, description="NIK pemohon — formulir permohonan"
        ),
    )
    copy = PublicCopy(DOC_A, DOC_A * 4, "e" * 64, "archive-public/x")
    take(register, first, "public_copy", PPID, copy=copy)
    take(register, first, "publish", PPID, today=date(2024, 2, 2))
    until = Period("syarat", condition="sampai putusan pengadilan berkekuatan hukum tetap")
    second = decreed(
        register,
        good_draft(
            legal_basis="uu14-2008-p17a",
            legal_point=2,
            other_bases=(),
            period=until,
            description="Identitas pelapor dugaan pelanggaran",
        ),
    )
    take(register, second, "publish", PPID, today=date(2024, 2, 3))
    register.propose(PPID, good_draft(description=DRAFT_TEXT))  # never on the list
    return register


def _settings(catalog: Catalog) -> Settings:
    home = Path(catalog.url.removeprefix("sqlite:///")).parent
    return Settings(home=home)


def test_dik_files_hold_published_entries_only(
    published: ExemptionRegister, docs: Catalog, tmp_path: Path
):
    rows = current_rows(_settings(docs))
    out = write_dik(tmp_path / "dik", rows, "KPU Kabupaten Bengkulu Tengah")
    assert [p.name for p in out.files] == ["dik.html", "dik.csv", "dik.pdf"]
    assert out.rows == 2

    table = list(csv.reader(io.StringIO((tmp_path / "dik/dik.csv").read_text("utf-8-sig"))))
    assert tuple(table[0]) == COLUMNS
    assert [r[0] for r in table[1:]] == ["1", "2"]
    first, second = (dict(zip(COLUMNS, r, strict=True)) for r in table[1:])
    assert first["Dasar hukum"] == (
        "UU 14/2008 Pasal 17 huruf h angka 1; UU 27/2022 tentang Pelindungan Data Pribadi"
    )
    assert first["Jangka waktu"] == "5 tahun (sampai dengan 1 Februari 2029)"
    assert first["Keputusan"] == "12/PP.06-Kpt/05/2024, tanggal 1 Februari 2024"
    assert first["Keterangan"].startswith("Dikecualikan sebagian; salinan publik disamarkan")
    assert second["Dasar hukum"] == "UU 14/2008 Pasal 17 huruf a angka 2"
    assert second["Jangka waktu"] == "sampai putusan pengadilan berkekuatan hukum tetap"

    raw = subprocess.run(
        ["pdftotext", str(tmp_path / "dik/dik.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pdf_text = " ".join(raw.split())  # table cells wrap; compare word sequences
    assert "Daftar Informasi yang Dikecualikan" in pdf_text
    assert "Identitas pelapor dugaan pelanggaran" in pdf_text
    assert "12/PP.06-Kpt/05/2024" in pdf_text
    html = (tmp_path / "dik/dik.html").read_text("utf-8")
    assert "NIK pemohon — formulir permohonan" in html
    # Links to its own downloads, beside it on the website; to nothing else, documents
    # least of all.
    assert re.findall(r'href="([^"]*)"', html) == ["dik.pdf", "dik.csv"]
    for text in (html, pdf_text, (tmp_path / "dik/dik.csv").read_text("utf-8-sig")):
        assert NIK not in text and NIK not in text.replace(" ", "")
        assert DRAFT_TEXT not in text
        assert DOC_A not in text and DOC_A * 4 not in text


def test_published_csv_cells_cannot_start_a_formula(
    register: ExemptionRegister, docs: Catalog, tmp_path: Path
):
    risky = good_draft(description="=1+1 formulir", consequence="@SUM(A1)",
                       consideration="-2 pertimbangan", remarks="+62 telepon")  # fmt: skip
    entry_id = decreed(register, risky)
    take(register, entry_id, "publish", PPID, today=date(2024, 2, 2))
    write_dik(tmp_path / "dik", current_rows(_settings(docs)), "KPU")
    body = (tmp_path / "dik/dik.csv").read_text("utf-8-sig")
    (_, row) = list(csv.reader(io.StringIO(body)))
    assert row[1] == "'=1+1 formulir"
    assert row[3:5] == ["'@SUM(A1)", "'-2 pertimbangan"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_empty_list_still_publishes(docs: Catalog, tmp_path: Path):
    out = write_dik(tmp_path / "empty", [], "KPU")
    assert out.rows == 0
    assert (tmp_path / "empty/dik.csv").read_text("utf-8-sig").strip() == ",".join(COLUMNS)
    assert b"%PDF" in (tmp_path / "empty/dik.pdf").read_bytes()[:8]


def test_cli_publish_writes_the_three_files(
    published: ExemptionRegister,
    docs: Catalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.setenv("ARSIP_HOME", str(_settings(docs).home))
    assert main(["publish", "--out", str(tmp_path / "site"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == 2
    assert sorted(Path(f).name for f in data["files"]) == ["dik.csv", "dik.html", "dik.pdf"]
    assert all(Path(f).stat().st_size > 0 for f in data["files"])
    assert main(["exemption", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e["status"] for e in listed] == ["dipublikasikan", "dipublikasikan", "draf"]


def test_cli_register_commands(
    register: ExemptionRegister,
    docs: Catalog,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    entry_id = decreed(register)
    take(register, entry_id, "publish", PPID, today=date(2024, 2, 2))
    monkeypatch.setenv("ARSIP_HOME", str(_settings(docs).home))
    assert main(["exemption", "show", str(entry_id), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["events"][-1]["kind"] == "dipublikasikan"
    assert main(["exemption", "bases", "--json"]) == 0
    assert len([b for b in json.loads(capsys.readouterr().out) if b["letter"]]) == 10
    assert main(["exemption", "approvers", "atasan"]) != 0  # ARSIP_ROLE defaults to petugas
    assert "Admin" in capsys.readouterr().err
    monkeypatch.setenv("ARSIP_ROLE", "admin")
    assert main(["exemption", "approvers", "atasan", "pembina", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == ["atasan", "pembina"]
    assert main(["exemption", "review", "--today", "2024-08-02", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["tindakan"] == "tinjauan dimulai"
    assert main(["exemption", "expire", "--today", "2029-02-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["tindakan"] == "kedaluwarsa"
    assert docs.get(DOC_A).access == "terbuka"  # type: ignore[union-attr]
    assert main(["exemption", "show", "999"]) == 3  # not found
