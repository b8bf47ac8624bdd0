"""PDF documents of the request register (fpdf2): the written notice that answers a
request (pemberitahuan tertulis, a refusal citing the DIK entries and their consequence
tests), the request form filed for a request that came without one, and the yearly
report. Texts follow the shape of the forms in Perki 1/2021; DejaVu covers every
character a requester may type.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from fpdf import FPDF

from archive.requests import (
    CHANNEL_NAMES,
    FORM_NAMES,
    OUTCOME_NAMES,
    AnswerPlan,
    Citation,
    InfoRequest,
    ServiceRules,
    YearReport,
)
from archive.vocabulary import tanggal
from flows.app.publish import FONT_DIR

FONT = "DejaVu"


def _pdf(title: str, office: str, when: date) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_author(office)
    # The same answer gives the same bytes: its SHA-256 is what the register records.
    pdf.set_creation_date(datetime.combine(when, time(12), tzinfo=UTC))
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, 18)
    pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 5.5, office.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8.5)
    pdf.multi_cell(
        0,
        4.5,
        "Pejabat Pengelola Informasi dan Dokumentasi (PPID)",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.line(20, pdf.get_y() + 1.5, 190, pdf.get_y() + 1.5)
    pdf.ln(5)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    return pdf


def _para(pdf: FPDF, text: str, size: float = 9.5, bold: bool = False) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _fields(pdf: FPDF, rows: Sequence[tuple[str, str]]) -> None:
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        col_widths=(50, 120),
        first_row_as_headings=False,
        line_height=5,
        borders_layout="NONE",
        text_align="LEFT",
        v_align="TOP",
    ) as table:
        for label, value in rows:
            table.row((label, f": {value}"))
    pdf.ln(2)


def _requester(request: InfoRequest) -> list[tuple[str, str]]:
    return [
        ("Nomor pendaftaran", request.number),
        ("Nama", request.requester.name),
        ("Alamat / kontak", request.requester.contact),
        ("Rincian informasi", request.subject),
        ("Tujuan penggunaan", request.purpose),
        ("Diterima", f"{tanggal(request.received_on)} ({CHANNEL_NAMES[request.channel]})"),
    ]


def _citation(pdf: FPDF, n: int, c: Citation) -> None:
    _para(pdf, f"{n}. {c.description} (DIK entri #{c.entry_id})", bold=True)
    _fields(
        pdf,
        [
            ("Dasar hukum", c.legal_text),
            ("Konsekuensi bila dibuka", c.consequence),
            ("Pertimbangan bila ditutup", c.consideration),
            ("Jangka waktu", c.period),
            ("Penetapan", c.decree),
            ("Cakupan", "seluruhnya" if c.scope == "seluruh" else "sebagian (salinan disamarkan)"),
        ],
    )


def render_letter(
    office: str,
    request: InfoRequest,
    plan: AnswerPlan,
    rules: ServiceRules,
    day: date,
    note: str = "",
) -> bytes:
    """The written notice answering ``request`` as ``plan`` says (``day``: its date)."""
    outcome = plan.outcome or "tidak_dikuasai"
    pdf = _pdf(_letter_title(outcome), office, day)
    _para(pdf, f"Nomor: {request.number}", size=9.5)
    _para(pdf, "Berdasarkan permohonan informasi yang Saudara ajukan:")
    _fields(pdf, _requester(request))
    if plan.given:
        _given(pdf, plan)
    citations = plan.citations()
    if citations:
        _exempted(pdf, citations, numbered=bool(plan.given))
    if outcome == "tidak_dikuasai":
        _para(pdf, "Informasi yang dimohon tidak berada di bawah penguasaan kami.")
    if note:
        _para(pdf, f"Keterangan: {note}")
    _conclusion(pdf, outcome, rules)
    _signature(pdf, office, day)
    return bytes(pdf.output())


def _letter_title(outcome: str) -> str:
    if outcome == "ditolak":
        return "SURAT KEPUTUSAN PPID TENTANG PENOLAKAN PERMOHONAN INFORMASI"
    return "PEMBERITAHUAN TERTULIS"


def _given(pdf: FPDF, plan: AnswerPlan) -> None:
    """Section A: the documents given, each with its form and (the start of) its SHA-256."""
    _para(pdf, "A. Informasi yang diberikan", bold=True)
    pdf.set_font(FONT, "", 8.5)
    with pdf.table(col_widths=(8, 82, 40, 40), line_height=4.5, text_align="LEFT") as table:
        table.row(("No", "Dokumen", "Bentuk", "SHA-256"))
        for n, d in enumerate(plan.given, start=1):
            table.row((str(n), d.title, FORM_NAMES[d.form or "asli"], f"{(d.sha256 or '')[:16]}…"))
    pdf.ln(3)


def _exempted(pdf: FPDF, citations: Sequence[Citation], *, numbered: bool) -> None:
    """The exempted information, each with its DIK entry (section B when A comes first)."""
    _para(
        pdf,
        ("B. " if numbered else "") + "Informasi yang dikecualikan "
        "(UU 14/2008 Pasal 17; uji konsekuensi Pasal 19)",
        bold=True,
    )
    for n, c in enumerate(citations, start=1):
        _citation(pdf, n, c)


def _conclusion(pdf: FPDF, outcome: str, rules: ServiceRules) -> None:
    """The outcome, and how to object to it."""
    _para(
        pdf,
        f"Dengan demikian permohonan informasi Saudara: {OUTCOME_NAMES[outcome].upper()}.",
        bold=True,
    )
    _para(
        pdf,
        "Apabila Saudara keberatan atas jawaban ini, Saudara dapat mengajukan keberatan "
        f"kepada Atasan PPID paling lambat {rules.objection_filing.days} hari kerja sejak "
        f"diterimanya surat ini ({rules.objection_filing.basis}; UU 14/2008 Pasal 35).",
        size=8.5,
    )


def _signature(pdf: FPDF, office: str, day: date) -> None:
    pdf.ln(4)
    pdf.set_font(FONT, "", 9.5)
    for line in (
        tanggal(day),
        "Pejabat Pengelola Informasi dan Dokumentasi",
        office,
        "",
        "",
        "(................................................)",
    ):
        pdf.cell(0, 5, line, align="R", new_x="LMARGIN", new_y="NEXT")


def render_formulir(office: str, request: InfoRequest) -> bytes:
    """The request form, filed in the archive for a request that came without a paper one
    (web form, e-mail): the same fields as the desk's form, the identity number included."""
    pdf = _pdf("FORMULIR PERMOHONAN INFORMASI PUBLIK", office, request.received_on)
    rows = [
        ("No. Pendaftaran", request.number),
        ("Nama", request.requester.name),
        ("NIK / nomor identitas", request.requester.identity_number or "-"),
        ("Alamat / kontak", request.requester.contact),
        ("Rincian informasi yang dibutuhkan", request.subject),
        ("Tujuan penggunaan informasi", request.purpose),
        ("Cara permohonan", CHANNEL_NAMES[request.channel]),
        ("Tanggal diterima", tanggal(request.received_on)),
    ]
    pdf.set_font(FONT, "", 9.5)
    for label, value in rows:
        pdf.multi_cell(0, 5.5, f"{label} : {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    _para(
        pdf,
        "Diisi oleh petugas: formulir ini dibuat dari permohonan yang diterima "
        f"melalui {CHANNEL_NAMES[request.channel].lower()}.",
        size=8.5,
    )
    _para(pdf, "Tanda tangan pemohon: ...................................", size=9.5)
    return bytes(pdf.output())


def render_report(office: str, report: YearReport, generated: date) -> bytes:
    pdf = _pdf(f"LAPORAN LAYANAN INFORMASI PUBLIK TAHUN {report.year}", office, generated)
    _para(
        pdf,
        "Permohonan informasi publik yang diterima, hasil, alasan penolakan dan waktu "
        "jawab (UU 14/2008; Perki 1/2021). Waktu dihitung dalam hari kerja.",
        size=8.5,
    )
    for title, rows in report.sections():
        _para(pdf, title, bold=True)
        pdf.set_font(FONT, "", 9)
        with pdf.table(
            col_widths=(140, 30),
            line_height=5,
            text_align=("LEFT", "RIGHT"),
            first_row_as_headings=False,
        ) as table:
            for label, value in rows:
                table.row((label, value))
        pdf.ln(3)
    if report.doubtful_years:
        years = ", ".join(str(y) for y in report.doubtful_years)
        _para(pdf, f"Catatan: hari libur tahun {years} masih perkiraan atau belum diisi.", size=8)
    _para(pdf, f"Dibuat {tanggal(generated)}.", size=8)
    return bytes(pdf.output())
