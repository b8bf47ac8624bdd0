"""The yearly report of a generated year agrees with what the generator did, counted on
its own; the CSV and PDF carry the same sections (the PDF goes to test-artifacts/)."""

from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path

import pytest

from archive.requests import report_csv
from flows.app.request_pdf import render_report
from tasks.poppler import page_texts
from tests.browser_support import ARTIFACTS
from tests.requests.year import YEAR, generate

pytestmark = pytest.mark.slow  # 120 requests through every step: ~13 s


def test_report_of_a_generated_year(tmp_path: Path):
    register, catalog, tally = generate(tmp_path, count=120)
    report = register.report(YEAR)
    assert report.received == 120 == sum(tally.channels.values())
    assert {k: v for k, v in report.by_channel.items() if v} == dict(tally.channels)
    assert {k: v for k, v in report.by_outcome.items() if v} == dict(tally.outcomes)
    assert report.median_days == statistics.median(tally.days)
    assert report.max_days == max(tally.days)
    assert (report.late, report.extended) == (tally.late, tally.extended)
    assert {b.split(";")[0]: n for b, n in report.refusal_bases} == dict(tally.bases)
    assert {k: v for k, v in report.objections.items() if v} == dict(tally.objections)
    assert report.doubtful_years == ()  # 2025 and early 2026 are official in the data
    csv_text = report_csv(report)
    assert csv_text.startswith("Bagian,Uraian,Jumlah\r\n") and "Pasal 17 huruf i" in csv_text
    pdf = render_report("KPU Kabupaten Bengkulu Tengah", report, date(YEAR + 1, 1, 5))
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"laporan-permohonan-{YEAR}.pdf"
    out.write_bytes(pdf)
    text = " ".join(" ".join(page_texts(out)).split())
    assert (
        f"TAHUN {YEAR}" in text
        and "Pasal 17 huruf c angka 1" in text
        and str(report.received) in text
    )
    catalog.close()
