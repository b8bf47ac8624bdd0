"""The text layer written from Tesseract's TSV puts every word, selectable, over its box."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from tasks.tesseract import glyphless_font
from tasks.textlayer import TsvPage, Word, read_words, runs_left_to_right, write_layer

_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
)
DPI = 300
PT = 72 / DPI


def _page(lines: list[list[tuple[str, int, int]]], top: int = 200, height: int = 50) -> TsvPage:
    """Lines of (text, left, right) words, one line every 100 px."""
    words, boxes = [], {}
    for n, line in enumerate(lines, start=1):
        y = top + 100 * (n - 1)
        boxes[(1, 1, n)] = (line[0][1], y, line[-1][2], y + height)
        words += [Word(t, (left, y, right, y + height), (1, 1, n), 95.0) for t, left, right in line]
    return TsvPage((2480, 3508), tuple(words), boxes)


def _bbox_words(pdf: Path) -> list[tuple[str, tuple[float, ...]]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [(m[5], tuple(float(v) for v in m.groups()[:4])) for m in _WORD.finditer(html)]


def test_each_word_is_selectable_over_its_box_and_lines_read_in_order(tmp_path: Path) -> None:
    page = _page(
        [
            [("Undangan", 300, 620), ("Rapat", 660, 850), ("Koordinasi", 890, 1260)],
            [("Nomor:", 300, 520), ("005/123/2024", 560, 1000)],
            [("Keterangan", 300, 700), ("ÿ€—ß", 740, 900)],  # beyond Latin-1: UTF-16 codes
        ]
    )
    out = tmp_path / "layer.pdf"
    write_layer(page, DPI, glyphless_font(), out)
    found = dict(_bbox_words(out))  # pdftotext orders words by its own layout analysis
    assert sorted(found) == sorted(w.text for w in page.words)
    for word in page.words:
        (x0, y0, x1, y1), (left, top, right, bottom) = found[word.text], word.box
        # Across: the word's own box (its trailing space inside it, as Tesseract does);
        # up and down: its line's box.
        assert x0 == pytest.approx(left * PT, abs=0.05)
        assert right * PT * 0.85 <= x1 <= right * PT + 0.05
        assert (y0, y1) == (pytest.approx(top * PT, abs=0.05), pytest.approx(bottom * PT, abs=0.1))
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines == ["Undangan Rapat Koordinasi", "Nomor: 005/123/2024", "Keterangan ÿ€—ß"]
    with pikepdf.open(out) as pdf:  # the page Tesseract's renderer would make
        assert [float(v) for v in pdf.pages[0].mediabox] == [0, 0, 595.2, 841.92]
        font = pdf.pages[0].Resources.Font["/f-0-0"]
        assert font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes() == glyphless_font()


def test_an_empty_reading_still_gives_a_valid_layer_page(tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    write_layer(TsvPage((2480, 3508), (), {}), DPI, glyphless_font(), out)
    assert _bbox_words(out) == []
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1


def test_only_lines_running_left_to_right_are_written_from_tsv() -> None:
    upright = _page([[("a", 100, 200), ("b", 300, 400)], [("c", 100, 200)]])
    assert runs_left_to_right(upright)
    # Upside down or vertical text: the next word is not to the right of the last one.
    turned = _page([[("b", 300, 400), ("a", 100, 200)]])
    assert not runs_left_to_right(turned)


def test_tsv_is_read_with_its_page_size_lines_and_scored_words(tmp_path: Path) -> None:
    tsv = tmp_path / "page.tsv"
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
    rows = [
        f"{head}\tconf\ttext",
        "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
        "4\t1\t1\t1\t1\t0\t100\t200\t500\t40\t-1\t",
        "5\t1\t1\t1\t1\t1\t100\t200\t200\t40\t96.5\tSurat",
        "5\t1\t1\t1\t1\t2\t350\t205\t250\t35\t-1\t ",  # no text: not a word
        "5\t1\t1\t1\t1\t3\t400\t200\t200\t40\t-1\tTugas",  # unscored: in the layer only
    ]
    tsv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page = read_words(tsv)
    assert page.size == (2480, 3508)
    assert page.lines == {(1, 1, 1): (100, 200, 600, 240)}
    assert [w.text for w in page.words] == ["Surat", "Tugas"]
    assert [w.text for w in page.scored] == ["Surat"] and page.confidence == 96.5
