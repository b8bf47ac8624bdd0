"""Pages OCRed ahead, several a Tesseract run, read exactly as each page read alone."""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from flows import demo
from flows.app.ingest import run_once
from flows.settings import Settings
from tasks.detect import detect
from tasks.extract import pages_to_ocr, text_layer
from tasks.ocr import OcrOptions, is_cached, ocr_document, ocr_page
from tasks.ocr_batch import PageJob, ocr_ahead, page_jobs
from tests.conftest import LIMITS

pytestmark = pytest.mark.slow
OPTIONS = OcrOptions()


def _layer_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _skewed(out: Path) -> Path:
    """Looked at and straightened alone, then read with the others."""
    page = demo.render_page(demo.keputusan().pages()[0], seed=5, skew=4)
    page.save(out, dpi=(300, 300))
    return out


def test_pages_read_in_one_run_are_read_as_each_alone(tmp_path: Path) -> None:
    pages = [
        demo.write_image(demo.surat(), tmp_path / "surat.png"),
        demo.write_image(demo.notulen(), tmp_path / "notulen.png", seed=3),
        _skewed(tmp_path / "keputusan.png"),
    ]
    jobs = [PageJob(p, "png", 1, tmp_path / "ahead" / p.stem) for p in pages]
    with ThreadPoolExecutor(1) as pool:
        ocr_ahead(jobs, OPTIONS, pool, workers=1)
        assert all(is_cached(j.cache_dir, 1) for j in jobs)
        for job in jobs:
            shared = ocr_page(job.source, "png", 1, OPTIONS, job.cache_dir)  # from the cache
            alone = ocr_page(job.source, "png", 1, OPTIONS, tmp_path / "alone" / job.source.stem)
            assert shared.text == alone.text and shared.text.strip()
            assert (shared.confidence, shared.words, shared.quality, shared.repairs) == (
                alone.confidence,
                alone.words,
                alone.quality,
                alone.repairs,
            )
            assert shared.to_image == alone.to_image
            assert _layer_text(shared.layer) == _layer_text(alone.layer)
    assert any(r.startswith("deskew") for r in shared.repairs)  # the skewed page, last


def test_a_broken_picture_is_left_to_its_document_and_the_others_are_read(
    tmp_path: Path,
) -> None:
    good = [
        demo.write_image(demo.surat(), tmp_path / "a.png"),
        demo.write_image(demo.notulen(), tmp_path / "b.png", seed=3),
    ]
    broken = tmp_path / "broken.png"
    broken.write_bytes(good[0].read_bytes()[:5000])  # cut short: cannot be decoded
    jobs = [PageJob(p, "png", 1, tmp_path / "cache" / p.stem) for p in [good[0], broken, good[1]]]
    with ThreadPoolExecutor(1) as pool:
        ocr_ahead(jobs, OPTIONS, pool, workers=1)
    assert [is_cached(j.cache_dir, 1) for j in jobs] == [True, False, True]


def test_a_scanned_pdf_is_read_ahead_from_the_pictures_its_own_reading_takes(
    tmp_path: Path,
) -> None:
    scan = demo.write_scanned_pdf(demo.long_document(2), tmp_path / "scan.pdf")
    born_digital = demo.write_text_pdf(demo.sop(), tmp_path / "sop.pdf")
    scanned, text = (detect(p, LIMITS) for p in (scan, born_digital))
    assert pages_to_ocr(text_layer(text), 20) == []  # its text layer reads well: nothing to OCR
    pages = pages_to_ocr(text_layer(scanned), 20)
    assert pages == [1, 2]
    jobs = page_jobs(scanned, pages, tmp_path / "ahead")
    assert all(j.embedded is not None for j in jobs)  # the scan images, not renderings
    with ThreadPoolExecutor(2) as pool:
        ocr_ahead(jobs, OPTIONS, pool, workers=1)
        assert all(is_cached(j.cache_dir, j.page) for j in jobs)
        shared = ocr_document(scan, "pdf", pages, OPTIONS, tmp_path / "ahead", pool)
        alone = ocr_document(scan, "pdf", pages, OPTIONS, tmp_path / "alone", pool)
    for one, other in zip(shared, alone, strict=True):
        assert one.text == other.text and one.text.strip()
        assert (one.confidence, one.words, one.quality) == (
            other.confidence,
            other.words,
            other.quality,
        )
        assert _layer_text(one.layer) == _layer_text(other.layer)


def test_a_run_reads_each_pdfs_text_layer_once(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    """The layer read to choose the pages OCRed ahead is the one the extraction uses."""
    calls, shim = tmp_path / "pdftotext-calls", tmp_path / "bin"
    shim.mkdir()
    (shim / "pdftotext").write_text(
        f'#!/bin/sh\necho "$@" >> {calls}\nexec {shutil.which("pdftotext")} "$@"\n'
    )
    (shim / "pdftotext").chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim}:{os.environ['PATH']}")
    inbox = tmp_path / "data" / "inbox"
    inbox.mkdir(parents=True)
    demo.write_text_pdf(demo.sop(), inbox / "sop.pdf")
    demo.write_scanned_pdf(demo.long_document(2), inbox / "scan.pdf")
    settings = Settings(home=tmp_path / "data", settle_seconds=0, ocr_workers=1)
    summary = run_once(settings, "test-layer-once")
    assert summary["counts"]["archived"] == 2
    read = calls.read_text().splitlines()
    assert sorted(Path(line.split()[-2]).name for line in read) == ["scan.pdf", "sop.pdf"]
