"""Finding the numbers to black out in OCR word boxes (no Tesseract needed)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tasks.redact import Area, Box, Word, area_boxes, black_out, number_boxes

NIK = "1709054507890003"


def _line(*texts: str, line: int = 1) -> list[Word]:
    return [
        Word(t, Box(100 * i, 10 * line, 100 * i + 90, 10 * line + 8), (1, 1, line))
        for i, t in enumerate(texts)
    ]


def test_a_number_in_one_word_in_groups_or_after_a_glued_label():
    assert number_boxes(_line("NIK", ":", NIK), (), personal=True) == [Box(200, 10, 290, 18)]
    grouped = _line("NIK", "1709", "0545", "0789", "0003")
    assert number_boxes(grouped, (), personal=True) == [Box(100, 10, 490, 18)]
    glued = _line("NIK:" + NIK)
    assert len(number_boxes(glued, (), personal=True)) == 1
    dotted = _line("1709.0545.0789.0003")
    assert len(number_boxes(dotted, (), personal=True)) == 1


def test_ocr_confusions_and_misread_digits_still_match_a_listed_number():
    assert len(number_boxes(_line("17O9O545O789OOO3"), (NIK,), personal=False)) == 1
    assert len(number_boxes(_line("1709054507890008"), (NIK,), personal=False)) == 1  # one digit
    assert number_boxes(_line("1709999999990008"), (NIK,), personal=False) == []


def test_other_numbers_and_other_lines_are_left_alone():
    text = _line("Nomor", "017/PPID/VIII/2023", "tanggal", "21", "Agustus", "2023")
    assert number_boxes(text, (), personal=True) == []
    split = _line("1709", "0545", line=1) + _line("0789", "0003", line=2)
    assert number_boxes(split, (), personal=True) == []  # never joined across lines


def test_areas_are_fractions_of_the_page_and_blacked_out_exactly(tmp_path: Path):
    boxes = area_boxes([Area(1, 0.1, 0.2, 0.5, 0.1), Area(2, 0, 0, 1, 1)], 1, (1000, 2000))
    assert boxes == [Box(100, 400, 600, 600)]
    page = tmp_path / "page.png"
    Image.new("L", (1000, 2000), 255).save(page)
    black_out(page, [], boxes, tmp_path / "out.png", 300)
    with Image.open(tmp_path / "out.png") as out:
        assert out.getpixel((100, 400)) == 0 and out.getpixel((99, 399)) == 255
        assert round(out.info["dpi"][0]) == 300
