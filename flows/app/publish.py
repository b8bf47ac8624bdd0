"""Publishing the public list (DIK): ``dik.html``, ``dik.csv`` and ``dik.pdf`` for the
official website, built from published entries only.

``write_dik`` is a plain function (``arsip publish --out DIR`` calls it directly); the
``publish`` flow (:mod:`flows.exemptions`) wraps it and leaves a report artifact. The
files carry only the register's descriptions (never document content, never a link to a
document); each file is written to a temporary name and renamed, so the website never
picks up half a file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from jinja2 import Environment, FileSystemLoader, select_autoescape

from archive.catalog import Catalog
from archive.exemptions import COLUMNS, DikRow, ExemptionRegister, dik_csv, dik_rows
from archive.vocabulary import tanggal
from flows.settings import Settings

# The public page of the web app includes dik_table.html from here too.
TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Landscape A4 is 277 mm wide inside 10 mm margins; description columns get the room.
PDF_COL_WIDTHS = (9, 45, 38, 42, 42, 30, 38, 33)
FILES = ("dik.html", "dik.csv", "dik.pdf")


@dataclass(frozen=True)
class Published:
    directory: Path
    files: tuple[Path, ...]
    rows: int

    def to_json(self) -> dict[str, Any]:
        return {"out": str(self.directory), "files": [str(p) for p in self.files],
                "rows": self.rows}  # fmt: skip


def register_rows(register: ExemptionRegister) -> list[DikRow]:
    return dik_rows(register.entries(), register.bases.get)


def current_rows(settings: Settings) -> list[DikRow]:
    catalog = Catalog(settings.catalog_url)
    try:
        return register_rows(ExemptionRegister(catalog.engine))
    finally:
        catalog.close()


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def render_html(rows: Sequence[DikRow], office: str, generated: datetime) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    return env.get_template("dik_file.html").render(
        rows=rows, columns=COLUMNS, office_name=office, generated_label=tanggal(generated.date())
    )


def render_pdf(rows: Sequence[DikRow], office: str, generated: datetime) -> bytes:
    pdf = FPDF(orientation="L", format="A4")
    # DejaVu covers every character the PPID may type (em dashes, quotes, accents).
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Daftar Informasi yang Dikecualikan")
    pdf.set_author(office)
    pdf.set_margins(10, 10, 10)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(0, 8, "Daftar Informasi yang Dikecualikan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    subtitle = f"{office} · Pasal 17 UU 14/2008 · diterbitkan {tanggal(generated.date())}"
    pdf.cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 7.5)
    if not rows:
        pdf.multi_cell(0, 6, "Belum ada informasi yang dikecualikan yang dipublikasikan.")
    else:
        with pdf.table(col_widths=PDF_COL_WIDTHS, text_align="LEFT", line_height=3.6,
                       v_align="TOP", repeat_headings=1) as table:  # fmt: skip
            table.row(COLUMNS)
            for row in rows:
                table.row(row.values())
    return bytes(pdf.output())


def write_dik(
    out: Path, rows: Sequence[DikRow], office: str, generated: datetime | None = None
) -> Published:
    when = generated or datetime.now(UTC)
    out.mkdir(parents=True, exist_ok=True)
    contents = {
        "dik.html": render_html(rows, office, when).encode(),
        # With a BOM: spreadsheet programs then read the UTF-8 text correctly.
        "dik.csv": dik_csv(rows).encode("utf-8-sig"),
        "dik.pdf": render_pdf(rows, office, when),
    }
    for name, data in contents.items():
        _atomic_write(out / name, data)
    return Published(out, tuple(out / name for name in FILES), len(rows))


def publish_dik(settings: Settings, out: Path | None = None) -> Published:
    target = out or settings.layout.home / "publik"
    return write_dik(target, current_rows(settings), settings.office_name)
